//! The field-level merge policy: what a solution keeps when several records describe it.
//!
//! 1. **A stated value never loses to a missing one.** Empty, absent and `LicenseRef-not-stated`
//!    are not stated: a record stating a value fills them, and a record stating nothing leaves a
//!    stated value alone, whichever came first.
//! 2. **Per field, the more authoritative dataset wins** when two records state different values
//!    ([`authority`]): the SILL for the licence, the SILL id, the Wikidata item and the Comptoir
//!    du Libre id; a publiccode.yml file (its publisher's own word) for the repository and the
//!    web site. Otherwise the value known first stays (the curated seed is loaded first).
//! 3. **A disagreement is kept, never dropped**: the solution's `conflicts` lists both values and
//!    who states the other one; `retex explain-merge`, `retex audit` and the API
//!    (`Solution.conflicts`) show it.
//! 4. **Descriptions** are filled per language: the first stated text in a language stays (the
//!    seed's, else the first dataset's in import order), and the records whose text is used are
//!    listed in `description_sources`. Two texts saying the same thing differently are not a
//!    disagreement of facts, so they are not listed as conflicts.
//!
//! Collectivities follow the same rules in [`super::collectivities`] (the découpage
//! administratif is the authority for codes and populations), adoptions in [`super::adoptions`].

use std::borrow::Cow;

use crate::domain::{LocalizedText, Solution};

use super::licence::NOT_STATED;
use super::resolve::repo_key;

/// The dataset a record comes from, told by its locator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// The SILL (`sill/...`).
    Sill,
    /// A publiccode.yml file (`publiccode/...` or its URL).
    Publiccode,
    /// Any other dataset.
    Other,
}

impl Dataset {
    /// The dataset of a record locator.
    pub fn of(record: &str) -> Self {
        if record.starts_with("sill/") {
            Dataset::Sill
        } else if record.starts_with("publiccode/")
            || record.starts_with("http://")
            || record.starts_with("https://")
        {
            Dataset::Publiccode
        } else {
            Dataset::Other
        }
    }
}

/// The fields the policy arbitrates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The licence.
    Licence,
    /// The SILL id.
    Sill,
    /// The Wikidata item.
    Wikidata,
    /// The Comptoir du Libre id.
    Comptoir,
    /// The source repository.
    Repository,
    /// The web site.
    Website,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Licence => "licence",
            Field::Sill => "sill id",
            Field::Wikidata => "wikidata",
            Field::Comptoir => "comptoir id",
            Field::Repository => "repository",
            Field::Website => "website",
        }
    }
}

/// The dataset whose stated value wins for a field.
pub fn authority(field: Field) -> Dataset {
    match field {
        Field::Licence | Field::Sill | Field::Wikidata | Field::Comptoir => Dataset::Sill,
        Field::Repository | Field::Website => Dataset::Publiccode,
    }
}

/// What a merge of one field decided.
enum Decision {
    /// Keep the known value (nothing stated against it, or the same value).
    Keep,
    /// Take the record's value.
    Take,
}

/// Arbitrates one field between the known value and a record's, recording a disagreement on
/// `conflicts`. `same` compares two stated values (normalised where spellings vary).
fn arbitrate(
    field: Field,
    known: Option<&str>,
    record: Option<&str>,
    origin: &str,
    same: impl Fn(&str, &str) -> bool,
    conflicts: &mut Vec<String>,
) -> Decision {
    let (known, record) = match (known, record) {
        (_, None) => return Decision::Keep,
        (None, Some(_)) => return Decision::Take,
        (Some(k), Some(r)) => (k, r),
    };
    if same(known, record) {
        return Decision::Keep;
    }
    let wins = Dataset::of(origin) == authority(field);
    let entry = if wins {
        format!(
            "{}: {record} ({origin}, the authority) over {known}",
            field.name()
        )
    } else {
        format!("{}: {known} kept over {record} ({origin})", field.name())
    };
    // One entry per field and pair of values, in place: the latest verdict on a pair replaces
    // an earlier one (so a re-import leaves the list as it was).
    let prefix = format!("{}: ", field.name());
    let same_pair = conflicts
        .iter()
        .position(|c| c.starts_with(&prefix) && c.contains(known) && c.contains(record));
    match same_pair {
        Some(at) => conflicts[at] = entry,
        None => conflicts.push(entry),
    }
    if wins {
        Decision::Take
    } else {
        Decision::Keep
    }
}

/// A licence a dataset states (`LicenseRef-not-stated` is none).
fn stated_licence(s: &Solution) -> Option<&str> {
    s.licence
        .as_ref()
        .map(|l| l.as_str())
        .filter(|l| *l != NOT_STATED)
}

/// A web address as compared: no scheme, no `www.`, no trailing slash, lower case.
fn site_key(url: &str) -> String {
    let u = url.trim().to_lowercase();
    let u = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    u.trim_end_matches('/').to_owned()
}

/// A fact a dataset may state about a solution: how it reads as text, when two statements of
/// it agree, and how a known solution takes the record's.
struct Fact {
    field: Field,
    stated: for<'a> fn(&'a Solution) -> Option<Cow<'a, str>>,
    same: fn(&str, &str) -> bool,
    take: fn(&mut Solution, &Solution),
}

