//! The answers users come for: peers, peer experience for a need, adoption paths, the selection
//! procedure, continuity risk and computed statistics. Computed by [`crate::analysis`]; each
//! answer carries its evidence (peers, adoptions, outcomes, sources) and its score's parts.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject, ID};

use super::bounds::WideInt;
use super::context::load;
use super::enums::{
    AdoptionStatus, CollectivityKind, DeploymentStrategy, Hosting, NodeKind, OutcomeKind, PathTier,
    SolutionKind,
};
use super::error::{ApiError, ApiResult};
use super::inputs::{check_text, parse_id};
use super::nodes::{
    AdoptionNode, AlternativeNode, CollectivityNode, NeedNode, OutcomeNode, SolutionNode,
    SourceNode, Text,
};
use super::paging;
use crate::analysis::evidence::{self, PathLink, PeerAdoption, Ranked, StepKind};
use crate::analysis::explain::explain;
use crate::analysis::index::{Index, Stats};
use crate::analysis::peers::{self as pr, Proximity, Similarity, Target};
use crate::analysis::risk as rk;
use crate::analysis::stats as st;
use crate::domain::{self, EntityKind};

pub use super::context::index;

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::NotFound(format!("no {what} has the id `{id}`"))
}

/// Finds a collectivity by the client's id.
pub fn find_collectivity(ix: &Index, id: &str) -> ApiResult<u32> {
    parse_id(id, domain::CollectivityId::parse)?;
    ix.collectivity(id)
        .ok_or_else(|| not_found("collectivity", id))
}

/// Finds a need by the client's id.
pub fn find_need(ix: &Index, id: &str) -> ApiResult<u32> {
    parse_id(id, domain::NeedId::parse)?;
    ix.need(id).ok_or_else(|| not_found("need", id))
}

/// Finds a solution by the client's id.
pub fn find_solution(ix: &Index, id: &str) -> ApiResult<u32> {
    parse_id(id, domain::SolutionId::parse)?;
    ix.solution(id).ok_or_else(|| not_found("solution", id))
}

/// Checks a `first` argument (0 to 100).
pub fn first(first: WideInt) -> ApiResult<usize> {
    paging::page_size(Some(first))
}

fn solution_node(ix: &Index, s: u32) -> SolutionNode {
    SolutionNode(ix.solutions[s as usize].clone())
}

fn collectivity_node(ix: &Index, c: u32) -> CollectivityNode {
    CollectivityNode(ix.collectivities[c as usize].clone())
}

fn need_node(ix: &Index, n: u32) -> NeedNode {
    NeedNode(ix.needs[n as usize].clone())
}

/// One part of a score: its raw value, its weight, and the points it adds.
#[derive(SimpleObject, Clone)]
pub struct ScorePart {
    /// Its name (`kind`, `population`, `adoptions`, `peers`...).
    name: String,
    /// The raw value it is computed from.
    value: f64,
    /// Its weight.
    weight: f64,
    /// What it adds to the total.
    points: f64,
    /// How many things it counts: adoptions, outcomes or peer adopters (0 for a confidence or
    /// a similarity).
    count: u32,
}

/// A score with its parts; `total` is the sum of the parts' points.
#[derive(SimpleObject, Clone)]
pub struct Score {
    /// The total.
    total: f64,
    /// The parts.
    parts: Vec<ScorePart>,
}

impl From<&evidence::Score> for Score {
    fn from(s: &evidence::Score) -> Self {
        Score {
            total: s.total,
            parts: s
                .parts
                .iter()
                .map(|p| ScorePart {
                    name: p.name.to_owned(),
                    value: p.value,
                    weight: p.weight,
                    points: p.points,
                    count: p.count,
                })
                .collect(),
        }
    }
}

/// How close two collectivities are geographically.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum GeographicProximity {
    /// Same department.
    SameDepartment,
    /// Same region.
    SameRegion,
    /// Same country.
    SameCountry,
    /// Further apart, or unknown.
    Distant,
}

impl From<Proximity> for GeographicProximity {
    fn from(p: Proximity) -> Self {
        match p {
            Proximity::Department => Self::SameDepartment,
            Proximity::Region => Self::SameRegion,
            Proximity::Country => Self::SameCountry,
            Proximity::None => Self::Distant,
        }
    }
}

/// Why a peer is similar: `score.total = 0.25·kind + 0.25·population + 0.15·geography +
/// 0.35·sharedSolutions` (see the README).
#[derive(SimpleObject, Clone)]
pub struct PeerSimilarity {
    /// The score and its parts (`kind`, `population`, `geography`, `sharedSolutions`).
    score: Score,
    /// Geographic closeness.
    proximity: GeographicProximity,
    /// How many solutions both adopted.
    shared_solution_count: u32,
}

fn similarity(s: &Similarity) -> PeerSimilarity {
    let part = |name: &str, value: f64, weight: f64| ScorePart {
        name: name.to_owned(),
        value,
        weight,
        points: value * weight,
        count: 0,
    };
    PeerSimilarity {
        score: Score {
            total: s.total,
            parts: vec![
                part("kind", s.kind, pr::W_KIND),
                part("population", s.population, pr::W_POPULATION),
                part("geography", s.proximity.value(), pr::W_GEOGRAPHY),
                part("sharedSolutions", s.shared, pr::W_SHARED),
            ],
        },
        proximity: s.proximity.into(),
        shared_solution_count: s.shared_count,
    }
}

/// An adoption seen as evidence: who, what, for which need, where it stands, how it went.
///
/// Holds the index and the adoption's place in it: each field is read when it is asked for.
#[derive(Clone)]
pub struct AdoptionEvidence {
    ix: Arc<Index>,
    adoption: u32,
    similarity: Option<f64>,
    own: bool,
}

impl AdoptionEvidence {
    fn row(&self) -> &crate::analysis::index::Adoption {
        &self.ix.adoptions[self.adoption as usize]
    }

