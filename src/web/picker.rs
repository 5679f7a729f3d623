//! "Ma collectivité": any commune, EPCI, department or region, found by typing its name or
//! INSEE code in a plain search form (no JavaScript), chosen by a link (`?pour=`) that the
//! server remembers in a cookie. Nothing is chosen until the reader chooses. With JavaScript,
//! `web/suggest.js` offers the same collectivities while one types, from [`suggestions`]
//! (`/suggestions?qui=`, JSON).

use std::cmp::Reverse;
use std::fmt::Write;

use serde::Serialize;

use super::html::{esc, node_link, Lang};
use super::labels::{collectivity_kind, count, department_label, number, without_flags, ADOPTION};
use super::table::link;
use super::Ctx;
use crate::analysis::Index;
use crate::domain::{search_terms, EntityKind};
use crate::store::StoreResult;

/// Most collectivities listed for a search.
const MAX_FOUND: usize = 20;

/// Most collectivities suggested while typing.
const MAX_SUGGESTED: usize = 8;

/// A collectivity in a few words: kind, department, INSEE code, population.
pub fn describe(lang: Lang, ix: &Index, c: u32) -> String {
    let col = &ix.collectivities[c as usize];
    let mut parts = vec![collectivity_kind(lang, col.kind).to_owned()];
    if let Some(d) = &col.department {
        parts.push(department_label(ix, d));
    }
    if let Some(code) = &col.insee {
        parts.push(format!("INSEE {}", code.as_str()));
    }
    if let Some(p) = col.population {
        parts.push(format!(
            "{} {}",
            number(lang, p as f64, 0),
            lang.t("habitants", "inhabitants")
        ));
    }
    parts.join(", ")
}

/// The block of a page at `base` that shows my collectivity or helps me choose it; `why`
/// says what choosing it changes on this page.
pub async fn block(ctx: &Ctx<'_>, base: &str, why: &str) -> StoreResult<String> {
    let lang = ctx.lang;
    let mut out = format!(
        "<section class=\"pour\" aria-labelledby=\"ma-collectivite\">\n<h2 id=\"ma-collectivite\">{}</h2>\n",
        lang.t("Ma collectivité", "My collectivity")
    );
    match ctx.pour {
        Some(c) => {
            let col = &ctx.ix.collectivities[c as usize];
            let _ = writeln!(
                out,
                "<p>{} <strong>{}</strong> ({}). <a href=\"{}\">{}</a></p>",
                lang.t("Choisie :", "Chosen:"),
                node_link(lang, col.id.as_str(), &without_flags(&col.name)),
                esc(&describe(lang, &ctx.ix, c)),
                esc(&link(ctx, base, &[("pour", Some("")), ("qui", None)])),
                lang.t("Oublier ce choix", "Forget this choice")
            );
        }
        None => {
            let _ = writeln!(out, "<p>{}</p>", esc(why));
        }
    }
    out.push_str(&form(ctx, base));
    if let Some(q) = ctx
        .params
        .qui
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        out.push_str(&found(ctx, base, q).await?);
    }
    out.push_str("</section>\n");
    Ok(out)
}

fn form(ctx: &Ctx<'_>, base: &str) -> String {
    let lang = ctx.lang;
    let qui = ctx.params.qui.as_deref().unwrap_or("");
    format!(
        "<form class=\"search\" method=\"get\" action=\"{action}\" role=\"search\" aria-label=\"{aria}\" data-suggestions=\"{suggestions}\">\n\
         <label id=\"qui-label\" for=\"qui\">{label}</label>\n\
         <input id=\"qui\" name=\"qui\" type=\"search\" value=\"{value}\" autocomplete=\"off\" aria-describedby=\"qui-aide\">\n\
         <button type=\"submit\">{button}</button>\n\
         <p id=\"qui-aide\" class=\"hint\">{hint}</p>\n</form>\n\
         <script src=\"{script}\" defer></script>\n",
        action = esc(&lang.href(base)),
        suggestions = esc(&lang.href("/suggestions")),
        script = super::assets::suggest_path(),
        aria = lang.t("Chercher ma collectivité", "Find my collectivity"),
        label = lang.t(
            "Chercher ma collectivité (commune, intercommunalité, département, région)",
            "Find my collectivity (commune, intercommunality, department, region)"
        ),
        value = esc(qui),
        button = lang.t("Chercher", "Find"),
        hint = lang.t(
            "Par son nom ou son code INSEE (« Saint-Martin-d'Hères », « 38421 »). Les codes postaux ne figurent pas dans les données.",
            "By its name or INSEE code (\"Saint-Martin-d'Hères\", \"38421\"). Postcodes are not in the data."
        ),
    )
}

