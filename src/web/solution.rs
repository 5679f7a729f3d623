//! A solution's page: licence, publisher and its status, continuity risk with its reasons,
//! what it replaces (or its libre alternatives), adopters with status and outcomes, a chart of
//! adoptions over time, releases and end-of-life dates, contributors and sources.

use std::fmt::Write;

use super::html::{esc, need_link, node_link, source_links, table_start, Facts, Lang, Page};
use super::labels::{
    confidence, contribution_kind, maintenance, outcome, publisher_status, solution_kind,
};
use super::tables::{self, Columns};
use super::{svg, Ctx};
use crate::analysis::risk::{risk, RiskLevel, RiskReason};
use crate::analysis::stats::timeline;
use crate::domain::{
    DependencyKind, EndOfLife, MaintenanceType, ReleaseCycle, SolutionId, SolutionKind,
};
use crate::store::{PageRequest, ReleaseFilter, StoreResult};

/// Releases listed.
const MAX_RELEASES: usize = 10;

/// The page of the solution at index position `s`.
pub async fn page(ctx: &Ctx<'_>, s: u32) -> StoreResult<Page> {
    let ix = ctx.ix.clone();
    let lang = ctx.lang;
    let solution = &ix.solutions[s as usize];
    let sid = solution.id.clone();
    let mut body = facts(ctx, s);
    body.push_str(&publiccode_section(ctx, s));
    let releases_html = releases(ctx, &sid).await?;
    body.push_str(&risk_section(ctx, s));
    body.push_str(&alternatives(ctx, s).await?);
    let adoptions = ix.adoptions_of_solution.get(s).to_vec();
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"adoptants\">\n<h2 id=\"adoptants\">{} ({})</h2>",
        lang.t("Adoptants", "Adopters"),
        adoptions.len()
    );
    body.push_str(
        &tables::adoptions_or_none(
            ctx,
            tables::Spec {
                id: "adoptions",
                caption: lang.t(
                    "Adoptions, avec leur statut, leurs résultats et leurs sources",
                    "Adoptions, with their status, outcomes and sources",
                ),
                base: &format!("/solutions/{}", sid.slug()),
                cols: Columns {
                    collectivity: true,
                    solution: false,
                    need: true,
                },
            },
            &adoptions,
        )
        .await?,
    );
    if !adoptions.is_empty() {
        body.push_str(&chart(ctx, &adoptions));
    }
    body.push_str("</section>\n");
    body.push_str(&releases_html);
    body.push_str(&contributors(ctx, &sid).await?);
    body.push_str(&ctx.sources_section(sid.as_str()).await?);
    Ok(Page {
        path: format!("/solutions/{}", sid.slug()),
        title: solution.name.clone(),
        description: format!(
            "{} ({}) : {}, {}.",
            solution.name,
            solution_kind(lang, solution.kind),
            lang.t(
                "licence, éditeur, risque de continuité, alternatives, adoptants et résultats",
                "licence, publisher, continuity risk, alternatives, adopters and outcomes"
            ),
            super::labels::count(lang, adoptions.len() as u64, super::labels::ADOPTION)
        ),
        body,
    })
}

fn facts(ctx: &Ctx<'_>, s: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let solution = &ix.solutions[s as usize];
    let mut out = String::new();
    if let Some(d) = &solution.description {
        let _ = writeln!(out, "<p>{}</p>", esc(d.get(lang.french())));
    }
    let mut facts = Facts::open();
    facts.item(
        lang.t("Nature", "Kind"),
        solution_kind(lang, solution.kind).to_owned(),
    );
    facts.item(
        lang.t("Licence", "Licence"),
        solution
            .licence
            .as_ref()
            .map(|l| esc(l.as_str()))
            .unwrap_or_else(|| {
                lang.t("non libre ou non précisée", "not libre or not stated")
                    .to_owned()
            }),
    );
    facts.item(
        lang.t("Maintenance", "Maintenance"),
        maintenance(lang, solution.status).to_owned(),
    );
    let publisher = match ix.publisher_of[s as usize] {
        Some(p) => {
            let p = &ix.publishers[p as usize];
            format!(
                "{} ({}) — {}{}",
                esc(&p.name),
                super::labels::publisher_kind(lang, p.kind),
                publisher_status(lang, p.status),
                p.closed
                    .as_ref()
                    .map(|d| format!(" {} {}", lang.t("en", "in"), super::labels::date(lang, d)))
                    .unwrap_or_default()
            )
        }
        None => lang.t("non précisé", "not stated").to_owned(),
    };
    facts.item(lang.t("Éditeur", "Publisher"), publisher);
    if !solution.sill_history.is_empty() {
        let years: Vec<String> = solution
            .sill_history
            .iter()
            .map(|y| {
                format!(
                    "{} : {}",
                    y.year,
                    super::labels::sill_status(lang, y.status)
                )
            })
            .collect();
        facts.item(
            lang.t(
                "Socle interministériel de logiciels libres (SILL)",
                "French government's recommended free software (SILL)",
            ),
            esc(&years.join(", ")),
        );
    }
    let needs: Vec<String> = ix
        .needs_of_solution
        .get(s)
        .iter()
        .map(|&n| need_link(lang, ix, n))
        .collect();
    facts.item(lang.t("Besoins servis", "Needs served"), needs.join(", "));
    for (term, url) in [
        (lang.t("Site", "Web site"), &solution.website),
        (
            lang.t("Dépôt de code", "Source repository"),
            &solution.repository,
        ),
    ] {
        if let Some(url) = url {
            facts.item(term, format!("<a href=\"{0}\">{0}</a>", esc(url.as_str())));
        }
    }
    out.push_str(&facts.end());
    out
}