    /// The sources of the adoption and of its outcomes (indices, sorted, distinct).
    fn source_indices(&self) -> Vec<u32> {
        let ix = &self.ix;
        let mut sources: Vec<u32> = ix.adoption_sources.get(self.adoption).to_vec();
        for &o in ix.outcomes_of.get(self.adoption) {
            sources.extend_from_slice(ix.outcome_sources.get(o));
        }
        sources.sort_unstable();
        sources.dedup();
        sources
    }
}

/// An adoption seen as evidence: who, what, for which need, where it stands, how it went.
#[Object]
impl AdoptionEvidence {
    /// The adoption's id.
    async fn adoption_id(&self) -> ID {
        ID(self.row().id.to_string())
    }
    /// Who adopted.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.row().collectivity)
    }
    /// What was adopted.
    async fn solution(&self) -> SolutionNode {
        solution_node(&self.ix, self.row().solution)
    }
    /// For which need.
    async fn need(&self) -> NeedNode {
        need_node(&self.ix, self.row().need)
    }
    /// Where it stands.
    async fn status(&self) -> AdoptionStatus {
        self.row().status.into()
    }
    /// When it started.
    async fn started(&self) -> Option<String> {
        self.row().started.map(|d| d.to_string())
    }
    /// When it ended.
    async fn ended(&self) -> Option<String> {
        self.row().ended.map(|d| d.to_string())
    }
    /// How it was deployed.
    async fn strategy(&self) -> Option<DeploymentStrategy> {
        self.row().strategy.map(Into::into)
    }
    /// Who runs it.
    async fn hosting(&self) -> Option<Hosting> {
        self.row().hosting.map(Into::into)
    }
    /// The kinds of its outcomes.
    async fn outcome_kinds(&self) -> Vec<OutcomeKind> {
        self.ix
            .outcomes_of
            .get(self.adoption)
            .iter()
            .map(|o| self.ix.outcomes[*o as usize].kind.into())
            .collect()
    }
    /// The adopter's similarity to the asker (1 for the asker itself; null without an asker).
    async fn similarity(&self) -> Option<f64> {
        self.similarity
    }
    /// True when the adopter is the asker itself.
    async fn own(&self) -> bool {
        self.own
    }
    /// The whole adoption.
    async fn adoption(&self, ctx: &Context<'_>) -> ApiResult<Option<AdoptionNode>> {
        Ok(load(ctx, self.row().id.clone()).await?.map(AdoptionNode))
    }
    /// Its outcomes.
    async fn outcomes(&self, ctx: &Context<'_>) -> ApiResult<Vec<OutcomeNode>> {
        let mut out = Vec::new();
        for &o in self.ix.outcomes_of.get(self.adoption) {
            let id = self.ix.outcomes[o as usize].id.clone();
            if let Some(o) = load(ctx, id).await? {
                out.push(OutcomeNode(o));
            }
        }
        Ok(out)
    }
    /// The sources of the adoption and of its outcomes.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        let mut out = Vec::new();
        for s in self.source_indices() {
            let id = self.ix.sources[s as usize].id.clone();
            if let Some(s) = load(ctx, id).await? {
                out.push(SourceNode(s));
            }
        }
        Ok(out)
    }
}

fn adoption_evidence(
    ix: &Arc<Index>,
    a: u32,
    similarity: Option<f64>,
    own: bool,
) -> AdoptionEvidence {
    AdoptionEvidence {
        ix: ix.clone(),
        adoption: a,
        similarity,
        own,
    }
}

fn peer_adoption(ix: &Arc<Index>, p: &PeerAdoption) -> AdoptionEvidence {
    adoption_evidence(ix, p.adoption, Some(p.similarity), p.own)
}

/// A collectivity similar to the asker, and why.
pub struct Peer {
    ix: Arc<Index>,
    /// The asker (collectivity index).
    of: u32,
    similarity: Similarity,
    /// The need and its narrower needs, when one is asked about.
    needs: Option<Arc<Vec<u32>>>,
}

/// A collectivity similar to the asker, and why.
#[Object]
impl Peer {
    /// The peer.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.similarity.peer)
    }
    /// Its similarity, with the score's parts.
    async fn similarity(&self) -> PeerSimilarity {
        similarity(&self.similarity)
    }
    /// The solutions both adopted.
    async fn shared_solutions(&self) -> Vec<SolutionNode> {
        let ix = &self.ix;
        let mine = ix.solutions_of_collectivity.get(self.of);
        ix.solutions_of_collectivity
            .get(self.similarity.peer)
            .iter()
            .filter(|s| mine.binary_search(s).is_ok())
            .map(|s| solution_node(ix, *s))
            .collect()
    }
    /// With a need: what the peer adopted for it (or a narrower need), and how it went.
    async fn adoptions(&self) -> Vec<AdoptionEvidence> {
        let Some(needs) = &self.needs else {
            return Vec::new();
        };
        let ix = &self.ix;
        ix.adoptions_of_collectivity
            .get(self.similarity.peer)
            .iter()
            .filter(|a| {
                needs
                    .binary_search(&ix.adoptions[**a as usize].need)
                    .is_ok()
            })
            .map(|a| adoption_evidence(ix, *a, Some(self.similarity.total), false))
            .collect()
    }
}

/// The peers of a collectivity, best first (ties broken by id); the first
/// [`evidence::PEER_POOL`] are memoized for the index's revision.
pub fn peers(ix: &Arc<Index>, of: u32, need: Option<u32>, first: usize) -> Vec<Peer> {
    let needs = need.map(|n| Arc::new(ix.need_subtree(n)));
    let peer = |s: &Similarity| Peer {
        ix: ix.clone(),
        of,
        similarity: s.clone(),
        needs: needs.clone(),
    };
    if first <= evidence::PEER_POOL {
        let pool = evidence::cached_peers(ix, of);
        pool.iter().take(first).map(peer).collect()
    } else {
        Target::new(ix, of).peers(first).iter().map(peer).collect()
    }
}

/// How many adoptions have a status.
#[derive(SimpleObject, Clone)]
pub struct StatusCount {
    /// The status.
    status: AdoptionStatus,
    /// How many.
    count: u32,
}

