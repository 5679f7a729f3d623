//! A collectivity's page: what it runs (by need), its libre share (stated and computed,
//! labelled apart), its peers with the similarity explained, end-of-life alerts for what it
//! runs, and the solutions it built or gives back to.

use std::fmt::Write;

use chrono::{Duration, Utc};

use super::html::{
    esc, list_or, node_link, section_start, solution_link, source_links, table_start, Facts, Lang,
    Page,
};
use super::labels::{
    collectivity_kind, contribution_kind, count, department_label, number, region_name,
    without_flags, ADOPTION, LIBRE_SOLUTION, OTHER, RUNNING,
};
use super::tables::{self, Columns};
use super::Ctx;
use crate::analysis::peers::{Proximity, Similarity, Target};
use crate::analysis::stats::collectivity_runs;
use crate::domain::{Alert, AlertKind, AlertWindow, Collectivity, CollectivityId, SolutionKind};
use crate::store::StoreResult;

/// Peers listed.
const MAX_PEERS: usize = 10;

/// The page of the collectivity at index position `c`.
pub async fn page(ctx: &Ctx<'_>, c: u32) -> StoreResult<Page> {
    let ix = ctx.ix.clone();
    let lang = ctx.lang;
    let col = &ix.collectivities[c as usize];
    let base = format!("/collectivites/{}", col.id.slug());
    let mut body = facts(ctx, col);
    let mut adoptions = ix.adoptions_of_collectivity.get(c).to_vec();
    adoptions.sort_by_key(|&a| {
        let a = &ix.adoptions[a as usize];
        (
            ix.needs[a.need as usize]
                .label
                .get(lang.french())
                .to_owned(),
            a.solution,
        )
    });
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"utilise\">\n<h2 id=\"utilise\">{}</h2>",
        lang.t("Ce qu'elle utilise, par besoin", "What it runs, by need")
    );
    body.push_str(
        &tables::adoptions_or_none(
            ctx,
            tables::Spec {
                id: "adoptions",
                caption: lang.t(
                    "Adoptions par besoin, avec leurs résultats et leurs sources",
                    "Adoptions by need, with their outcomes and sources",
                ),
                base: &base,
                cols: Columns {
                    collectivity: false,
                    solution: true,
                    need: true,
                },
            },
            &adoptions,
        )
        .await?,
    );
    body.push_str("</section>\n");
    body.push_str(&libre_share(ctx, c, col));
    body.push_str(&peers(ctx, c));
    body.push_str(&alerts(ctx, &col.id).await?);
    body.push_str(&published(ctx, c, &col.id).await?);
    body.push_str(&ctx.sources_section(col.id.as_str()).await?);
    let name = without_flags(&col.name);
    Ok(Page {
        description: format!(
            "{name} : {}, {}.",
            lang.t(
                "ce qu'elle utilise, sa part du libre et ses pairs",
                "what it runs, its libre share and its peers"
            ),
            count(lang, adoptions.len() as u64, ADOPTION)
        ),
        path: base,
        title: name,
        body,
    })
}

fn facts(ctx: &Ctx<'_>, col: &Collectivity) -> String {
    let lang = ctx.lang;
    let mut facts = Facts::open();
    facts.item(
        lang.t("Nature", "Kind"),
        collectivity_kind(lang, col.kind).to_owned(),
    );
    if let Some(p) = col.population {
        facts.item(
            lang.t("Population", "Population"),
            number(lang, p as f64, 0),
        );
    }
    if let Some(d) = &col.department {
        facts.item(
            lang.t("Département", "Department"),
            esc(&department_label(&ctx.ix, d)),
        );
    }
    if let Some(r) = &col.region {
        facts.item(lang.t("Région", "Region"), esc(&region_name(&ctx.ix, r)));
    }
    if let Some(code) = &col.insee {
        facts.item(lang.t("Code INSEE", "INSEE code"), esc(code.as_str()));
    }
    if let Some(siren) = &col.siren {
        facts.item("SIREN", esc(siren.as_str()));
    }
    if let Some(parent) = col
        .parent
        .as_ref()
        .and_then(|p| ctx.ix.collectivity(p.as_str()))
    {
        let p = &ctx.ix.collectivities[parent as usize];
        facts.item(
            lang.t("Fait partie de", "Part of"),
            node_link(lang, p.id.as_str(), &p.name),
        );
    }
    facts.end()
}