/// What the solution's publiccode.yml file states: development status, maintenance and its
/// contractors, latest version, dependencies and bases (empty when no file describes it).
fn publiccode_section(ctx: &Ctx<'_>, s: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let Some(pc) = &ix.solutions[s as usize].publiccode else {
        return String::new();
    };
    // A known solution links to its page; anything else is shown as the file names it.
    let named = |label: &str, solution: Option<&SolutionId>| match solution {
        Some(id) => node_link(lang, id.as_str(), label),
        None => esc(label),
    };
    let mut facts = Facts::open();
    if let Some(status) = &pc.development_status {
        facts.item(
            lang.t("État du développement", "Development status"),
            esc(status),
        );
    }
    if let Some(m) = &pc.maintenance {
        let kind = m.kind.map(|k| match k {
            MaintenanceType::Internal => lang.t("par l'organisme", "by the body itself"),
            MaintenanceType::Contract => lang.t("sous contrat", "under contract"),
            MaintenanceType::Community => lang.t("par une communauté", "by a community"),
            MaintenanceType::None => lang.t("aucune", "none"),
        });
        let contractors: Vec<String> = m
            .contractors
            .iter()
            .map(|c| {
                let until = c
                    .until
                    .map(|d| {
                        format!(
                            " ({} {})",
                            lang.t("jusqu'au", "until"),
                            super::labels::date(lang, &d)
                        )
                    })
                    .unwrap_or_default();
                format!("{}{until}", esc(&c.name))
            })
            .collect();
        let mut value = kind.unwrap_or_default().to_owned();
        if !contractors.is_empty() {
            if !value.is_empty() {
                value.push_str(" — ");
            }
            value.push_str(&contractors.join(", "));
        }
        facts.item(lang.t("Maintenance déclarée", "Stated maintenance"), value);
    }
    if let Some(v) = &pc.latest_version {
        let text = [
            v.version.as_deref().map(esc),
            v.date.map(|d| super::labels::date(lang, &d)),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ");
        facts.item(
            lang.t("Dernière version déclarée", "Latest stated version"),
            text,
        );
    }
    if !pc.depends_on.is_empty() {
        let deps: Vec<String> = pc
            .depends_on
            .iter()
            .map(|d| {
                let kind = match d.kind {
                    DependencyKind::Open => lang.t("libre", "open"),
                    DependencyKind::Proprietary => lang.t("propriétaire", "proprietary"),
                    DependencyKind::Hardware => lang.t("matériel", "hardware"),
                };
                let versions = [
                    d.version.as_deref().map(|v| format!("= {v}")),
                    d.version_min.as_deref().map(|v| format!("≥ {v}")),
                    d.version_max.as_deref().map(|v| format!("≤ {v}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                let optional = if d.optional == Some(true) {
                    lang.t(", facultatif", ", optional")
                } else {
                    ""
                };
                format!(
                    "{} ({kind}{}{optional})",
                    named(&d.name, d.solution.as_ref()),
                    if versions.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", esc(&versions))
                    }
                )
            })
            .collect();
        facts.item(lang.t("Dépend de", "Depends on"), deps.join(", "));
    }
    if !pc.based_on.is_empty() {
        let bases: Vec<String> = pc
            .based_on
            .iter()
            .map(|b| named(&b.reference, b.solution.as_ref()))
            .collect();
        facts.item(lang.t("Fondé sur", "Based on"), bases.join(", "));
    }
    format!(
        "<section aria-labelledby=\"publiccode\">\n<h2 id=\"publiccode\">{}</h2>\n{}</section>\n",
        lang.t("Fiche publiccode.yml", "publiccode.yml file"),
        facts.end()
    )
}

fn reason_text(lang: Lang, reason: RiskReason) -> &'static str {
    match reason {
        RiskReason::PublisherClosed => lang.t("son éditeur a fermé", "its publisher closed down"),
        RiskReason::Discontinued => lang.t("elle n'est plus disponible", "it is discontinued"),
        RiskReason::Unmaintained => {
            lang.t("elle n'est plus maintenue", "it is no longer maintained")
        }
        RiskReason::ReleaseEndOfLife => lang.t(
            "sa version la plus récente a atteint sa fin de vie",
            "its latest release cycle reached its end of life",
        ),
        RiskReason::ReleaseEndOfLifeSoon => lang.t(
            "sa version la plus récente arrive bientôt en fin de vie",
            "its latest release cycle ends soon",
        ),
        RiskReason::NoRecentRelease => lang.t(
            "aucune version publiée depuis trois ans",
            "no release for three years",
        ),
        RiskReason::AdoptersLostVendor => lang.t(
            "des adoptants ont perdu leur éditeur",
            "adopters lost their vendor",
        ),
        RiskReason::AdoptersRolledBack => lang.t(
            "des adoptants sont revenus en arrière",
            "adopters rolled it back",
        ),
    }
}