/// The facts [`merge_facts`] arbitrates, in order.
const FACTS: [Fact; 6] = [
    Fact {
        field: Field::Licence,
        stated: |s| stated_licence(s).map(Cow::Borrowed),
        same: |a, b| a.eq_ignore_ascii_case(b),
        take: |known, record| known.licence.clone_from(&record.licence),
    },
    Fact {
        field: Field::Sill,
        stated: |s| s.sill.map(|n| Cow::Owned(n.to_string())),
        same: |a, b| a == b,
        take: |known, record| known.sill = record.sill,
    },
    Fact {
        field: Field::Comptoir,
        stated: |s| s.comptoir.map(|n| Cow::Owned(n.to_string())),
        same: |a, b| a == b,
        take: |known, record| known.comptoir = record.comptoir,
    },
    Fact {
        field: Field::Wikidata,
        stated: |s| s.wikidata.as_ref().map(|q| Cow::Borrowed(q.as_str())),
        same: |a, b| a == b,
        take: |known, record| known.wikidata.clone_from(&record.wikidata),
    },
    Fact {
        field: Field::Repository,
        stated: |s| s.repository.as_ref().map(|r| Cow::Borrowed(r.as_str())),
        same: |a, b| repo_key(a) == repo_key(b),
        take: |known, record| known.repository.clone_from(&record.repository),
    },
    Fact {
        field: Field::Website,
        stated: |s| s.website.as_ref().map(|w| Cow::Borrowed(w.as_str())),
        same: |a, b| site_key(a) == site_key(b),
        take: |known, record| known.website.clone_from(&record.website),
    },
];

/// Merges the stated facts of a record (from `origin`, its locator) into a known solution,
/// field by field, under the policy of this module.
pub fn merge_facts(known: &mut Solution, record: &Solution, origin: &str) {
    let mut conflicts = std::mem::take(&mut known.conflicts);
    for fact in &FACTS {
        let decision = arbitrate(
            fact.field,
            (fact.stated)(known).as_deref(),
            (fact.stated)(record).as_deref(),
            origin,
            fact.same,
            &mut conflicts,
        );
        if let Decision::Take = decision {
            (fact.take)(known, record);
        }
    }
    // A record whose licence is `not stated` still fills a known solution that has none.
    if known.licence.is_none() {
        known.licence.clone_from(&record.licence);
    }
    known.conflicts = conflicts;
    merge_description(known, record, origin);
}

/// Fills the languages the known description lacks from the record's, and lists the record
/// (`origin`, or the sources it lists) when its text is used.
pub fn merge_description(known: &mut Solution, record: &Solution, origin: &str) {
    let Some(text) = &record.description else {
        return;
    };
    let (fr, en) = match &known.description {
        Some(k) => (k.fr.clone(), k.en.clone()),
        None => (None, None),
    };
    let takes_fr = fr.is_none() && text.fr.is_some();
    let takes_en = en.is_none() && text.en.is_some();
    if !(takes_fr || takes_en) {
        return;
    }
    let fr = fr.or_else(|| text.fr.clone());
    let en = en.or_else(|| text.en.clone());
    if let Ok(merged) = LocalizedText::new(fr, en) {
        known.description = Some(merged);
        let origin = [origin.to_owned()];
        let sources = match &record.description_sources[..] {
            [] => &origin[..],
            listed => listed,
        };
        for s in sources {
            if !known.description_sources.contains(s) {
                known.description_sources.push(s.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solution(licence: &str) -> Solution {
        serde_json::from_value(serde_json::json!({
            "id": "solution:x", "name": "X", "kind": "LIBRE", "licence": licence,
            "publisher": null, "needs": ["need:other"], "status": "ACTIVE", "website": null,
            "repository": null, "wikidata": null, "sill": null, "comptoir": null,
            "description": null, "unnamed": false
        }))
        .unwrap()
    }

    #[test]
    fn a_stated_licence_fills_a_not_stated_one_and_is_never_lost() {
        let mut known = solution(NOT_STATED);
        merge_facts(
            &mut known,
            &solution("MIT"),
            "govoss-catalog/replaces.json#X",
        );
        assert_eq!(known.licence.as_ref().unwrap().as_str(), "MIT");
        merge_facts(
            &mut known,
            &solution(NOT_STATED),
            "munich-oss-usage/en/software/x",
        );
        assert_eq!(known.licence.as_ref().unwrap().as_str(), "MIT");
        assert!(known.conflicts.is_empty());
    }

    #[test]
    fn the_authority_wins_a_disagreement_and_both_values_stay_visible() {
        let mut known = solution("GPL-3.0-or-later");
        merge_facts(&mut known, &solution("MIT"), "sill/software.csv#ID=1");
        assert_eq!(known.licence.as_ref().unwrap().as_str(), "MIT");
        assert_eq!(
            known.conflicts,
            vec!["licence: MIT (sill/software.csv#ID=1, the authority) over GPL-3.0-or-later"]
        );
        merge_facts(&mut known, &solution("Apache-2.0"), "publiccode/x.yml");
        assert_eq!(known.licence.as_ref().unwrap().as_str(), "MIT");
        assert_eq!(known.conflicts.len(), 2);
        assert!(known.conflicts[1].contains("MIT kept over Apache-2.0 (publiccode/x.yml)"));
    }
}