fn libre_share(ctx: &Ctx<'_>, c: u32, col: &Collectivity) -> String {
    let lang = ctx.lang;
    let runs = collectivity_runs(&ctx.ix, c);
    let mut out = format!(
        "<section aria-labelledby=\"part-libre\">\n<h2 id=\"part-libre\">{}</h2>\n<ul>",
        lang.t("Part du libre", "Libre share")
    );
    let stated: Vec<_> = col
        .figures
        .iter()
        .filter(|f| f.name.starts_with("libre-"))
        .collect();
    if stated.is_empty() {
        let _ = write!(
            out,
            "<li><strong>{}</strong> — {}</li>",
            lang.t("Déclaré", "Stated"),
            lang.t("aucun chiffre publié", "no figure published")
        );
    }
    for f in stated {
        let what = match f.name.as_str() {
            "libre-share" => lang.t("part du libre", "libre share"),
            "libre-software-count-min" => lang.t(
                "nombre de logiciels libres (au moins)",
                "number of libre programs (at least)",
            ),
            "libre-software-count-max" => lang.t(
                "nombre de logiciels libres (au plus)",
                "number of libre programs (at most)",
            ),
            other => other,
        };
        let unit = if f.unit.as_deref() == Some("percent") {
            " %"
        } else {
            ""
        };
        let sources: Vec<_> = f
            .source
            .as_ref()
            .and_then(|s| ctx.ix.find(s.as_str()))
            .map(|i| vec![ctx.source(i)])
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li><strong>{}</strong> — {} : {}{unit} {}</li>",
            lang.t("Déclaré", "Stated"),
            esc(what),
            number(lang, f.value, if f.value.fract() == 0.0 { 0 } else { 1 }),
            source_links(lang, &sources)
        );
    }
    let computed = match runs.libre_share() {
        Some(share) => format!(
            "{} % ({} {} {})",
            number(lang, share, 0),
            count(lang, u64::from(runs.libre), LIBRE_SOLUTION),
            lang.t("sur", "out of"),
            count(lang, u64::from(runs.running), RUNNING)
        ),
        None => lang
            .t(
                "aucune solution en service recensée",
                "no solution in use recorded",
            )
            .to_owned(),
    };
    let _ = writeln!(
        out,
        "<li><strong>{}</strong> — {} : {computed}</li></ul>\n</section>",
        lang.t("Calculé", "Computed"),
        lang.t(
            "part du libre parmi les adoptions connues de retex",
            "libre share among the adoptions retex knows"
        )
    );
    out
}

fn proximity(lang: Lang, p: Proximity) -> &'static str {
    match p {
        Proximity::Department => lang.t("même département", "same department"),
        Proximity::Region => lang.t("même région", "same region"),
        Proximity::Country => lang.t("même pays", "same country"),
        Proximity::None => lang.t("éloignée ou inconnue", "far or unknown"),
    }
}

fn peers(ctx: &Ctx<'_>, c: u32) -> String {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let target = Target::new(ix, c);
    let list: Vec<Similarity> = target.peers(MAX_PEERS);
    let mut out = section_start(
        "pairs",
        lang.t("Collectivités comparables", "Peers"),
        lang.t(
            "Similarité = 0,25 × même nature + 0,25 × population proche + 0,15 × géographie + 0,35 × solutions en commun (indice de Jaccard).",
            "Similarity = 0.25 × same kind + 0.25 × close population + 0.15 × geography + 0.35 × shared solutions (Jaccard index)."
        )
    );
    if list.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p></section>",
            lang.t("Aucune trouvée.", "None found.")
        );
        return out;
    }
    out.push_str(&table_start(
        lang.t(
            "Pairs et détail de la similarité",
            "Peers and how similar they are",
        ),
        &[
            lang.t("Collectivité", "Collectivity"),
            lang.t("Similarité", "Similarity"),
            lang.t("Même nature", "Same kind"),
            lang.t("Population proche", "Close population"),
            lang.t("Géographie", "Geography"),
            lang.t("Solutions en commun", "Shared solutions"),
            lang.t("Ce qu'elle utilise", "What it runs"),
        ],
    ));
    for p in &list {
        let peer = &ix.collectivities[p.peer as usize];
        let shared: Vec<String> = target
            .shared_solutions(p.peer)
            .iter()
            .take(8)
            .map(|&s| solution_link(lang, ix, s))
            .collect();
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
            node_link(lang, peer.id.as_str(), &peer.name),
            number(lang, p.total, 2),
            if p.kind > 0.0 { lang.t("oui", "yes") } else { lang.t("non", "no") },
            number(lang, p.population, 2),
            proximity(lang, p.proximity),
            p.shared_count,
            if shared.is_empty() { String::new() } else { format!("({})", shared.join(", ")) },
            runs_of(ctx, p.peer)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
    out
}

async fn alerts(ctx: &Ctx<'_>, id: &CollectivityId) -> StoreResult<String> {
    let lang = ctx.lang;
    let today = Utc::now().date_naive();
    let window = AlertWindow {
        today,
        since: today - Duration::days(365),
        horizon_days: 365,
        include_prereleases: false,
    };
    let list = crate::watch::alerts::alerts(ctx.store, id, window, &[]).await?;
    let eol: Vec<_> = list
        .iter()
        .filter(|a| matches!(a.kind, AlertKind::EolSoon | AlertKind::EolReached))
        .collect();
    let mut out = format!(
        "<section aria-labelledby=\"alertes\">\n<h2 id=\"alertes\">{}</h2>\n",
        lang.t("Alertes de fin de vie", "End-of-life alerts")
    );
    let items: Vec<String> = eol.iter().map(|a| eol_item(ctx, a)).collect();
    out.push_str(&list_or(
        "ul",
        &items,
        lang.t(
            "Aucune fin de vie passée depuis un an ou prévue dans l'année pour les solutions déployées.",
            "No end of life in the past year or the coming one for the deployed solutions.",
        ),
    ));
    let _ = writeln!(
        out,
        "<p><a href=\"/feeds/collectivities/{}.atom\">{}</a></p>\n</section>",
        esc(id.slug()),
        lang.t("Flux Atom de veille", "Watch Atom feed")
    );
    Ok(out)
}