/// How many outcomes are of a kind.
#[derive(SimpleObject, Clone)]
pub struct OutcomeCount {
    /// The kind.
    kind: OutcomeKind,
    /// How many.
    count: u32,
}

/// How many adoptions used a deployment strategy, and how many of those went well.
#[derive(SimpleObject, Clone)]
pub struct StrategyCount {
    /// The strategy.
    strategy: DeploymentStrategy,
    /// Adoptions that used it.
    count: u32,
    /// Of which with a SUCCESS or COST_SAVING outcome.
    favourable: u32,
}

/// How many adoptions use a hosting mode.
#[derive(SimpleObject, Clone)]
pub struct HostingCount {
    /// The hosting mode.
    hosting: Hosting,
    /// How many.
    count: u32,
}

fn status_counts(by: &[u32; 5]) -> Vec<StatusCount> {
    domain::AdoptionStatus::ALL
        .iter()
        .zip(by)
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| StatusCount {
            status: (*s).into(),
            count: *n,
        })
        .collect()
}

fn outcome_counts(by: &[u32; 6]) -> Vec<OutcomeCount> {
    domain::OutcomeKind::ALL
        .iter()
        .zip(by)
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| OutcomeCount {
            kind: (*k).into(),
            count: *n,
        })
        .collect()
}

/// Counts and dates over a group of adoptions.
#[derive(Clone)]
pub struct AdoptionCounts {
    ix: Arc<Index>,
    stats: Arc<Stats>,
}

/// Counts and dates over a group of adoptions.
#[Object]
impl AdoptionCounts {
    /// Adoptions.
    async fn adoptions(&self) -> u32 {
        self.stats.adoptions
    }
    /// Per status (non-zero only).
    async fn by_status(&self) -> Vec<StatusCount> {
        status_counts(&self.stats.by_status)
    }
    /// Outcomes per kind (non-zero only).
    async fn by_outcome(&self) -> Vec<OutcomeCount> {
        outcome_counts(&self.stats.by_outcome)
    }
    /// Deployment strategies used (non-zero only).
    async fn strategies(&self) -> Vec<StrategyCount> {
        let s = &self.stats;
        domain::DeploymentStrategy::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| s.by_strategy[*i] > 0)
            .map(|(i, k)| StrategyCount {
                strategy: (*k).into(),
                count: s.by_strategy[i],
                favourable: s.strategy_worked[i],
            })
            .collect()
    }
    /// Hosting modes used (non-zero only).
    async fn hostings(&self) -> Vec<HostingCount> {
        let s = &self.stats;
        domain::Hosting::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| s.by_hosting[*i] > 0)
            .map(|(i, h)| HostingCount {
                hosting: (*h).into(),
                count: s.by_hosting[i],
            })
            .collect()
    }
    /// Earliest start.
    async fn first_started(&self) -> Option<String> {
        self.stats.first_started.map(|d| d.to_string())
    }
    /// Latest start.
    async fn last_started(&self) -> Option<String> {
        self.stats.last_started.map(|d| d.to_string())
    }
    /// Adoptions started in the graph's last five years.
    async fn recent_adoptions(&self) -> u32 {
        self.stats.recent
    }
    /// The sources cited by these adoptions and their outcomes.
    async fn sources(&self) -> Vec<SourceNode> {
        self.stats
            .sources
            .iter()
            .map(|x| SourceNode(self.ix.sources[*x as usize].clone()))
            .collect()
    }
}

fn counts(ix: &Arc<Index>, s: &Arc<Stats>) -> AdoptionCounts {
    AdoptionCounts {
        ix: ix.clone(),
        stats: s.clone(),
    }
}

/// How an alternative is linked to the solution it would replace.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PathLinkKind {
    /// A direct REPLACES link (an `Alternative`).
    Replaces,
    /// It serves some of the same needs.
    SameNeed,
}

/// The link between a starting solution and an alternative.
#[derive(SimpleObject, Clone)]
pub struct AlternativeLink {
    /// Direct REPLACES link, or same need.
    kind: PathLinkKind,
    /// The REPLACES link, with its confidence and sources.
    alternative: Option<AlternativeNode>,
    /// The needs both serve (for SAME_NEED).
    needs: Vec<NeedNode>,
}

/// A solution ranked by evidence, with that evidence.
///
/// Holds the ranking and the index: each field (the explanation in words, the peers'
/// adoptions...) is built when it is asked for.
pub struct SolutionEvidence {
    ix: Arc<Index>,
    ranked: Arc<Ranked>,
    /// The starting solution, on an adoption path.
    from: Option<u32>,
}

/// A solution ranked by evidence, with that evidence.
#[Object]
impl SolutionEvidence {
    /// The solution (its `risk` field gives its continuity risk).
    async fn solution(&self) -> SolutionNode {
        solution_node(&self.ix, self.ranked.solution)
    }
    /// Counts over the adoptions considered.
    async fn counts(&self) -> AdoptionCounts {
        counts(&self.ix, &self.ranked.stats)
    }
    /// How many of the asker's peers (or the asker) adopted it.
    async fn peer_adopters(&self) -> u32 {
        self.ranked.peer_adopters
    }
    /// Their adoptions, most similar adopter first.
    async fn peer_adoptions(&self) -> Vec<AdoptionEvidence> {
        self.ranked
            .peer_adoptions
            .iter()
            .map(|p| peer_adoption(&self.ix, p))
            .collect()
    }
    /// The evidence score, with its parts.
    async fn score(&self) -> Score {
        (&self.ranked.score).into()
    }
    /// The score in words, in French and English, built from the same parts as the number.
    async fn explanation(&self) -> Text {
        Text(explain(&self.ix, &self.ranked))
    }
    /// True when the adoptions were weighed by how alike their adopters are to the asker
    /// (parts `comparableAdoptions`...); false when every adopter counted the same (part
    /// `adoptions`; `adoptionsByCountry` says where they come from).
    async fn weighed_for_asker(&self) -> bool {
        self.ranked.weighed_for_asker
    }
    /// Where the adoptions counted come from, by country, most first.
    async fn adoptions_by_country(&self) -> Vec<CountryCount> {
        country_counts(self.ranked.stats.by_profile.by_country(&self.ix.countries))
    }
    /// For adoption paths: how it is linked to the starting solution.
    async fn link(&self) -> Option<AlternativeLink> {
        match (&self.ranked.link, self.from) {
            (Some(l), Some(f)) => Some(link(&self.ix, f, l)),
            _ => None,
        }
    }
    /// For adoption paths: adoptions of it that replaced the starting solution.
    async fn moved_from(&self) -> Vec<AdoptionEvidence> {
        self.ranked
            .moved
            .iter()
            .take(evidence::MAX_PEER_ADOPTIONS)
            .map(|a| adoption_evidence(&self.ix, *a, None, false))
            .collect()
    }
}

