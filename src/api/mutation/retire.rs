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

use async_graphql::{Context, Object, ID};

use super::field::field_id;
use super::input::{UpdateWatchSourceInput, WatchSourceInput};
use super::write::{check_exist, existing, refs, same_node, Meta};
use super::written::{mark_retired, retire, stored};
use crate::api::auth::{authenticated, authorize, Action};
use crate::api::context::store;
use crate::api::error::{ApiError, ApiResult};
use crate::api::types::{NeedNode, OutcomeNode, SourceNode, WatchSourceNode};
use crate::domain::{self, ChangeAction, NeedId, OutcomeId, SourceId, WatchSourceId};
use crate::store::{
    AdoptionFilter, AdoptionSort, Page, PageRequest, SolutionFilter, SolutionSort, WatchChange,
};

/// How many users of a need a refusal names.
const NAMED: usize = 5;

/// The watch source `id`, or NOT_FOUND.
async fn watch_source(ctx: &Context<'_>, id: WatchSourceId) -> ApiResult<domain::WatchSource> {
    existing(store(ctx).watch_sources(vec![id.clone()]).await?, &id)
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
    same_node(receipt.replayed, &receipt.source, &requested)?;
    Ok(WatchSourceNode(watch_source(ctx, receipt.source).await?))
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

/// How many rows a page's list holds in all.
fn total<T>(page: &Page<T>) -> u64 {
    page.total.unwrap_or(page.items.len() as u64)
}

/// One kind of user of a need, `total` of them, naming the first [`NAMED`] of `ids`; `None`
/// when there is none.
fn users(what: &str, ids: impl Iterator<Item = String>, total: u64) -> Option<String> {
    (total > 0).then(|| {
        let shown = ids.take(NAMED).collect();
        format!("{total} {what} ({})", named(shown, total))
    })
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
    let narrower_count = narrower.len() as u64;
    let reasons: Vec<String> = [
        users(
            "solution(s) serve it",
            solutions.items.iter().map(|(_, s)| s.id.to_string()),
            total(&solutions),
        ),
        users(
            "narrower need(s) sit under it",
            narrower.into_iter(),
            narrower_count,
        ),
        users(
            "adoption(s) are for it",
            adoptions.items.iter().map(|(_, a)| a.id.to_string()),
            total(&adoptions),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
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
        let current: domain::Outcome = stored(ctx, &id).await?;
        let parent: domain::Adoption = stored(ctx, &current.adoption).await?;
        let author = authorize(ctx, Action::WriteFor(&parent.collectivity))?;
        retire(ctx, current, author, expected_version, comment, OutcomeNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &id, SourceId::parse)?;
        let current: domain::Source = stored(ctx, &id).await?;
        retire(ctx, current, author, expected_version, comment, SourceNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &id, NeedId::parse)?;
        let current: domain::Need = stored(ctx, &id).await?;
        if let Some(why) = need_in_use(ctx, &id).await? {
            return Err(ApiError::BadInput(why));
        }
        retire(ctx, current, author, expected_version, comment, NeedNode).await
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
        let author = authorize(ctx, Action::Curate)?;
        let solution = input.solution()?;
        let source: domain::WatchSource = input.try_into()?;
        check_exist(ctx, refs("solution", std::slice::from_ref(&solution))).await?;
        let meta = Meta::create(author, idempotency_key, comment)?;
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
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &input.id, WatchSourceId::parse)?;
        let current = watch_source(ctx, id.clone()).await?;
        if current.retired.is_some() {
            return Err(ApiError::BadInput(format!(
                "{id} is retired: declare a new watch source instead"
            )));
        }
        let expected_version = input.expected_version.clone();
        let source = input.apply_to(current)?;
        let meta = Meta::change(author, ChangeAction::Update, expected_version, comment)?;
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
        let author = authorize(ctx, Action::Curate)?;
        let id = field_id("id", &id, WatchSourceId::parse)?;
        let mut source = watch_source(ctx, id).await?;
        mark_retired(&mut source)?;
        let meta = Meta::change(author, ChangeAction::Retire, expected_version, comment)?;
        commit_watch(ctx, source, meta).await
    }
}
