//! A source's page: what it is, who published it, when, under which licence, and where to
//! read it. Facts link here, so a source without a web address still has a page.

use std::fmt::Write;

use super::html::{esc, source_kind, Page};
use super::Ctx;
use crate::store::StoreResult;

/// The page of the source `id`, or `None` when there is none.
pub async fn page(ctx: &Ctx<'_>, id: &str) -> StoreResult<Option<Page>> {
    let Some(i) = ctx.ix.find(id).filter(|_| id.starts_with("source:")) else {
        return Ok(None);
    };
    let lang = ctx.lang;
    let s = ctx.source(i);
    let mut body = String::from("<dl class=\"facts\">");
    let mut item = |term: &str, value: String| {
        let _ = write!(body, "<dt>{term}</dt><dd>{value}</dd>");
    };
    item(
        lang.t("Nature", "Kind"),
        source_kind(lang, s.kind).to_owned(),
    );
    if let Some(p) = &s.publisher {
        item(lang.t("Publié par", "Published by"), esc(p));
    }
    if let Some(d) = &s.published {
        item(lang.t("Date", "Date"), d.to_string());
    }
    item(
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
    item(
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
    let count = cited.first().map(|(_, n)| *n).unwrap_or(0);
    item(
        lang.t("Faits qui la citent", "Facts citing it"),
        count.to_string(),
    );
    body.push_str("</dl>\n");
    Ok(Some(Page {
        path: format!("/sources/{}", s.id.slug()),
        title: s.title.clone(),
        body,
    }))
}