fn link(ix: &Index, from: u32, l: &PathLink) -> AlternativeLink {
    match l {
        PathLink::Replaces(link) => AlternativeLink {
            kind: PathLinkKind::Replaces,
            alternative: Some(AlternativeNode(domain::Alternative {
                id: link.id.clone(),
                libre: ix.solutions[link.other as usize].id.clone(),
                proprietary: ix.solutions[from as usize].id.clone(),
                confidence: link.confidence,
                kind: link.kind,
            })),
            needs: Vec::new(),
        },
        PathLink::SameNeed(needs) => AlternativeLink {
            kind: PathLinkKind::SameNeed,
            alternative: None,
            needs: needs.iter().map(|n| need_node(ix, *n)).collect(),
        },
    }
}

/// How many adoptions come from a country.
#[derive(SimpleObject, Clone)]
pub struct CountryCount {
    /// The country (ISO 3166-1 code).
    country: String,
    /// How many adoptions.
    adoptions: u32,
}

fn country_counts(by: Vec<(String, u32)>) -> Vec<CountryCount> {
    by.into_iter()
        .map(|(country, adoptions)| CountryCount { country, adoptions })
        .collect()
}

/// Adoptions by country over all the ranked solutions, most first, then by country.
fn population(ix: &Index, ranked: &[Arc<Ranked>]) -> Vec<CountryCount> {
    let mut all: Vec<(String, u32)> = Vec::new();
    for r in ranked {
        for (country, n) in r.stats.by_profile.by_country(&ix.countries) {
            match all.iter_mut().find(|(c, _)| *c == country) {
                Some((_, total)) => *total += n,
                None => all.push((country, n)),
            }
        }
    }
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    country_counts(all)
}

fn solution_evidence(ix: &Arc<Index>, r: &Arc<Ranked>, from: Option<u32>) -> SolutionEvidence {
    SolutionEvidence {
        ix: ix.clone(),
        ranked: r.clone(),
        from,
    }
}

/// Who counts in a peer-experience answer.
#[derive(InputObject, Default)]
pub struct ExperienceFilter {
    /// Only these kinds of solution.
    pub solution_kind: Option<Vec<SolutionKind>>,
    /// Only adopters of these kinds.
    pub collectivity_kind: Option<Vec<CollectivityKind>>,
    /// Only adopters of this department (`38`).
    pub department: Option<String>,
    /// Only adopters of this region (`84`).
    pub region: Option<String>,
    /// Only solutions the asker's peers (or the asker) adopted.
    #[graphql(default)]
    pub peers_only: bool,
}

impl ExperienceFilter {
    /// The analysis' filter.
    pub fn into_analysis(self) -> ApiResult<evidence::ExperienceFilter> {
        Ok(evidence::ExperienceFilter {
            solution_kinds: self
                .solution_kind
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            collectivity_kinds: self
                .collectivity_kind
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            department: check_text(self.department)?,
            region: check_text(self.region)?,
            peers_only: self.peers_only,
        })
    }
}

/// Peer experience for a need: the solutions adopted for it, grouped by solution, best
/// evidence first (libre first where evidence is equal).
pub struct Experience {
    ix: Arc<Index>,
    need: u32,
    asker: Option<u32>,
    pool: evidence::PeerPool,
    total: usize,
    solutions: Vec<Arc<Ranked>>,
}

/// Peer experience for a need: the solutions adopted for it, grouped by solution, best
/// evidence first (libre first where evidence is equal).
#[Object]
impl Experience {
    /// The need (its narrower needs are included).
    async fn need(&self) -> NeedNode {
        need_node(&self.ix, self.need)
    }
    /// The asker, if any.
    async fn asker(&self) -> Option<CollectivityNode> {
        self.asker.map(|a| collectivity_node(&self.ix, a))
    }
    /// The asker's peers that weighed in, best first.
    async fn peers(&self) -> Vec<PeerRef> {
        peer_refs(&self.ix, &self.pool)
    }
    /// How many solutions match, before `first`.
    async fn total_count(&self) -> u32 {
        self.total as u32
    }
    /// Where the evidence of the solutions listed comes from: adoptions by country (without
    /// an asker every adoption weighs the same, whatever its country).
    async fn evidence_countries(&self) -> Vec<CountryCount> {
        population(&self.ix, &self.solutions)
    }
    /// The solutions, with their evidence.
    async fn solutions(&self) -> Vec<SolutionEvidence> {
        self.solutions
            .iter()
            .map(|r| solution_evidence(&self.ix, r, None))
            .collect()
    }
}

/// A peer that weighed in, with its similarity.
#[derive(Clone)]
pub struct PeerRef {
    ix: Arc<Index>,
    similarity: Similarity,
}

/// A peer that weighed in, with its similarity.
#[Object]
impl PeerRef {
    /// The peer.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.similarity.peer)
    }
    /// Its similarity to the asker.
    async fn similarity(&self) -> PeerSimilarity {
        similarity(&self.similarity)
    }
}

fn peer_refs(ix: &Arc<Index>, pool: &evidence::PeerPool) -> Vec<PeerRef> {
    pool.peers
        .iter()
        .map(|s| PeerRef {
            ix: ix.clone(),
            similarity: s.clone(),
        })
        .collect()
}

