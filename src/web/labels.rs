//! Words of the pages in French (and English): labels of every vocabulary, numbers, dates,
//! counts with their plural written out, department and region names. Nothing here shows a
//! raw code (`SUCCESS`, `2022-07`) to a reader.

use super::html::Lang;
use crate::analysis::Index;
use crate::domain::{
    AdoptionStatus, AlternativeKind, CollectivityKind, Confidence, ContributionKind,
    DeploymentStrategy, Hosting, MaintenanceStatus, OutcomeKind, PartialDate, PublisherKind,
    PublisherStatus, SillStatus, SolutionKind, SourceKind,
};

/// A number in the page's language: `22 020` and `1,79` in French, `22,020` and `1.79` in
/// English.
pub fn number(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match lang {
        Lang::Fr => ('\u{202f}', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('−');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A solution kind, in words.
pub fn solution_kind(lang: Lang, kind: SolutionKind) -> &'static str {
    match kind {
        SolutionKind::Libre => lang.t("libre", "libre"),
        SolutionKind::Proprietary => lang.t("propriétaire", "proprietary"),
        SolutionKind::Internal => lang.t(
            "interne (développée par un acteur public)",
            "in-house (built by a public body)",
        ),
    }
}

/// A maintenance status, in words.
pub fn maintenance(lang: Lang, status: MaintenanceStatus) -> &'static str {
    match status {
        MaintenanceStatus::Active => lang.t("maintenue", "maintained"),
        MaintenanceStatus::Unmaintained => lang.t("plus maintenue", "unmaintained"),
        MaintenanceStatus::Discontinued => lang.t("arrêtée", "discontinued"),
    }
}

/// A publisher status, in words.
pub fn publisher_status(lang: Lang, status: PublisherStatus) -> &'static str {
    match status {
        PublisherStatus::Active => lang.t("en activité", "active"),
        PublisherStatus::Closed => lang.t("fermé", "closed"),
    }
}

/// An adoption status, in words.
pub fn adoption_status(lang: Lang, status: AdoptionStatus) -> &'static str {
    match status {
        AdoptionStatus::Evaluating => lang.t("en évaluation", "evaluating"),
        AdoptionStatus::Pilot => lang.t("pilote", "pilot"),
        AdoptionStatus::Deployed => lang.t("déployée", "deployed"),
        AdoptionStatus::Abandoned => lang.t("abandonnée", "abandoned"),
        AdoptionStatus::Replaced => lang.t("remplacée", "replaced"),
    }
}

/// An outcome kind, in words.
pub fn outcome_words(lang: Lang, kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Success => lang.t("réussite", "success"),
        OutcomeKind::Partial => lang.t("réussite partielle", "partial success"),
        OutcomeKind::Rollback => lang.t("retour en arrière", "rolled back"),
        OutcomeKind::VendorShutdown => lang.t("fermeture de l'éditeur", "vendor shut down"),
        OutcomeKind::CostSaving => lang.t("économies", "cost saving"),
        OutcomeKind::Other => lang.t("autre résultat", "other outcome"),
    }
}

/// An outcome kind in words, marked up with its colour class (favourable or not).
pub fn outcome(lang: Lang, kind: OutcomeKind) -> String {
    format!(
        "<span class=\"outcome outcome-{}\">{}</span>",
        kind.as_str().to_ascii_lowercase(),
        outcome_words(lang, kind)
    )
}

/// A collectivity kind, in words.
pub fn collectivity_kind(lang: Lang, kind: CollectivityKind) -> &'static str {
    match kind {
        CollectivityKind::Commune => lang.t("commune", "commune"),
        CollectivityKind::Intercommunality => lang.t("intercommunalité", "intercommunality"),
        CollectivityKind::Department => lang.t("département", "department"),
        CollectivityKind::Region => lang.t("région", "region"),
        CollectivityKind::StateService => lang.t("service de l'État", "state service"),
        CollectivityKind::OtherPublicBody => lang.t("autre organisme public", "other public body"),
    }
}

/// How fully an alternative replaces, in words.
pub fn confidence(lang: Lang, c: Confidence) -> &'static str {
    match c {
        Confidence::Strong => lang.t("remplacement complet", "strong replacement"),
        Confidence::Partial => lang.t("remplacement partiel", "partial replacement"),
        Confidence::Adjacent => lang.t("approche voisine", "adjacent approach"),
    }
}

/// A contribution kind, in words.
pub fn contribution_kind(lang: Lang, kind: ContributionKind) -> &'static str {
    match kind {
        ContributionKind::Code => lang.t("code", "code"),
        ContributionKind::Funding => lang.t("financement", "funding"),
        ContributionKind::StaffTime => lang.t("temps d'agent", "staff time"),
        ContributionKind::Documentation => lang.t("documentation", "documentation"),
        ContributionKind::Translation => lang.t("traduction", "translation"),
        ContributionKind::Hosting => lang.t("hébergement", "hosting"),
    }
}

