//! A ranked solution's score in words, in French and English.
//!
//! One function, [`explain`], turns the parts of the score (and the tier the solution is in on
//! an adoption path) into one sentence per language, so the words never tell another story
//! than the number: each part with a non-zero count becomes a clause, in the order of the
//! parts, and the total closes the sentence. French follows French conventions: decimal comma,
//! plurals written out, `;` set off by spaces, no raw codes.

use super::evidence::{Ranked, ScorePart};
use super::index::Index;
use super::paths::PathLink;
use super::relevance::Likeness;
use crate::domain::{Confidence, LocalizedText};

/// A clause in both languages.
struct Clause {
    fr: String,
    en: String,
}

fn clause(fr: impl Into<String>, en: impl Into<String>) -> Clause {
    Clause {
        fr: fr.into(),
        en: en.into(),
    }
}

/// `n` and the word for it, singular for 0 and 1 in French, for 1 only in English.
fn counted(n: u32, one: &str, many: &str, french: bool) -> String {
    let word = if n == 1 || (french && n == 0) {
        one
    } else {
        many
    };
    format!("{} {word}", integer(n, french))
}

/// An integer, its thousands set off by a narrow no-break space in French, a comma in English.
fn integer(n: u32, french: bool) -> String {
    let digits = n.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let sep = if french { "\u{202f}" } else { "," };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal number with two decimals: decimal comma in French.
pub fn decimal(x: f64, french: bool) -> String {
    let text = format!("{x:.2}");
    if french {
        text.replace('.', ",").replace('-', "−")
    } else {
        text
    }
}

/// A country's name in French (with its preposition, `en France`) and English.
fn country(code: &str) -> (String, String, String) {
    let (fr, fr_in, en) = match code {
        "FR" => ("France", "en France", "France"),
        "IT" => ("Italie", "en Italie", "Italy"),
        "DE" => ("Allemagne", "en Allemagne", "Germany"),
        "BE" => ("Belgique", "en Belgique", "Belgium"),
        "CH" => ("Suisse", "en Suisse", "Switzerland"),
        "ES" => ("Espagne", "en Espagne", "Spain"),
        "AT" => ("Autriche", "en Autriche", "Austria"),
        "LU" => ("Luxembourg", "au Luxembourg", "Luxembourg"),
        "NL" => ("Pays-Bas", "aux Pays-Bas", "the Netherlands"),
        "PT" => ("Portugal", "au Portugal", "Portugal"),
        "GB" => ("Royaume-Uni", "au Royaume-Uni", "the United Kingdom"),
        "US" => ("États-Unis", "aux États-Unis", "the United States"),
        "CA" => ("Canada", "au Canada", "Canada"),
        other => {
            return (
                format!("pays {other}"),
                format!("dans le pays {other}"),
                other.to_owned(),
            )
        }
    };
    (fr.to_owned(), fr_in.to_owned(), en.to_owned())
}

fn confidence_words(c: Confidence) -> (&'static str, &'static str) {
    match c {
        Confidence::Strong => ("fort", "strong"),
        Confidence::Partial => ("partiel", "partial"),
        Confidence::Adjacent => ("adjacent", "adjacent"),
    }
}

fn tier_clause(index: &Index, link: &PathLink) -> Clause {
    match link {
        PathLink::Replaces(l) => {
            let (fr, en) = confidence_words(l.confidence);
            clause(
                format!("remplacement déclaré ({fr})"),
                format!("declared replacement ({en})"),
            )
        }
        PathLink::SameNeed(needs) => {
            let labels = |french: bool| {
                needs
                    .iter()
                    .map(|n| index.needs[*n as usize].label.get(french).to_owned())
                    .collect::<Vec<_>>()
            };
            let (fr, en) = (labels(true), labels(false));
            let one = needs.len() == 1;
            clause(
                format!(
                    "{} : {}",
                    if one {
                        "même besoin"
                    } else {
                        "mêmes besoins"
                    },
                    fr.join(", ")
                ),
                format!(
                    "{}: {}",
                    if one { "same need" } else { "same needs" },
                    en.join(", ")
                ),
            )
        }
    }
}

/// Where adoptions counted alike come from, by country.
fn countries_clause(ranked: &Ranked, index: &Index, n: u32) -> Clause {
    let by_country = ranked.stats.by_profile.by_country(&index.countries);
    let (fr_all, en_all) = (
        counted(n, "adoption", "adoptions", true),
        counted(n, "adoption", "adoptions", false),
    );
    match by_country.as_slice() {
        [] => clause(fr_all, en_all),
        [(code, _)] => {
            let (_, fr_in, en) = country(code);
            let (fr_each, en_each) = if n == 1 {
                ("", "")
            } else {
                (" toutes", " all")
            };
            clause(
                format!("{fr_all},{fr_each} {fr_in}"),
                format!("{en_all},{en_each} in {en}"),
            )
        }
        many => {
            let list = |french: bool| {
                many.iter()
                    .map(|(code, k)| {
                        let (fr, _, en) = country(code);
                        if french {
                            format!("{fr} : {}", integer(*k, true))
                        } else {
                            format!("{en}: {}", integer(*k, false))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            clause(
                format!("{fr_all} ({})", list(true)),
                format!("{en_all} ({})", list(false)),
            )
        }
    }
}

fn likeness_clause(class: Likeness, n: u32) -> Clause {
    let (fr_one, fr_many, en_one, en_many) = match class {
        Likeness::Comparable => (
            "adoption par une collectivité comparable",
            "adoptions par des collectivités comparables",
            "adoption by a comparable body",
            "adoptions by comparable bodies",
        ),
        Likeness::SameKind => (
            "adoption par un organisme du même type, d'une autre taille",
            "adoptions par des organismes du même type, d'autres tailles",
            "adoption by a body of the same kind, another size",
            "adoptions by bodies of the same kind, other sizes",
        ),
        Likeness::SameCountry => (
            "adoption par un autre type d'organisme du même pays",
            "adoptions par d'autres types d'organismes du même pays",
            "adoption by another kind of body in the same country",
            "adoptions by other kinds of bodies in the same country",
        ),
        Likeness::SameLanguage => (
            "adoption dans un pays de même langue",
            "adoptions dans des pays de même langue",
            "adoption in a country sharing a language",
            "adoptions in countries sharing a language",
        ),
        Likeness::Elsewhere => (
            "adoption ailleurs",
            "adoptions ailleurs",
            "adoption elsewhere",
            "adoptions elsewhere",
        ),
    };
    clause(
        counted(n, fr_one, fr_many, true),
        counted(n, en_one, en_many, false),
    )
}

/// The clause of one score part, if it says something.
fn part_clause(index: &Index, ranked: &Ranked, part: &ScorePart) -> Option<Clause> {
    let n = part.count;
    if n == 0 {
        return None;
    }
    let both = |fr_one: &str, fr_many: &str, en_one: &str, en_many: &str| {
        clause(
            counted(n, fr_one, fr_many, true),
            counted(n, en_one, en_many, false),
        )
    };
    Some(match part.name {
        "adoptions" => countries_clause(ranked, index, n),
        "favourableOutcomes" => both(
            "retour favorable",
            "retours favorables",
            "favourable outcome",
            "favourable outcomes",
        ),
        "unfavourableOutcomes" => both(
            "échec (retour en arrière ou fournisseur disparu)",
            "échecs (retours en arrière ou fournisseurs disparus)",
            "setback (rollback or vendor shutdown)",
            "setbacks (rollbacks or vendor shutdowns)",
        ),
        "recentAdoptions" => both(
            "adoption récente (5 dernières années)",
            "adoptions récentes (5 dernières années)",
            "recent adoption (last 5 years)",
            "recent adoptions (last 5 years)",
        ),
        "peers" => clause(
            format!("adoptée par {} de vos pairs", integer(n, true)),
            format!("adopted by {} of your peers", integer(n, false)),
        ),
        name => {
            let class = Likeness::ALL.into_iter().find(|c| c.part_name() == name)?;
            likeness_clause(class, n)
        }
    })
}

/// The ranked solution's score in words, French and English, from its parts and its tier.
pub fn explain(index: &Index, ranked: &Ranked) -> LocalizedText {
    let mut clauses: Vec<Clause> = Vec::new();
    if let Some(link) = &ranked.link {
        clauses.push(tier_clause(index, link));
    }
    let adoptions_counted: u32 = ranked
        .score
        .parts
        .iter()
        .filter(|p| p.name == "adoptions" || p.name.ends_with("Adoptions"))
        .filter(|p| p.name != "recentAdoptions")
        .map(|p| p.count)
        .sum();
    if adoptions_counted == 0 {
        clauses.push(clause("aucune adoption connue", "no known adoption"));
    }
    clauses.extend(
        ranked
            .score
            .parts
            .iter()
            .filter_map(|p| part_clause(index, ranked, p)),
    );
    if ranked.peer_adoptions.iter().any(|p| p.own) {
        clauses.push(clause("vous l'utilisez déjà", "you use it already"));
    }
    clauses.push(clause(
        format!("score {}", decimal(ranked.score.total, true)),
        format!("score {}", decimal(ranked.score.total, false)),
    ));
    let join = |french: bool| {
        let texts: Vec<&str> = clauses
            .iter()
            .map(|c| if french { c.fr.as_str() } else { c.en.as_str() })
            .collect();
        texts.join(if french { " ; " } else { "; " })
    };
    LocalizedText {
        fr: Some(join(true)),
        en: Some(join(false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_use_a_decimal_comma_and_spaced_thousands() {
        assert_eq!(decimal(3.4167, true), "3,42");
        assert_eq!(decimal(3.4167, false), "3.42");
        assert_eq!(decimal(-0.5, true), "−0,50");
        assert_eq!(integer(34_969, true), "34\u{202f}969");
        assert_eq!(integer(34_969, false), "34,969");
        assert_eq!(integer(1_234, true), "1234");
    }

    #[test]
    fn plurals_are_written_out() {
        assert_eq!(
            counted(1, "retour favorable", "retours favorables", true),
            "1 retour favorable"
        );
        assert_eq!(
            counted(2, "retour favorable", "retours favorables", true),
            "2 retours favorables"
        );
        assert_eq!(counted(0, "adoption", "adoptions", false), "0 adoptions");
    }
}