/// Collectivities read from the index's search before ranking them.
const CANDIDATES: usize = 400;

/// The collectivities (index positions) whose name or INSEE code matches `q`, best first:
/// those whose name begins with the words typed ("Saint-Martin-d" begins "Saint-Martin-d'Hères"
/// and "Saint-Martin-de-Crau"), then the others; within each, the most populous first (the
/// one a reader most likely means), then the search's order.
fn find(ix: &Index, q: &str, most: usize) -> Vec<u32> {
    let terms = search_terms(q, 8);
    if terms.is_empty() {
        return Vec::new();
    }
    let typed = terms.join(" ");
    let hits = ix
        .text
        .search(&terms, &[EntityKind::Collectivity], CANDIDATES);
    let mut found: Vec<(usize, u32)> = hits.iter().map(|h| h.ix).enumerate().collect();
    found.sort_by_cached_key(|&(relevance, c)| {
        let col = &ix.collectivities[c as usize];
        let begins = search_terms(&col.name, 64).join(" ").starts_with(&typed);
        (!begins, Reverse(col.population.unwrap_or(0)), relevance)
    });
    found.into_iter().take(most).map(|(_, c)| c).collect()
}

async fn found(ctx: &Ctx<'_>, base: &str, q: &str) -> StoreResult<String> {
    let lang = ctx.lang;
    let q: String = q.chars().take(200).collect();
    let chosen = find(&ctx.ix, &q, MAX_FOUND);
    if chosen.is_empty() {
        return Ok(format!(
            "<p role=\"status\">{} « {} ».</p>\n",
            lang.t(
                "Aucune collectivité trouvée pour",
                "No collectivity found for"
            ),
            esc(&q)
        ));
    }
    let mut out = format!(
        "<p role=\"status\">{} « {} » :</p>\n<ul class=\"choices\">",
        count(lang, chosen.len() as u64, super::labels::COLLECTIVITY),
        esc(&q)
    );
    for c in chosen {
        let col = &ctx.ix.collectivities[c as usize];
        let adoptions = ctx.ix.adoptions_of_collectivity.get(c).len() as u64;
        let _ = write!(
            out,
            "<li><a href=\"{}\">{} {}</a> — {}{}</li>",
            esc(&link(
                ctx,
                base,
                &[("pour", Some(col.id.slug())), ("qui", None), ("page", None)]
            )),
            lang.t("Choisir", "Choose"),
            esc(&without_flags(&col.name)),
            esc(&describe(lang, &ctx.ix, c)),
            if adoptions > 0 {
                format!(", {}", count(lang, adoptions, ADOPTION))
            } else {
                String::new()
            }
        );
    }
    out.push_str("</ul>\n");
    Ok(out)
}

/// What `/suggestions?qui=` answers: a sentence for screen readers and the collectivities.
#[derive(Debug, Serialize)]
pub struct Suggestions {
    /// How many were found, as a sentence in the page's language (empty for no text typed).
    pub status: String,
    /// The collectivities, best first.
    pub suggestions: Vec<Suggestion>,
}

/// One collectivity offered while typing.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    /// Its id without prefix, the value of `pour`.
    pub id: String,
    /// Its name (flag emoji dropped).
    pub name: String,
    /// Kind, department, INSEE code, population, in the page's language.
    pub detail: String,
}

/// The collectivities to offer for the text `qui` typed so far (at most [`MAX_SUGGESTED`]).
pub fn suggestions(lang: Lang, ix: &Index, qui: &str) -> Suggestions {
    let q: String = qui.trim().chars().take(200).collect();
    let chosen = find(ix, &q, MAX_SUGGESTED);
    let status = if q.is_empty() {
        String::new()
    } else if chosen.is_empty() {
        format!(
            "{} « {} ».",
            lang.t(
                "Aucune collectivité trouvée pour",
                "No collectivity found for"
            ),
            q
        )
    } else {
        let offered = if chosen.len() == 1 {
            lang.t("proposée", "offered")
        } else {
            lang.t("proposées", "offered")
        };
        format!(
            "{} {offered}{} {}",
            count(lang, chosen.len() as u64, super::labels::COLLECTIVITY),
            lang.t(" :", ":"),
            lang.t(
                "flèches haut et bas pour parcourir, Entrée pour choisir.",
                "up and down arrows to browse, Enter to choose."
            )
        )
    };
    let suggestions = chosen
        .into_iter()
        .map(|c| {
            let col = &ix.collectivities[c as usize];
            Suggestion {
                id: col.id.slug().to_owned(),
                name: without_flags(&col.name),
                detail: describe(lang, ix, c),
            }
        })
        .collect();
    Suggestions {
        status,
        suggestions,
    }
}