/// Builds the experience answer (its fields are filled in when asked for).
pub fn experience(
    ix: &Arc<Index>,
    need: u32,
    asker: Option<u32>,
    filter: &evidence::ExperienceFilter,
    first: usize,
) -> Experience {
    let e = evidence::experience(ix, need, asker, filter, first);
    Experience {
        ix: ix.clone(),
        need,
        asker,
        pool: e.pool,
        total: e.total,
        solutions: e.solutions.into_iter().map(Arc::new).collect(),
    }
}

/// How serious a continuity risk is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum RiskLevel {
    /// No known reason.
    None,
    /// Worth watching.
    Low,
    /// Plan for it.
    Medium,
    /// Continuity is compromised.
    High,
}

impl From<rk::RiskLevel> for RiskLevel {
    fn from(l: rk::RiskLevel) -> Self {
        match l {
            rk::RiskLevel::None => Self::None,
            rk::RiskLevel::Low => Self::Low,
            rk::RiskLevel::Medium => Self::Medium,
            rk::RiskLevel::High => Self::High,
        }
    }
}

/// Why a solution's continuity is at risk.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum RiskReason {
    /// Its publisher closed down.
    PublisherClosed,
    /// It is no longer available or sold.
    Discontinued,
    /// It is no longer maintained.
    Unmaintained,
    /// Its release cycle is past its end of life (needs release data).
    ReleaseEndOfLife,
    /// Its release cycle ends within a year (needs release data).
    ReleaseEndOfLifeSoon,
    /// No release for three years or more (needs release data).
    NoRecentRelease,
    /// Adopters lost their vendor (VENDOR_SHUTDOWN outcomes).
    AdoptersLostVendor,
    /// Adopters rolled it back (ROLLBACK outcomes).
    AdoptersRolledBack,
}

impl From<rk::RiskReason> for RiskReason {
    fn from(r: rk::RiskReason) -> Self {
        use rk::RiskReason as R;
        match r {
            R::PublisherClosed => Self::PublisherClosed,
            R::Discontinued => Self::Discontinued,
            R::Unmaintained => Self::Unmaintained,
            R::ReleaseEndOfLife => Self::ReleaseEndOfLife,
            R::ReleaseEndOfLifeSoon => Self::ReleaseEndOfLifeSoon,
            R::NoRecentRelease => Self::NoRecentRelease,
            R::AdoptersLostVendor => Self::AdoptersLostVendor,
            R::AdoptersRolledBack => Self::AdoptersRolledBack,
        }
    }
}

/// One reason for a continuity risk, with its evidence.
#[derive(SimpleObject, Clone)]
pub struct RiskFactor {
    /// Why.
    reason: RiskReason,
    /// How serious.
    level: RiskLevel,
    /// When (the publisher's closing date, the latest supporting outcome).
    date: Option<String>,
    /// How many outcomes support it (outcome-based reasons).
    count: u32,
    /// The supporting outcomes (at most 20).
    outcomes: Vec<OutcomeRef>,
}

/// An outcome, as evidence.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct OutcomeRef {
    /// Its id.
    id: ID,
    /// What happened.
    kind: OutcomeKind,
    /// When.
    date: Option<String>,
    /// The adoption it is the outcome of.
    adoption: AdoptionEvidence,
}

#[ComplexObject]
impl OutcomeRef {
    /// The whole outcome (summary, figures, sources).
    async fn outcome(&self, ctx: &Context<'_>) -> ApiResult<Option<OutcomeNode>> {
        let id = parse_id(&self.id, domain::OutcomeId::parse)?;
        Ok(load(ctx, id).await?.map(OutcomeNode))
    }
}

fn outcome_ref(ix: &Arc<Index>, o: u32) -> OutcomeRef {
    let outcome = &ix.outcomes[o as usize];
    OutcomeRef {
        id: ID(outcome.id.to_string()),
        kind: outcome.kind.into(),
        date: outcome.date.map(|d| d.to_string()),
        adoption: adoption_evidence(ix, outcome.adoption, None, false),
    }
}

/// The continuity risk of a solution: its reasons, most serious first.
#[derive(SimpleObject, Clone)]
pub struct Risk {
    /// The highest level among the reasons (NONE without reasons).
    level: RiskLevel,
    /// The reasons.
    factors: Vec<RiskFactor>,
    /// Whether release data (release cycles with their end of life from endoflife.date,
    /// imported or followed by the release watch, or watched releases) was known to judge the
    /// release-based reasons; judged on the day the analysis index was built.
    release_data_available: bool,
}

/// The continuity risk of a solution.
pub fn risk(ix: &Arc<Index>, solution: u32) -> Risk {
    risk_view(ix, &rk::risk(ix, solution))
}

fn risk_view(ix: &Arc<Index>, r: &rk::Risk) -> Risk {
    Risk {
        level: r.level.into(),
        factors: r
            .factors
            .iter()
            .map(|f| RiskFactor {
                reason: f.reason.into(),
                level: f.level.into(),
                date: f.date.map(|d| d.to_string()),
                count: f.count,
                outcomes: f.outcomes.iter().map(|o| outcome_ref(ix, *o)).collect(),
            })
            .collect(),
        release_data_available: r.release_data,
    }
}

/// What a step of a walk is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum WalkRelation {
    /// Starting solution → a libre solution that directly REPLACES it.
    ReplacedBy,
    /// Starting solution → a libre solution serving the same need.
    SameNeed,
    /// Solution → one of its adoptions.
    AdoptedIn,
    /// Adoption → the collectivity that adopted.
    AdoptedBy,
    /// Adoption → one of its outcomes.
    Outcome,
}

/// A node of a walk.
#[derive(SimpleObject, Clone)]
pub struct WalkNode {
    /// Its id.
    id: ID,
    /// What it is.
    kind: NodeKind,
    /// What to call it (name, or the outcome's kind).
    label: String,
}

