//! Adoption paths away from a solution (usually proprietary): the libre alternatives ranked
//! by evidence, drawn as a graph proprietary → alternatives → adopters → outcomes (inline
//! SVG), with the same facts as nested lists (the drawing's text alternative) and sources.

use std::collections::HashMap;
use std::fmt::Write;

use super::html::{
    collectivity_link, esc, need_link, node_link, node_path, section_start, source_links, Lang,
    Page,
};
use super::labels::{adoption_status, confidence, outcome, solution_kind, without_flags};
use super::svg::{self, TreeNode};
use super::Ctx;
use crate::analysis::evidence::{adoption_paths, path_adopters, PathLink, Ranked};
use crate::domain::Outcome;
use crate::store::StoreResult;

/// Alternatives shown.
const MAX_ALTERNATIVES: usize = 8;
/// Adopters shown per alternative.
const MAX_ADOPTERS: usize = 4;

/// The adoption paths from the solution at index position `from`.
pub async fn page(ctx: &Ctx<'_>, from: u32) -> StoreResult<Page> {
    let ix = ctx.ix.clone();
    let lang = ctx.lang;
    let asker = ctx.pour;
    let paths = adoption_paths(&ix, from, asker, MAX_ALTERNATIVES);
    let solution = &ix.solutions[from as usize];
    let own: Vec<u32> = ix
        .adoptions_of_solution
        .get(from)
        .iter()
        .take(MAX_ADOPTERS)
        .copied()
        .collect();
    let branches: Vec<(&Ranked, Vec<u32>)> = paths
        .alternatives
        .iter()
        .map(|r| (r, adopters(&ix, r)))
        .collect();
    let mut all: Vec<u32> = own.clone();
    all.extend(branches.iter().flat_map(|(_, a)| a.iter().copied()));
    let outcomes = ctx.outcomes(&all).await?;

    let mut body = format!(
        "<p>{} {} ({}). <a href=\"{}\">{}</a></p>\n",
        lang.t("Au départ :", "Starting from:"),
        node_link(lang, solution.id.as_str(), &solution.name),
        solution_kind(lang, solution.kind),
        esc(&lang.href(&format!("/solutions/{}", solution.id.slug()))),
        lang.t(
            "Risque de continuité et détails",
            "Continuity risk and details"
        ),
    );
    let root = tree(ctx, from, &own, &branches);
    let title = format!(
        "{} {}",
        lang.t("Parcours d'adoption depuis", "Adoption paths from"),
        solution.name
    );
    let desc = lang.t(
        "Graphe de gauche à droite : la solution de départ, ses propres adoptants (trait pointillé) et leurs résultats, puis les alternatives libres classées, leurs adoptants et leurs résultats. Le même contenu suit sous forme de listes.",
        "Graph from left to right: the starting solution, its own adopters (dashed) and their outcomes, then the ranked libre alternatives, their adopters and their outcomes. The same content follows as lists.",
    );
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"dessin\">\n<h2 id=\"dessin\">{}</h2>\n<figure class=\"drawing\">{}<figcaption>{}</figcaption></figure>\n{}</section>",
        lang.t("Dessin des parcours", "The paths, drawn"),
        svg::tree(&root, "parcours", &title, desc),
        esc(desc),
        legend(lang)
    );
    body.push_str(
        &super::picker::block(
            ctx,
            &format!("/parcours/{}", solution.id.slug()),
            lang.t(
                "Choisissez votre collectivité : les adoptions des collectivités qui lui ressemblent comptent davantage dans le classement.",
                "Choose your collectivity: the adoptions of bodies like it weigh more in the ranking.",
            ),
        )
        .await?,
    );
    body.push_str(&own_section(ctx, from, &own, &outcomes));
    body.push_str(&ranked_section(ctx, &branches, paths.total, &outcomes));
    Ok(Page {
        path: format!("/parcours/{}", solution.id.slug()),
        description: format!(
            "{title} : {} ({}).",
            lang.t(
                "les alternatives libres classées par les preuves, leurs adoptants et leurs résultats",
                "the libre alternatives ranked by evidence, their adopters and outcomes"
            ),
            paths.total
        ),
        title,
        body,
    })
}

