//! The domain: what retex knows about, validated once when built.
//!
//! Nothing here knows about GraphQL, SQL or Cypher. Importers build these types (parsing and
//! validating their input on the way in), the stores persist them, and the API presents them.

/// The conversions of a value written as text, given its `parse` and `as_str`: shown as its
/// text, read from a `String` through `parse` (for serde's `try_from`), and back into one
/// (for serde's `into`), by moving its text field out when one is named (`Name.field`).
/// `text Name, "doc"` also writes `as_str` (documented `doc`) for a newtype over a `String`.
macro_rules! string_value {
    (text $name:ident, $doc:literal) => {
        impl $name {
            #[doc = $doc]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_value!($name.0);
    };
    ($name:ident) => {
        string_value!(@common $name);

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }
    };
    ($name:ident . $field:tt) => {
        string_value!(@common $name);

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.$field
            }
        }
    };
    (@common $name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::ValidationError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
    };
}

mod access;
mod alert;
mod entities;
mod enums;
mod error;
mod id;
mod markup;
mod release;
mod text;
mod values;
mod watch;

pub use access::{
    check_comment, ChangeAction, ChangeSubject, FunctionalContact, HistoryEntry, Scope,
    StatusChange, Token, TokenHash, TokenId, TokenSecret, MAX_COMMENT_CHARS, TOKEN_PREFIX,
};
pub use alert::{alerts_for, in_cycle, Alert, AlertKind, AlertWindow, Running};
pub use entities::{
    Adoption, Alternative, BasedOn, Batch, Citation, Collectivity, Contractor, Contribution,
    Dependency, Figure, Maintenance, Need, Outcome, PubliccodeFacts, Publisher, SillYear, Solution,
    Source, VersionRelease,
};
pub use enums::{
    AdoptionStatus, AlternativeKind, CollectivityKind, Confidence, ContributionKind,
    DependencyKind, DeploymentStrategy, Hosting, MaintenanceStatus, MaintenanceType, OutcomeKind,
    PublisherKind, PublisherStatus, SillStatus, SolutionKind, SourceKind,
};
pub use error::ValidationError;
pub use id::{
    AdoptionId, AlternativeId, CollectivityId, ContributionId, EntityKind, NeedId, NodeId,
    OutcomeId, PublisherId, SolutionId, SourceId,
};
pub use markup::{html_escape, xml_escape};
pub use release::{ProductCycle, ReleaseVersion};
pub use text::{fold, matches_prefix, search_terms, LocalizedText, MIN_PREFIX_CHARS};
pub use values::{Country, InseeCode, Licence, PartialDate, Siren, WebUrl, WikidataId};
pub use watch::{
    compare_versions, merge_cycles, EndOfLife, PollOutcome, PollRecord, Release, ReleaseCycle,
    Version, WatchKind, WatchLocation, WatchSource, WatchSourceId, WatchStatus, WatchTarget,
    DEFAULT_INTERVAL_SECS, MIN_INTERVAL_SECS,
};
