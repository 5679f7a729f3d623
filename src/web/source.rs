//! A source's page: what it is, who published it, when, under which licence, and where to
//! read it. Facts link here, so a source without a web address still has a page.

use super::html::{esc, section_start, Facts, Page};
use super::labels::{count, date, number, source_kind, ADOPTION, FACT};
use super::table::{Cell, Column, Place, Table};
use super::Ctx;
use crate::store::StoreResult;

/// The page of the source at index position `i`.
pub async fn page(ctx: &Ctx<'_>, i: u32) -> StoreResult<Page> {
    let lang = ctx.lang;
    let s = ctx.source(i);
    let mut facts = Facts::open();
    facts.item(
        lang.t("Nature", "Kind"),
        source_kind(lang, s.kind).to_owned(),
    );
    if let Some(p) = &s.publisher {
        facts.item(lang.t("Publié par", "Published by"), esc(p));
    }
    if let Some(d) = &s.published {
        facts.item(lang.t("Date", "Date"), date(lang, d));
    }
    facts.item(
        lang.t("Licence", "Licence"),
        s.licence
            .as_ref()
            .map(|l| esc(l.as_str()))
            .unwrap_or_else(|| {
                lang.t(
                    "non précisée (faits repris dans nos propres mots)",
                    "not stated (facts restated in our own words)",
                )
                .to_owned()
            }),
    );
    facts.item(
        lang.t("Adresse", "Address"),
        s.url
            .as_ref()
            .map(|u| format!("<a href=\"{0}\">{0}</a>", esc(u.as_str())))
            .unwrap_or_else(|| {
                lang.t("aucune adresse web publique", "no public web address")
                    .to_owned()
            }),
    );
    let cited = ctx.store.citation_counts(vec![s.id.clone()]).await?;
    let total = cited.first().map(|(_, n)| *n).unwrap_or(0);
    facts.item(
        lang.t("Faits qui la citent", "Facts citing it"),
        number(lang, total as f64, 0),
    );
    let mut body = facts.end();
    let (adoptions, outcomes) = citing(ctx, i);
    let base = format!("/sources/{}", s.id.slug());
    body.push_str(&section_start(
        "faits",
        lang.t("Les faits qui la citent", "The facts citing it"),
        &esc(&format!(
            "{} {} {} {}. {}",
            count(lang, adoptions.len() as u64, ADOPTION),
            lang.t("et les résultats de", "and the outcomes of"),
            count(lang, outcomes as u64, ADOPTION),
            lang.t("la citent (ci-dessous)", "cite it (below)"),
            lang.t(
                "Les autres faits (fiches de solutions, de collectivités, de besoins, liens de remplacement, chiffres déclarés) la citent sur leur propre page.",
                "The other facts (solution, collectivity and need records, replacement links, stated figures) cite it on their own pages."
            )
        )),
    ));
    let mut rows = adoptions;
    rows.extend(citing_outcomes(ctx, i));
    rows.sort_unstable();
    rows.dedup();
    body.push_str(
        &super::tables::adoptions_or_none(
            ctx,
            super::tables::Spec {
                id: "faits",
                caption: lang.t(
                    "Adoptions dont l'adoption ou un résultat cite cette source",
                    "Adoptions whose adoption or an outcome cites this source",
                ),
                base: &base,
                cols: super::tables::Columns {
                    collectivity: true,
                    solution: true,
                    need: true,
                },
            },
            &rows,
        )
        .await?,
    );
    body.push_str("</section>\n");
    Ok(Page {
        description: format!(
            "{}{} {}, {}.",
            super::html::source_title(lang, s).0,
            lang.t(" :", ":"),
            source_kind(lang, s.kind),
            count(lang, total, FACT)
        ),
        path: base,
        title: super::html::source_title(lang, s).0.to_owned(),
        body,
    })
}

/// The adoptions citing source `i`, and how many adoptions have an outcome citing it.
fn citing(ctx: &Ctx<'_>, i: u32) -> (Vec<u32>, usize) {
    let ix = &ctx.ix;
    let adoptions = (0..ix.adoptions.len() as u32)
        .filter(|&a| ix.adoption_sources.get(a).contains(&i))
        .collect();
    (adoptions, citing_outcomes(ctx, i).len())
}

/// The adoptions with an outcome citing source `i`.
fn citing_outcomes(ctx: &Ctx<'_>, i: u32) -> Vec<u32> {
    let ix = &ctx.ix;
    let mut out: Vec<u32> = (0..ix.outcomes.len() as u32)
        .filter(|&o| ix.outcome_sources.get(o).contains(&i))
        .map(|o| ix.outcomes[o as usize].adoption)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Every source: its kind, publisher, date and licence, as a table (downloadable).
pub async fn list(ctx: &Ctx<'_>) -> StoreResult<Page> {
    let lang = ctx.lang;
    let ix = &ctx.ix;
    let columns = Column::unsorted(
        lang,
        &[
            ("Source", "Source"),
            ("Nature", "Kind"),
            ("Publiée par", "Published by"),
            ("Date", "Date"),
            ("Licence", "Licence"),
        ],
    );
    let rows: Vec<Vec<Cell>> = ix
        .sources
        .iter()
        .map(|s| {
            vec![
                Cell::html(
                    super::html::source_link(lang, s),
                    super::html::source_title(lang, s).0.to_owned(),
                ),
                Cell::text(source_kind(lang, s.kind)),
                Cell::text(s.publisher.clone().unwrap_or_else(|| "—".to_owned())),
                Cell::text(
                    s.published
                        .as_ref()
                        .map(|d| date(lang, d))
                        .unwrap_or_else(|| "—".to_owned()),
                ),
                Cell::text(
                    s.licence
                        .as_ref()
                        .map(|l| l.as_str().to_owned())
                        .unwrap_or_else(|| {
                            lang.t(
                                "non précisée (faits repris dans nos propres mots)",
                                "not stated (facts restated in our own words)",
                            )
                            .to_owned()
                        }),
                ),
            ]
        })
        .collect();
    let total = rows.len();
    let table = Table {
        id: "sources",
        caption: lang
            .t(
                "Toutes les sources, avec leur licence",
                "Every source, with its licence",
            )
            .to_owned(),
        columns,
        rows,
    };
    let body = format!(
        "<p>{}</p>\n{}",
        lang.t(
            "Chaque fait du graphe cite au moins l'une de ces sources ; la page de chacune liste les faits qui la citent.",
            "Every fact of the graph cites at least one of these sources; each one's page lists the facts citing it."
        ),
        table.render(
            ctx,
            &Place {
                base: "/sources/",
                total,
                first: 0,
            },
        )
    );
    Ok(Page {
        path: "/sources/".to_owned(),
        title: lang
            .t("Sources et licences", "Sources and licences")
            .to_owned(),
        description: lang
            .t(
                "Les sources des faits de retex : nature, éditeur, date et licence.",
                "The sources of retex's facts: kind, publisher, date and licence.",
            )
            .to_owned(),
        body,
    })
}
