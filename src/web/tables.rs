//! Tables and lists shared by several pages: adoptions with their outcomes and sources.

use std::collections::HashMap;
use std::fmt::Write;

use super::html::{esc, node_link, source_links};
use super::labels::{
    adoption_status, date, department_label, outcome, outcome_words, period, size_class,
    without_flags, SIZES,
};
use super::table::{link, Cell, Column, Place, Table};
use super::Ctx;
use crate::domain::{AdoptionStatus, Outcome};

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

/// An adoption table's place on its page.
pub struct Spec<'a> {
    /// Its id (and `tableau` of its CSV).
    pub id: &'static str,
    /// Its caption.
    pub caption: &'a str,
    /// Its page's path (French).
    pub base: &'a str,
    /// Its columns.
    pub cols: Columns,
}

/// The adoptions table of a page, filtered, sorted and cut into pages as the request asks,
/// with its filter form, or a sentence saying there is none.
pub async fn adoptions_or_none(
    ctx: &Ctx<'_>,
    spec: Spec<'_>,
    rows: &[u32],
) -> crate::store::StoreResult<String> {
    let lang = ctx.lang;
    if rows.is_empty() {
        return Ok(format!(
            "<p>{}</p>",
            lang.t("Aucune adoption connue.", "No known adoption.")
        ));
    }
    let ix = &ctx.ix;
    let mut out = if rows.len() > 1 {
        filter_form(ctx, &spec, rows)
    } else {
        String::new()
    };
    let mut kept: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&a| ctx.filters.keeps(ix, a))
        .collect();
    if kept.is_empty() {
        let _ = write!(
            out,
            "<p role=\"status\">{}</p>",
            lang.t(
                "Aucune adoption ne correspond à ces filtres.",
                "No adoption matches these filters."
            )
        );
        return Ok(out);
    }
    if let Some((key, desc)) = ctx.filters.sort {
        super::filters::sort_adoptions(ix, &mut kept, key, desc, lang.french());
    }
    let window = ctx.filters.window(kept.len());
    let first = window.start;
    let shown = &kept[window];
    if shown.is_empty() {
        let _ = write!(
            out,
            "<p role=\"status\">{} <a href=\"{}\">{}</a></p>",
            lang.t(
                "Le tableau n'a pas autant de pages.",
                "The table has fewer pages."
            ),
            esc(&link(ctx, spec.base, &[("page", None)])),
            lang.t("Première page", "First page")
        );
        return Ok(out);
    }
    let outcomes = ctx.outcomes(shown).await?;
    let table = adoption_table(ctx, &spec, shown, &outcomes);
    out.push_str(&table.render(
        ctx,
        &Place {
            base: spec.base,
            total: kept.len(),
            first,
        },
    ));
    Ok(out)
}

/// The form narrowing an adoption table: department, size, status, libre or proprietary.
fn filter_form(ctx: &Ctx<'_>, spec: &Spec<'_>, rows: &[u32]) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let f = &ctx.filters;
    let departments: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter_map(|&a| {
            ix.collectivities[ix.adoptions[a as usize].collectivity as usize]
                .department
                .as_deref()
        })
        .collect();
    let id = spec.id;
    let mut out = format!(
        "<form class=\"filters\" method=\"get\" action=\"{}\" aria-label=\"{}\">",
        esc(&lang.href(spec.base)),
        lang.t("Filtrer le tableau", "Filter the table")
    );
    let select = |out: &mut String,
                  name: &str,
                  label: &str,
                  options: Vec<(String, String)>,
                  chosen: Option<String>| {
        let _ = write!(
            out,
            "<p><label for=\"{id}-{name}\">{label}</label> <select id=\"{id}-{name}\" name=\"{name}\"><option value=\"\">{}</option>",
            lang.t("tous", "all")
        );
        for (value, text) in options {
            let selected = if chosen.as_deref() == Some(value.as_str()) {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<option value=\"{}\"{selected}>{}</option>",
                esc(&value),
                esc(&text)
            );
        }
        out.push_str("</select></p>");
    };
    if spec.cols.collectivity && !departments.is_empty() {
        let options = departments
            .iter()
            .map(|d| (d.to_string(), department_label(ix, d)))
            .collect();
        select(
            &mut out,
            "departement",
            lang.t("Département", "Department"),
            options,
            f.department.clone(),
        );
        let options = SIZES
            .iter()
            .map(|(k, _, _)| (k.to_string(), size_class(lang, k).to_owned()))
            .collect();
        select(
            &mut out,
            "taille",
            lang.t("Taille", "Size"),
            options,
            f.size.map(str::to_owned),
        );
    }
    let options = AdoptionStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_ascii_lowercase(),
                adoption_status(lang, *s).to_owned(),
            )
        })
        .collect();
    select(
        &mut out,
        "statut",
        lang.t("Statut", "Status"),
        options,
        f.status.map(|s| s.as_str().to_ascii_lowercase()),
    );
    if spec.cols.solution {
        let options = vec![
            (
                "libre".to_owned(),
                lang.t("libres et internes", "libre and in-house")
                    .to_owned(),
            ),
            (
                "proprietaire".to_owned(),
                lang.t("propriétaires", "proprietary").to_owned(),
            ),
        ];
        let chosen = f.licence.map(|l| match l {
            super::filters::Licence::Libre => "libre".to_owned(),
            super::filters::Licence::Proprietary => "proprietaire".to_owned(),
        });
        select(
            &mut out,
            "licence",
            lang.t("Solutions", "Solutions"),
            options,
            chosen,
        );
    }
    for (name, value) in [("tri", &ctx.params.tri), ("ordre", &ctx.params.ordre)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            let _ = write!(
                out,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                esc(v)
            );
        }
    }
    let _ = write!(
        out,
        "<p><button type=\"submit\">{}</button>",
        lang.t("Filtrer", "Filter")
    );
    if ctx.filters.narrows() {
        let _ = write!(
            out,
            " <a href=\"{}\">{}</a>",
            esc(&link(
                ctx,
                spec.base,
                &[
                    ("departement", None),
                    ("taille", None),
                    ("statut", None),
                    ("licence", None),
                    ("page", None),
                ],
            )),
            lang.t("Effacer les filtres", "Clear the filters")
        );
    }
    out.push_str("</p></form>\n");
    out
}

