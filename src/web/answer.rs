//! The answer for a need and my collectivity, on one page: what I already run for it, what my
//! closest peers use and how it went (a table, downloadable), the replacements the sources
//! declare between the solutions of this need, and what the selection procedure advises.

use std::fmt::Write;

use super::html::{esc, list_or, node_link, solution_link, source_links};
use super::labels::{
    adoption_status, alternative_kind, confidence, count, number, period, without_flags, ADOPTION,
    COLLECTIVITY,
};
use super::table::{Cell, Column, Place, Table};
use super::Ctx;
use crate::analysis::evidence::cached_peers;
use crate::domain::SolutionKind;
use crate::store::StoreResult;

/// The answer sections for need `n` (index) and my collectivity `asker`, on the page `base`.
pub async fn sections(
    ctx: &Ctx<'_>,
    n: u32,
    asker: u32,
    needs: &[u32],
    base: &str,
) -> StoreResult<String> {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let name = without_flags(&ix.collectivities[asker as usize].name);
    let mut out = format!(
        "<section class=\"answer\" aria-labelledby=\"reponse\">\n<h2 id=\"reponse\">{} {}</h2>\n",
        lang.t("La réponse pour", "The answer for"),
        esc(&name)
    );
    out.push_str(&already_runs(ctx, asker, needs));
    out.push_str(&peers_table(ctx, asker, needs, base).await?);
    out.push_str(&replacements(ctx, needs).await?);
    out.push_str(&super::need::steps(ctx, asker, n));
    out.push_str("</section>\n");
    Ok(out)
}

/// Whether adoption `a` serves one of `needs` (sorted).
fn serves(ctx: &Ctx<'_>, a: u32, needs: &[u32]) -> bool {
    needs
        .binary_search(&ctx.ix.adoptions[a as usize].need)
        .is_ok()
}

fn already_runs(ctx: &Ctx<'_>, asker: u32, needs: &[u32]) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let own: Vec<String> = ix
        .adoptions_of_collectivity
        .get(asker)
        .iter()
        .filter(|&&a| serves(ctx, a, needs))
        .map(|&a| {
            let adoption = &ix.adoptions[a as usize];
            format!(
                "{} ({}, {})",
                solution_link(lang, ix, adoption.solution),
                adoption_status(lang, adoption.status),
                esc(&period(
                    lang,
                    adoption.started.as_ref(),
                    adoption.ended.as_ref()
                ))
            )
        })
        .collect();
    let text = if own.is_empty() {
        lang.t(
            "aucune adoption connue de retex pour ce besoin.",
            "no adoption known to retex for this need.",
        )
        .to_owned()
    } else {
        own.join(", ")
    };
    format!(
        "<h3>{}</h3>\n<p>{text}</p>\n",
        lang.t("Ce que vous utilisez déjà", "What you already run")
    )
}

/// My closest peers' adoptions for the need: who, how close, what, since when, how it went.
async fn peers_table(ctx: &Ctx<'_>, asker: u32, needs: &[u32], base: &str) -> StoreResult<String> {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let peers = cached_peers(ix, asker);
    let mut rows: Vec<(u32, f64)> = Vec::new();
    for p in peers.iter() {
        for &a in ix.adoptions_of_collectivity.get(p.peer) {
            if serves(ctx, a, needs) {
                rows.push((a, p.total));
            }
        }
    }
    let with_adoption = {
        let mut c: Vec<u32> = rows
            .iter()
            .map(|(a, _)| ix.adoptions[*a as usize].collectivity)
            .collect();
        c.dedup();
        c.len()
    };
    let mut out = format!(
        "<h3>{}</h3>\n<p>{} {} {} : {}.</p>\n",
        lang.t("Ce qu'utilisent vos pairs", "What your peers use"),
        lang.t("Parmi vos", "Among your"),
        number(lang, peers.len() as f64, 0),
        lang.t(
            "pairs les plus proches (même nature, population, géographie, solutions en commun), avec une adoption connue pour ce besoin",
            "closest peers (same kind, population, geography, shared solutions), with a known adoption for this need"
        ),
        count(lang, with_adoption as u64, COLLECTIVITY)
    );
    if rows.is_empty() {
        return Ok(out);
    }
    let adoptions: Vec<u32> = rows.iter().map(|(a, _)| *a).collect();
    let outcomes = ctx.outcomes(&adoptions).await?;
    let columns = Column::unsorted(
        lang,
        &[
            ("Pair", "Peer"),
            ("Similarité", "Similarity"),
            ("Solution", "Solution"),
            ("Statut", "Status"),
            ("Période", "Period"),
            ("Résultats", "Outcomes"),
            ("Sources", "Sources"),
        ],
    );
    let table_rows = rows
        .iter()
        .map(|&(a, similarity)| {
            let adoption = &ix.adoptions[a as usize];
            let c = &ix.collectivities[adoption.collectivity as usize];
            let s = &ix.solutions[adoption.solution as usize];
            let name = without_flags(&c.name);
            let mut cells = vec![
                Cell::html(node_link(lang, c.id.as_str(), &name), name),
                Cell::text(number(lang, similarity, 2)),
                Cell::html(node_link(lang, s.id.as_str(), &s.name), s.name.clone()),
                Cell::text(adoption_status(lang, adoption.status)),
                Cell::text(period(
                    lang,
                    adoption.started.as_ref(),
                    adoption.ended.as_ref(),
                )),
            ];
            cells.extend(super::tables::outcome_and_source_cells(ctx, a, &outcomes));
            cells
        })
        .collect::<Vec<_>>();
    let table = Table {
        id: "pairs",
        caption: format!(
            "{} ({})",
            lang.t(
                "Adoptions de vos pairs pour ce besoin, du plus proche au moins proche",
                "Your peers' adoptions for this need, closest first"
            ),
            count(lang, table_rows.len() as u64, ADOPTION)
        ),
        columns,
        rows: table_rows,
    };
    let total = table.rows.len();
    out.push_str(&table.render(
        ctx,
        &Place {
            base,
            total,
            first: 0,
        },
    ));
    Ok(out)
}

/// The replacements the sources declare between this need's solutions (proprietary → libre).
async fn replacements(ctx: &Ctx<'_>, needs: &[u32]) -> StoreResult<String> {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let mut solutions: Vec<u32> = needs
        .iter()
        .flat_map(|&n| ix.solutions_of_need.get(n).iter().copied())
        .filter(|&s| ix.solutions[s as usize].kind == SolutionKind::Proprietary)
        .collect();
    solutions.sort_unstable();
    solutions.dedup();
    let mut items = Vec::new();
    for from in solutions {
        let s = &ix.solutions[from as usize];
        for link in &ix.replaced_by[from as usize] {
            let other = &ix.solutions[link.other as usize];
            let sources = ctx.cited(link.id.as_str()).await?;
            items.push(format!(
                "<li>{} ({}) → {} ({}) {}</li>",
                node_link(lang, s.id.as_str(), &s.name),
                alternative_kind(lang, link.kind),
                node_link(lang, other.id.as_str(), &other.name),
                confidence(lang, link.confidence),
                source_links(lang, &sources)
            ));
        }
    }
    let mut out = format!(
        "<h3>{}</h3>\n",
        lang.t("Remplacements déclarés", "Declared replacements")
    );
    let none = lang.t(
        "Aucune source ne déclare de remplacement entre les solutions de ce besoin.",
        "No source declares a replacement between this need's solutions.",
    );
    let _ = writeln!(out, "{}", list_or("ul", &items, none));
    Ok(out)
}