/// A source kind, in words.
pub fn source_kind(lang: Lang, kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Interview => lang.t("entretien", "interview"),
        SourceKind::Dataset => lang.t("jeu de données", "dataset"),
        SourceKind::Catalogue => lang.t("catalogue", "catalogue"),
        SourceKind::Article => lang.t("article", "article"),
        SourceKind::Website => lang.t("site web", "web site"),
        SourceKind::Official => lang.t("document officiel", "official document"),
    }
}

/// A deployment strategy, in words.
pub fn strategy(lang: Lang, s: DeploymentStrategy) -> &'static str {
    match s {
        DeploymentStrategy::VolunteerFirst => lang.t("volontaires d'abord", "volunteers first"),
        DeploymentStrategy::Incentive => lang.t("par incitation", "by incentive"),
        DeploymentStrategy::Mandatory => lang.t("obligatoire", "mandatory"),
        DeploymentStrategy::BigBang => lang.t("bascule d'un coup", "big bang"),
    }
}

/// A hosting mode, in words.
pub fn hosting(lang: Lang, h: Hosting) -> &'static str {
    match h {
        Hosting::SelfHosted => lang.t("hébergée en interne", "self-hosted"),
        Hosting::Provider => lang.t("chez un prestataire", "at a provider"),
        Hosting::Saas => lang.t("en ligne (SaaS)", "software as a service"),
    }
}

/// A SILL status, in words.
pub fn sill_status(lang: Lang, s: SillStatus) -> &'static str {
    match s {
        SillStatus::Recommended => lang.t("recommandé", "recommended"),
        SillStatus::Observation => lang.t("en observation", "under observation"),
        SillStatus::NoLongerRecommended => lang.t("plus recommandé", "no longer recommended"),
    }
}

/// A publisher kind, in words.
pub fn publisher_kind(lang: Lang, k: PublisherKind) -> &'static str {
    match k {
        PublisherKind::Company => lang.t("entreprise", "company"),
        PublisherKind::Association => lang.t("association", "association"),
        PublisherKind::Foundation => lang.t("fondation", "foundation"),
        PublisherKind::Community => lang.t("communauté", "community"),
        PublisherKind::PublicBody => lang.t("organisme public", "public body"),
    }
}

/// What an alternative replaces, in words.
pub fn alternative_kind(lang: Lang, k: AlternativeKind) -> &'static str {
    match k {
        AlternativeKind::Software => lang.t("logiciel", "software"),
        AlternativeKind::Service => lang.t("service", "service"),
        AlternativeKind::PaidTier => lang.t("offre payante", "paid tier"),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as precise as it is known: `2022`, `juillet 2022`, `12 mars 2024`, `1er mars 2024`
/// (English: `July 2022`, `12 March 2024`).
pub fn date(lang: Lang, d: &impl Dated) -> String {
    let (year, month, day) = d.partial().order_key();
    let Some(name) = (month as usize).checked_sub(1).and_then(|m| match lang {
        Lang::Fr => MONTHS_FR.get(m),
        Lang::En => MONTHS_EN.get(m),
    }) else {
        return year.to_string();
    };
    match (day, lang) {
        (0, _) => format!("{name} {year}"),
        (1, Lang::Fr) => format!("1er {name} {year}"),
        (day, _) => format!("{day} {name} {year}"),
    }
}

/// Anything that is a date, as precise as it is known.
pub trait Dated {
    /// The date.
    fn partial(&self) -> PartialDate;
}

impl Dated for PartialDate {
    fn partial(&self) -> PartialDate {
        *self
    }
}

impl Dated for chrono::NaiveDate {
    fn partial(&self) -> PartialDate {
        PartialDate::from_day(*self)
    }
}

/// When an adoption ran: `depuis juillet 2022`, `jusqu'en 2021`, `2019 – mars 2022`.
pub fn period(lang: Lang, started: Option<&PartialDate>, ended: Option<&PartialDate>) -> String {
    match (started, ended) {
        (Some(s), Some(e)) => format!("{} – {}", date(lang, s), date(lang, e)),
        (Some(s), None) => format!("{} {}", lang.t("depuis", "since"), date(lang, s)),
        (None, Some(e)) => {
            let e = date(lang, e);
            let word = match lang {
                Lang::En => "until",
                Lang::Fr if e.starts_with(|c: char| c.is_ascii_digit()) && e.len() == 4 => {
                    "jusqu'en"
                }
                Lang::Fr if e.starts_with(|c: char| c.is_ascii_digit()) => "jusqu'au",
                Lang::Fr => "jusqu'en",
            };
            format!("{word} {e}")
        }
        (None, None) => "—".to_owned(),
    }
}

/// A noun in French and English, singular and plural.
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    /// French singular.
    pub fr: &'static str,
    /// French plural.
    pub fr_plural: &'static str,
    /// English singular.
    pub en: &'static str,
    /// English plural.
    pub en_plural: &'static str,
}

