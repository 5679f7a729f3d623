//! The pages' common parts: escaping, the language switch, labels of the vocabularies and the
//! layout (skip link, header with navigation and the language switch, main landmark, footer
//! with the datasets' licences). Pages are plain strings built with [`std::fmt::Write`]; every text that comes
//! from data goes through [`esc`].

use std::fmt::Write;

use crate::domain::{
    AdoptionStatus, CollectivityKind, Confidence, ContributionKind, MaintenanceStatus, OutcomeKind,
    PublisherStatus, SolutionKind, Source, SourceKind,
};

/// Escapes text for HTML content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query parameter value.
pub fn query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The language a page is written in: French by default, English with `?lang=en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The language asked for by a `lang` query parameter.
    pub fn from_param(param: Option<&str>) -> Self {
        match param {
            Some("en") => Lang::En,
            _ => Lang::Fr,
        }
    }

    /// Its code, for the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// True for French.
    pub fn french(self) -> bool {
        self == Lang::Fr
    }

    /// The French or the English text.
    pub fn t<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// A path within the explorer in this language: `?lang=en` added for English.
    pub fn href(self, path: &str) -> String {
        match self {
            Lang::Fr => path.to_owned(),
            Lang::En if path.contains('?') => format!("{path}&lang=en"),
            Lang::En => format!("{path}?lang=en"),
        }
    }
}

/// The explorer's path of a node, by id (`solution:x` → `/solutions/x`); `None` for kinds
/// without a page.
pub fn node_path(id: &str) -> Option<String> {
    let (kind, slug) = id.split_once(':')?;
    let base = match kind {
        "need" => "besoins",
        "solution" => "solutions",
        "collectivity" => "collectivites",
        "source" => "sources",
        _ => return None,
    };
    Some(format!("/{base}/{slug}"))
}

/// A link to a node's page, labelled `label`.
pub fn node_link(lang: Lang, id: &str, label: &str) -> String {
    match node_path(id) {
        Some(path) => format!("<a href=\"{}\">{}</a>", esc(&lang.href(&path)), esc(label)),
        None => esc(label),
    }
}

/// Links to the sources of a fact, as a compact list (empty when there is none).
pub fn source_links(lang: Lang, sources: &[&Source]) -> String {
    if sources.is_empty() {
        return String::new();
    }
    let mut out = format!("<span class=\"sources\">{} ", lang.t("Source :", "Source:"));
    for (i, s) in sources.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&node_link(lang, s.id.as_str(), &s.title));
    }
    out.push_str("</span>");
    out
}

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

/// An outcome kind: its code (kept as is, it is what the data says) and words.
pub fn outcome(lang: Lang, kind: OutcomeKind) -> String {
    let words = match kind {
        OutcomeKind::Success => lang.t("réussite", "success"),
        OutcomeKind::Partial => lang.t("réussite partielle", "partial success"),
        OutcomeKind::Rollback => lang.t("retour arrière", "rolled back"),
        OutcomeKind::VendorShutdown => lang.t("fermeture de l'éditeur", "vendor shut down"),
        OutcomeKind::CostSaving => lang.t("économies", "cost saving"),
        OutcomeKind::Other => lang.t("autre", "other"),
    };
    format!(
        "<span class=\"outcome outcome-{}\">{}</span> ({words})",
        kind.as_str().to_ascii_lowercase(),
        kind.as_str()
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

/// A page ready for the layout.
pub struct Page {
    /// The page's path without the language parameter (for the language switch).
    pub path: String,
    /// Its title (also its only h1).
    pub title: String,
    /// Its main content, HTML.
    pub body: String,
}

/// The whole document: head, skip link, header, main, footer.
pub fn layout(lang: Lang, page: &Page, sources: &[Source]) -> String {
    let mut out = String::with_capacity(page.body.len() + 4096);
    let other = match lang {
        Lang::Fr => Lang::En.href(&page.path),
        Lang::En => page.path.clone(),
    };
    let _ = writeln!(
        out,
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — retex</title>\n<link rel=\"stylesheet\" href=\"/assets/explorer.css\">\n\
         </head>\n<body>\n<a class=\"skip\" href=\"#contenu\">{skip}</a>\n\
         <header class=\"site\">\n<p class=\"brand\"><a href=\"{home}\">retex</a> <span>{tagline}</span></p>\n\
         <nav aria-label=\"{navlabel}\"><ul>\
         <li><a href=\"{home}\">{search}</a></li>\
         <li><a href=\"/graphiql\">GraphiQL</a></li>\
         <li><a href=\"{other}\" lang=\"{other_code}\" hreflang=\"{other_code}\">{other_name}</a></li>\
         </ul></nav>\n</header>\n<main id=\"contenu\" tabindex=\"-1\">\n<h1>{title}</h1>\n{body}\n</main>",
        code = lang.code(),
        title = esc(&page.title),
        skip = lang.t("Aller au contenu", "Skip to content"),
        home = esc(&lang.href("/")),
        tagline = lang.t(
            "retours d'expérience du secteur public sur les logiciels",
            "public-sector experience with software"
        ),
        navlabel = lang.t("Navigation principale", "Main navigation"),
        search = lang.t("Recherche", "Search"),
        other = esc(&other),
        other_code = lang.t("en", "fr"),
        other_name = lang.t("English", "Français"),
        body = page.body,
    );
    out.push_str(&footer(lang, sources));
    out.push_str("</body>\n</html>\n");
    out
}

fn footer(lang: Lang, sources: &[Source]) -> String {
    let mut out = format!(
        "<footer class=\"site\">\n<h2>{}</h2>\n<ul>",
        lang.t("Données et licences", "Data and licences")
    );
    for s in sources.iter().filter(|s| s.licence.is_some()) {
        let licence = s.licence.as_ref().map(|l| l.as_str()).unwrap_or_default();
        let _ = write!(
            out,
            "<li>{} — {} {}{}</li>",
            node_link(lang, s.id.as_str(), &s.title),
            lang.t("licence", "licence"),
            esc(licence),
            s.publisher
                .as_deref()
                .map(|p| format!(", {}", esc(p)))
                .unwrap_or_default()
        );
    }
    for s in sources.iter().filter(|s| s.licence.is_none()) {
        let _ = write!(
            out,
            "<li>{} — {}</li>",
            node_link(lang, s.id.as_str(), &s.title),
            lang.t(
                "faits repris dans nos propres mots",
                "facts restated in our own words"
            )
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n<p>{} <a href=\"/data/\">{}</a>. {}</p>\n</footer>",
        lang.t(
            "Chaque fait cite sa source. Le graphe entier est téléchargeable en données ouvertes :",
            "Every fact cites its source. The whole graph can be downloaded as open data:"
        ),
        lang.t("export et manifeste", "export and manifest"),
        lang.t(
            "Code sous licence AGPL-3.0-or-later.",
            "Code licensed AGPL-3.0-or-later."
        )
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">l'été & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;l&#39;été &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn numbers_read_as_in_each_language() {
        assert_eq!(number(Lang::Fr, 22020.0, 0), "22\u{202f}020");
        assert_eq!(number(Lang::En, 1234567.0, 0), "1,234,567");
        assert_eq!(number(Lang::Fr, 1.789, 2), "1,79");
        assert_eq!(number(Lang::En, -0.69, 2), "−0.69");
        assert_eq!(number(Lang::Fr, 80.0, 0), "80");
    }

    #[test]
    fn paths_keep_the_language() {
        assert_eq!(Lang::Fr.href("/solutions/x"), "/solutions/x");
        assert_eq!(Lang::En.href("/solutions/x"), "/solutions/x?lang=en");
        assert_eq!(Lang::En.href("/?q=visio"), "/?q=visio&lang=en");
        assert_eq!(Lang::from_param(Some("de")), Lang::Fr);
    }

    #[test]
    fn nodes_have_stable_paths() {
        assert_eq!(
            node_path("solution:bigbluebutton").as_deref(),
            Some("/solutions/bigbluebutton")
        );
        assert_eq!(
            node_path("collectivity:fr-commune-38169").as_deref(),
            Some("/collectivites/fr-commune-38169")
        );
        assert_eq!(
            node_path("need:video-conferencing").as_deref(),
            Some("/besoins/video-conferencing")
        );
        assert_eq!(node_path("outcome:x"), None);
    }
}
