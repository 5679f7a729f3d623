//! Retirements and the release watch's sources, through the API.
//!
//! A retired node stays in the graph, readable by id and in its history, and marked with the
//! day it was retired; it is left out where a live one is expected:
//!
//! - an **outcome** (by the adoption's collectivity, like its other outcomes) no longer counts
//!   as evidence, and leaves `Adoption.outcomes` (unless `includeRetired`) and outcome filters;
//! - a **source** (curators) stays cited by the facts that cite it (their provenance does not
//!   change after the fact), but no new fact may cite it;
//! - a **need** (curators) is refused while solutions serve it, adoptions are for it or live
//!   narrower needs sit under it (BAD_USER_INPUT saying which); once retired it leaves `needs`
//!   and `narrower`, and nothing new may refer to it.
//!
//! Watch sources are declared, changed and retired by curators (and admins): they are
//! catalogue data about a solution, shared by every collectivity running it, and they make
//! the server poll the URL they name. A retired watch source is never polled again, its
//! releases stay, and `watchStatus` leaves it out unless `includeRetired` is true.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::Utc;

use super::auth::{authenticated, authorize, Action};
use super::bounds::{self, WideInt};
use super::context::store;
use super::error::{ApiError, ApiResult};
use super::mutation::{
    adoption, bad, check_comment_input, check_exist, check_key, commit, field_id, found, invalid,
    refs, url, Meta,
};
use super::types::WatchSourceNode;
use super::types::{NeedNode, OutcomeNode, SourceNode};
use crate::domain::{
    self, Batch, ChangeAction, NeedId, OutcomeId, PartialDate, SolutionId, SourceId, WatchLocation,
    WatchSourceId,
};
use crate::store::{
    AdoptionFilter, AdoptionSort, PageRequest, SolutionFilter, SolutionSort, WatchChange,
};

/// How many users of a need a refusal names.
const NAMED: usize = 5;

/// A GitLab project on a host.
#[derive(InputObject)]
pub struct GitlabInput {
    /// The host (`https://gitlab.com`, a public-sector forge).
    pub host: String,
    /// The project path (`group/name`).
    pub project: String,
}

/// A new watch source: exactly one of `github`, `gitlab`, `feed`, `endoflife`.
#[derive(InputObject)]
pub struct WatchSourceInput {
    /// Its id; by default `watch:<solution slug>-<kind>`.
    pub id: Option<ID>,
    /// The solution whose releases it lists.
    pub solution: ID,
    /// A GitHub repository (`owner/name`).
    pub github: Option<String>,
    /// A GitLab project on any host.
    pub gitlab: Option<GitlabInput>,
    /// An Atom or RSS feed URL.
    pub feed: Option<String>,
    /// An endoflife.date product (`debian`).
    pub endoflife: Option<String>,
    /// Seconds between two polls: 300 to 2147483647 (21600 by default).
    pub interval_seconds: Option<WideInt>,
}

/// Changes to a watch source; absent fields are left as they are. A new location (at most one
/// of `github`, `gitlab`, `feed`, `endoflife`) keeps the id and forgets the validators of the
/// old URL.
#[derive(InputObject)]
pub struct UpdateWatchSourceInput {
    /// The watch source.
    pub id: ID,
    /// The `version` read before editing.
    pub expected_version: String,
    /// A GitHub repository (`owner/name`).
    pub github: Option<String>,
    /// A GitLab project on any host.
    pub gitlab: Option<GitlabInput>,
    /// An Atom or RSS feed URL.
    pub feed: Option<String>,
    /// An endoflife.date product.
    pub endoflife: Option<String>,
    /// Seconds between two polls: 300 to 2147483647.
    pub interval_seconds: Option<WideInt>,
}

/// An `intervalSeconds` input, checked against its range.
fn interval_seconds(value: Option<WideInt>) -> ApiResult<Option<u32>> {
    let min = domain::MIN_INTERVAL_SECS as i32;
    bounds::within_opt("intervalSeconds", value, min, bounds::INT_MAX)
}

/// Today, as the day a node is retired.
fn today() -> ApiResult<PartialDate> {
    PartialDate::parse(&Utc::now().format("%Y-%m-%d").to_string()).map_err(|_| ApiError::Internal)
}

/// The location given, if any (several are refused by the domain's own rule).
fn location(
    github: Option<String>,
    gitlab: Option<GitlabInput>,
    feed: Option<String>,
    endoflife: Option<String>,
) -> ApiResult<Option<WatchLocation>> {
    if github.is_none() && gitlab.is_none() && feed.is_none() && endoflife.is_none() {
        return Ok(None);
    }
    let gitlab = gitlab
        .map(|g| -> ApiResult<_> {
            let host = url("gitlab.host", Some(&g.host))?.ok_or(ApiError::Internal)?;
            Ok((host, g.project))
        })
        .transpose()?;
    let feed = url("feed", feed.as_deref())?;
    WatchLocation::one_of(github, gitlab, feed, endoflife)
        .map(Some)
        .map_err(invalid)
}