/// An edge of a walk.
#[derive(SimpleObject, Clone)]
pub struct WalkEdge {
    /// Where it starts.
    from: ID,
    /// Where it ends.
    to: ID,
    /// What it is.
    relation: WalkRelation,
    /// The REPLACES link's confidence, for REPLACED_BY edges.
    detail: Option<String>,
}

/// A graph walk a client can draw: proprietary → alternative → adoptions → adopters → outcomes.
#[derive(SimpleObject, Clone, Default)]
pub struct Walk {
    /// The nodes, each once.
    nodes: Vec<WalkNode>,
    /// The edges.
    edges: Vec<WalkEdge>,
    /// The ids of `nodes`.
    #[graphql(skip)]
    seen: std::collections::HashSet<String>,
}

impl Walk {
    fn node(&mut self, id: &str, kind: EntityKind, label: &str) {
        if !self.seen.contains(id) {
            self.seen.insert(id.to_owned());
            self.nodes.push(WalkNode {
                id: ID(id.to_owned()),
                kind: kind.into(),
                label: label.to_owned(),
            });
        }
    }

    fn edge(&mut self, from: &str, to: &str, relation: WalkRelation, detail: Option<String>) {
        self.edges.push(WalkEdge {
            from: ID(from.to_owned()),
            to: ID(to.to_owned()),
            relation,
            detail,
        });
    }

    fn solution(&mut self, ix: &Index, s: u32) -> String {
        let sol = &ix.solutions[s as usize];
        self.node(sol.id.as_str(), EntityKind::Solution, &sol.name);
        sol.id.to_string()
    }

    /// Adds an adoption of `solution`, its adopter and outcomes (only some kinds if given).
    fn adoption(&mut self, ix: &Index, solution: &str, a: u32, only: &[domain::OutcomeKind]) {
        let adoption = &ix.adoptions[a as usize];
        let c = &ix.collectivities[adoption.collectivity as usize];
        let id = adoption.id.as_str();
        self.node(id, EntityKind::Adoption, adoption.status.as_str());
        self.edge(solution, id, WalkRelation::AdoptedIn, None);
        self.node(c.id.as_str(), EntityKind::Collectivity, &c.name);
        self.edge(id, c.id.as_str(), WalkRelation::AdoptedBy, None);
        for &o in ix.outcomes_of.get(a) {
            let outcome = &ix.outcomes[o as usize];
            if only.is_empty() || only.contains(&outcome.kind) {
                self.node(
                    outcome.id.as_str(),
                    EntityKind::Outcome,
                    outcome.kind.as_str(),
                );
                self.edge(id, outcome.id.as_str(), WalkRelation::Outcome, None);
            }
        }
    }
}

/// One alternative on an adoption path, with the adopters shown on the walk.
pub struct AdoptionPath {
    ix: Arc<Index>,
    from: u32,
    ranked: Arc<Ranked>,
    /// The adoptions shown for it (see [`evidence::path_adopters`]).
    shown: Vec<u32>,
}

/// One alternative on an adoption path, with the adopters shown on the walk.
#[Object]
impl AdoptionPath {
    /// Its tier: declared replacements (by confidence) before same-need candidates.
    async fn tier(&self) -> PathTier {
        self.ranked
            .tier()
            .unwrap_or(evidence::Tier::SameNeed)
            .into()
    }
    /// The alternative and its evidence (`link` says how it is linked to the start,
    /// `explanation` why it ranks here).
    async fn alternative(&self) -> SolutionEvidence {
        solution_evidence(&self.ix, &self.ranked, Some(self.from))
    }
    /// Adopters shown for it: peers first, then those who moved from the start, then
    /// adopters with outcomes.
    async fn adopters(&self) -> Vec<AdoptionEvidence> {
        let similarity = |a: u32| {
            self.ranked
                .peer_adoptions
                .iter()
                .find(|p| p.adoption == a)
                .map(|p| (p.similarity, p.own))
        };
        self.shown
            .iter()
            .map(|a| {
                let (s, own) = similarity(*a).map_or((None, false), |(s, o)| (Some(s), o));
                adoption_evidence(&self.ix, *a, s, own)
            })
            .collect()
    }
}

/// What adoption paths are computed from: the analysis' answer and the adopters shown.
struct PathsData {
    ix: Arc<Index>,
    paths: evidence::Paths,
    alternatives: Vec<Arc<Ranked>>,
    /// The adoptions shown per alternative, in the order of `alternatives`.
    shown: Vec<Vec<u32>>,
    asker: Option<u32>,
}

/// The starting solution of adoption paths, with what its adopters went through.
pub struct PathStart(Arc<PathsData>);

/// The starting solution of adoption paths, with what its adopters went through.
#[Object]
impl PathStart {
    /// The solution.
    async fn solution(&self) -> SolutionNode {
        solution_node(&self.0.ix, self.0.paths.from)
    }
    /// Counts over its adoptions.
    async fn counts(&self) -> AdoptionCounts {
        counts(&self.0.ix, &self.0.paths.from_stats)
    }
    /// Outcomes that count against it (ROLLBACK, VENDOR_SHUTDOWN), at most 20.
    async fn against(&self) -> Vec<OutcomeRef> {
        let d = &self.0;
        d.paths
            .against
            .iter()
            .map(|o| outcome_ref(&d.ix, *o))
            .collect()
    }
    /// Outcomes that count for it (SUCCESS, COST_SAVING), at most 20.
    async fn favourable(&self) -> Vec<OutcomeRef> {
        let d = &self.0;
        d.paths
            .favourable
            .iter()
            .map(|o| outcome_ref(&d.ix, *o))
            .collect()
    }
    /// Its continuity risk.
    async fn risk(&self) -> Risk {
        risk_view(&self.0.ix, &self.0.paths.risk)
    }
}

/// Ways away from a solution, each ranked by peers' evidence, and the walk to draw them.
pub struct AdoptionPaths(Arc<PathsData>);

