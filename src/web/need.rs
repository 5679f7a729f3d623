//! A need's page: libre and proprietary solutions side by side, ranked by evidence; which
//! peers adopted what, with outcome counts; the selection advice for a chosen collectivity.

use std::fmt::Write;

use super::html::{esc, node_link, outcome, solution_kind, Lang, Page};
use super::tables::{self, Columns};
use super::Ctx;
use crate::analysis::evidence::{experience, selection_advice, ExperienceFilter, Ranked, StepKind};
use crate::analysis::Index;
use crate::domain::{OutcomeKind, SolutionKind};
use crate::store::StoreResult;

/// Most solutions listed.
const MAX_SOLUTIONS: usize = 100;

/// The page of the need `id`, or `None` when there is none.
pub async fn page(ctx: &Ctx<'_>, id: &str) -> StoreResult<Option<Page>> {
    let ix = ctx.ix.clone();
    let Some(n) = ix.need(id) else {
        return Ok(None);
    };
    let lang = ctx.lang;
    let need = &ix.needs[n as usize];
    let mut body = hierarchy(ctx, n);
    let exp = experience(&ix, n, None, &ExperienceFilter::default(), MAX_SOLUTIONS);
    body.push_str(&side_by_side(ctx, &exp.solutions));
    let adoptions: Vec<u32> = exp
        .needs
        .iter()
        .flat_map(|&m| ix.adoptions_of_need.get(m).iter().copied())
        .collect();
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"adopters\">\n<h2 id=\"adopters\">{}</h2>",
        lang.t("Qui a adopté quoi", "Who adopted what")
    );
    body.push_str(
        &tables::adoptions_or_none(
            ctx,
            lang.t(
                "Adoptions pour ce besoin, avec leurs résultats et leurs sources",
                "Adoptions for this need, with their outcomes and sources",
            ),
            &adoptions,
            Columns {
                collectivity: true,
                solution: true,
                need: exp.needs.len() > 1,
            },
        )
        .await?,
    );
    body.push_str("</section>\n");
    body.push_str(&advice(ctx, n));
    let sources = ctx.cited(id).await?;
    if !sources.is_empty() {
        let _ = writeln!(body, "<p>{}</p>", super::html::source_links(lang, &sources));
    }
    Ok(Some(Page {
        path: format!("/besoins/{}", need.id.slug()),
        title: format!(
            "{} {}",
            lang.t("Besoin :", "Need:"),
            need.label.get(lang.french())
        ),
        body,
    }))
}

fn hierarchy(ctx: &Ctx<'_>, n: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let need = &ix.needs[n as usize];
    let mut out = String::new();
    if let Some(b) = need.broader.as_ref().and_then(|b| ix.need(b.as_str())) {
        let b = &ix.needs[b as usize];
        let _ = writeln!(
            out,
            "<p>{} {}</p>",
            lang.t("Fait partie de :", "Part of:"),
            node_link(lang, b.id.as_str(), b.label.get(lang.french()))
        );
    }
    let narrower = ix.narrower.get(n);
    if !narrower.is_empty() {
        let _ = write!(
            out,
            "<p>{} ",
            lang.t("Besoins plus précis :", "Narrower needs:")
        );
        let links: Vec<String> = narrower
            .iter()
            .map(|&m| {
                let m = &ix.needs[m as usize];
                node_link(lang, m.id.as_str(), m.label.get(lang.french()))
            })
            .collect();
        out.push_str(&links.join(", "));
        out.push_str("</p>\n");
    }
    out
}