/// One end-of-life alert: the solution, what is reached or near, the cycle, its date and
/// where to read more.
fn eol_item(ctx: &Ctx<'_>, a: &Alert) -> String {
    let lang = ctx.lang;
    let name = ctx
        .ix
        .solution(a.solution.as_str())
        .map(|s| ctx.ix.solutions[s as usize].name.clone())
        .unwrap_or_else(|| a.solution.to_string());
    format!(
        "<li>{} — {} {} ({}){}</li>",
        node_link(lang, a.solution.as_str(), &name),
        if a.kind == AlertKind::EolReached {
            lang.t("fin de vie atteinte :", "end of life reached:")
        } else {
            lang.t("fin de vie proche :", "end of life soon:")
        },
        esc(&a.version),
        a.date
            .map(|d| super::labels::date(lang, &d))
            .unwrap_or_default(),
        a.url
            .as_deref()
            .filter(|u| u.starts_with("https://"))
            .map(|u| format!(" <a href=\"{}\">endoflife.date</a>", esc(u)))
            .unwrap_or_default()
    )
}

async fn published(ctx: &Ctx<'_>, c: u32, id: &CollectivityId) -> StoreResult<String> {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let mut own: Vec<u32> = ix
        .solutions_of_collectivity
        .get(c)
        .iter()
        .copied()
        .filter(|&s| ix.solutions[s as usize].kind == SolutionKind::Internal)
        .collect();
    own.dedup();
    let contributions = ctx
        .store
        .contributions_for(vec![id.clone()], Vec::new())
        .await?;
    let mut out = format!(
        "<section aria-labelledby=\"publie\">\n<h2 id=\"publie\">{}</h2>\n",
        lang.t(
            "Ses solutions publiées et contributions",
            "Its published solutions and contributions"
        )
    );
    if own.is_empty() && contributions.is_empty() {
        let _ = write!(out, "<p>{}</p>", lang.t("Aucune connue.", "None known."));
    }
    if !own.is_empty() {
        out.push_str("<ul>");
        for s in own {
            let s = &ix.solutions[s as usize];
            let _ = write!(
                out,
                "<li>{} ({})</li>",
                node_link(lang, s.id.as_str(), &s.name),
                lang.t("solution interne", "in-house solution")
            );
        }
        out.push_str("</ul>");
    }
    if !contributions.is_empty() {
        out.push_str("<ul>");
        for k in contributions.iter().take(50) {
            let target = match (&k.solution, &k.software) {
                (Some(s), _) => {
                    let name = ix
                        .solution(s.as_str())
                        .map(|i| ix.solutions[i as usize].name.clone())
                        .unwrap_or_else(|| s.to_string());
                    node_link(lang, s.as_str(), &name)
                }
                (None, Some(name)) => esc(name),
                (None, None) => "—".to_owned(),
            };
            let sources = ctx.cited(k.id.as_str()).await?;
            let _ = write!(
                out,
                "<li>{} — {}{} {}</li>",
                target,
                contribution_kind(lang, k.kind),
                k.share_percent
                    .map(|p| format!(
                        ", {} %",
                        number(lang, p, if p.fract() == 0.0 { 0 } else { 1 })
                    ))
                    .unwrap_or_default(),
                source_links(lang, &sources)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
    Ok(out)
}

/// Most solutions named for what a peer runs.
const MAX_RUNS_NAMED: usize = 6;

/// What a collectivity runs (solutions of its running adoptions), named with links.
pub fn runs_of(ctx: &Ctx<'_>, c: u32) -> String {
    let ix = &ctx.ix;
    let mut running: Vec<u32> = ix
        .adoptions_of_collectivity
        .get(c)
        .iter()
        .filter(|&&a| crate::analysis::stats::is_running(ix, a))
        .map(|&a| ix.adoptions[a as usize].solution)
        .collect();
    running.sort_unstable();
    running.dedup();
    if running.is_empty() {
        return "—".to_owned();
    }
    let mut names: Vec<String> = running
        .iter()
        .take(MAX_RUNS_NAMED)
        .map(|&s| solution_link(ctx.lang, ix, s))
        .collect();
    if running.len() > MAX_RUNS_NAMED {
        names.push(format!(
            "{} {}",
            ctx.lang.t("et", "and"),
            count(ctx.lang, (running.len() - MAX_RUNS_NAMED) as u64, OTHER)
        ));
    }
    names.join(", ")
}