/// Ways away from a solution, each ranked by peers' evidence, and the walk to draw them.
#[Object]
impl AdoptionPaths {
    /// Where the paths start.
    async fn from(&self) -> PathStart {
        PathStart(self.0.clone())
    }
    /// The asker, if any.
    async fn asker(&self) -> Option<CollectivityNode> {
        self.0.asker.map(|a| collectivity_node(&self.0.ix, a))
    }
    /// The asker's peers that weighed in.
    async fn peers(&self) -> Vec<PeerRef> {
        peer_refs(&self.0.ix, &self.0.paths.pool)
    }
    /// How many alternatives exist, before `first`.
    async fn total_count(&self) -> u32 {
        self.0.paths.total as u32
    }
    /// Where the evidence of the alternatives listed comes from: adoptions by country.
    async fn evidence_countries(&self) -> Vec<CountryCount> {
        population(&self.0.ix, &self.0.alternatives)
    }
    /// The alternatives: declared replacements first (STRONG, PARTIAL, ADJACENT), then
    /// solutions serving the same specific need; by evidence within each.
    async fn paths(&self) -> Vec<AdoptionPath> {
        let d = &self.0;
        d.alternatives
            .iter()
            .zip(&d.shown)
            .map(|(r, shown)| AdoptionPath {
                ix: d.ix.clone(),
                from: d.paths.from,
                ranked: r.clone(),
                shown: shown.clone(),
            })
            .collect()
    }
    /// The whole walk: start → alternatives → adoptions → adopters → outcomes.
    async fn walk(&self) -> Walk {
        walk(&self.0)
    }
}

/// The walk start → alternatives → adoptions → adopters → outcomes.
fn walk(d: &PathsData) -> Walk {
    let ix = &d.ix;
    let mut walk = Walk::default();
    let start = walk.solution(ix, d.paths.from);
    let against = [
        domain::OutcomeKind::Rollback,
        domain::OutcomeKind::VendorShutdown,
    ];
    let mut shown: Vec<u32> = d
        .paths
        .against
        .iter()
        .map(|o| ix.outcomes[*o as usize].adoption)
        .collect();
    shown.dedup();
    for a in shown {
        walk.adoption(ix, &start, a, &against);
    }
    for (r, shown) in d.alternatives.iter().zip(&d.shown) {
        let alt = walk.solution(ix, r.solution);
        let (relation, detail) = match &r.link {
            Some(PathLink::Replaces(l)) => (
                WalkRelation::ReplacedBy,
                Some(l.confidence.as_str().to_owned()),
            ),
            _ => (WalkRelation::SameNeed, None),
        };
        walk.edge(&start, &alt, relation, detail);
        for &a in shown {
            walk.adoption(ix, &alt, a, &[]);
        }
    }
    walk
}

/// Builds the adoption-paths answer (its fields are filled in when asked for).
pub fn adoption_paths(
    ix: &Arc<Index>,
    from: u32,
    asker: Option<u32>,
    first: usize,
    adopters: usize,
) -> AdoptionPaths {
    let mut paths = evidence::adoption_paths(ix, from, asker, first);
    let alternatives: Vec<Arc<Ranked>> = std::mem::take(&mut paths.alternatives)
        .into_iter()
        .map(Arc::new)
        .collect();
    let shown = alternatives
        .iter()
        .map(|r| evidence::path_adopters(ix, r, adopters))
        .collect();
    AdoptionPaths(Arc::new(PathsData {
        ix: ix.clone(),
        paths,
        alternatives,
        shown,
        asker,
    }))
}

/// A step of the selection procedure.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum SelectionStepKind {
    /// 1. What the collectivity already runs that serves the need.
    AlreadyRuns,
    /// 2. Libre solutions for the need, ranked by evidence, with maintenance and risk.
    Libre,
    /// 3. Proprietary solutions, with continuity risk (HIGH risk last).
    Proprietary,
    /// 4. Building it in-house; in-house solutions already published for this need or a sibling.
    BuildInHouse,
}

impl From<StepKind> for SelectionStepKind {
    fn from(k: StepKind) -> Self {
        match k {
            StepKind::AlreadyRuns => Self::AlreadyRuns,
            StepKind::Libre => Self::Libre,
            StepKind::Proprietary => Self::Proprietary,
            StepKind::BuildInHouse => Self::BuildInHouse,
        }
    }
}

/// One step, with its options.
#[derive(SimpleObject)]
pub struct SelectionStep {
    /// Its rank in the procedure (1 to 4).
    order: u32,
    /// Which step.
    kind: SelectionStepKind,
    /// True when it found at least one option.
    found: bool,
    /// The options, best first, with evidence (`solution.risk` gives continuity risk).
    options: Vec<SolutionEvidence>,
}

/// The selection procedure for a collectivity and a need.
pub struct SelectionAdvice {
    ix: Arc<Index>,
    asker: u32,
    need: u32,
    conclusion: StepKind,
    pool: evidence::PeerPool,
    /// Each step's kind and options, in order.
    steps: Vec<(StepKind, Vec<Arc<Ranked>>)>,
}

/// The selection procedure for a collectivity and a need.
#[Object]
impl SelectionAdvice {
    /// Who asks.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.asker)
    }
    /// For which need (narrower needs included).
    async fn need(&self) -> NeedNode {
        need_node(&self.ix, self.need)
    }
    /// The first step that found an option: where the procedure stops.
    async fn conclusion(&self) -> SelectionStepKind {
        self.conclusion.into()
    }
    /// The four steps, in order.
    async fn steps(&self) -> Vec<SelectionStep> {
        self.steps
            .iter()
            .enumerate()
            .map(|(i, (kind, options))| SelectionStep {
                order: i as u32 + 1,
                kind: (*kind).into(),
                found: !options.is_empty(),
                options: options
                    .iter()
                    .map(|r| solution_evidence(&self.ix, r, None))
                    .collect(),
            })
            .collect()
    }
    /// The asker's peers that weighed in.
    async fn peers(&self) -> Vec<PeerRef> {
        peer_refs(&self.ix, &self.pool)
    }
}