fn level_text(lang: Lang, level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::None => lang.t("aucun risque connu", "no known risk"),
        RiskLevel::Low => lang.t("faible", "low"),
        RiskLevel::Medium => lang.t("moyen", "medium"),
        RiskLevel::High => lang.t("élevé", "high"),
    }
}

fn risk_section(ctx: &Ctx<'_>, s: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let r = risk(ix, s);
    let level = r.level;
    let mut out = format!(
        "<section aria-labelledby=\"risque\">\n<h2 id=\"risque\">{}</h2>\n<p>{} <strong class=\"risk-{}\">{}</strong></p>\n",
        lang.t("Risque de continuité", "Continuity risk"),
        lang.t("Niveau :", "Level:"),
        format!("{level:?}").to_ascii_lowercase(),
        level_text(lang, level)
    );
    if !r.factors.is_empty() {
        out.push_str("<ul>");
        for f in &r.factors {
            let mut evidence = String::new();
            for &o in f.outcomes.iter().take(5) {
                let io = &ix.outcomes[o as usize];
                let a = &ix.adoptions[io.adoption as usize];
                let c = &ix.collectivities[a.collectivity as usize];
                let _ = write!(
                    evidence,
                    "<br>{} : {} {}",
                    node_link(lang, c.id.as_str(), &c.name),
                    outcome(lang, io.kind),
                    source_links(lang, &ctx.sources(ix.outcome_sources.get(o)))
                );
            }
            let _ = write!(
                out,
                "<li>{} ({}){}{}</li>",
                reason_text(lang, f.reason),
                level_text(lang, f.level),
                f.date
                    .as_ref()
                    .map(|d| format!(", {}", super::labels::date(lang, d)))
                    .unwrap_or_default(),
                evidence
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out
}

async fn alternatives(ctx: &Ctx<'_>, s: u32) -> StoreResult<String> {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let solution = &ix.solutions[s as usize];
    let (title, links) = if solution.kind == SolutionKind::Libre {
        (
            lang.t("Ce qu'elle remplace", "What it replaces"),
            &ix.replaces[s as usize],
        )
    } else {
        (
            lang.t("Alternatives libres", "Libre alternatives"),
            &ix.replaced_by[s as usize],
        )
    };
    let mut out = format!(
        "<section aria-labelledby=\"alternatives\">\n<h2 id=\"alternatives\">{title}</h2>\n"
    );
    if links.is_empty() {
        let _ = write!(out, "<p>{}</p>", lang.t("Aucune connue.", "None known."));
    } else {
        out.push_str("<ul>");
        for l in links {
            let other = &ix.solutions[l.other as usize];
            let sources = ctx.cited(l.id.as_str()).await?;
            let _ = write!(
                out,
                "<li>{} — {} {}</li>",
                node_link(lang, other.id.as_str(), &other.name),
                confidence(lang, l.confidence),
                source_links(lang, &sources)
            );
        }
        out.push_str("</ul>");
    }
    if solution.kind != SolutionKind::Libre {
        let _ = write!(
            out,
            "<p><a href=\"{}\">{}</a></p>",
            esc(&lang.href(&format!("/parcours/{}", solution.id.slug()))),
            lang.t(
                "Voir les parcours d'adoption vers le libre, dessinés",
                "See the adoption paths to libre, drawn"
            )
        );
    }
    out.push_str("</section>\n");
    Ok(out)
}

fn chart(ctx: &Ctx<'_>, adoptions: &[u32]) -> String {
    let lang = ctx.lang;
    let t = timeline(&ctx.ix, adoptions.iter().copied());
    if t.years.is_empty() {
        return format!(
            "<p>{}</p>",
            lang.t(
                "Aucune adoption datée : pas de chronologie.",
                "No dated adoption: no timeline."
            )
        );
    }
    let title = lang.t("Adoptions par année de début", "Adoptions by starting year");
    let desc: Vec<String> = t.years.iter().map(|(y, n)| format!("{y} : {n}")).collect();
    let mut out = format!("<h3>{title}</h3>\n<figure>");
    out.push_str(&svg::bars(&t.years, "chronologie", title, &desc.join(", ")));
    let _ = writeln!(
        out,
        "<figcaption>{} {}</figcaption></figure>",
        desc.join(" ; "),
        if t.undated > 0 {
            format!(
                "; {}",
                super::labels::count(lang, u64::from(t.undated), super::labels::UNDATED)
            )
        } else {
            String::new()
        }
    );
    out
}

fn eol_text(lang: Lang, eol: &EndOfLife) -> String {
    match eol {
        EndOfLife::Date(d) => super::labels::date(lang, d),
        EndOfLife::Ended => lang.t("atteinte", "reached").to_owned(),
        EndOfLife::NotPlanned => lang.t("non prévue", "not planned").to_owned(),
    }
}

/// The releases and release cycles section.
async fn releases(ctx: &Ctx<'_>, id: &SolutionId) -> StoreResult<String> {
    let lang = ctx.lang;
    let filter = ReleaseFilter {
        solutions: vec![id.clone()],
        since: None,
        include_prereleases: false,
    };
    let page = ctx
        .store
        .releases(filter, PageRequest::first(MAX_RELEASES))
        .await?;
    let mut cycles: Vec<ReleaseCycle> = ctx.store.release_cycles_for(vec![id.clone()]).await?;
    cycles.sort_by_key(|c| std::cmp::Reverse(c.released));
    let mut out = format!(
        "<section aria-labelledby=\"versions\">\n<h2 id=\"versions\">{}</h2>\n",
        lang.t("Versions et fins de vie", "Releases and end of life")
    );
    if page.items.is_empty() && cycles.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            lang.t("Aucune version suivie.", "No release watched.")
        );
    }
    if !page.items.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><ul>",
            lang.t("Dernières versions", "Latest releases")
        );
        for (_, r) in &page.items {
            let date = r.published.or(r.first_seen).map(|d| d.date_naive());
            let version = match &r.url {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    format!("<a href=\"{}\">{}</a>", esc(url), esc(&r.version))
                }
                _ => esc(&r.version),
            };
            let _ = write!(
                out,
                "<li>{version}{}</li>",
                date.map(|d| format!(" — {}", super::labels::date(lang, &d)))
                    .unwrap_or_default()
            );
        }
        out.push_str("</ul>\n");
    }
    if !cycles.is_empty() {
        out.push_str(&table_start(
            lang.t(
                "Cycles de versions (endoflife.date)",
                "Release cycles (endoflife.date)",
            ),
            &[
                lang.t("Cycle", "Cycle"),
                lang.t("Sortie", "Released"),
                lang.t("Fin de vie", "End of life"),
                lang.t("Dernière version", "Latest version"),
            ],
        ));
        for c in cycles.iter().take(12) {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.cycle),
                if c.lts { " (LTS)" } else { "" },
                c.released
                    .map(|d| super::labels::date(lang, &d))
                    .unwrap_or_else(|| "—".into()),
                eol_text(lang, &c.eol),
                esc(c.latest.as_deref().unwrap_or("—"))
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let _ = writeln!(
        out,
        "<p><a href=\"/feeds/solutions/{}.atom\">{}</a></p>\n</section>",
        esc(id.slug()),
        lang.t("Flux Atom des versions", "Atom feed of the releases")
    );
    Ok(out)
}

