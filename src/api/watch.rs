//! The release watch in GraphQL: releases, the watch's status, alerts for a collectivity,
//! release cycles, and the `releasePublished` subscription (graphql-transport-ws).

use std::collections::HashSet;

use async_graphql::{Context, InputObject, Subscription, ID};
use chrono::{DateTime, NaiveDate, Utc};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::bounds::WideInt;
use super::context::store;
use super::error::{ApiError, ApiResult};
use super::inputs::parse_id;
use super::paging::{self, connection, Conn};
use super::types::{AlertNode, ReleaseCycleNode, ReleaseNode, WatchStatusNode};
use crate::domain::{self, AlertWindow};
use crate::store::{PageRequest, ReleaseFilter, SolutionFilter, SolutionSort};
use crate::watch::{alerts, ReleaseEvents};

/// Reads `since`: an RFC 3339 time or a `YYYY-MM-DD` day (midnight UTC).
pub fn parse_since(text: &str) -> ApiResult<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| {
            ApiError::BadInput(format!(
                "`{text}` is neither an RFC 3339 time nor a YYYY-MM-DD date"
            ))
        })
}

/// A page of releases, newest first.
pub async fn releases(
    ctx: &Context<'_>,
    solution: Option<ID>,
    since: Option<String>,
    include_prereleases: bool,
    first: Option<WideInt>,
    after: Option<String>,
) -> ApiResult<Conn<ReleaseNode>> {
    let solutions = solution
        .map(|s| parse_id(&s, domain::SolutionId::parse))
        .transpose()?
        .into_iter()
        .collect();
    let filter = ReleaseFilter {
        solutions,
        since: since.as_deref().map(parse_since).transpose()?,
        include_prereleases,
    };
    let want_total = ctx.look_ahead().field("totalCount").exists();
    let page = store(ctx)
        .releases(filter, paging::request(first, after, want_total)?)
        .await?;
    Ok(connection(page, ReleaseNode))
}

/// Where every watch source stands (retired ones only when asked).
pub async fn watch_status(
    ctx: &Context<'_>,
    include_retired: bool,
) -> ApiResult<Vec<WatchStatusNode>> {
    Ok(store(ctx)
        .watch_status()
        .await?
        .into_iter()
        .filter(|s| include_retired || s.source.retired.is_none())
        .map(WatchStatusNode)
        .collect())
}

/// The release cycles of a solution.
pub async fn release_cycles(ctx: &Context<'_>, solution: ID) -> ApiResult<Vec<ReleaseCycleNode>> {
    let id = parse_id(&solution, domain::SolutionId::parse)?;
    Ok(store(ctx)
        .release_cycles_for(vec![id])
        .await?
        .into_iter()
        .map(ReleaseCycleNode)
        .collect())
}

/// The version of a solution a collectivity runs.
#[derive(InputObject)]
pub struct RunningVersion {
    /// The solution (`solution:nextcloud`).
    pub solution: ID,
    /// The version it runs (`29.0.4`, `12.5`).
    pub version: String,
}

/// Most running versions given to one `alerts` query.
const MAX_RUNNING: usize = 100;

fn running_versions(running: Vec<RunningVersion>) -> ApiResult<Vec<(domain::SolutionId, String)>> {
    if running.len() > MAX_RUNNING {
        return Err(ApiError::BadInput(format!(
            "`running` takes at most {MAX_RUNNING} versions"
        )));
    }
    running
        .into_iter()
        .map(|r| {
            let version = r.version.trim().to_owned();
            if version.is_empty() || version.len() > 100 {
                return Err(ApiError::BadInput(
                    "a running version must have 1 to 100 characters".to_owned(),
                ));
            }
            Ok((parse_id(&r.solution, domain::SolutionId::parse)?, version))
        })
        .collect()
}

/// The alerts of a collectivity.
pub async fn collectivity_alerts(
    ctx: &Context<'_>,
    collectivity: ID,
    since: Option<String>,
    within_days: WideInt,
    include_prereleases: bool,
    running: Vec<RunningVersion>,
) -> ApiResult<Vec<AlertNode>> {
    let id = parse_id(&collectivity, domain::CollectivityId::parse)?;
    let versions = running_versions(running)?;
    let within_days = super::bounds::within("withinDays", within_days, 0, 3650)?;
    let today = Utc::now().date_naive();
    let since = match since {
        Some(s) => parse_since(&s)?.date_naive(),
        None => today - chrono::Duration::days(90),
    };
    let window = AlertWindow {
        today,
        since,
        horizon_days: i64::from(within_days),
        include_prereleases,
    };
    Ok(alerts::alerts(store(ctx).as_ref(), &id, window, &versions)
        .await?
        .into_iter()
        .map(AlertNode)
        .collect())
}

/// Most solutions a `need` subscription follows.
const MAX_FOLLOWED: usize = 1_000;

/// The solutions a subscription follows; `None` for every solution.
async fn followed(
    ctx: &Context<'_>,
    solution: Option<ID>,
    need: Option<ID>,
    collectivity: Option<ID>,
) -> ApiResult<Option<HashSet<domain::SolutionId>>> {
    let store = store(ctx);
    let mut set: Option<HashSet<domain::SolutionId>> = None;
    let mut narrow = |ids: Vec<domain::SolutionId>| {
        let ids: HashSet<_> = ids.into_iter().collect();
        set = Some(match set.take() {
            Some(s) => s.intersection(&ids).cloned().collect(),
            None => ids,
        });
    };
    if let Some(s) = solution {
        narrow(vec![parse_id(&s, domain::SolutionId::parse)?]);
    }
    if let Some(n) = need {
        let filter = SolutionFilter {
            need: Some(parse_id(&n, domain::NeedId::parse)?),
            include_narrower: true,
            ..SolutionFilter::default()
        };
        let mut request = PageRequest::first(MAX_FOLLOWED);
        request.want_total = false;
        let page = store
            .list_solutions(filter, SolutionSort::Id, request)
            .await?;
        narrow(page.items.into_iter().map(|(_, s)| s.id).collect());
    }
    if let Some(c) = collectivity {
        let id = parse_id(&c, domain::CollectivityId::parse)?;
        narrow(alerts::deployed_solutions(store.as_ref(), &id).await?);
    }
    Ok(set)
}

/// The subscription root.
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// Releases the moment the watch stores them: of one solution, of the solutions serving a
    /// need (or a narrower one), or of those a collectivity runs (DEPLOYED adoptions); every
    /// release when no argument is given. Arguments given together must all match. The
    /// solutions followed are fixed when the subscription starts.
    async fn release_published(
        &self,
        ctx: &Context<'_>,
        solution: Option<ID>,
        need: Option<ID>,
        collectivity: Option<ID>,
        #[graphql(default = true)] include_prereleases: bool,
    ) -> async_graphql::Result<impl Stream<Item = ReleaseNode>> {
        let followed = followed(ctx, solution, need, collectivity).await?;
        let events = ctx.data_unchecked::<ReleaseEvents>().subscribe();
        let stream = futures::stream::unfold(events, |mut events| async move {
            loop {
                match events.recv().await {
                    Ok(release) => return Some((release, events)),
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "a releasePublished subscriber lagged behind");
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        });
        Ok(stream.filter_map(move |release| {
            let keep = (include_prereleases || !release.prerelease)
                && followed
                    .as_ref()
                    .is_none_or(|f| f.contains(&release.solution));
            async move { keep.then_some(ReleaseNode(release)) }
        }))
    }
}
