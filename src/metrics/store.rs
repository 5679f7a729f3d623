//! A store decorator counting every call, by method, for `/metrics`.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::Metrics;
use crate::domain::*;
use crate::store::*;

/// Wraps a store; every trait method delegates and is counted.
pub struct InstrumentedStore {
    inner: Arc<dyn Store>,
    metrics: Arc<Metrics>,
}

impl InstrumentedStore {
    /// Counts the calls made to `inner` into `metrics`.
    pub fn new(inner: Arc<dyn Store>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }

    async fn timed<T>(
        &self,
        method: &'static str,
        call: impl Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let started = Instant::now();
        let result = call.await;
        self.metrics
            .store_call(method, result.is_ok(), started.elapsed());
        result
    }
}

#[async_trait]
impl Store for InstrumentedStore {
    async fn health(&self) -> StoreResult<()> {
        self.timed("health", self.inner.health()).await
    }

    async fn write(&self, batch: Batch) -> StoreResult<WriteReport> {
        self.timed("write", self.inner.write(batch)).await
    }

    async fn write_seed(&self, batch: Batch, watch: Vec<WatchSource>) -> StoreResult<WriteReport> {
        self.timed("write_seed", self.inner.write_seed(batch, watch))
            .await
    }

    async fn missing(&self, ids: Vec<NodeId>) -> StoreResult<Vec<NodeId>> {
        self.timed("missing", self.inner.missing(ids)).await
    }

    async fn counts(&self) -> StoreResult<Counts> {
        self.timed("counts", self.inner.counts()).await
    }

    async fn revision(&self) -> StoreResult<u64> {
        self.timed("revision", self.inner.revision()).await
    }

    async fn dump(&self) -> StoreResult<Batch> {
        self.timed("dump", self.inner.dump()).await
    }

    async fn needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<Need>> {
        self.timed("needs", self.inner.needs(ids)).await
    }

    async fn narrower_needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<(NeedId, Need)>> {
        self.timed("narrower_needs", self.inner.narrower_needs(ids))
            .await
    }

    async fn list_needs(&self, filter: NeedFilter, page: PageRequest) -> StoreResult<Page<Need>> {
        self.timed("list_needs", self.inner.list_needs(filter, page))
            .await
    }

    async fn publishers(&self, ids: Vec<PublisherId>) -> StoreResult<Vec<Publisher>> {
        self.timed("publishers", self.inner.publishers(ids)).await
    }