impl Noun {
    /// The word for `n` of them (French: singular for 0 and 1; English: singular for 1).
    pub fn word(self, lang: Lang, n: u64) -> &'static str {
        match lang {
            Lang::Fr if n <= 1 => self.fr,
            Lang::Fr => self.fr_plural,
            Lang::En if n == 1 => self.en,
            Lang::En => self.en_plural,
        }
    }
}

/// Adoptions.
pub const ADOPTION: Noun = Noun {
    fr: "adoption",
    fr_plural: "adoptions",
    en: "adoption",
    en_plural: "adoptions",
};
/// Solutions.
pub const SOLUTION: Noun = Noun {
    fr: "solution",
    fr_plural: "solutions",
    en: "solution",
    en_plural: "solutions",
};
/// Libre solutions.
pub const LIBRE_SOLUTION: Noun = Noun {
    fr: "solution libre",
    fr_plural: "solutions libres",
    en: "libre solution",
    en_plural: "libre solutions",
};
/// Collectivities.
pub const COLLECTIVITY: Noun = Noun {
    fr: "collectivité",
    fr_plural: "collectivités",
    en: "collectivity",
    en_plural: "collectivities",
};
/// Results of a search.
pub const RESULT: Noun = Noun {
    fr: "résultat",
    fr_plural: "résultats",
    en: "result",
    en_plural: "results",
};
/// Facts.
pub const FACT: Noun = Noun {
    fr: "fait",
    fr_plural: "faits",
    en: "fact",
    en_plural: "facts",
};
/// Solutions in use.
pub const RUNNING: Noun = Noun {
    fr: "solution en service recensée",
    fr_plural: "solutions en service recensées",
    en: "solution in use recorded",
    en_plural: "solutions in use recorded",
};
/// Others (solutions).
pub const OTHER: Noun = Noun {
    fr: "autre",
    fr_plural: "autres",
    en: "other",
    en_plural: "others",
};
/// Adoptions without a date.
pub const UNDATED: Noun = Noun {
    fr: "non datée",
    fr_plural: "non datées",
    en: "undated",
    en_plural: "undated",
};
/// Adopters.
pub const ADOPTER: Noun = Noun {
    fr: "adoptant",
    fr_plural: "adoptants",
    en: "adopter",
    en_plural: "adopters",
};

/// A count with its noun: `1 adoption`, `34 969 adoptions`.
pub fn count(lang: Lang, n: u64, noun: Noun) -> String {
    format!("{} {}", number(lang, n as f64, 0), noun.word(lang, n))
}

/// The name of a department by its code: the graph's department node first
/// (`collectivity:fr-departement-38`), else the official list; the code when neither knows it.
pub fn department_name(ix: &Index, code: &str) -> String {
    place_name(ix, "departement", code, super::places::department)
}

/// A department as read: `Isère (38)`.
pub fn department_label(ix: &Index, code: &str) -> String {
    format!("{} ({code})", department_name(ix, code))
}

/// The name of a region by its code: the graph's region node first, else the official list.
pub fn region_name(ix: &Index, code: &str) -> String {
    place_name(ix, "region", code, super::places::region)
}

/// The name of a place by its code: the graph's node (`collectivity:fr-<kind>-<code>`) first,
/// else the `official` list; the code when neither knows it.
fn place_name(
    ix: &Index,
    kind: &str,
    code: &str,
    official: fn(&str) -> Option<&'static str>,
) -> String {
    let id = format!("collectivity:fr-{kind}-{}", code.to_ascii_lowercase());
    ix.collectivity(&id)
        .map(|c| ix.collectivities[c as usize].name.clone())
        .or_else(|| official(code).map(str::to_owned))
        .unwrap_or_else(|| code.to_owned())
}

/// A name without the flag emoji (regional indicator pairs) that many systems draw as boxes.
pub fn without_flags(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !('\u{1F1E6}'..='\u{1F1FF}').contains(c))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Population size classes used by the tables' filter.
pub const SIZES: [(&str, u64, u64); 5] = [
    ("moins-2000", 0, 2_000),
    ("2000-10000", 2_000, 10_000),
    ("10000-50000", 10_000, 50_000),
    ("50000-200000", 50_000, 200_000),
    ("plus-200000", 200_000, u64::MAX),
];