async fn contributors(ctx: &Ctx<'_>, id: &SolutionId) -> StoreResult<String> {
    let lang = ctx.lang;
    let list = ctx
        .store
        .contributions_for(Vec::new(), vec![id.clone()])
        .await?;
    if list.is_empty() {
        return Ok(String::new());
    }
    let mut out = format!(
        "<section aria-labelledby=\"contributions\">\n<h2 id=\"contributions\">{}</h2>\n<ul>",
        lang.t("Contributions publiques", "Public contributions")
    );
    for c in list.iter().take(50) {
        let who = ctx
            .ix
            .collectivity(c.collectivity.as_str())
            .map(|i| &ctx.ix.collectivities[i as usize]);
        let name = who
            .map(|w| w.name.as_str())
            .unwrap_or(c.collectivity.as_str());
        let sources = ctx.cited(c.id.as_str()).await?;
        let _ = write!(
            out,
            "<li>{} — {}{} {}</li>",
            node_link(lang, c.collectivity.as_str(), name),
            contribution_kind(lang, c.kind),
            c.note
                .as_ref()
                .map(|n| format!(" : {}", esc(n.get(lang.french()))))
                .unwrap_or_default(),
            source_links(lang, &sources)
        );
    }
    out.push_str("</ul>\n</section>\n");
    Ok(out)
}
