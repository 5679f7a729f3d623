//! Tables and lists shared by several pages: adoptions with their outcomes and sources.

use std::collections::HashMap;
use std::fmt::Write;

use super::html::{adoption_status, esc, node_link, outcome, source_links};
use super::Ctx;
use crate::domain::Outcome;

/// Which columns an adoption table shows besides status, dates, outcomes and sources.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    /// The adopter.
    pub collectivity: bool,
    /// The solution adopted.
    pub solution: bool,
    /// The need it serves.
    pub need: bool,
}

/// Most rows in one table.
pub const MAX_ROWS: usize = 100;

/// The adoptions table of a page, with their outcomes loaded, or a sentence saying there is
/// none.
pub async fn adoptions_or_none(
    ctx: &Ctx<'_>,
    caption: &str,
    rows: &[u32],
    cols: Columns,
) -> crate::store::StoreResult<String> {
    if rows.is_empty() {
        return Ok(format!(
            "<p>{}</p>",
            ctx.lang.t("Aucune adoption connue.", "No known adoption.")
        ));
    }
    let outcomes = ctx.outcomes(rows).await?;
    Ok(adoptions(ctx, caption, rows, &outcomes, cols))
}

/// A table of adoptions (index positions), with a caption.
pub fn adoptions(
    ctx: &Ctx<'_>,
    caption: &str,
    rows: &[u32],
    outcomes: &HashMap<String, Outcome>,
    cols: Columns,
) -> String {
    let lang = ctx.lang;
    let mut out = format!("<table>\n<caption>{}</caption>\n<thead><tr>", esc(caption));
    let mut head = |label: &str| {
        let _ = write!(out, "<th scope=\"col\">{label}</th>");
    };
    if cols.collectivity {
        head(lang.t("Collectivité", "Collectivity"));
    }
    if cols.solution {
        head(lang.t("Solution", "Solution"));
    }
    if cols.need {
        head(lang.t("Besoin", "Need"));
    }
    head(lang.t("Statut", "Status"));
    head(lang.t("Période", "Period"));
    head(lang.t("Résultats", "Outcomes"));
    head(lang.t("Sources", "Sources"));
    out.push_str("</tr></thead>\n<tbody>\n");
    for &a in rows.iter().take(MAX_ROWS) {
        out.push_str(&row(ctx, a, outcomes, cols));
    }
    out.push_str("</tbody>\n</table>\n");
    if rows.len() > MAX_ROWS {
        let _ = write!(
            out,
            "<p>{} {MAX_ROWS} / {}.</p>",
            lang.t("Affichées :", "Shown:"),
            rows.len()
        );
    }
    out
}

fn row(ctx: &Ctx<'_>, a: u32, outcomes: &HashMap<String, Outcome>, cols: Columns) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let adoption = &ix.adoptions[a as usize];
    let mut out = String::from("<tr>");
    if cols.collectivity {
        let c = &ix.collectivities[adoption.collectivity as usize];
        let _ = write!(
            out,
            "<th scope=\"row\">{}</th>",
            node_link(lang, c.id.as_str(), &c.name)
        );
    }
    let cell = if cols.collectivity {
        "td"
    } else {
        "th scope=\"row\""
    };
    let close = if cols.collectivity { "td" } else { "th" };
    if cols.solution {
        let s = &ix.solutions[adoption.solution as usize];
        let _ = write!(
            out,
            "<{cell}>{}</{close}>",
            node_link(lang, s.id.as_str(), &s.name)
        );
    }
    if cols.need {
        let n = &ix.needs[adoption.need as usize];
        let _ = write!(
            out,
            "<td>{}</td>",
            node_link(lang, n.id.as_str(), n.label.get(lang.french()))
        );
    }
    let period = match (&adoption.started, &adoption.ended) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => format!("{} {s}", lang.t("depuis", "since")),
        (None, Some(e)) => format!("{} {e}", lang.t("jusqu'en", "until")),
        (None, None) => "—".to_owned(),
    };
    let _ = writeln!(
        out,
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        adoption_status(lang, adoption.status),
        esc(&period),
        outcome_list(ctx, a, outcomes),
        source_links(lang, &ctx.sources(ix.adoption_sources.get(a)))
    );
    out
}

/// The outcomes of one adoption as a list: kind, date, summary and sources.
pub fn outcome_list(ctx: &Ctx<'_>, a: u32, outcomes: &HashMap<String, Outcome>) -> String {
    let ix = &ctx.ix;
    let lang = ctx.lang;
    let ids = ix.outcomes_of.get(a);
    if ids.is_empty() {
        return "—".to_owned();
    }
    let mut out = String::from("<ul class=\"outcomes\">");
    for &o in ids {
        let io = &ix.outcomes[o as usize];
        let summary = outcomes
            .get(io.id.as_str())
            .map(|full| full.summary.get(lang.french()).to_owned())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li>{}{} {} {}</li>",
            outcome(lang, io.kind),
            io.date
                .as_ref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default(),
            esc(&summary),
            source_links(lang, &ctx.sources(ix.outcome_sources.get(o)))
        );
    }
    out.push_str("</ul>");
    out
}

/// Most collectivities offered in a choice list.
const MAX_CHOICES: usize = 500;

/// A form choosing "my collectivity" (`pour`) among those with adoptions, submitted to
/// `action`; and the collectivity chosen, if any.
pub fn collectivity_form(ctx: &Ctx<'_>, action: &str, button: &str) -> (String, Option<u32>) {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let chosen = ctx
        .params
        .pour
        .as_deref()
        .and_then(|p| ix.collectivity(&super::full_id("collectivity", p)));
    let mut out = format!(
        "<form method=\"get\" action=\"{}\">\n<label for=\"pour\">{}</label>\n<select id=\"pour\" name=\"pour\">",
        esc(action),
        lang.t("Ma collectivité", "My collectivity"),
    );
    let mut options: Vec<u32> = (0..ix.collectivities.len() as u32)
        .filter(|&c| !ix.adoptions_of_collectivity.get(c).is_empty())
        .take(MAX_CHOICES)
        .collect();
    if let Some(c) = chosen.filter(|c| !options.contains(c)) {
        options.insert(0, c);
    }
    for c in options {
        let col = &ix.collectivities[c as usize];
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            esc(col.id.slug()),
            if Some(c) == chosen { " selected" } else { "" },
            esc(&col.name)
        );
    }
    out.push_str("</select>\n");
    if !lang.french() {
        out.push_str("<input type=\"hidden\" name=\"lang\" value=\"en\">");
    }
    let _ = writeln!(out, "<button type=\"submit\">{button}</button>\n</form>");
    (out, chosen)
}
