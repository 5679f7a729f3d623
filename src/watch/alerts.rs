//! Alerts: the releases and ends of life of the solutions a collectivity runs (its DEPLOYED
//! adoptions), computed from what the store holds.

use chrono::{DateTime, Utc};

use crate::domain::{
    alerts_for, AdoptionStatus, Alert, AlertWindow, CollectivityId, Release, Running, SolutionId,
};
use crate::store::{AdoptionFilter, AdoptionSort, PageRequest, ReleaseFilter, Store, StoreResult};

/// Most adoptions, and most releases, read to compute one collectivity's alerts.
const MAX_ROWS: usize = 1_000;

/// The solutions a collectivity runs: those of its DEPLOYED adoptions, by id, once each.
pub async fn deployed_solutions(
    store: &dyn Store,
    collectivity: &CollectivityId,
) -> StoreResult<Vec<SolutionId>> {
    let filter = AdoptionFilter {
        collectivity: Some(collectivity.clone()),
        statuses: vec![AdoptionStatus::Deployed],
        ..AdoptionFilter::default()
    };
    let mut request = PageRequest::first(100);
    request.want_total = false;
    let mut solutions = Vec::new();
    loop {
        let page = store
            .list_adoptions(filter.clone(), AdoptionSort::Id, request.clone())
            .await?;
        let last = page.items.last().map(|(c, _)| c.clone());
        solutions.extend(page.items.into_iter().map(|(_, a)| a.solution));
        match last {
            Some(cursor) if page.has_next && solutions.len() < MAX_ROWS => {
                request.after = Some(cursor)
            }
            _ => break,
        }
    }
    solutions.sort();
    solutions.dedup();
    Ok(solutions)
}

/// The newest releases of these solutions since `since` (at most [`MAX_ROWS`]).
pub async fn recent_releases(
    store: &dyn Store,
    solutions: Vec<SolutionId>,
    since: Option<DateTime<Utc>>,
    include_prereleases: bool,
) -> StoreResult<Vec<Release>> {
    if solutions.is_empty() {
        return Ok(Vec::new());
    }
    let filter = ReleaseFilter {
        solutions,
        since,
        include_prereleases,
    };
    let mut request = PageRequest::first(MAX_ROWS);
    request.want_total = false;
    let page = store.releases(filter, request).await?;
    Ok(page.items.into_iter().map(|(_, r)| r).collect())
}

/// The alerts of a collectivity over `window`, newest first; `versions` says which version
/// of a solution it runs, where known (solutions it does not deploy are ignored).
pub async fn alerts(
    store: &dyn Store,
    collectivity: &CollectivityId,
    window: AlertWindow,
    versions: &[(SolutionId, String)],
) -> StoreResult<Vec<Alert>> {
    let solutions = deployed_solutions(store, collectivity).await?;
    if solutions.is_empty() {
        return Ok(Vec::new());
    }
    let running: Vec<Running> = solutions
        .iter()
        .map(|s| Running {
            solution: s.clone(),
            version: versions
                .iter()
                .find(|(v, _)| v == s)
                .map(|(_, version)| version.clone()),
        })
        .collect();
    let since = window.since.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let releases =
        recent_releases(store, solutions.clone(), since, window.include_prereleases).await?;
    let cycles = store.release_cycles_for(solutions.clone()).await?;
    Ok(alerts_for(
        collectivity,
        &running,
        &releases,
        &cycles,
        window,
    ))
}