/// A size class, in words.
pub fn size_class(lang: Lang, key: &str) -> &'static str {
    match key {
        "moins-2000" => lang.t("moins de 2 000 habitants", "under 2,000 inhabitants"),
        "2000-10000" => lang.t("2 000 à 10 000 habitants", "2,000 to 10,000 inhabitants"),
        "10000-50000" => lang.t("10 000 à 50 000 habitants", "10,000 to 50,000 inhabitants"),
        "50000-200000" => lang.t(
            "50 000 à 200 000 habitants",
            "50,000 to 200,000 inhabitants",
        ),
        "plus-200000" => lang.t("plus de 200 000 habitants", "over 200,000 inhabitants"),
        _ => lang.t("taille inconnue", "unknown size"),
    }
}

/// The size class of a population.
pub fn size_of(population: Option<u64>) -> Option<&'static str> {
    let p = population?;
    SIZES
        .iter()
        .find(|(_, lo, hi)| p >= *lo && p < *hi)
        .map(|(k, _, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_each_language() {
        assert_eq!(number(Lang::Fr, 22020.0, 0), "22\u{202f}020");
        assert_eq!(number(Lang::En, 1234567.0, 0), "1,234,567");
        assert_eq!(number(Lang::Fr, 1.789, 2), "1,79");
        assert_eq!(number(Lang::En, -0.69, 2), "−0.69");
        assert_eq!(number(Lang::Fr, 80.0, 0), "80");
    }

    #[test]
    fn dates_read_as_in_french() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert_eq!(date(Lang::Fr, &d("2022")), "2022");
        assert_eq!(date(Lang::Fr, &d("2022-07")), "juillet 2022");
        assert_eq!(date(Lang::Fr, &d("2024-03-12")), "12 mars 2024");
        assert_eq!(date(Lang::Fr, &d("2024-03-01")), "1er mars 2024");
        assert_eq!(date(Lang::En, &d("2022-07")), "July 2022");
        assert_eq!(date(Lang::En, &d("2024-03-12")), "12 March 2024");
        assert_eq!(
            period(Lang::Fr, None, Some(&d("2022-07"))),
            "jusqu'en juillet 2022"
        );
        assert_eq!(period(Lang::Fr, None, Some(&d("2022"))), "jusqu'en 2022");
        assert_eq!(
            period(Lang::Fr, None, Some(&d("2022-07-14"))),
            "jusqu'au 14 juillet 2022"
        );
        assert_eq!(
            period(Lang::Fr, Some(&d("2019")), Some(&d("2022-03"))),
            "2019 – mars 2022"
        );
        assert_eq!(period(Lang::Fr, Some(&d("2019")), None), "depuis 2019");
    }

    #[test]
    fn counts_write_their_plural_out() {
        assert_eq!(count(Lang::Fr, 0, ADOPTION), "0 adoption");
        assert_eq!(count(Lang::Fr, 1, LIBRE_SOLUTION), "1 solution libre");
        assert_eq!(count(Lang::Fr, 2, LIBRE_SOLUTION), "2 solutions libres");
        assert_eq!(
            count(Lang::Fr, 34_969, COLLECTIVITY),
            "34\u{202f}969 collectivités"
        );
        assert_eq!(count(Lang::En, 0, ADOPTION), "0 adoptions");
        assert_eq!(count(Lang::En, 1, ADOPTION), "1 adoption");
    }

    #[test]
    fn every_outcome_and_status_has_words_not_codes() {
        for lang in [Lang::Fr, Lang::En] {
            for k in OutcomeKind::ALL {
                let words = outcome_words(lang, *k);
                assert_ne!(words, k.as_str());
                assert!(!outcome(lang, *k).contains(k.as_str()), "{k:?}");
            }
            for s in AdoptionStatus::ALL {
                assert_ne!(adoption_status(lang, *s), s.as_str());
            }
        }
        assert_eq!(outcome_words(Lang::Fr, OutcomeKind::Success), "réussite");
        assert_eq!(
            outcome_words(Lang::Fr, OutcomeKind::VendorShutdown),
            "fermeture de l'éditeur"
        );
        assert_eq!(
            strategy(Lang::Fr, DeploymentStrategy::VolunteerFirst),
            "volontaires d'abord"
        );
        assert_eq!(
            hosting(Lang::Fr, Hosting::SelfHosted),
            "hébergée en interne"
        );
    }

    #[test]
    fn flags_leave_names() {
        assert_eq!(without_flags("\u{1F1EE}\u{1F1F9} ASL Roma 1"), "ASL Roma 1");
        assert_eq!(without_flags("Échirolles"), "Échirolles");
    }

    #[test]
    fn populations_fall_in_size_classes() {
        assert_eq!(size_of(Some(37_491)), Some("10000-50000"));
        assert_eq!(size_of(Some(860)), Some("moins-2000"));
        assert_eq!(size_of(None), None);
        assert_eq!(
            size_class(Lang::Fr, "2000-10000"),
            "2 000 à 10 000 habitants"
        );
    }
}
