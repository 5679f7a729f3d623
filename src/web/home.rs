//! The home page starts from needs: the search box, my collectivity, then every theme with
//! its needs, each with how many solutions serve it and how many collectivities adopted one.
//! With `?q=`, the search results instead of the themes.

use std::fmt::Write;

use super::html::{esc, node_link, section_start, Page};
use super::labels::{count, ADOPTER, SOLUTION};
use super::Ctx;
use crate::store::StoreResult;

/// The home page, or the search results when `q` is given.
pub async fn page(ctx: &Ctx<'_>) -> StoreResult<Page> {
    let lang = ctx.lang;
    let q = ctx.params.q.as_deref().unwrap_or("").trim();
    let q: String = q.chars().take(200).collect();
    let mut body = super::search::form(ctx, &q);
    if !q.is_empty() {
        body.push_str(&super::search::results(ctx, &q));
        return Ok(Page {
            path: format!("/?q={}", super::html::query_value(&q)),
            title: format!("{} « {} »", lang.t("Résultats pour", "Results for"), q),
            description: lang
                .t(
                    "Besoins, solutions et collectivités trouvés dans les retours d'expérience.",
                    "Needs, solutions and collectivities found in public-sector experience.",
                )
                .to_owned(),
            body,
        });
    }
    let _ = writeln!(
        body,
        "<p>{}</p>",
        lang.t(
            "Pour un besoin, quelles solutions libres existent, quels produits propriétaires elles remplacent, qui parmi vos pairs les a adoptées, et comment cela s'est passé — chaque fait avec sa source.",
            "For a need, which libre solutions exist, which proprietary products they replace, who among your peers adopted them, and how it went — every fact with its source."
        )
    );
    body.push_str(
        &super::picker::block(
            ctx,
            "/",
            lang.t(
                "Choisissez-la une fois : les pages des besoins montreront ce qu'utilisent vos pairs et la démarche de choix pour vous.",
                "Choose it once: need pages then show what your peers use and the selection procedure for you.",
            ),
        )
        .await?,
    );
    body.push_str(&themes(ctx));
    Ok(Page {
        path: "/".to_owned(),
        title: lang
            .t(
                "Retours d'expérience sur les logiciels du secteur public",
                "Public-sector experience with software",
            )
            .to_owned(),
        description: lang
            .t(
                "Par besoin (visioconférence, bureautique…), les solutions libres et propriétaires, qui les a adoptées et comment cela s'est passé, avec leurs sources.",
                "By need (video conferencing, office suite…), libre and proprietary solutions, who adopted them and how it went, with their sources.",
            )
            .to_owned(),
        body,
    })
}

fn themes(ctx: &Ctx<'_>) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let counts = ctx.need_counts();
    let label = |n: u32| ix.needs[n as usize].label.get(lang.french()).to_owned();
    let mut roots: Vec<u32> = (0..ix.needs.len() as u32)
        .filter(|&n| {
            let need = &ix.needs[n as usize];
            need.retired.is_none()
                && need
                    .broader
                    .as_ref()
                    .and_then(|b| ix.need(b.as_str()))
                    .is_none()
        })
        .collect();
    roots.sort_by_key(|&n| (std::cmp::Reverse(counts[n as usize].adopters), label(n)));
    let mut out = section_start(
        "themes",
        lang.t("Thèmes et besoins", "Themes and needs"),
        lang.t(
            "Pour chaque besoin : les solutions recensées et les collectivités qui en ont adopté une (besoins plus précis compris).",
            "For each need: the solutions recorded and the collectivities that adopted one (narrower needs included)."
        ),
    );
    out.push_str("<div class=\"themes\">\n");
    let what = |n: u32| {
        let c = counts[n as usize];
        format!(
            "{}, {}",
            count(lang, c.solutions, SOLUTION),
            count(lang, c.adopters, ADOPTER)
        )
    };
    for root in roots {
        let id = ix.needs[root as usize].id.slug();
        let _ = write!(
            out,
            "<section class=\"theme\" aria-labelledby=\"theme-{id}\"><h3 id=\"theme-{id}\">{}</h3><p class=\"counts\">{}</p>",
            node_link(lang, ix.needs[root as usize].id.as_str(), &label(root)),
            esc(&what(root))
        );
        let mut children: Vec<u32> = ix
            .narrower
            .get(root)
            .iter()
            .copied()
            .filter(|&m| ix.needs[m as usize].retired.is_none())
            .collect();
        children.sort_by_key(|&m| (std::cmp::Reverse(counts[m as usize].adopters), label(m)));
        let (used, unused): (Vec<u32>, Vec<u32>) = children
            .into_iter()
            .partition(|&m| counts[m as usize].solutions > 0);
        if !used.is_empty() {
            out.push_str("<ul>");
            for m in used {
                let _ = write!(
                    out,
                    "<li>{} <span class=\"counts\">— {}</span></li>",
                    node_link(lang, ix.needs[m as usize].id.as_str(), &label(m)),
                    esc(&what(m))
                );
            }
            out.push_str("</ul>");
        }
        if !unused.is_empty() {
            let links: Vec<String> = unused
                .iter()
                .map(|&m| node_link(lang, ix.needs[m as usize].id.as_str(), &label(m)))
                .collect();
            let _ = write!(
                out,
                "<details><summary>{} ({})</summary><p>{}</p></details>",
                lang.t("Sans solution recensée", "No solution recorded"),
                unused.len(),
                links.join(", ")
            );
        }
        out.push_str("</section>\n");
    }
    out.push_str("</div>\n</section>\n");
    out
}