/// The adopters shown for an alternative: those the analysis picks (peers, movers, with
/// outcomes), then any others, up to [`MAX_ADOPTERS`].
fn adopters(ix: &crate::analysis::Index, r: &Ranked) -> Vec<u32> {
    let mut out = path_adopters(ix, r, MAX_ADOPTERS);
    for &a in ix.adoptions_of_solution.get(r.solution) {
        if out.len() >= MAX_ADOPTERS {
            break;
        }
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// The explorer's link to a node's page, in the page's language.
fn href(ctx: &Ctx<'_>, id: &str) -> Option<String> {
    node_path(id).map(|p| ctx.lang.href(&p))
}

fn outcome_nodes(ctx: &Ctx<'_>, a: u32) -> Vec<TreeNode> {
    let ix = &ctx.ix;
    let adopter = ix.collectivities[ix.adoptions[a as usize].collectivity as usize]
        .id
        .as_str();
    ix.outcomes_of
        .get(a)
        .iter()
        .map(|&o| {
            let io = &ix.outcomes[o as usize];
            // An outcome links to its source (where it is stated), else to the adopter.
            let target = ix
                .outcome_sources
                .get(o)
                .first()
                .map(|&i| ix.sources[i as usize].id.as_str())
                .unwrap_or(adopter);
            TreeNode {
                href: href(ctx, target),
                label: format!(
                    "{}{}",
                    super::labels::outcome_words(ctx.lang, io.kind),
                    io.date
                        .as_ref()
                        .map(|d| format!(", {}", super::labels::date(ctx.lang, d)))
                        .unwrap_or_default()
                ),
                class: format!("outcome {}", io.kind.as_str().to_ascii_lowercase()),
                dashed: false,
                children: Vec::new(),
            }
        })
        .collect()
}

fn adopter_node(ctx: &Ctx<'_>, a: u32, dashed: bool) -> TreeNode {
    let ix = &ctx.ix;
    let adoption = &ix.adoptions[a as usize];
    let c = &ix.collectivities[adoption.collectivity as usize];
    TreeNode {
        href: href(ctx, c.id.as_str()),
        label: format!(
            "{} ({})",
            without_flags(&c.name),
            adoption_status(ctx.lang, adoption.status)
        ),
        class: "adopter".to_owned(),
        dashed,
        children: outcome_nodes(ctx, a),
    }
}

fn tree(ctx: &Ctx<'_>, from: u32, own: &[u32], branches: &[(&Ranked, Vec<u32>)]) -> TreeNode {
    let ix = &ctx.ix;
    let s = &ix.solutions[from as usize];
    let mut children: Vec<TreeNode> = own.iter().map(|&a| adopter_node(ctx, a, true)).collect();
    for (r, adopters) in branches {
        let alt = &ix.solutions[r.solution as usize];
        children.push(TreeNode {
            href: href(ctx, alt.id.as_str()),
            label: format!(
                "{} ({} {})",
                alt.name,
                ctx.lang.t("score", "score"),
                super::labels::number(ctx.lang, r.score.total, 2)
            ),
            class: "libre".to_owned(),
            dashed: !matches!(r.link, Some(PathLink::Replaces(_))),
            children: adopters
                .iter()
                .map(|&a| adopter_node(ctx, a, false))
                .collect(),
        });
    }
    TreeNode {
        href: href(ctx, s.id.as_str()),
        label: s.name.clone(),
        class: s.kind.as_str().to_ascii_lowercase(),
        dashed: false,
        children,
    }
}

fn adopter_item(ctx: &Ctx<'_>, a: u32, outcomes: &HashMap<String, Outcome>) -> String {
    let ix = &ctx.ix;
    let lang = ctx.lang;
    let adoption = &ix.adoptions[a as usize];
    format!(
        "<li>{} — {} {}{}</li>",
        collectivity_link(lang, ix, adoption.collectivity),
        adoption_status(lang, adoption.status),
        source_links(lang, &ctx.sources(ix.adoption_sources.get(a))),
        if ix.outcomes_of.get(a).is_empty() {
            String::new()
        } else {
            super::tables::outcome_list(ctx, a, outcomes)
        }
    )
}

fn own_section(
    ctx: &Ctx<'_>,
    from: u32,
    own: &[u32],
    outcomes: &HashMap<String, Outcome>,
) -> String {
    let lang = ctx.lang;
    let mut out = format!(
        "<section aria-labelledby=\"depart\">\n<h2 id=\"depart\">{} ({})</h2>\n",
        lang.t("Ses propres adoptants", "Its own adopters"),
        ctx.ix.adoptions_of_solution.get(from).len()
    );
    if own.is_empty() {
        let _ = write!(out, "<p>{}</p>", lang.t("Aucun connu.", "None known."));
    } else {
        out.push_str("<ul>");
        for &a in own {
            out.push_str(&adopter_item(ctx, a, outcomes));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
    out
}

/// A part of the evidence score, in words.
fn part_name(lang: super::html::Lang, name: &str) -> &str {
    match name {
        "adoptions" => lang.t("adoptions", "adoptions"),
        "favourableOutcomes" => lang.t("résultats favorables", "favourable outcomes"),
        "unfavourableOutcomes" => lang.t("résultats défavorables", "unfavourable outcomes"),
        "recentAdoptions" => lang.t("adoptions récentes", "recent adoptions"),
        "peers" => lang.t("pairs", "peers"),
        "replacesConfidence" => lang.t("confiance du remplacement", "replacement confidence"),
        "comparableAdoptions" => lang.t(
            "adoptions par des collectivités comparables",
            "adoptions by comparable bodies",
        ),
        "sameKindAdoptions" => lang.t(
            "adoptions par des collectivités du même type",
            "adoptions by bodies of the same kind",
        ),
        "sameCountryAdoptions" => lang.t(
            "adoptions dans le même pays",
            "adoptions in the same country",
        ),
        "sameLanguageAdoptions" => lang.t(
            "adoptions dans la même langue",
            "adoptions in the same language",
        ),
        "otherAdoptions" => lang.t("autres adoptions", "other adoptions"),
        other => other,
    }
}

fn ranked_section(
    ctx: &Ctx<'_>,
    branches: &[(&Ranked, Vec<u32>)],
    total: usize,
    outcomes: &HashMap<String, Outcome>,
) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let mut out = section_start(
        "alternatives",
        &format!(
            "{} ({total})",
            lang.t("Alternatives classées par les preuves", "Alternatives ranked by evidence")
        ),
        lang.t(
            "Score = adoptions + résultats favorables − résultats défavorables + adoptions récentes + pairs + confiance du remplacement (détail pour chacune).",
            "Score = adoptions + favourable outcomes − unfavourable outcomes + recent adoptions + peers + replacement confidence (detail for each)."
        )
    );
    if branches.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p></section>",
            lang.t("Aucune connue.", "None known.")
        );
        return out;
    }
    out.push_str("<ol>");
    for (r, adopters) in branches {
        let s = &ix.solutions[r.solution as usize];
        let link = match &r.link {
            Some(PathLink::Replaces(l)) => format!(
                "{} ({})",
                lang.t("la remplace directement", "replaces it directly"),
                confidence(lang, l.confidence)
            ),
            Some(PathLink::SameNeed(needs)) => {
                let names: Vec<String> = needs.iter().map(|&n| need_link(lang, ix, n)).collect();
                format!(
                    "{} {}",
                    lang.t("sert le même besoin :", "serves the same need:"),
                    names.join(", ")
                )
            }
            None => String::new(),
        };
        let parts: Vec<String> = r
            .score
            .parts
            .iter()
            .filter(|p| p.points != 0.0)
            .map(|p| {
                let sign = if p.points >= 0.0 { "+" } else { "" };
                format!(
                    "{} {sign}{}",
                    part_name(lang, p.name),
                    super::labels::number(lang, p.points, 2)
                )
            })
            .collect();
        let _ = write!(
            out,
            "<li><h3>{}</h3><p>{link}. {} {}{}</p><p class=\"why\">{} {}</p>",
            node_link(lang, s.id.as_str(), &s.name),
            lang.t("Score :", "Score:"),
            super::labels::number(lang, r.score.total, 2),
            if parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", parts.join(", "))
            },
            lang.t("Pourquoi :", "Why:"),
            esc(crate::analysis::explain::explain(ix, r).get(lang.french()))
        );
        let counts: Vec<String> = crate::domain::OutcomeKind::ALL
            .iter()
            .filter(|k| r.stats.outcomes(**k) > 0)
            .map(|k| format!("{} × {}", r.stats.outcomes(*k), outcome(lang, *k)))
            .collect();
        let _ = write!(
            out,
            "<p>{}{}</p>",
            super::labels::count(lang, u64::from(r.stats.adoptions), super::labels::ADOPTION),
            if counts.is_empty() {
                String::new()
            } else {
                format!(" ; {}", counts.join(", "))
            }
        );
        if !adopters.is_empty() {
            out.push_str("<ul>");
            for &a in adopters {
                out.push_str(&adopter_item(ctx, a, outcomes));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>\n</section>\n");
    out
}

/// What the drawing's colours and lines mean.
fn legend(lang: Lang) -> String {
    let items = [
        ("proprietary", lang.t("solution propriétaire (au départ)", "proprietary solution (the start)")),
        ("libre", lang.t("alternative libre, avec son score de preuve", "libre alternative, with its evidence score")),
        ("adopter", lang.t("collectivité qui l'a adoptée, avec le statut de l'adoption", "collectivity that adopted it, with the adoption's status")),
        ("good", lang.t("résultat favorable (réussite, économies)", "favourable outcome (success, cost saving)")),
        ("bad", lang.t("résultat défavorable (retour en arrière, fermeture de l'éditeur)", "unfavourable outcome (rollback, vendor shut down)")),
        ("solid", lang.t("trait plein : remplacement déclaré par une source", "solid line: replacement declared by a source")),
        ("dashed", lang.t("trait pointillé : ses propres adoptants, ou une alternative qui sert le même besoin sans remplacement déclaré", "dashed line: its own adopters, or an alternative serving the same need without a declared replacement")),
    ];
    let mut out = format!(
        "<h3>{}</h3>\n<ul class=\"legend\">",
        lang.t("Légende", "Legend")
    );
    for (class, text) in items {
        let _ = write!(
            out,
            "<li><span class=\"swatch swatch-{class}\" aria-hidden=\"true\"></span> {text}</li>"
        );
    }
    out.push_str("</ul>\n<p>");
    out.push_str(lang.t(
        "Chaque case est un lien : vers la solution, la collectivité, ou la source du résultat.",
        "Every box is a link: to the solution, the collectivity, or the outcome's source.",
    ));
    out.push_str("</p>\n");
    out
}