/// The rows shown of an adoption table, as a table model (HTML and CSV alike).
fn adoption_table(
    ctx: &Ctx<'_>,
    spec: &Spec<'_>,
    rows: &[u32],
    outcomes: &HashMap<String, Outcome>,
) -> Table {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let cols = spec.cols;
    let mut columns = Vec::new();
    let mut col = |sort: Option<&'static str>, fr: &str, en: &str| {
        columns.push(Column {
            sort,
            label: lang.t(fr, en).to_owned(),
        })
    };
    if cols.collectivity {
        col(Some("collectivite"), "Collectivité", "Collectivity");
        col(Some("departement"), "Département", "Department");
    }
    if cols.solution {
        col(Some("solution"), "Solution", "Solution");
    }
    if cols.need {
        col(Some("besoin"), "Besoin", "Need");
    }
    col(Some("statut"), "Statut", "Status");
    col(Some("periode"), "Période", "Period");
    col(None, "Résultats", "Outcomes");
    col(None, "Sources", "Sources");
    let rows = rows
        .iter()
        .map(|&a| {
            let adoption = &ix.adoptions[a as usize];
            let mut cells = Vec::new();
            if cols.collectivity {
                let c = &ix.collectivities[adoption.collectivity as usize];
                let name = without_flags(&c.name);
                cells.push(Cell::html(node_link(lang, c.id.as_str(), &name), name));
                cells.push(Cell::text(
                    c.department
                        .as_deref()
                        .map(|d| department_label(ix, d))
                        .unwrap_or_else(|| "—".to_owned()),
                ));
            }
            if cols.solution {
                let s = &ix.solutions[adoption.solution as usize];
                cells.push(Cell::html(
                    node_link(lang, s.id.as_str(), &s.name),
                    s.name.clone(),
                ));
            }
            if cols.need {
                let n = &ix.needs[adoption.need as usize];
                let label = n.label.get(lang.french());
                cells.push(Cell::html(node_link(lang, n.id.as_str(), label), label));
            }
            cells.push(Cell::text(adoption_status(lang, adoption.status)));
            cells.push(Cell::text(period(
                lang,
                adoption.started.as_ref(),
                adoption.ended.as_ref(),
            )));
            cells.extend(outcome_and_source_cells(ctx, a, outcomes));
            cells
        })
        .collect();
    Table {
        id: spec.id,
        caption: spec.caption.to_owned(),
        columns,
        rows,
    }
}

/// The outcomes cell and the sources cell of an adoption's row.
pub fn outcome_and_source_cells(
    ctx: &Ctx<'_>,
    a: u32,
    outcomes: &HashMap<String, Outcome>,
) -> [Cell; 2] {
    let sources = ctx.sources(ctx.ix.adoption_sources.get(a));
    [
        Cell::html(
            outcome_list(ctx, a, outcomes),
            outcome_text(ctx, a, outcomes),
        ),
        Cell::html(
            source_links(ctx.lang, &sources),
            sources
                .iter()
                .map(|s| super::html::source_title(ctx.lang, s).0)
                .collect::<Vec<_>>()
                .join(" ; "),
        ),
    ]
}

/// The outcomes of one adoption as text (for the CSV): `réussite, juillet 2022 : résumé`.
fn outcome_text(ctx: &Ctx<'_>, a: u32, outcomes: &HashMap<String, Outcome>) -> String {
    let ix = &ctx.ix;
    let lang = ctx.lang;
    ix.outcomes_of
        .get(a)
        .iter()
        .map(|&o| {
            let io = &ix.outcomes[o as usize];
            let mut text = outcome_words(lang, io.kind).to_owned();
            if let Some(d) = &io.date {
                let _ = write!(text, ", {}", date(lang, d));
            }
            if let Some(full) = outcomes.get(io.id.as_str()) {
                let _ = write!(text, " : {}", full.summary.get(lang.french()));
            }
            text
        })
        .collect::<Vec<_>>()
        .join(" ; ")
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
                .map(|d| format!(", {}", super::labels::date(lang, d)))
                .unwrap_or_default(),
            esc(&summary),
            source_links(lang, &ctx.sources(ix.outcome_sources.get(o)))
        );
    }
    out.push_str("</ul>");
    out
}
