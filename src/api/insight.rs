//! The answers users come for: peers, peer experience for a need, adoption paths, the selection
//! procedure, continuity risk and computed statistics. Computed by [`crate::analysis`]; each
//! answer carries its evidence (peers, adoptions, outcomes, sources) and its score's parts.

use async_graphql::{ComplexObject, Context, Enum, InputObject, SimpleObject, ID};

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
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct AdoptionEvidence {
    /// The adoption's id.
    adoption_id: ID,
    /// Who adopted.
    collectivity: CollectivityNode,
    /// What was adopted.
    solution: SolutionNode,
    /// For which need.
    need: NeedNode,
    /// Where it stands.
    status: AdoptionStatus,
    /// When it started.
    started: Option<String>,
    /// When it ended.
    ended: Option<String>,
    /// How it was deployed.
    strategy: Option<DeploymentStrategy>,
    /// Who runs it.
    hosting: Option<Hosting>,
    /// The kinds of its outcomes.
    outcome_kinds: Vec<OutcomeKind>,
    /// The adopter's similarity to the asker (1 for the asker itself; null without an asker).
    similarity: Option<f64>,
    /// True when the adopter is the asker itself.
    own: bool,
    #[graphql(skip)]
    outcome_ids: Vec<domain::OutcomeId>,
    #[graphql(skip)]
    source_ids: Vec<domain::SourceId>,
}

#[ComplexObject]
impl AdoptionEvidence {
    /// The whole adoption.
    async fn adoption(&self, ctx: &Context<'_>) -> ApiResult<Option<AdoptionNode>> {
        let id = parse_id(&self.adoption_id, domain::AdoptionId::parse)?;
        Ok(load(ctx, id).await?.map(AdoptionNode))
    }
    /// Its outcomes.
    async fn outcomes(&self, ctx: &Context<'_>) -> ApiResult<Vec<OutcomeNode>> {
        let mut out = Vec::new();
        for id in &self.outcome_ids {
            if let Some(o) = load(ctx, id.clone()).await? {
                out.push(OutcomeNode(o));
            }
        }
        Ok(out)
    }
    /// The sources of the adoption and of its outcomes.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        let mut out = Vec::new();
        for id in &self.source_ids {
            if let Some(s) = load(ctx, id.clone()).await? {
                out.push(SourceNode(s));
            }
        }
        Ok(out)
    }
}

fn adoption_evidence(ix: &Index, a: u32, similarity: Option<f64>, own: bool) -> AdoptionEvidence {
    let adoption = &ix.adoptions[a as usize];
    let outcomes = ix.outcomes_of.get(a);
    let mut sources: Vec<u32> = ix.adoption_sources.get(a).to_vec();
    for &o in outcomes {
        sources.extend_from_slice(ix.outcome_sources.get(o));
    }
    sources.sort_unstable();
    sources.dedup();
    AdoptionEvidence {
        adoption_id: ID(adoption.id.to_string()),
        collectivity: collectivity_node(ix, adoption.collectivity),
        solution: solution_node(ix, adoption.solution),
        need: need_node(ix, adoption.need),
        status: adoption.status.into(),
        started: adoption.started.map(|d| d.to_string()),
        ended: adoption.ended.map(|d| d.to_string()),
        strategy: adoption.strategy.map(Into::into),
        hosting: adoption.hosting.map(Into::into),
        outcome_kinds: outcomes
            .iter()
            .map(|o| ix.outcomes[*o as usize].kind.into())
            .collect(),
        similarity,
        own,
        outcome_ids: outcomes
            .iter()
            .map(|o| ix.outcomes[*o as usize].id.clone())
            .collect(),
        source_ids: sources
            .iter()
            .map(|s| ix.sources[*s as usize].id.clone())
            .collect(),
    }
}

fn peer_adoption(ix: &Index, p: &PeerAdoption) -> AdoptionEvidence {
    adoption_evidence(ix, p.adoption, Some(p.similarity), p.own)
}

/// A collectivity similar to the asker, and why.
#[derive(SimpleObject)]
pub struct Peer {
    /// The peer.
    collectivity: CollectivityNode,
    /// Its similarity, with the score's parts.
    similarity: PeerSimilarity,
    /// The solutions both adopted.
    shared_solutions: Vec<SolutionNode>,
    /// With a need: what the peer adopted for it (or a narrower need), and how it went.
    adoptions: Vec<AdoptionEvidence>,
}