async fn watch_source(ctx: &Context<'_>, id: WatchSourceId) -> ApiResult<domain::WatchSource> {
    store(ctx)
        .watch_sources(vec![id.clone()])
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))
}

/// Writes a watch-source change; a replayed key must have created this very source.
async fn commit_watch(
    ctx: &Context<'_>,
    source: domain::WatchSource,
    meta: Meta,
) -> ApiResult<WatchSourceNode> {
    let requested = source.id.clone();
    let receipt = store(ctx)
        .write_watch_change(WatchChange {
            source,
            expected_version: meta.expected_version,
            author: meta.author,
            action: meta.action,
            comment: meta.comment,
            idempotency_key: meta.idempotency_key,
        })
        .await?;
    if receipt.replayed && receipt.source != requested {
        return Err(ApiError::Conflict(format!(
            "this idempotency key was used to create {}, not {requested}",
            receipt.source
        )));
    }
    Ok(WatchSourceNode(watch_source(ctx, receipt.source).await?))
}

fn retire_meta(
    author: domain::TokenId,
    expected_version: String,
    comment: Option<String>,
) -> ApiResult<Meta> {
    Ok(Meta {
        author,
        action: ChangeAction::Retire,
        comment: check_comment_input(comment)?,
        expected_version: Some(expected_version),
        idempotency_key: None,
    })
}

