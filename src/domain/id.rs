//! Stable, readable identifiers: `kind:slug`, for example `solution:bigbluebutton`.

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// The kinds of node in the graph, each with the prefix its ids carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A need (`need:`).
    Need,
    /// A solution (`solution:`).
    Solution,
    /// A publisher (`publisher:`).
    Publisher,
    /// A collectivity (`collectivity:`).
    Collectivity,
    /// An adoption (`adoption:`).
    Adoption,
    /// An outcome (`outcome:`).
    Outcome,
    /// An alternative (`alternative:`).
    Alternative,
    /// A source (`source:`).
    Source,
    /// A contribution (`contribution:`).
    Contribution,
}

impl EntityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Need,
        EntityKind::Solution,
        EntityKind::Publisher,
        EntityKind::Collectivity,
        EntityKind::Adoption,
        EntityKind::Outcome,
        EntityKind::Alternative,
        EntityKind::Source,
        EntityKind::Contribution,
    ];

    /// The prefix of this kind's ids, without the colon.
    pub fn prefix(self) -> &'static str {
        match self {
            EntityKind::Need => "need",
            EntityKind::Solution => "solution",
            EntityKind::Publisher => "publisher",
            EntityKind::Collectivity => "collectivity",
            EntityKind::Adoption => "adoption",
            EntityKind::Outcome => "outcome",
            EntityKind::Alternative => "alternative",
            EntityKind::Source => "source",
            EntityKind::Contribution => "contribution",
        }
    }

    fn from_prefix(prefix: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.prefix() == prefix)
    }
}

/// Longest id accepted, in bytes.
const MAX_ID_LEN: usize = 200;

/// Checks that `slug` is lower-case ASCII letters, digits, `-`, `_` or `.`, starting with a letter or digit.
fn check_slug(slug: &str) -> bool {
    let mut chars = slug.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// Turns free text into a slug: ASCII-folded, lower case, runs of other characters as one `-`.
pub(crate) fn slugify(text: &str) -> String {
    let folded = super::text::fold(text);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Any node's id, with its kind known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NodeId {
    value: String,
    kind: EntityKind,
}

impl NodeId {
    /// Parses `kind:slug`.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        if value.len() > MAX_ID_LEN {
            return Err(ValidationError::new(format!(
                "id is longer than {MAX_ID_LEN} characters"
            )));
        }
        let (prefix, slug) = value.split_once(':').ok_or_else(|| {
            ValidationError::new(format!("`{value}` is not an id of the form kind:slug"))
        })?;
        let kind = EntityKind::from_prefix(prefix).ok_or_else(|| {
            ValidationError::new(format!("`{value}` has an unknown kind `{prefix}`"))
        })?;
        if !check_slug(slug) {
            return Err(ValidationError::new(format!(
                "`{value}`: the part after `{prefix}:` must be lower-case letters, digits, '-', '_' or '.'"
            )));
        }
        Ok(Self {
            value: value.to_owned(),
            kind,
        })
    }

    /// The kind of node this id names.
    pub fn kind(&self) -> EntityKind {
        self.kind
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The part after `kind:`.
    pub fn slug(&self) -> &str {
        &self.value[self.kind.prefix().len() + 1..]
    }
}

string_value!(NodeId.value);

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The kind of node this id names.
            pub const KIND: EntityKind = $kind;

            /// Parses an id, which must carry this kind's prefix.
            pub fn parse(value: &str) -> Result<Self, ValidationError> {
                let node = NodeId::parse(value)?;
                if node.kind() != $kind {
                    return Err(ValidationError::new(format!(
                        "`{value}` is not a {} id (it must start with `{}:`)",
                        $kind.prefix(),
                        $kind.prefix()
                    )));
                }
                Ok(Self(node.value))
            }

            /// Builds the id from free text, slugified (`Jitsi Meet` → `kind:jitsi-meet`).
            pub fn from_name(name: &str) -> Result<Self, ValidationError> {
                Self::parse(&format!("{}:{}", $kind.prefix(), slugify(name)))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The part after `kind:`.
            pub fn slug(&self) -> &str {
                &self.0[$kind.prefix().len() + 1..]
            }
        }

        string_value!($name.0);

        impl From<$name> for NodeId {
            fn from(id: $name) -> Self {
                NodeId { value: id.0, kind: $kind }
            }
        }
    };
}

typed_id!(
    /// The id of a [`super::Need`].
    NeedId,
    EntityKind::Need
);
typed_id!(
    /// The id of a [`super::Solution`].
    SolutionId,
    EntityKind::Solution
);
typed_id!(
    /// The id of a [`super::Publisher`].
    PublisherId,
    EntityKind::Publisher
);
typed_id!(
    /// The id of a [`super::Collectivity`].
    CollectivityId,
    EntityKind::Collectivity
);
typed_id!(
    /// The id of an [`super::Adoption`].
    AdoptionId,
    EntityKind::Adoption
);
typed_id!(
    /// The id of an [`super::Outcome`].
    OutcomeId,
    EntityKind::Outcome
);
typed_id!(
    /// The id of an [`super::Alternative`].
    AlternativeId,
    EntityKind::Alternative
);
typed_id!(
    /// The id of a [`super::Source`].
    SourceId,
    EntityKind::Source
);
typed_id!(
    /// The id of a [`super::Contribution`].
    ContributionId,
    EntityKind::Contribution
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_ids_and_keeps_their_kind() {
        let id = NodeId::parse("collectivity:fr-commune-38151").unwrap();
        assert_eq!(id.kind(), EntityKind::Collectivity);
        assert_eq!(id.slug(), "fr-commune-38151");
        assert_eq!(SolutionId::parse("solution:vlc").unwrap().slug(), "vlc");
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "",
            "solution",
            "solution:",
            "thing:x",
            "solution:Upper",
            "solution:a b",
            "solution:-x",
        ] {
            assert!(NodeId::parse(bad).is_err(), "{bad} should be rejected");
        }
        let err = SolutionId::parse("need:x").unwrap_err();
        assert!(err.0.contains("must start with `solution:`"), "{err}");
    }

    #[test]
    fn builds_ids_from_names() {
        assert_eq!(
            SolutionId::from_name("Jitsi Meet").unwrap().as_str(),
            "solution:jitsi-meet"
        );
        assert_eq!(
            CollectivityId::from_name("Échirolles").unwrap().as_str(),
            "collectivity:echirolles"
        );
    }
}