fn peer(ix: &Index, target: &Target<'_>, s: &Similarity, needs: Option<&[u32]>) -> Peer {
    let adoptions = match needs {
        Some(needs) => ix
            .adoptions_of_collectivity
            .get(s.peer)
            .iter()
            .filter(|a| {
                needs
                    .binary_search(&ix.adoptions[**a as usize].need)
                    .is_ok()
            })
            .map(|a| adoption_evidence(ix, *a, Some(s.total), false))
            .collect(),
        None => Vec::new(),
    };
    Peer {
        collectivity: collectivity_node(ix, s.peer),
        similarity: similarity(s),
        shared_solutions: target
            .shared_solutions(s.peer)
            .into_iter()
            .map(|x| solution_node(ix, x))
            .collect(),
        adoptions,
    }
}

/// The peers of a collectivity, best first (ties broken by id); the first
/// [`evidence::PEER_POOL`] are memoized for the index's revision.
pub fn peers(ix: &Index, of: u32, need: Option<u32>, first: usize) -> Vec<Peer> {
    let target = Target::new(ix, of);
    let needs = need.map(|n| ix.need_subtree(n));
    let ranked = if first <= evidence::PEER_POOL {
        let mut pool = evidence::cached_peers(ix, of).as_ref().clone();
        pool.truncate(first);
        pool
    } else {
        target.peers(first)
    };
    ranked
        .iter()
        .map(|s| peer(ix, &target, s, needs.as_deref()))
        .collect()
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
#[derive(SimpleObject, Clone)]
pub struct AdoptionCounts {
    /// Adoptions.
    adoptions: u32,
    /// Per status (non-zero only).
    by_status: Vec<StatusCount>,
    /// Outcomes per kind (non-zero only).
    by_outcome: Vec<OutcomeCount>,
    /// Deployment strategies used (non-zero only).
    strategies: Vec<StrategyCount>,
    /// Hosting modes used (non-zero only).
    hostings: Vec<HostingCount>,
    /// Earliest start.
    first_started: Option<String>,
    /// Latest start.
    last_started: Option<String>,
    /// Adoptions started in the graph's last five years.
    recent_adoptions: u32,
    /// The sources cited by these adoptions and their outcomes.
    sources: Vec<SourceNode>,
}

fn counts(ix: &Index, s: &Stats) -> AdoptionCounts {
    AdoptionCounts {
        adoptions: s.adoptions,
        by_status: status_counts(&s.by_status),
        by_outcome: outcome_counts(&s.by_outcome),
        strategies: domain::DeploymentStrategy::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| s.by_strategy[*i] > 0)
            .map(|(i, k)| StrategyCount {
                strategy: (*k).into(),
                count: s.by_strategy[i],
                favourable: s.strategy_worked[i],
            })
            .collect(),
        hostings: domain::Hosting::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| s.by_hosting[*i] > 0)
            .map(|(i, h)| HostingCount {
                hosting: (*h).into(),
                count: s.by_hosting[i],
            })
            .collect(),
        first_started: s.first_started.map(|d| d.to_string()),
        last_started: s.last_started.map(|d| d.to_string()),
        recent_adoptions: s.recent,
        sources: s
            .sources
            .iter()
            .map(|x| SourceNode(ix.sources[*x as usize].clone()))
            .collect(),
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
#[derive(SimpleObject)]
pub struct SolutionEvidence {
    /// The solution (its `risk` field gives its continuity risk).
    solution: SolutionNode,
    /// Counts over the adoptions considered.
    counts: AdoptionCounts,
    /// How many of the asker's peers (or the asker) adopted it.
    peer_adopters: u32,
    /// Their adoptions, most similar adopter first.
    peer_adoptions: Vec<AdoptionEvidence>,
    /// The evidence score, with its parts.
    score: Score,
    /// The score in words, in French and English, built from the same parts as the number.
    explanation: Text,
    /// True when the adoptions were weighed by how alike their adopters are to the asker
    /// (parts `comparableAdoptions`...); false when every adopter counted the same (part
    /// `adoptions`; `adoptionsByCountry` says where they come from).
    weighed_for_asker: bool,
    /// Where the adoptions counted come from, by country, most first.
    adoptions_by_country: Vec<CountryCount>,
    /// For adoption paths: how it is linked to the starting solution.
    link: Option<AlternativeLink>,
    /// For adoption paths: adoptions of it that replaced the starting solution.
    moved_from: Vec<AdoptionEvidence>,
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
fn population(ix: &Index, ranked: &[Ranked]) -> Vec<CountryCount> {
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

fn solution_evidence(ix: &Index, r: &Ranked, from: Option<u32>) -> SolutionEvidence {
    SolutionEvidence {
        explanation: Text(explain(ix, r)),
        weighed_for_asker: r.weighed_for_asker,
        adoptions_by_country: country_counts(r.stats.by_profile.by_country(&ix.countries)),
        solution: solution_node(ix, r.solution),
        counts: counts(ix, &r.stats),
        peer_adopters: r.peer_adopters,
        peer_adoptions: r
            .peer_adoptions
            .iter()
            .map(|p| peer_adoption(ix, p))
            .collect(),
        score: (&r.score).into(),
        link: match (&r.link, from) {
            (Some(l), Some(f)) => Some(link(ix, f, l)),
            _ => None,
        },
        moved_from: r
            .moved
            .iter()
            .take(evidence::MAX_PEER_ADOPTIONS)
            .map(|a| adoption_evidence(ix, *a, None, false))
            .collect(),
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
#[derive(SimpleObject)]
pub struct Experience {
    /// The need (its narrower needs are included).
    need: NeedNode,
    /// The asker, if any.
    asker: Option<CollectivityNode>,
    /// The asker's peers that weighed in, best first.
    peers: Vec<PeerRef>,
    /// How many solutions match, before `first`.
    total_count: u32,
    /// Where the evidence of the solutions listed comes from: adoptions by country (without
    /// an asker every adoption weighs the same, whatever its country).
    evidence_countries: Vec<CountryCount>,
    /// The solutions, with their evidence.
    solutions: Vec<SolutionEvidence>,
}

/// A peer that weighed in, with its similarity.
#[derive(SimpleObject, Clone)]
pub struct PeerRef {
    /// The peer.
    collectivity: CollectivityNode,
    /// Its similarity to the asker.
    similarity: PeerSimilarity,
}

fn peer_refs(ix: &Index, pool: &evidence::PeerPool) -> Vec<PeerRef> {
    pool.peers
        .iter()
        .map(|s| PeerRef {
            collectivity: collectivity_node(ix, s.peer),
            similarity: similarity(s),
        })
        .collect()
}

/// Builds the experience answer.
pub fn experience(
    ix: &Index,
    need: u32,
    asker: Option<u32>,
    filter: &evidence::ExperienceFilter,
    first: usize,
) -> Experience {
    let e = evidence::experience(ix, need, asker, filter, first);
    Experience {
        need: need_node(ix, need),
        asker: asker.map(|a| collectivity_node(ix, a)),
        peers: peer_refs(ix, &e.pool),
        total_count: e.total as u32,
        evidence_countries: population(ix, &e.solutions),
        solutions: e
            .solutions
            .iter()
            .map(|r| solution_evidence(ix, r, None))
            .collect(),
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

fn outcome_ref(ix: &Index, o: u32) -> OutcomeRef {
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
pub fn risk(ix: &Index, solution: u32) -> Risk {
    risk_view(ix, &rk::risk(ix, solution))
}

fn risk_view(ix: &Index, r: &rk::Risk) -> Risk {
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
#[derive(SimpleObject)]
pub struct AdoptionPath {
    /// Its tier: declared replacements (by confidence) before same-need candidates.
    tier: PathTier,
    /// The alternative and its evidence (`link` says how it is linked to the start,
    /// `explanation` why it ranks here).
    alternative: SolutionEvidence,
    /// Adopters shown for it: peers first, then those who moved from the start, then
    /// adopters with outcomes.
    adopters: Vec<AdoptionEvidence>,
}

/// The starting solution of adoption paths, with what its adopters went through.
#[derive(SimpleObject)]
pub struct PathStart {
    /// The solution.
    solution: SolutionNode,
    /// Counts over its adoptions.
    counts: AdoptionCounts,
    /// Outcomes that count against it (ROLLBACK, VENDOR_SHUTDOWN), at most 20.
    against: Vec<OutcomeRef>,
    /// Outcomes that count for it (SUCCESS, COST_SAVING), at most 20.
    favourable: Vec<OutcomeRef>,
    /// Its continuity risk.
    risk: Risk,
}

/// Ways away from a solution, each ranked by peers' evidence, and the walk to draw them.
#[derive(SimpleObject)]
pub struct AdoptionPaths {
    /// Where the paths start.
    from: PathStart,
    /// The asker, if any.
    asker: Option<CollectivityNode>,
    /// The asker's peers that weighed in.
    peers: Vec<PeerRef>,
    /// How many alternatives exist, before `first`.
    total_count: u32,
    /// Where the evidence of the alternatives listed comes from: adoptions by country.
    evidence_countries: Vec<CountryCount>,
    /// The alternatives: declared replacements first (STRONG, PARTIAL, ADJACENT), then
    /// solutions serving the same specific need; by evidence within each.
    paths: Vec<AdoptionPath>,
    /// The whole walk: start → alternatives → adoptions → adopters → outcomes.
    walk: Walk,
}

/// Builds the adoption-paths answer.
pub fn adoption_paths(
    ix: &Index,
    from: u32,
    asker: Option<u32>,
    first: usize,
    adopters: usize,
) -> AdoptionPaths {
    let p = evidence::adoption_paths(ix, from, asker, first);
    let mut walk = Walk::default();
    let start = walk.solution(ix, from);
    let against = [
        domain::OutcomeKind::Rollback,
        domain::OutcomeKind::VendorShutdown,
    ];
    let mut shown: Vec<u32> = p
        .against
        .iter()
        .map(|o| ix.outcomes[*o as usize].adoption)
        .collect();
    shown.dedup();
    for a in shown {
        walk.adoption(ix, &start, a, &against);
    }
    let mut paths = Vec::new();
    for r in &p.alternatives {
        let alt = walk.solution(ix, r.solution);
        let (relation, detail) = match &r.link {
            Some(PathLink::Replaces(l)) => (
                WalkRelation::ReplacedBy,
                Some(l.confidence.as_str().to_owned()),
            ),
            _ => (WalkRelation::SameNeed, None),
        };
        walk.edge(&start, &alt, relation, detail);
        let shown = evidence::path_adopters(ix, r, adopters);
        for &a in &shown {
            walk.adoption(ix, &alt, a, &[]);
        }
        let similarity = |a: u32| {
            r.peer_adoptions
                .iter()
                .find(|p| p.adoption == a)
                .map(|p| (p.similarity, p.own))
        };
        paths.push(AdoptionPath {
            tier: r.tier().unwrap_or(evidence::Tier::SameNeed).into(),
            alternative: solution_evidence(ix, r, Some(from)),
            adopters: shown
                .iter()
                .map(|a| {
                    let (s, own) = similarity(*a).map_or((None, false), |(s, o)| (Some(s), o));
                    adoption_evidence(ix, *a, s, own)
                })
                .collect(),
        });
    }
    AdoptionPaths {
        from: PathStart {
            solution: solution_node(ix, from),
            counts: counts(ix, &p.from_stats),
            against: p.against.iter().map(|o| outcome_ref(ix, *o)).collect(),
            favourable: p.favourable.iter().map(|o| outcome_ref(ix, *o)).collect(),
            risk: risk_view(ix, &p.risk),
        },
        asker: asker.map(|a| collectivity_node(ix, a)),
        peers: peer_refs(ix, &p.pool),
        total_count: p.total as u32,
        evidence_countries: population(ix, &p.alternatives),
        paths,
        walk,
    }
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
#[derive(SimpleObject)]
pub struct SelectionAdvice {
    /// Who asks.
    collectivity: CollectivityNode,
    /// For which need (narrower needs included).
    need: NeedNode,
    /// The first step that found an option: where the procedure stops.
    conclusion: SelectionStepKind,
    /// The four steps, in order.
    steps: Vec<SelectionStep>,
    /// The asker's peers that weighed in.
    peers: Vec<PeerRef>,
}

/// Builds the selection advice.
pub fn selection_advice(ix: &Index, asker: u32, need: u32) -> SelectionAdvice {
    let a = evidence::selection_advice(ix, asker, need);
    SelectionAdvice {
        collectivity: collectivity_node(ix, asker),
        need: need_node(ix, need),
        conclusion: a.conclusion.into(),
        steps: a
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| SelectionStep {
                order: i as u32 + 1,
                kind: s.kind.into(),
                found: !s.options.is_empty(),
                options: s
                    .options
                    .iter()
                    .map(|r| solution_evidence(ix, r, None))
                    .collect(),
            })
            .collect(),
        peers: peer_refs(ix, &a.pool),
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
