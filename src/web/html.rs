//! The pages' common parts: escaping, the language switch, labels of the vocabularies and the
//! layout (skip link, header with navigation and the language switch, main landmark, footer
//! with the datasets' licences). Pages are plain strings built with [`std::fmt::Write`]; every text that comes
//! from data goes through [`esc`].

use std::fmt::Write;

use crate::analysis::Index;
use crate::domain::Source;

/// Escapes text for HTML content and quoted attribute values.
pub use crate::domain::html_escape as esc;

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

    /// A path within the explorer in this language: under `/en` for English.
    pub fn href(self, path: &str) -> String {
        match self {
            Lang::Fr => path.to_owned(),
            Lang::En => format!("/en{path}"),
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

/// A link to the need at index position `n`, labelled in the page's language.
pub fn need_link(lang: Lang, ix: &Index, n: u32) -> String {
    let need = &ix.needs[n as usize];
    node_link(lang, need.id.as_str(), need.label.get(lang.french()))
}

/// A link to the solution at index position `s`, labelled with its name.
pub fn solution_link(lang: Lang, ix: &Index, s: u32) -> String {
    let solution = &ix.solutions[s as usize];
    node_link(lang, solution.id.as_str(), &solution.name)
}

/// A link to the collectivity at index position `c`, labelled with its name.
pub fn collectivity_link(lang: Lang, ix: &Index, c: u32) -> String {
    let collectivity = &ix.collectivities[c as usize];
    node_link(lang, collectivity.id.as_str(), &collectivity.name)
}

/// A list of facts (`<dl class="facts">`): a term and its value (HTML) per item.
pub struct Facts(String);

impl Facts {
    /// An empty list, open for items.
    pub fn open() -> Self {
        Facts(String::from("<dl class=\"facts\">"))
    }

    /// Adds a term and its value (HTML).
    pub fn item(&mut self, term: &str, value: String) {
        let _ = write!(self.0, "<dt>{term}</dt><dd>{value}</dd>");
    }

    /// The list's HTML, closed by a line break.
    pub fn end(mut self) -> String {
        self.0.push_str("</dl>\n");
        self.0
    }
}

/// The start of a section: its heading (HTML) with the `id` that labels the section, then an
/// introduction (HTML) in a paragraph.
pub fn section_start(id: &str, heading: &str, intro: &str) -> String {
    format!("<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>\n<p>{intro}</p>\n")
}

/// The `items` (each `<li>…</li>`) in a `tag` list (`ul` or `ol`), or the sentence `none`
/// when there is none.
pub fn list_or(tag: &str, items: &[String], none: &str) -> String {
    if items.is_empty() {
        format!("<p>{none}</p>")
    } else {
        format!("<{tag}>{}</{tag}>", items.concat())
    }
}

/// A table's header row: one column heading (HTML) per column.
pub fn header_row(columns: &[&str]) -> String {
    let mut out = String::from("<thead><tr>");
    for c in columns {
        let _ = write!(out, "<th scope=\"col\">{c}</th>");
    }
    out.push_str("</tr></thead>");
    out
}

/// The opening of a table: its caption, its header row of `columns`, and `<tbody>`.
pub fn table_start(caption: &str, columns: &[&str]) -> String {
    format!(
        "<table><caption>{caption}</caption>{}<tbody>",
        header_row(columns)
    )
}

/// A source's title in the page's language: its title in that language, else its title in the
/// other one (with that language's code, for a `lang` attribute), else its title as stated.
pub fn source_title(lang: Lang, s: &Source) -> (&str, Option<&'static str>) {
    let Some(titles) = &s.titles else {
        return (&s.title, None);
    };
    let (mine, other, other_code) = match lang {
        Lang::Fr => (&titles.fr, &titles.en, "en"),
        Lang::En => (&titles.en, &titles.fr, "fr"),
    };
    match (mine, other) {
        (Some(title), _) => (title, None),
        (None, Some(title)) => (title, Some(other_code)),
        (None, None) => (&s.title, None),
    }
}

/// A link to a source's page, with its title in the page's language (see [`source_title`]).
pub fn source_link(lang: Lang, s: &Source) -> String {
    let (title, title_lang) = source_title(lang, s);
    match (title_lang, node_path(s.id.as_str())) {
        (Some(code), Some(path)) => format!(
            "<a href=\"{}\" lang=\"{code}\">{}</a>",
            esc(&lang.href(&path)),
            esc(title)
        ),
        _ => node_link(lang, s.id.as_str(), title),
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
        out.push_str(&source_link(lang, s));
    }
    out.push_str("</span>");
    out
}

/// A page ready for the layout.
pub struct Page {
    /// The page's path in French, without the language prefix (for the language switch).
    pub path: String,
    /// Its title (also its only h1).
    pub title: String,
    /// One sentence saying what it holds (the meta description).
    pub description: String,
    /// Its main content, HTML.
    pub body: String,
}

/// The whole document: head, skip link, header, main, and a footer crediting the sources the
/// page cites (found from its links to source pages).
pub fn layout(lang: Lang, page: &Page, ix: Option<&Index>) -> String {
    let mut out = String::with_capacity(page.body.len() + 4096);
    let other = match lang {
        Lang::Fr => Lang::En.href(&page.path),
        Lang::En => page.path.clone(),
    };
    let _ = writeln!(
        out,
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — retex</title>\n<meta name=\"description\" content=\"{description}\">\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n\
         <link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">\n\
         </head>\n<body>\n<a class=\"skip\" href=\"#contenu\">{skip}</a>\n\
         <header class=\"site\">\n<p class=\"brand\"><a href=\"{home}\">retex</a> <span>{tagline}</span></p>\n\
         <nav aria-label=\"{navlabel}\"><ul>\
         <li><a href=\"{home}\">{search}</a></li>\
         <li><a href=\"{sources}\">{sources_label}</a></li>\
         <li><a href=\"/graphiql\">GraphiQL</a></li>\
         <li><a href=\"{other}\" lang=\"{other_code}\" hreflang=\"{other_code}\">{other_name}</a></li>\
         </ul></nav>\n</header>\n<main id=\"contenu\" tabindex=\"-1\">\n<h1>{title}</h1>\n{body}\n</main>",
        code = lang.code(),
        title = esc(&page.title),
        description = esc(&page.description),
        css = super::assets::stylesheet_path(),
        icon = super::assets::icon_path(),
        skip = lang.t("Aller au contenu", "Skip to content"),
        home = esc(&lang.href("/")),
        tagline = lang.t(
            "retours d'expérience du secteur public sur les logiciels",
            "public-sector experience with software"
        ),
        navlabel = lang.t("Navigation principale", "Main navigation"),
        search = lang.t("Accueil et recherche", "Home and search"),
        sources = esc(&lang.href("/sources/")),
        sources_label = lang.t("Sources", "Sources"),
        other = esc(&other),
        other_code = lang.t("en", "fr"),
        other_name = lang.t("English", "Français"),
        body = page.body,
    );
    let cited = ix.map(|ix| cited_on(ix, &page.body)).unwrap_or_default();
    out.push_str(&footer(lang, &cited));
    out.push_str("</body>\n</html>\n");
    out
}

/// The sources a page's body links to, in the index's order.
fn cited_on<'a>(ix: &'a Index, body: &str) -> Vec<&'a Source> {
    let mut found: Vec<u32> = body
        .match_indices("/sources/")
        .filter_map(|(i, _)| {
            let rest = &body[i + "/sources/".len()..];
            let slug: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            (!slug.is_empty())
                .then(|| ix.find(&format!("source:{slug}")))
                .flatten()
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found.iter().map(|&i| &ix.sources[i as usize]).collect()
}

fn footer(lang: Lang, sources: &[&Source]) -> String {
    let mut out = format!(
        "<footer class=\"site\">\n<h2>{}</h2>\n",
        lang.t(
            "Sources de cette page et licences",
            "This page's sources and licences"
        )
    );
    if sources.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            lang.t(
                "Cette page ne cite aucune source.",
                "This page cites no source."
            )
        );
    } else {
        out.push_str("<ul>");
    }
    for s in sources {
        let licence = match &s.licence {
            Some(l) => format!("{} {}", lang.t("licence", "licence"), esc(l.as_str())),
            None => lang
                .t(
                    "faits repris dans nos propres mots",
                    "facts restated in our own words",
                )
                .to_owned(),
        };
        let _ = write!(
            out,
            "<li>{} — {licence}{}</li>",
            source_link(lang, s),
            s.publisher
                .as_deref()
                .map(|p| format!(", {}", esc(p)))
                .unwrap_or_default()
        );
    }
    if !sources.is_empty() {
        out.push_str("</ul>");
    }
    let _ = writeln!(
        out,
        "\n<p>{} <a href=\"{}\">{}</a>. {} <a href=\"/data/\">{}</a>. {}</p>\n</footer>",
        lang.t(
            "Chaque fait cite sa source ;",
            "Every fact cites its source;"
        ),
        esc(&lang.href("/sources/")),
        lang.t(
            "toutes les sources et leurs licences",
            "all sources and their licences"
        ),
        lang.t(
            "Le graphe entier est téléchargeable en données ouvertes :",
            "The whole graph can be downloaded as open data:"
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
    fn paths_keep_the_language() {
        assert_eq!(Lang::Fr.href("/solutions/x"), "/solutions/x");
        assert_eq!(Lang::En.href("/solutions/x"), "/en/solutions/x");
        assert_eq!(Lang::En.href("/?q=visio"), "/en/?q=visio");
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
