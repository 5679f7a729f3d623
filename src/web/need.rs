//! A need's page: libre and proprietary solutions side by side, ranked by evidence; which
//! peers adopted what, with outcome counts; the selection advice for a chosen collectivity.

use std::fmt::Write;

use super::html::{esc, list_or, need_link, node_link, Lang, Page};
use super::labels::{
    count, hosting, outcome, solution_kind, strategy, without_flags, ADOPTION, SOLUTION,
};
use super::tables::{self, Columns};
use super::{svg, Ctx};
use crate::analysis::evidence::{experience, selection_advice, ExperienceFilter, Ranked, StepKind};
use crate::analysis::stats::timeline;
use crate::analysis::Index;
use crate::domain::{DeploymentStrategy, Hosting, OutcomeKind, SolutionKind};
use crate::store::StoreResult;

/// Most solutions listed.
const MAX_SOLUTIONS: usize = 100;

/// The page of the need at index position `n`.
pub async fn page(ctx: &Ctx<'_>, n: u32) -> StoreResult<Page> {
    let ix = ctx.ix.clone();
    let lang = ctx.lang;
    let need = &ix.needs[n as usize];
    let base = format!("/besoins/{}", need.id.slug());
    let label = need.label.get(lang.french()).to_owned();
    let mut body = hierarchy(ctx, n);
    let exp = experience(
        &ix,
        n,
        ctx.pour,
        &ExperienceFilter::default(),
        MAX_SOLUTIONS,
    );
    body.push_str(
        &super::picker::block(
            ctx,
            &base,
            lang.t(
                "Choisissez votre collectivité : cette page dira ce qu'utilisent vos pairs, comment cela s'est passé, les remplacements déclarés et la démarche de choix conseillée.",
                "Choose your collectivity: this page then says what your peers use, how it went, the declared replacements and the advised selection procedure.",
            ),
        )
        .await?,
    );
    if let Some(asker) = ctx.pour {
        body.push_str(&super::answer::sections(ctx, n, asker, &exp.needs, &base).await?);
    }
    body.push_str(&side_by_side(ctx, &exp.solutions));
    let adoptions: Vec<u32> = exp
        .needs
        .iter()
        .flat_map(|&m| ix.adoptions_of_need.get(m).iter().copied())
        .collect();
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"adopters\">\n<h2 id=\"adopters\">{} ({})</h2>",
        lang.t("Qui a adopté quoi", "Who adopted what"),
        count(lang, adoptions.len() as u64, ADOPTION)
    );
    body.push_str(
        &tables::adoptions_or_none(
            ctx,
            tables::Spec {
                id: "adoptions",
                caption: lang.t(
                    "Adoptions pour ce besoin, avec leurs résultats et leurs sources",
                    "Adoptions for this need, with their outcomes and sources",
                ),
                base: &base,
                cols: Columns {
                    collectivity: true,
                    solution: true,
                    need: exp.needs.len() > 1,
                },
            },
            &adoptions,
        )
        .await?,
    );
    body.push_str("</section>\n");
    if !adoptions.is_empty() {
        body.push_str(&pictures(ctx, &adoptions, &label));
    }
    let sources = ctx.cited(need.id.as_str()).await?;
    if !sources.is_empty() {
        let _ = writeln!(body, "<p>{}</p>", super::html::source_links(lang, &sources));
    }
    Ok(Page {
        path: base,
        title: format!("{} {}", lang.t("Besoin :", "Need:"), label),
        description: format!(
            "{} {} : {}, {}.",
            lang.t(
                "Retours d'expérience pour le besoin",
                "Experience for the need"
            ),
            label,
            count(lang, exp.total as u64, SOLUTION),
            count(lang, adoptions.len() as u64, ADOPTION)
        ),
        body,
    })
}