/// Names up to [`NAMED`] ids, and how many more there are.
fn named(ids: Vec<String>, total: u64) -> String {
    let more = total.saturating_sub(ids.len() as u64);
    let mut text = ids.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// Why a need cannot be retired yet, if it cannot.
async fn need_in_use(ctx: &Context<'_>, id: &NeedId) -> ApiResult<Option<String>> {
    let store = store(ctx);
    let first = PageRequest::first(NAMED);
    let solutions = store
        .list_solutions(
            SolutionFilter {
                need: Some(id.clone()),
                ..SolutionFilter::default()
            },
            SolutionSort::Id,
            first.clone(),
        )
        .await?;
    let adoptions = store
        .list_adoptions(
            AdoptionFilter {
                need: Some(id.clone()),
                ..AdoptionFilter::default()
            },
            AdoptionSort::Id,
            first,
        )
        .await?;
    let narrower: Vec<String> = store
        .narrower_needs(vec![id.clone()])
        .await?
        .into_iter()
        .filter(|(_, n)| n.retired.is_none())
        .map(|(_, n)| n.id.to_string())
        .collect();
    let mut reasons = Vec::new();
    let solution_count = solutions.total.unwrap_or(solutions.items.len() as u64);
    if solution_count > 0 {
        let ids = solutions.items.into_iter().map(|(_, s)| s.id.to_string());
        reasons.push(format!(
            "{solution_count} solution(s) serve it ({})",
            named(ids.collect(), solution_count)
        ));
    }
    if !narrower.is_empty() {
        let count = narrower.len() as u64;
        let shown = narrower.into_iter().take(NAMED).collect();
        reasons.push(format!(
            "{count} narrower need(s) sit under it ({})",
            named(shown, count)
        ));
    }
    let adoption_count = adoptions.total.unwrap_or(adoptions.items.len() as u64);
    if adoption_count > 0 {
        let ids = adoptions.items.into_iter().map(|(_, a)| a.id.to_string());
        reasons.push(format!(
            "{adoption_count} adoption(s) are for it ({})",
            named(ids.collect(), adoption_count)
        ));
    }
    Ok((!reasons.is_empty()).then(|| {
        format!(
            "{id} is still in use: {}; move them to another need first",
            reasons.join("; ")
        )
    }))
}

/// Retirements and watch-source writes.
#[derive(Default)]
pub struct RetireMutations;

#[Object]
impl RetireMutations {
    /// Retires an outcome of one of the token's collectivity's adoptions (withdrawn, or found
    /// wrong): it stays readable by id and in history, marked `retired`, but no longer counts
    /// as evidence and leaves `Adoption.outcomes`. Retiring it again changes nothing.
    async fn retire_outcome(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: String,
        comment: Option<String>,
    ) -> ApiResult<OutcomeNode> {
        authenticated(ctx)?;
        let id = field_id("id", &id, OutcomeId::parse)?;
        let mut current = store(ctx)
            .outcomes(vec![id.clone()])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))?;
        let parent = adoption(ctx, current.adoption.clone()).await?;
        let author = authorize(ctx, Action::WriteFor(&parent.collectivity))?;
        if current.retired.is_none() {
            current.retired = Some(today()?);
        }
        let meta = retire_meta(author, expected_version, comment)?;
        let batch = Batch {
            outcomes: vec![current],
            ..Batch::default()
        };
        commit(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).outcomes(vec![id]).await?, OutcomeNode)
    }

    /// Retires a source (curator scope): the facts that cite it keep citing it, so their
    /// provenance stays as it was, but no new fact may cite it. Retiring it again changes
    /// nothing.
    async fn retire_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: String,
        comment: Option<String>,
    ) -> ApiResult<SourceNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &id, SourceId::parse)?;
        let mut current = store(ctx)
            .sources(vec![id.clone()])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))?;
        if current.retired.is_none() {
            current.retired = Some(today()?);
        }
        let meta = retire_meta(author, expected_version, comment)?;
        let batch = Batch {
            sources: vec![current],
            ..Batch::default()
        };
        commit(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).sources(vec![id]).await?, SourceNode)
    }

    /// Retires a need (curator scope). Refused with BAD_USER_INPUT while solutions serve it,
    /// adoptions are for it or live narrower needs sit under it (the message names them).
    /// Once retired it leaves `needs` and `narrower`, and nothing new may refer to it.
    async fn retire_need(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: String,
        comment: Option<String>,
    ) -> ApiResult<NeedNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &id, NeedId::parse)?;
        let mut current = store(ctx)
            .needs(vec![id.clone()])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))?;
        if let Some(why) = need_in_use(ctx, &id).await? {
            return Err(ApiError::BadInput(why));
        }
        if current.retired.is_none() {
            current.retired = Some(today()?);
        }
        let meta = retire_meta(author, expected_version, comment)?;
        let batch = Batch {
            needs: vec![current],
            ..Batch::default()
        };
        commit(ctx, id.clone().into(), batch, meta).await?;
        found(store(ctx).needs(vec![id]).await?, NeedNode)
    }

    /// Declares where a solution's releases are followed (curator scope), checked as the
    /// seed's `watch_sources` are. Retrying with the same `idempotencyKey` answers the source
    /// created the first time.
    async fn create_watch_source(
        &self,
        ctx: &Context<'_>,
        input: WatchSourceInput,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<WatchSourceNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let solution = field_id("solution", &input.solution, SolutionId::parse)?;
        let id = input
            .id
            .as_deref()
            .map(|id| WatchSourceId::parse(id).map_err(bad("id")))
            .transpose()?;
        let location = location(input.github, input.gitlab, input.feed, input.endoflife)?
            .ok_or_else(|| {
                ApiError::BadInput(
                    "a watch source needs exactly one of github, gitlab, feed, endoflife"
                        .to_owned(),
                )
            })?;
        let source = domain::WatchSource::declare(
            solution.clone(),
            location,
            id,
            interval_seconds(input.interval_seconds)?,
        )
        .map_err(invalid)?;
        check_exist(ctx, refs("solution", std::slice::from_ref(&solution))).await?;
        let meta = Meta {
            author,
            action: ChangeAction::Create,
            comment: check_comment_input(comment)?,
            expected_version: None,
            idempotency_key: check_key(idempotency_key)?,
        };
        commit_watch(ctx, source, meta).await
    }

    /// Changes a watch source (curator scope); fails with CONFLICT when it changed since
    /// `expectedVersion`. A new URL forgets the validators of the old one and makes it due.
    async fn update_watch_source(
        &self,
        ctx: &Context<'_>,
        input: UpdateWatchSourceInput,
        comment: Option<String>,
    ) -> ApiResult<WatchSourceNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &input.id, WatchSourceId::parse)?;
        let current = watch_source(ctx, id.clone()).await?;
        if current.retired.is_some() {
            return Err(ApiError::BadInput(format!(
                "{id} is retired: declare a new watch source instead"
            )));
        }
        let mut source = match location(input.github, input.gitlab, input.feed, input.endoflife)? {
            Some(location) => current.relocate(location).map_err(invalid)?,
            None => current,
        };
        if let Some(interval) = interval_seconds(input.interval_seconds)? {
            source.check_interval(interval).map_err(invalid)?;
            source.interval_secs = interval;
        }
        let meta = Meta {
            author,
            action: ChangeAction::Update,
            comment: check_comment_input(comment)?,
            expected_version: Some(input.expected_version),
            idempotency_key: None,
        };
        commit_watch(ctx, source, meta).await
    }

    /// Retires a watch source (curator scope): it is never polled again, its releases are
    /// kept, and `watchStatus` leaves it out unless asked. Retiring it again changes nothing.
    async fn retire_watch_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: String,
        comment: Option<String>,
    ) -> ApiResult<WatchSourceNode> {
        authenticated(ctx)?;
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &id, WatchSourceId::parse)?;
        let mut source = watch_source(ctx, id).await?;
        if source.retired.is_none() {
            source.retired = Some(today()?);
        }
        let meta = retire_meta(author, expected_version, comment)?;
        commit_watch(ctx, source, meta).await
    }
}