/// Libre (and in-house) solutions beside proprietary ones.
fn side_by_side(ctx: &Ctx<'_>, ranked: &[Ranked]) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let (proprietary, libre): (Vec<&Ranked>, Vec<&Ranked>) = ranked
        .iter()
        .partition(|r| ix.solutions[r.solution as usize].kind == SolutionKind::Proprietary);
    let mut out = format!(
        "<p>{}</p>\n<div class=\"side-by-side\">\n",
        lang.t(
            "Solutions adoptées pour ce besoin, classées par les preuves : adoptions, résultats, adoptions récentes.",
            "Solutions adopted for this need, ranked by evidence: adoptions, outcomes, recent adoptions."
        )
    );
    for (title, list, hid) in [
        (
            lang.t(
                "Solutions libres et internes",
                "Libre and in-house solutions",
            ),
            libre,
            "libres",
        ),
        (
            lang.t("Solutions propriétaires", "Proprietary solutions"),
            proprietary,
            "proprietaires",
        ),
    ] {
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"{hid}\">\n<h2 id=\"{hid}\">{title}</h2>"
        );
        if list.is_empty() {
            let _ = write!(
                out,
                "<p>{}</p>",
                lang.t("Aucune adoption connue.", "No known adoption.")
            );
        } else {
            out.push_str("<ol>");
            for r in list {
                out.push_str(&ranked_item(ctx.lang, ix, r));
            }
            out.push_str("</ol>");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</div>\n");
    out
}

/// One ranked solution: name, kind, adoptions and outcome counts, and its adoption paths
/// when it is proprietary.
pub fn ranked_item(lang: Lang, ix: &Index, r: &Ranked) -> String {
    let s = &ix.solutions[r.solution as usize];
    let mut counts: Vec<String> = OutcomeKind::ALL
        .iter()
        .filter(|k| r.stats.outcomes(**k) > 0)
        .map(|k| format!("{} × {}", r.stats.outcomes(*k), outcome(lang, *k)))
        .collect();
    if counts.is_empty() {
        counts.push(
            lang.t("aucun résultat publié", "no published outcome")
                .to_owned(),
        );
    }
    let paths = if s.kind == SolutionKind::Proprietary {
        format!(
            " <a href=\"{}\">{}</a>",
            esc(&lang.href(&format!("/parcours/{}", s.id.slug()))),
            lang.t(
                "parcours d'adoption vers le libre",
                "adoption paths to libre"
            )
        )
    } else {
        String::new()
    };
    format!(
        "<li>{} ({}) — {} {} ; {} ; {} {}{paths}</li>",
        node_link(lang, s.id.as_str(), &s.name),
        solution_kind(lang, s.kind),
        r.stats.adoptions,
        lang.t("adoption(s)", "adoption(s)"),
        counts.join(", "),
        lang.t("score de preuve", "evidence score"),
        super::html::number(lang, r.score.total, 2)
    )
}

/// The selection advice: a form to choose one's collectivity, and the four steps for it.
fn advice(ctx: &Ctx<'_>, n: u32) -> String {
    let lang = ctx.lang;
    let need = &ctx.ix.needs[n as usize];
    let (form, chosen) = tables::collectivity_form(
        ctx,
        &format!("/besoins/{}", need.id.slug()),
        lang.t("Voir le conseil", "Show the advice"),
    );
    let mut out = format!(
        "<section aria-labelledby=\"conseil\">\n<h2 id=\"conseil\">{}</h2>\n{form}",
        lang.t(
            "Conseil de choix pour ma collectivité",
            "Selection advice for my collectivity"
        ),
    );
    if let Some(c) = chosen {
        out.push_str(&steps(ctx, c, n));
    }
    out.push_str("</section>\n");
    out
}

fn steps(ctx: &Ctx<'_>, asker: u32, n: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let advice = selection_advice(ix, asker, n);
    let mut out = format!(
        "<p>{} {}</p>\n<ol class=\"steps\">",
        lang.t("Démarche pour", "Procedure for"),
        esc(&ix.collectivities[asker as usize].name)
    );
    for step in &advice.steps {
        let title = match step.kind {
            StepKind::AlreadyRuns => lang.t(
                "1. Ce que vous utilisez déjà pour ce besoin",
                "1. What you already run for this need",
            ),
            StepKind::Libre => lang.t("2. Les solutions libres", "2. Libre solutions"),
            StepKind::Proprietary => lang.t(
                "3. Les solutions propriétaires, avec leur risque de continuité",
                "3. Proprietary solutions, with their continuity risk",
            ),
            StepKind::BuildInHouse => lang.t(
                "4. Développer en interne : solutions déjà publiées",
                "4. Building in-house: solutions already published",
            ),
        };
        let conclusion = if step.kind == advice.conclusion {
            format!(
                " <strong>{}</strong>",
                lang.t("(conclusion)", "(conclusion)")
            )
        } else {
            String::new()
        };
        let _ = write!(out, "<li><h3>{title}{conclusion}</h3>");
        if step.options.is_empty() {
            let _ = write!(out, "<p>{}</p>", lang.t("Rien trouvé.", "Nothing found."));
        } else {
            out.push_str("<ul>");
            for r in &step.options {
                out.push_str(&ranked_item(lang, ix, r));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>\n");
    out
}
