//! The release watch in GraphQL: releases, the watch's status, alerts for a collectivity,
//! release cycles, and the `releasePublished` subscription (graphql-transport-ws).

use std::collections::HashSet;

use async_graphql::{Context, Enum, InputObject, Object, Subscription, ID};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::bounds::WideInt;
use super::context::{load, store};
use super::error::{ApiError, ApiResult};
use super::inputs::parse_id;
use super::nodes::{CollectivityNode, SolutionNode};
use super::paging::{self, connection, Conn};
use crate::domain::{self, AlertWindow, EndOfLife, Release};
use crate::store::{PageRequest, ReleaseFilter, SolutionFilter, SolutionSort};
use crate::watch::{alerts, ReleaseEvents};

/// What a watch source speaks.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::WatchKind")]
pub enum WatchKind {
    /// GitHub's releases API.
    Github,
    /// A GitLab host's releases API.
    Gitlab,
    /// An Atom or RSS feed.
    Feed,
    /// An endoflife.date product.
    Endoflife,
}

/// What an alert is about.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::AlertKind")]
pub enum AlertKind {
    /// A new release of a solution the collectivity runs.
    NewRelease,
    /// A release cycle it runs reaches its end of life soon.
    EolSoon,
    /// A release cycle it runs has reached its end of life.
    EolReached,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

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

/// A release of a solution, as a watch source listed it.
pub struct ReleaseNode(pub Release);

#[Object(name = "Release", cache_control(no_cache))]
impl ReleaseNode {
    /// Its stable key: `<watch source id>@<version>`.
    async fn key(&self) -> String {
        self.0.key()
    }
    /// The version as published, without a leading `v`.
    async fn version(&self) -> &str {
        &self.0.version
    }
    /// Its semantic version, normalised (`24.8` → `24.8.0`), when it reads as one.
    async fn semver(&self) -> Option<&str> {
        self.0.semver.as_deref()
    }
    /// Whether it is a pre-release.
    async fn prerelease(&self) -> bool {
        self.0.prerelease
    }
    /// When it was published (RFC 3339), when the source says.
    async fn published(&self) -> Option<String> {
        self.0.published.map(time)
    }
    /// When the watch first stored it (RFC 3339).
    async fn first_seen(&self) -> Option<String> {
        self.0.first_seen.map(time)
    }
    /// Its page.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Its title, when the source gives one.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The watch source that listed it.
    async fn source(&self) -> ID {
        ID(self.0.source.to_string())
    }
    /// The solution released.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.solution.clone()).await?.map(SolutionNode))
    }
}

/// Where the releases of a solution are followed (as declared: its poll state is on
/// `WatchStatus`).
pub struct WatchSourceNode(pub domain::WatchSource);

#[Object(name = "WatchSource")]
impl WatchSourceNode {
    /// Its version: pass it as `expectedVersion` when updating or retiring it.
    async fn version(&self) -> String {
        crate::store::version_of(&self.0)
    }
    /// Its id (`watch:bigbluebutton-github`).
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What it speaks.
    async fn kind(&self) -> WatchKind {
        self.0.kind.into()
    }
    /// The URL polled.
    async fn url(&self) -> &str {
        self.0.url.as_str()
    }
    /// Seconds between two polls.
    async fn interval_seconds(&self) -> u32 {
        self.0.interval_secs
    }
    /// When it was retired (`YYYY-MM-DD`): a retired source is never polled again; the
    /// releases it listed are kept. Null while it is watched.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
    }
    /// The solution it follows.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.solution.clone()).await?.map(SolutionNode))
    }
}

/// Where the releases of a solution are followed, and how that goes.
pub struct WatchStatusNode(pub domain::WatchStatus);

#[Object(name = "WatchStatus", cache_control(no_cache))]
impl WatchStatusNode {
    /// The source's id (`watch:bigbluebutton-github`).
    async fn id(&self) -> ID {
        ID(self.0.source.id.to_string())
    }
    /// What it speaks.
    async fn kind(&self) -> WatchKind {
        self.0.source.kind.into()
    }
    /// The URL polled.
    async fn url(&self) -> &str {
        self.0.source.url.as_str()
    }
    /// Seconds between two polls.
    async fn interval_seconds(&self) -> u32 {
        self.0.source.interval_secs
    }
    /// Its version: pass it as `expectedVersion` when updating or retiring it.
    async fn version(&self) -> String {
        crate::store::version_of(&self.0.source)
    }
    /// When it was retired (`YYYY-MM-DD`; only with `includeRetired`): never polled again.
    async fn retired(&self) -> Option<String> {
        self.0.source.retired.map(|d| d.to_string())
    }
    /// The solution it follows.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.source.solution.clone())
            .await?
            .map(SolutionNode))
    }
    /// When it was last polled (RFC 3339).
    async fn last_checked(&self) -> Option<String> {
        self.0.last_checked.map(time)
    }
    /// When it last answered well, with content or "not modified".
    async fn last_success(&self) -> Option<String> {
        self.0.last_success.map(time)
    }
    /// The error of its last poll, when that poll failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When it will be polled next; null when due now.
    async fn next_check(&self) -> Option<String> {
        self.0.next_check.map(time)
    }
    /// Failed polls in a row.
    async fn failures(&self) -> u32 {
        self.0.failures
    }
    /// Releases stored from it.
    async fn release_count(&self) -> u64 {
        self.0.releases
    }
}

/// A release cycle of a product, with its end of life (from endoflife.date).
pub struct ReleaseCycleNode(pub domain::ReleaseCycle);

#[Object(name = "ReleaseCycle", cache_control(no_cache))]
impl ReleaseCycleNode {
    /// The product at the source (`debian`).
    async fn product(&self) -> &str {
        &self.0.product
    }
    /// The cycle (`12`).
    async fn cycle(&self) -> &str {
        &self.0.cycle
    }
    /// When it was first released (`YYYY-MM-DD`).
    async fn released(&self) -> Option<String> {
        self.0.released.map(|d| d.to_string())
    }
    /// When its support ends (`YYYY-MM-DD`), when a date is known.
    async fn eol_date(&self) -> Option<String> {
        match self.0.eol {
            EndOfLife::Date(d) => Some(d.to_string()),
            _ => None,
        }
    }
    /// Whether its support has ended today.
    async fn eol_reached(&self) -> bool {
        match self.0.eol {
            EndOfLife::Date(d) => d <= Utc::now().date_naive(),
            EndOfLife::Ended => true,
            EndOfLife::NotPlanned => false,
        }
    }
    /// Whether it is a long-term support cycle.
    async fn lts(&self) -> bool {
        self.0.lts
    }
    /// Its latest version.
    async fn latest(&self) -> Option<&str> {
        self.0.latest.as_deref()
    }
}

/// Something a collectivity running a solution should know.
pub struct AlertNode(pub domain::Alert);

#[Object(name = "Alert", cache_control(no_cache))]
impl AlertNode {
    /// What kind of news.
    async fn kind(&self) -> AlertKind {
        self.0.kind.into()
    }
    /// When it happened or will happen (`YYYY-MM-DD`).
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
    /// The release version or the release cycle concerned.
    async fn version(&self) -> &str {
        &self.0.version
    }
    /// A page to read more.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// One line for a person, in English.
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// The solution concerned.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.solution.clone()).await?.map(SolutionNode))
    }
    /// The collectivity alerted.
    async fn collectivity(&self, ctx: &Context<'_>) -> ApiResult<Option<CollectivityNode>> {
        Ok(load(ctx, self.0.collectivity.clone())
            .await?
            .map(CollectivityNode))
    }
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
