//! The search page: one labelled box; results grouped by needs, solutions and collectivities.
//! Accent- and case-insensitive, by word prefixes, ranked by the index's text search.

use std::fmt::Write;

use super::html::{esc, node_link, solution_link};
use super::labels::{count, solution_kind, ADOPTION, RESULT};
use super::Ctx;
use crate::domain::{search_terms, EntityKind, NodeId};

/// Most results read for one search.
const MAX_HITS: usize = 90;

/// The search box, holding `q`.
pub fn form(ctx: &Ctx<'_>, q: &str) -> String {
    let lang = ctx.lang;
    format!(
        "<form class=\"search\" role=\"search\" action=\"{action}\" method=\"get\">\n\
         <label for=\"q\">{label}</label>\n\
         <input id=\"q\" name=\"q\" type=\"search\" value=\"{q}\" aria-describedby=\"q-aide\">\n\
         <button type=\"submit\">{button}</button>\n\
         <p id=\"q-aide\" class=\"hint\">{hint}</p>\n</form>\n",
        label = lang.t(
            "Rechercher un besoin, une solution ou une collectivité (nom ou code INSEE)",
            "Search for a need, a solution or a collectivity (name or INSEE code)"
        ),
        q = esc(q),
        action = esc(&lang.href("/")),
        button = lang.t("Rechercher", "Search"),
        hint = lang.t(
            "Les accents et les majuscules sont ignorés ; un début de mot suffit (« visio »).",
            "Accents and case are ignored; the start of a word is enough (\"visio\")."
        ),
    )
}

/// The search results for `q`, grouped by needs, solutions and collectivities.
pub fn results(ctx: &Ctx<'_>, q: &str) -> String {
    let lang = ctx.lang;
    let terms = search_terms(q, 8);
    if terms.is_empty() {
        return format!(
            "<p role=\"status\">{}</p>",
            lang.t(
                "Saisissez au moins une lettre ou un chiffre.",
                "Type at least one letter or digit."
            )
        );
    }
    let kinds = vec![
        EntityKind::Need,
        EntityKind::Solution,
        EntityKind::Collectivity,
    ];
    let hits: Vec<(NodeId, &str)> = ctx
        .ix
        .text
        .search(&terms, &kinds, MAX_HITS)
        .iter()
        .map(|found| ctx.ix.found(found))
        .collect();
    let groups = [
        (EntityKind::Need, lang.t("Besoins", "Needs")),
        (EntityKind::Solution, lang.t("Solutions", "Solutions")),
        (
            EntityKind::Collectivity,
            lang.t("Collectivités", "Collectivities"),
        ),
    ];
    let mut out = format!(
        "<p role=\"status\">{}</p>\n",
        count(lang, hits.len() as u64, RESULT)
    );
    for (kind, title) in groups {
        let group: Vec<_> = hits.iter().filter(|(id, _)| id.kind() == kind).collect();
        let _ = writeln!(out, "<section>\n<h2>{title} ({})</h2>", group.len());
        if group.is_empty() {
            let _ = writeln!(
                out,
                "<p>{}</p>\n</section>",
                lang.t("Aucun résultat.", "No result.")
            );
            continue;
        }
        out.push_str("<ul>");
        for (id, hit_label) in group {
            let _ = write!(
                out,
                "<li>{}{}</li>",
                node_link(lang, id.as_str(), &label(ctx, id.as_str(), hit_label)),
                detail(ctx, id.as_str())
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    out
}

/// A hit's label in the page's language (needs have two).
fn label(ctx: &Ctx<'_>, id: &str, fallback: &str) -> String {
    ctx.ix
        .need(id)
        .map(|n| {
            ctx.ix.needs[n as usize]
                .label
                .get(ctx.lang.french())
                .to_owned()
        })
        .unwrap_or_else(|| super::labels::without_flags(fallback))
}

/// Most solutions named under a need found.
const MAX_NEED_SOLUTIONS: usize = 8;

/// A few words after a hit: a need's solutions, a solution's kind, a collectivity's number of
/// adoptions.
fn detail(ctx: &Ctx<'_>, id: &str) -> String {
    let ix = &ctx.ix;
    if let Some(n) = ix.need(id) {
        let mut solutions: Vec<u32> = ix.solutions_of_need.get(n).to_vec();
        solutions.sort_by_key(|&s| std::cmp::Reverse(ix.adoptions_of_solution.get(s).len()));
        let links: Vec<String> = solutions
            .iter()
            .take(MAX_NEED_SOLUTIONS)
            .map(|&s| solution_link(ctx.lang, ix, s))
            .collect();
        if links.is_empty() {
            return String::new();
        }
        return format!(
            " — {} {}",
            ctx.lang.t("solutions :", "solutions:"),
            links.join(", ")
        );
    }
    if let Some(s) = ix.solution(id) {
        let n = ix.adoptions_of_solution.get(s).len();
        let solution = &ix.solutions[s as usize];
        let paths = if solution.kind == crate::domain::SolutionKind::Proprietary {
            format!(
                " — <a href=\"{}\">{}</a>",
                esc(&ctx.lang.href(&format!("/parcours/{}", solution.id.slug()))),
                ctx.lang.t(
                    "parcours d'adoption vers le libre",
                    "adoption paths to libre"
                )
            )
        } else {
            String::new()
        };
        return format!(
            " — {}, {}{paths}",
            solution_kind(ctx.lang, solution.kind),
            count(ctx.lang, n as u64, ADOPTION)
        );
    }
    if let Some(c) = ix.collectivity(id) {
        let n = ix.adoptions_of_collectivity.get(c).len();
        let slug = ix.collectivities[c as usize].id.slug();
        return format!(
            " — {}, {} — <a href=\"{}\">{}</a>",
            esc(&super::picker::describe(ctx.lang, ix, c)),
            count(ctx.lang, n as u64, ADOPTION),
            esc(&ctx.lang.href(&format!("/?pour={slug}"))),
            ctx.lang
                .t("choisir comme ma collectivité", "choose as my collectivity")
        );
    }
    String::new()
}