    async fn solutions(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Solution>> {
        self.timed("solutions", self.inner.solutions(ids)).await
    }

    async fn list_solutions(
        &self,
        filter: SolutionFilter,
        sort: SolutionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Solution>> {
        self.timed(
            "list_solutions",
            self.inner.list_solutions(filter, sort, page),
        )
        .await
    }

    async fn solutions_by_need(
        &self,
        needs: Vec<NeedId>,
        filter: SolutionFilter,
        sort: SolutionSort,
        first: usize,
    ) -> StoreResult<Vec<(NeedId, Page<Solution>)>> {
        self.timed(
            "solutions_by_need",
            self.inner.solutions_by_need(needs, filter, sort, first),
        )
        .await
    }

    async fn alternatives_of(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Alternative>> {
        self.timed("alternatives_of", self.inner.alternatives_of(ids))
            .await
    }

    async fn collectivities(&self, ids: Vec<CollectivityId>) -> StoreResult<Vec<Collectivity>> {
        self.timed("collectivities", self.inner.collectivities(ids))
            .await
    }

    async fn list_collectivities(
        &self,
        filter: CollectivityFilter,
        sort: CollectivitySort,
        page: PageRequest,
    ) -> StoreResult<Page<Collectivity>> {
        self.timed(
            "list_collectivities",
            self.inner.list_collectivities(filter, sort, page),
        )
        .await
    }

    async fn adoptions(&self, ids: Vec<AdoptionId>) -> StoreResult<Vec<Adoption>> {
        self.timed("adoptions", self.inner.adoptions(ids)).await
    }

    async fn list_adoptions(
        &self,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Adoption>> {
        self.timed(
            "list_adoptions",
            self.inner.list_adoptions(filter, sort, page),
        )
        .await
    }

    async fn adoptions_by_parent(
        &self,
        parent: AdoptionParent,
        ids: Vec<String>,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        first: usize,
    ) -> StoreResult<Vec<(String, Page<Adoption>)>> {
        self.timed(
            "adoptions_by_parent",
            self.inner
                .adoptions_by_parent(parent, ids, filter, sort, first),
        )
        .await
    }

    async fn outcomes(&self, ids: Vec<OutcomeId>) -> StoreResult<Vec<Outcome>> {
        self.timed("outcomes", self.inner.outcomes(ids)).await
    }

    async fn outcomes_of(&self, adoptions: Vec<AdoptionId>) -> StoreResult<Vec<Outcome>> {
        self.timed("outcomes_of", self.inner.outcomes_of(adoptions))
            .await
    }

    async fn sources(&self, ids: Vec<SourceId>) -> StoreResult<Vec<Source>> {
        self.timed("sources", self.inner.sources(ids)).await
    }

    async fn list_sources(&self, page: PageRequest) -> StoreResult<Page<Source>> {
        self.timed("list_sources", self.inner.list_sources(page))
            .await
    }

    async fn citations_of(&self, subjects: Vec<NodeId>) -> StoreResult<Vec<Citation>> {
        self.timed("citations_of", self.inner.citations_of(subjects))
            .await
    }

    async fn citation_counts(&self, sources: Vec<SourceId>) -> StoreResult<Vec<(SourceId, u64)>> {
        self.timed("citation_counts", self.inner.citation_counts(sources))
            .await
    }

    async fn contributions(&self, ids: Vec<ContributionId>) -> StoreResult<Vec<Contribution>> {
        self.timed("contributions", self.inner.contributions(ids))
            .await
    }

    async fn contributions_for(
        &self,
        collectivities: Vec<CollectivityId>,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<Contribution>> {
        self.timed(
            "contributions_for",
            self.inner.contributions_for(collectivities, solutions),
        )
        .await
    }

    async fn search(
        &self,
        terms: Vec<String>,
        kinds: Vec<EntityKind>,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        self.timed("search", self.inner.search(terms, kinds, limit))
            .await
    }

    async fn upsert_watch_sources(&self, sources: Vec<WatchSource>) -> StoreResult<WriteReport> {
        self.timed(
            "upsert_watch_sources",
            self.inner.upsert_watch_sources(sources),
        )
        .await
    }

    async fn watch_sources_due(
        &self,
        due_by: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<WatchTarget>> {
        self.timed("watch_sources_due", self.inner.watch_sources_due(due_by))
            .await
    }

    async fn record_poll(&self, poll: PollRecord) -> StoreResult<Vec<Release>> {
        self.timed("record_poll", self.inner.record_poll(poll))
            .await
    }

    async fn releases(
        &self,
        filter: ReleaseFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Release>> {
        self.timed("releases", self.inner.releases(filter, page))
            .await
    }

    async fn release_cycles_for(
        &self,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<ReleaseCycle>> {
        self.timed(
            "release_cycles_for",
            self.inner.release_cycles_for(solutions),
        )
        .await
    }

    async fn latest_releases(&self) -> StoreResult<Vec<(SolutionId, DateTime<Utc>)>> {
        self.timed("latest_releases", self.inner.latest_releases())
            .await
    }

    async fn watch_status(&self) -> StoreResult<Vec<WatchStatus>> {
        self.timed("watch_status", self.inner.watch_status()).await
    }

    async fn watch_sources(&self, ids: Vec<WatchSourceId>) -> StoreResult<Vec<WatchSource>> {
        self.timed("watch_sources", self.inner.watch_sources(ids))
            .await
    }

    async fn create_token(&self, token: Token, hash: TokenHash) -> StoreResult<()> {
        self.timed("create_token", self.inner.create_token(token, hash))
            .await
    }

    async fn find_token_by_hash(&self, hash: TokenHash) -> StoreResult<Option<Token>> {
        self.timed("find_token_by_hash", self.inner.find_token_by_hash(hash))
            .await
    }

    async fn list_tokens(&self) -> StoreResult<Vec<Token>> {
        self.timed("list_tokens", self.inner.list_tokens()).await
    }

    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.timed("revoke_token", self.inner.revoke_token(id, at))
            .await
    }

    async fn write_change(&self, change: Change) -> StoreResult<ChangeReceipt> {
        self.timed("write_change", self.inner.write_change(change))
            .await
    }

    async fn write_watch_change(&self, change: WatchChange) -> StoreResult<WatchReceipt> {
        self.timed("write_watch_change", self.inner.write_watch_change(change))
            .await
    }

    async fn history_of(
        &self,
        subject: ChangeSubject,
        page: PageRequest,
    ) -> StoreResult<Page<HistoryEntry>> {
        self.timed("history_of", self.inner.history_of(subject, page))
            .await
    }
}
