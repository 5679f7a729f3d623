//! "Ma collectivité": any commune, EPCI, department or region, found by typing its name or
//! INSEE code in a plain search form (no JavaScript), chosen by a link (`?pour=`) that the
//! server remembers in a cookie. Nothing is chosen until the reader chooses.

use std::fmt::Write;

use super::html::{esc, node_link};
use super::labels::{collectivity_kind, count, department_label, number, without_flags, ADOPTION};
use super::table::link;
use super::Ctx;
use crate::domain::{search_terms, EntityKind};
use crate::store::StoreResult;

/// Most collectivities listed for a search.
const MAX_FOUND: usize = 20;

/// A collectivity in a few words: kind, department, INSEE code, population.
pub fn describe(ctx: &Ctx<'_>, c: u32) -> String {
    let lang = ctx.lang;
    let col = &ctx.ix.collectivities[c as usize];
    let mut parts = vec![collectivity_kind(lang, col.kind).to_owned()];
    if let Some(d) = &col.department {
        parts.push(department_label(&ctx.ix, d));
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
                esc(&describe(ctx, c)),
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
        "<form class=\"search\" method=\"get\" action=\"{action}\" role=\"search\" aria-label=\"{aria}\">\n\
         <label for=\"qui\">{label}</label>\n\
         <input id=\"qui\" name=\"qui\" type=\"search\" value=\"{value}\" autocomplete=\"off\" aria-describedby=\"qui-aide\">\n\
         <button type=\"submit\">{button}</button>\n\
         <p id=\"qui-aide\" class=\"hint\">{hint}</p>\n</form>\n",
        action = esc(&lang.href(base)),
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

async fn found(ctx: &Ctx<'_>, base: &str, q: &str) -> StoreResult<String> {
    let lang = ctx.lang;
    let q: String = q.chars().take(200).collect();
    let terms = search_terms(&q, 8);
    let hits = if terms.is_empty() {
        Vec::new()
    } else {
        ctx.store
            .search(terms, vec![EntityKind::Collectivity], MAX_FOUND)
            .await?
    };
    let chosen: Vec<u32> = hits
        .iter()
        .filter_map(|h| ctx.ix.collectivity(h.id.as_str()))
        .collect();
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
            esc(&describe(ctx, c)),
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
