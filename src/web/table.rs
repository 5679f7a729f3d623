//! One table model for HTML and CSV: the page and the download show the same rows. Tables
//! scroll inside their own labelled region; a sortable column's header is a link; a table
//! cut into pages says which rows it shows and links to the others and to all of them.

use std::fmt::Write;

use super::html::{esc, Lang};
use super::{Csv, Ctx};

/// A column: its sort key (when sortable) and its heading.
pub struct Column {
    /// The `tri` key sorting by it, if any.
    pub sort: Option<&'static str>,
    /// The heading.
    pub label: String,
}

impl Column {
    /// Columns that do not sort, headed by these French and English words.
    pub fn unsorted(lang: Lang, labels: &[(&str, &str)]) -> Vec<Column> {
        labels
            .iter()
            .map(|(fr, en)| Column {
                sort: None,
                label: lang.t(fr, en).to_owned(),
            })
            .collect()
    }
}

/// A cell: HTML for the page, text for the CSV.
pub struct Cell {
    /// The cell's HTML.
    pub html: String,
    /// The cell's text.
    pub text: String,
}

impl Cell {
    /// A cell whose HTML and text are the same text (escaped for HTML).
    pub fn text(text: impl Into<String>) -> Self {
        let text = text.into();
        Cell {
            html: esc(&text),
            text,
        }
    }

    /// A cell with its own HTML.
    pub fn html(html: String, text: impl Into<String>) -> Self {
        Cell {
            html,
            text: text.into(),
        }
    }
}

/// A table ready to render.
pub struct Table {
    /// Its id on the page (and `tableau` of its CSV).
    pub id: &'static str,
    /// Its caption.
    pub caption: String,
    /// Its columns; the first cell of a row is its header.
    pub columns: Vec<Column>,
    /// The rows shown.
    pub rows: Vec<Vec<Cell>>,
}

/// Where a table sits: its page's path and the rows around the ones shown.
pub struct Place<'a> {
    /// The page's path (French, without the language prefix).
    pub base: &'a str,
    /// How many rows the table has after filtering, on all its pages.
    pub total: usize,
    /// The first row shown (0-based) in that total.
    pub first: usize,
}

/// A CSV field, quoted when needed.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