/// Adoptions per start year and adopters per department, drawn.
fn pictures(ctx: &Ctx<'_>, adoptions: &[u32], label: &str) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let line = timeline(ix, adoptions.iter().copied());
    let mut out = format!(
        "<section aria-labelledby=\"dans-le-temps\">\n<h2 id=\"dans-le-temps\">{}</h2>\n",
        lang.t(
            "Adoptions dans le temps et sur le territoire",
            "Adoptions over time and across the country"
        )
    );
    if !line.years.is_empty() {
        let title = format!(
            "{} {label}",
            lang.t("Adoptions par année de début :", "Adoptions by start year:")
        );
        let desc: Vec<String> = line
            .years
            .iter()
            .map(|(y, n)| format!("{y} : {n}"))
            .collect();
        let _ = writeln!(
            out,
            "<figure class=\"drawing\">{}<figcaption>{}{}</figcaption></figure>",
            svg::bars(&line.years, "annees", &title, &desc.join(", ")),
            esc(&title),
            if line.undated > 0 {
                format!(
                    " — {} {}",
                    count(lang, u64::from(line.undated), ADOPTION),
                    lang.t("sans date de début", "without a start date")
                )
            } else {
                String::new()
            }
        );
    }
    out.push_str(&super::map::adopters_by_department(ctx, adoptions));
    out.push_str("</section>\n");
    out
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
        let links: Vec<String> = narrower.iter().map(|&m| need_link(lang, ix, m)).collect();
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
        let items: Vec<String> = list.iter().map(|r| ranked_item(lang, ix, r)).collect();
        out.push_str(&list_or(
            "ol",
            &items,
            lang.t("Aucune adoption connue.", "No known adoption."),
        ));
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
    let strategies: Vec<String> = DeploymentStrategy::ALL
        .iter()
        .zip(r.stats.by_strategy)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{} × {}", n, strategy(lang, *k)))
        .chain(
            Hosting::ALL
                .iter()
                .zip(r.stats.by_hosting)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{} × {}", n, hosting(lang, *k))),
        )
        .collect();
    let deployment = if strategies.is_empty() {
        String::new()
    } else {
        format!(
            " ; {} {}",
            lang.t("déploiement :", "deployment:"),
            strategies.join(", ")
        )
    };
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
        "<li>{} ({}) — {} ; {}{deployment} ; {} {}{paths}<br><span class=\"why\">{} {}</span></li>",
        node_link(lang, s.id.as_str(), &s.name),
        solution_kind(lang, s.kind),
        super::labels::count(lang, u64::from(r.stats.adoptions), super::labels::ADOPTION),
        counts.join(", "),
        lang.t("score de preuve", "evidence score"),
        super::labels::number(lang, r.score.total, 2),
        lang.t("Pourquoi :", "Why:"),
        esc(crate::analysis::explain::explain(ix, r).get(lang.french()))
    )
}

/// The selection procedure for my collectivity `asker` and need `n`, step by step.
pub fn steps(ctx: &Ctx<'_>, asker: u32, n: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let advice = selection_advice(ix, asker, n);
    let mut out = format!(
        "<h3>{} {}</h3>\n<ol class=\"steps\">",
        lang.t(
            "La démarche de choix conseillée pour",
            "The advised selection procedure for"
        ),
        esc(&without_flags(&ix.collectivities[asker as usize].name))
    );
    for step in &advice.steps {
        let title = match step.kind {
            StepKind::AlreadyRuns => lang.t(
                "Ce que vous utilisez déjà pour ce besoin",
                "What you already run for this need",
            ),
            StepKind::Libre => lang.t("Les solutions libres", "Libre solutions"),
            StepKind::Proprietary => lang.t(
                "Les solutions propriétaires, avec leur risque de continuité",
                "Proprietary solutions, with their continuity risk",
            ),
            StepKind::BuildInHouse => lang.t(
                "Développer en interne : solutions déjà publiées",
                "Building in-house: solutions already published",
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
        let _ = write!(out, "<li><h4>{title}{conclusion}</h4>");
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
