//! What every write shares: who, what and why ([`Meta`]), the references checked to exist and
//! be live, the one versioned store write, and reading back what was written.

use std::fmt::Display;

use async_graphql::Context;
use chrono::Utc;

use super::field::bad;
use super::written::retired_among;
use crate::api::context::store;
use crate::api::error::{ApiError, ApiResult};
use crate::domain::{
    self, check_comment, Batch, ChangeAction, Citation, NodeId, PartialDate, SourceId, TokenId,
};
use crate::store::{Change, ChangeReceipt};

/// Longest idempotency key, in characters.
const MAX_KEY_CHARS: usize = 100;

/// A comment: blank means none; otherwise the domain's rule for comments.
fn check_comment_input(comment: Option<String>) -> ApiResult<Option<String>> {
    match comment {
        Some(c) if c.trim().is_empty() => Ok(None),
        Some(c) => {
            check_comment(&c).map_err(bad("comment"))?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

/// An idempotency key: 1 to [`MAX_KEY_CHARS`] characters.
fn check_key(key: Option<String>) -> ApiResult<Option<String>> {
    match key {
        Some(k) if k.is_empty() || k.chars().count() > MAX_KEY_CHARS => Err(ApiError::BadInput(
            format!("idempotencyKey: between 1 and {MAX_KEY_CHARS} characters"),
        )),
        other => Ok(other),
    }
}

/// What every change shares besides its batch.
pub(super) struct Meta {
    pub(super) author: TokenId,
    pub(super) action: ChangeAction,
    pub(super) comment: Option<String>,
    pub(super) expected_version: Option<String>,
    pub(super) idempotency_key: Option<String>,
}

impl Meta {
    /// A creation, which a replayed `idempotency_key` answers again.
    pub(super) fn create(
        author: TokenId,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<Self> {
        Ok(Self {
            author,
            action: ChangeAction::Create,
            comment: check_comment_input(comment)?,
            expected_version: None,
            idempotency_key: check_key(idempotency_key)?,
        })
    }

    /// A change of a node read at `expected_version` (an update or a retirement).
    pub(super) fn change(
        author: TokenId,
        action: ChangeAction,
        expected_version: String,
        comment: Option<String>,
    ) -> ApiResult<Self> {
        Ok(Self {
            author,
            action,
            comment: check_comment_input(comment)?,
            expected_version: Some(expected_version),
            idempotency_key: None,
        })
    }

    /// A catalogue save: a creation without `expected_version`, else an update.
    pub(super) fn save(
        author: TokenId,
        expected_version: Option<String>,
        idempotency_key: Option<String>,
        comment: Option<String>,
    ) -> ApiResult<Self> {
        match expected_version {
            Some(version) => Self::change(author, ChangeAction::Update, version, comment),
            None => Self::create(author, idempotency_key, comment),
        }
    }
}

/// The one node a read after a write found, or an internal error.
pub(super) fn found<T, N>(mut nodes: Vec<T>, wrap: fn(T) -> N) -> ApiResult<N> {
    nodes.pop().map(wrap).ok_or(ApiError::Internal)
}

/// The one node a read by `id` found, or NOT_FOUND.
pub(super) fn existing<T>(mut nodes: Vec<T>, id: &impl Display) -> ApiResult<T> {
    nodes
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("nothing has the id `{id}`")))
}

/// Today, as the day a node is retired.
pub(super) fn today() -> ApiResult<PartialDate> {
    PartialDate::parse(&Utc::now().format("%Y-%m-%d").to_string()).map_err(|_| ApiError::Internal)
}

/// The references of `field` to check.
pub(super) fn refs<T: Clone + Into<NodeId>>(
    field: &'static str,
    ids: &[T],
) -> Vec<(&'static str, NodeId)> {
    ids.iter().map(|id| (field, id.clone().into())).collect()
}

/// Fails with BAD_USER_INPUT naming the field when a referenced node does not exist (the
/// store checks again inside its transaction).
pub(super) async fn check_exist(ctx: &Context<'_>, refs: Vec<(&str, NodeId)>) -> ApiResult<()> {
    if refs.is_empty() {
        return Ok(());
    }
    let missing = store(ctx)
        .missing(refs.iter().map(|(_, id)| id.clone()).collect())
        .await?;
    if let Some((field, id)) = refs.iter().find(|(_, id)| missing.contains(id)) {
        return Err(ApiError::BadInput(format!("{field}: {id} does not exist")));
    }
    check_live(ctx, &refs).await
}

/// Fails with BAD_USER_INPUT naming the field when a referenced need or source is retired:
/// nothing new may refer to a retired need or cite a retired source.
async fn check_live(ctx: &Context<'_>, refs: &[(&str, NodeId)]) -> ApiResult<()> {
    let mut retired = retired_among::<domain::Need>(ctx, refs).await?;
    retired.extend(retired_among::<domain::Source>(ctx, refs).await?);
    match refs
        .iter()
        .find(|(_, id)| retired.iter().any(|r| r == id.as_str()))
    {
        Some((field, id)) => Err(ApiError::BadInput(format!(
            "{field}: {id} is retired; refer to a live one"
        ))),
        None => Ok(()),
    }
}

/// The citations of `subject` by `sources`.
pub(super) fn citations(subject: &NodeId, sources: Vec<SourceId>) -> Vec<Citation> {
    sources
        .into_iter()
        .map(|source| Citation {
            locator: None,
            subject: subject.clone(),
            source,
        })
        .collect()
}

/// Writes a change of `node` in one versioned store write.
pub(super) async fn commit(
    ctx: &Context<'_>,
    node: NodeId,
    batch: Batch,
    meta: Meta,
) -> ApiResult<ChangeReceipt> {
    let change = Change {
        node,
        batch,
        expected_version: meta.expected_version,
        author: meta.author,
        action: meta.action,
        comment: meta.comment,
        idempotency_key: meta.idempotency_key,
    };
    Ok(store(ctx).write_change(change).await?)
}

/// Checks that a replayed creation named the same node as this request: a key is for retrying
/// one request, not for another.
pub(super) fn same_node(
    replayed: bool,
    written: &impl Display,
    requested: &impl Display,
) -> ApiResult<()> {
    if replayed && written.to_string() != requested.to_string() {
        return Err(ApiError::Conflict(format!(
            "this idempotency key was used to create {written}, not {requested}"
        )));
    }
    Ok(())
}
