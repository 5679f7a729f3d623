//! The search page: one labelled box; results grouped by needs, solutions and collectivities.
//! Accent- and case-insensitive, by word prefixes (the store's search).

use std::fmt::Write;

use super::html::{esc, node_link, solution_kind, Page};
use super::Ctx;
use crate::domain::{search_terms, EntityKind};
use crate::store::StoreResult;

/// Most results read for one search.
const MAX_HITS: usize = 90;

/// The search page, with results when `q` is given.
pub async fn page(ctx: &Ctx<'_>) -> StoreResult<Page> {
    let lang = ctx.lang;
    let q = ctx.params.q.as_deref().unwrap_or("").trim();
    let q: String = q.chars().take(200).collect();
    let mut body = form(ctx, &q);
    if !q.is_empty() {
        body.push_str(&results(ctx, &q).await?);
    } else {
        body.push_str(&intro(ctx));
    }
    let path = if q.is_empty() {
        "/".to_owned()
    } else {
        format!("/?q={}", super::html::query_value(&q))
    };
    let title = if q.is_empty() {
        lang.t(
            "Explorer les retours d'expérience",
            "Explore public-sector experience",
        )
        .to_owned()
    } else {
        format!("{} « {} »", lang.t("Résultats pour", "Results for"), q)
    };
    Ok(Page { path, title, body })
}

fn form(ctx: &Ctx<'_>, q: &str) -> String {
    let lang = ctx.lang;
    let hidden = if lang.french() {
        String::new()
    } else {
        "<input type=\"hidden\" name=\"lang\" value=\"en\">".to_owned()
    };
    format!(
        "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">\n\
         <label for=\"q\">{label}</label>\n\
         <input id=\"q\" name=\"q\" type=\"search\" value=\"{q}\" aria-describedby=\"q-aide\">\n{hidden}\
         <button type=\"submit\">{button}</button>\n\
         <p id=\"q-aide\" class=\"hint\">{hint}</p>\n</form>\n",
        label = lang.t(
            "Rechercher un besoin, une solution ou une collectivité",
            "Search for a need, a solution or a collectivity"
        ),
        q = esc(q),
        button = lang.t("Rechercher", "Search"),
        hint = lang.t(
            "Les accents et les majuscules sont ignorés ; un début de mot suffit (« visio »).",
            "Accents and case are ignored; the start of a word is enough (\"visio\")."
        ),
    )
}

fn intro(ctx: &Ctx<'_>) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let mut out = format!(
        "<p>{}</p>\n<h2>{}</h2>\n<ul class=\"columns\">",
        lang.t(
            "Pour un besoin, quelles solutions libres existent, quels produits propriétaires elles remplacent, qui parmi vos pairs les a adoptées, et comment cela s'est passé — chaque fait avec sa source.",
            "For a need, which libre solutions exist, which proprietary products they replace, who among your peers adopted them, and how it went — every fact with its source."
        ),
        lang.t("Collectivités documentées", "Documented collectivities")
    );
    let mut adopters: Vec<u32> = (0..ix.collectivities.len() as u32)
        .filter(|&c| !ix.adoptions_of_collectivity.get(c).is_empty())
        .collect();
    adopters.truncate(60);
    for c in adopters {
        let c = &ix.collectivities[c as usize];
        let _ = write!(out, "<li>{}</li>", node_link(lang, c.id.as_str(), &c.name));
    }
    out.push_str("</ul>\n");
    out
}

async fn results(ctx: &Ctx<'_>, q: &str) -> StoreResult<String> {
    let lang = ctx.lang;
    let terms = search_terms(q, 8);
    if terms.is_empty() {
        return Ok(format!(
            "<p role=\"status\">{}</p>",
            lang.t(
                "Saisissez au moins une lettre ou un chiffre.",
                "Type at least one letter or digit."
            )
        ));
    }
    let kinds = vec![
        EntityKind::Need,
        EntityKind::Solution,
        EntityKind::Collectivity,
    ];
    let hits = ctx.store.search(terms, kinds, MAX_HITS).await?;
    let groups = [
        (EntityKind::Need, lang.t("Besoins", "Needs")),
        (EntityKind::Solution, lang.t("Solutions", "Solutions")),
        (
            EntityKind::Collectivity,
            lang.t("Collectivités", "Collectivities"),
        ),
    ];
    let mut out = format!(
        "<p role=\"status\">{} {}</p>\n",
        hits.len(),
        lang.t("résultat(s)", "result(s)")
    );
    for (kind, title) in groups {
        let group: Vec<_> = hits.iter().filter(|h| h.id.kind() == kind).collect();
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
        for hit in group {
            let _ = write!(
                out,
                "<li>{}{}</li>",
                node_link(
                    lang,
                    hit.id.as_str(),
                    &label(ctx, hit.id.as_str(), &hit.label)
                ),
                detail(ctx, hit.id.as_str())
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    Ok(out)
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
        .unwrap_or_else(|| fallback.to_owned())
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
            .map(|&s| {
                let s = &ix.solutions[s as usize];
                node_link(ctx.lang, s.id.as_str(), &s.name)
            })
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
            " — {}, {n} {}{paths}",
            solution_kind(ctx.lang, solution.kind),
            ctx.lang.t("adoption(s)", "adoption(s)")
        );
    }
    if let Some(c) = ix.collectivity(id) {
        let n = ix.adoptions_of_collectivity.get(c).len();
        return format!(" — {n} {}", ctx.lang.t("adoption(s)", "adoption(s)"));
    }
    String::new()
}