/// Builds the selection advice (its fields are filled in when asked for).
pub fn selection_advice(ix: &Arc<Index>, asker: u32, need: u32) -> SelectionAdvice {
    let a = evidence::selection_advice(ix, asker, need);
    SelectionAdvice {
        ix: ix.clone(),
        asker,
        need,
        conclusion: a.conclusion,
        pool: a.pool,
        steps: a
            .steps
            .into_iter()
            .map(|s| (s.kind, s.options.into_iter().map(Arc::new).collect()))
            .collect(),
    }
}

/// Where a figure comes from.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum FigureOrigin {
    /// Stated by the collectivity (or a source about it); see `source`.
    Stated,
    /// Computed by retex from the graph's adoptions.
    Computed,
}

/// A figure, labelled stated or computed.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct LabelledFigure {
    /// What is measured (`libre-share`, `solutions-running`...).
    name: String,
    /// The value.
    value: f64,
    /// The unit (`percent`, `count`).
    unit: Option<String>,
    /// Stated or computed.
    origin: FigureOrigin,
    #[graphql(skip)]
    source: Option<domain::SourceId>,
}

#[ComplexObject]
impl LabelledFigure {
    /// Who stated it (stated figures only).
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNode>> {
        match &self.source {
            Some(id) => Ok(load(ctx, id.clone()).await?.map(SourceNode)),
            None => Ok(None),
        }
    }
}

/// A collectivity's figures: stated ones and computed ones, kept apart.
#[derive(SimpleObject)]
pub struct CollectivityStatistics {
    /// The collectivity.
    collectivity: CollectivityNode,
    /// Figures it (or a source) stated: its `statedFigures`.
    stated: Vec<LabelledFigure>,
    /// Figures computed from the adoptions in the graph: solutions running (DEPLOYED or
    /// PILOT, not ended), of which libre, proprietary, internal, and the libre share.
    computed: Vec<LabelledFigure>,
}

fn computed(name: &str, value: f64, unit: &str) -> LabelledFigure {
    LabelledFigure {
        name: name.to_owned(),
        value,
        unit: Some(unit.to_owned()),
        origin: FigureOrigin::Computed,
        source: None,
    }
}

/// The statistics of a collectivity.
pub fn collectivity_statistics(ix: &Index, c: u32) -> CollectivityStatistics {
    let col = &ix.collectivities[c as usize];
    let runs = st::collectivity_runs(ix, c);
    let mut figures = vec![
        computed("solutions-running", f64::from(runs.running), "count"),
        computed("libre-running", f64::from(runs.libre), "count"),
        computed("proprietary-running", f64::from(runs.proprietary), "count"),
        computed("internal-running", f64::from(runs.internal), "count"),
    ];
    if let Some(share) = runs.libre_share() {
        figures.push(computed("libre-share", share, "percent"));
    }
    CollectivityStatistics {
        collectivity: collectivity_node(ix, c),
        stated: col
            .figures
            .iter()
            .map(|f| LabelledFigure {
                name: f.name.clone(),
                value: f.value,
                unit: f.unit.clone(),
                origin: FigureOrigin::Stated,
                source: f.source.clone(),
            })
            .collect(),
        computed: figures,
    }
}

/// Adoptions started in a year.
#[derive(SimpleObject, Clone)]
pub struct YearCount {
    /// The year.
    year: u32,
    /// Adoptions started that year.
    count: u32,
}

/// Adoptions over time (by start year).
#[derive(SimpleObject)]
pub struct AdoptionTimeline {
    /// Adoptions per start year, oldest first (years without adoptions left out).
    years: Vec<YearCount>,
    /// Adoptions without a known start.
    undated: u32,
    /// All adoptions counted.
    total: u32,
}

/// The timeline of a need (with narrower needs) or of a solution.
pub fn timeline(ix: &Index, need: Option<u32>, solution: Option<u32>) -> AdoptionTimeline {
    let adoptions: Vec<u32> = match (need, solution) {
        (Some(n), s) => ix
            .need_subtree(n)
            .iter()
            .flat_map(|n| ix.adoptions_of_need.get(*n).iter().copied())
            .filter(|a| s.is_none_or(|s| ix.adoptions[*a as usize].solution == s))
            .collect(),
        (None, Some(s)) => ix.adoptions_of_solution.get(s).to_vec(),
        (None, None) => Vec::new(),
    };
    let t = st::timeline(ix, adoptions.iter().copied());
    AdoptionTimeline {
        years: t
            .years
            .iter()
            .map(|(y, c)| YearCount {
                year: u32::from(*y),
                count: *c,
            })
            .collect(),
        undated: t.undated,
        total: adoptions.len() as u32,
    }
}

/// Totals over all collectivities, or over one kind.
#[derive(SimpleObject)]
pub struct Aggregate {
    /// The kind, or null for the national total.
    collectivity_kind: Option<CollectivityKind>,
    /// Collectivities.
    collectivities: u32,
    /// Collectivities with at least one adoption.
    adopters: u32,
    /// Adoptions.
    adoptions: u32,
    /// Adoptions per status.
    by_status: Vec<StatusCount>,
    /// Outcomes per kind.
    by_outcome: Vec<OutcomeCount>,
    /// (collectivity, solution) pairs running (DEPLOYED or PILOT, not ended).
    solutions_running: u32,
    /// Of which libre.
    libre_running: u32,
    /// Libre among them, in percent (computed).
    libre_share: Option<f64>,
}

/// National and per-kind aggregates.
pub fn aggregates(ix: &Index) -> Vec<Aggregate> {
    ix.aggregates
        .iter()
        .map(|a| Aggregate {
            collectivity_kind: a.kind.map(Into::into),
            collectivities: a.collectivities,
            adopters: a.adopters,
            adoptions: a.adoptions,
            by_status: status_counts(&a.by_status),
            by_outcome: outcome_counts(&a.by_outcome),
            solutions_running: a.runs.running,
            libre_running: a.runs.libre,
            libre_share: a.runs.libre_share(),
        })
        .collect()
}