impl Table {
    /// The table as CSV: a header line, then one line per row shown.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        let head: Vec<String> = self.columns.iter().map(|c| csv_field(&c.label)).collect();
        out.push_str(&head.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let line: Vec<String> = row.iter().map(|c| csv_field(&c.text)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The table as HTML in its scrolling region, with sort links, the rows shown, links to
    /// other pages and the CSV download; keeps the CSV when the request asks for it.
    pub fn render(&self, ctx: &Ctx<'_>, place: &Place<'_>) -> String {
        if ctx.wants_csv(self.id) {
            let slug = place.base.trim_matches('/').replace(['/', ':'], "-");
            ctx.keep_csv(Csv {
                filename: format!("retex-{slug}-{}.csv", self.id),
                body: self.csv(),
            });
        }
        let lang = ctx.lang;
        let mut out = format!(
            "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"{id}-legende\" tabindex=\"0\">\n<table id=\"{id}\">\n<caption id=\"{id}-legende\">{caption}</caption>\n<thead><tr>",
            id = self.id,
            caption = esc(&self.caption),
        );
        for c in &self.columns {
            out.push_str(&header_cell(ctx, place.base, c));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                if i == 0 {
                    let _ = write!(out, "<th scope=\"row\">{}</th>", cell.html);
                } else {
                    let _ = write!(out, "<td>{}</td>", cell.html);
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
        out.push_str(&pager(ctx, place, self.rows.len()));
        let _ = writeln!(
            out,
            "<p class=\"download\"><a href=\"{}\" download>{}</a></p>",
            esc(&link(
                ctx,
                place.base,
                &[("format", Some("csv")), ("tableau", Some(self.id))]
            )),
            lang.t(
                "Télécharger ce tableau (CSV, mêmes lignes)",
                "Download this table (CSV, same rows)"
            )
        );
        out
    }
}

fn header_cell(ctx: &Ctx<'_>, base: &str, c: &Column) -> String {
    let Some(key) = c.sort else {
        return format!("<th scope=\"col\">{}</th>", esc(&c.label));
    };
    let current = ctx.filters.sort.filter(|(k, _)| *k == key);
    let (aria, next) = match current {
        Some((_, false)) => (" aria-sort=\"ascending\"", "desc"),
        Some((_, true)) => (" aria-sort=\"descending\"", "asc"),
        None => ("", "asc"),
    };
    let href = link(
        ctx,
        base,
        &[("tri", Some(key)), ("ordre", Some(next)), ("page", None)],
    );
    format!(
        "<th scope=\"col\"{aria}><a href=\"{}\">{}<span class=\"visually-hidden\"> ({})</span></a></th>",
        esc(&href),
        esc(&c.label),
        ctx.lang.t("trier", "sort")
    )
}

/// "Lignes 51 à 100 sur 312", links to the previous and next pages and to all rows.
fn pager(ctx: &Ctx<'_>, place: &Place<'_>, shown: usize) -> String {
    let lang = ctx.lang;
    if place.total <= shown {
        return String::new();
    }
    let n = |v: usize| super::labels::number(lang, v as f64, 0);
    let mut out = format!(
        "<nav class=\"pager\" aria-label=\"{}\"><p>{} {} {} {} {} {}.",
        lang.t("Pages du tableau", "Table pages"),
        lang.t("Lignes", "Rows"),
        n(place.first + 1),
        lang.t("à", "to"),
        n(place.first + shown),
        lang.t("sur", "of"),
        n(place.total)
    );
    let page = ctx.filters.page;
    if !ctx.filters.all && page > 1 {
        let prev = (page - 1).to_string();
        let _ = write!(
            out,
            " <a href=\"{}\" rel=\"prev\">{}</a>",
            esc(&link(ctx, place.base, &[("page", Some(&prev))])),
            lang.t("Page précédente", "Previous page")
        );
    }
    if !ctx.filters.all && place.first + shown < place.total {
        let next = (page + 1).to_string();
        let _ = write!(
            out,
            " <a href=\"{}\" rel=\"next\">{}</a>",
            esc(&link(ctx, place.base, &[("page", Some(&next))])),
            lang.t("Page suivante", "Next page")
        );
    }
    if !ctx.filters.all {
        let _ = write!(
            out,
            " <a href=\"{}\">{} ({})</a>",
            esc(&link(
                ctx,
                place.base,
                &[("tout", Some("1")), ("page", None)]
            )),
            lang.t("Voir tout", "Show all"),
            n(place.total.min(super::filters::MAX_ALL_ROWS))
        );
    } else if place.total > shown {
        let _ = write!(
            out,
            " {}",
            lang.t(
                "Au-delà, filtrez ou parcourez les pages.",
                "Beyond that, filter or browse the pages."
            )
        );
    }
    out.push_str("</p></nav>\n");
    out
}

/// The parameters that shape the tables of a page, kept from one link to the next.
const KEPT: [&str; 10] = [
    "pour",
    "departement",
    "taille",
    "statut",
    "licence",
    "tri",
    "ordre",
    "page",
    "tout",
    "q",
];

/// A link to `base` in the page's language with the current table parameters, changed by
/// `set` (a `None` value drops the parameter).
pub fn link(ctx: &Ctx<'_>, base: &str, set: &[(&str, Option<&str>)]) -> String {
    let p = ctx.params;
    let current = [
        p.pour.as_deref(),
        p.departement.as_deref(),
        p.taille.as_deref(),
        p.statut.as_deref(),
        p.licence.as_deref(),
        p.tri.as_deref(),
        p.ordre.as_deref(),
        p.page.as_deref(),
        p.tout.as_deref(),
        p.q.as_deref(),
    ];
    let mut pairs: Vec<(String, String)> = KEPT
        .iter()
        .zip(current)
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| (k.to_string(), v.to_owned()))
        })
        .filter(|(k, _)| !set.iter().any(|(s, _)| s == k))
        .collect();
    for (k, v) in set {
        if let Some(v) = v {
            pairs.push((k.to_string(), v.to_string()));
        }
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", super::html::query_value(v)))
        .collect();
    let path = if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", query.join("&"))
    };
    ctx.lang.href(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        let t = Table {
            id: "t",
            caption: "c".into(),
            columns: vec![
                Column {
                    sort: None,
                    label: "Collectivité".into(),
                },
                Column {
                    sort: None,
                    label: "Résultats".into(),
                },
            ],
            rows: vec![vec![
                Cell::text("Saint-Martin-d'Hères"),
                Cell::text("réussite, 2022 \"test\""),
            ]],
        };
        assert_eq!(
            t.csv(),
            "Collectivité,Résultats\r\nSaint-Martin-d'Hères,\"réussite, 2022 \"\"test\"\"\"\r\n"
        );
    }
}
