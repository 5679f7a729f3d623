//! The in-memory index the analyses run on: the whole graph, interned (every node is a `u32`)
//! and pre-grouped, so that a query touches only the few rows it needs.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::evidence::{outcome_sign, status_weight};
use super::relevance::{ByProfile, Countries, Profile, Tally};
use crate::domain::{
    AdoptionId, AdoptionStatus, AlternativeId, AlternativeKind, Batch, Collectivity,
    CollectivityKind, Confidence, DeploymentStrategy, EntityKind, Hosting, Need, NodeId, OutcomeId,
    OutcomeKind, PartialDate, Publisher, Solution, SolutionKind, Source,
};

/// Compressed rows: for each key `k`, the values `items[offsets[k]..offsets[k + 1]]`, in the
/// order they were given (the dump is ordered by id, so values come in id order).
#[derive(Debug, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// Groups `(key, value)` pairs by key; keys below `keys`.
    pub fn build(keys: usize, pairs: &[(u32, u32)]) -> Self {
        let mut offsets = vec![0u32; keys + 1];
        for &(k, _) in pairs {
            offsets[k as usize + 1] += 1;
        }
        for i in 0..keys {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(k, v) in pairs {
            let slot = &mut fill[k as usize];
            items[*slot as usize] = v;
            *slot += 1;
        }
        Self { offsets, items }
    }

    /// The values of `key` (empty for an unknown key).
    pub fn get(&self, key: u32) -> &[u32] {
        let k = key as usize;
        if k + 1 >= self.offsets.len() {
            return &[];
        }
        &self.items[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }
}

/// An adoption, with its references interned.
#[derive(Debug)]
pub struct Adoption {
    /// Its id.
    pub id: AdoptionId,
    /// Who adopted (collectivity index).
    pub collectivity: u32,
    /// What (solution index).
    pub solution: u32,
    /// For which need (need index).
    pub need: u32,
    /// Where it stands.
    pub status: AdoptionStatus,
    /// When it started.
    pub started: Option<PartialDate>,
    /// When it ended.
    pub ended: Option<PartialDate>,
    /// How it was deployed.
    pub strategy: Option<DeploymentStrategy>,
    /// Who runs it.
    pub hosting: Option<Hosting>,
    /// What it replaced (solution indices).
    pub replaced: Vec<u32>,
}

/// An outcome, with its adoption interned.
#[derive(Debug)]
pub struct Outcome {
    /// Its id.
    pub id: OutcomeId,
    /// Its adoption (index).
    pub adoption: u32,
    /// What happened.
    pub kind: OutcomeKind,
    /// When.
    pub date: Option<PartialDate>,
}

/// A REPLACES link, seen from one side.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Its id.
    pub id: AlternativeId,
    /// The solution on the other side (index).
    pub other: u32,
    /// How fully the libre side replaces the proprietary one.
    pub confidence: Confidence,
    /// What the replaced paid item is.
    pub kind: AlternativeKind,
}

/// Counts and dates over a group of adoptions (a solution's, or a solution's for one need).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Adoptions.
    pub adoptions: u32,
    /// Adoptions per status, in [`AdoptionStatus::ALL`] order.
    pub by_status: [u32; 5],
    /// Outcomes per kind, in [`OutcomeKind::ALL`] order.
    pub by_outcome: [u32; 6],
    /// Adoptions per strategy, in [`DeploymentStrategy::ALL`] order.
    pub by_strategy: [u32; 4],
    /// Adoptions per hosting mode, in [`Hosting::ALL`] order.
    pub by_hosting: [u32; 3],
    /// Strategies of adoptions with a favourable outcome (SUCCESS or COST_SAVING).
    pub strategy_worked: [u32; 4],
    /// Earliest start.
    pub first_started: Option<PartialDate>,
    /// Latest start.
    pub last_started: Option<PartialDate>,
    /// Adoptions started within [`RECENT_YEARS`] of the graph's latest year.
    pub recent: u32,
    /// Sources cited by the adoptions and their outcomes (indices, sorted, distinct).
    pub sources: Vec<u32>,
    /// What the adoptions bring to the evidence, per adopter profile (see [`super::relevance`]).
    pub by_profile: ByProfile,
}

/// Stats per solution over the adoptions for a need's subtree, sorted by solution.
pub type SubtreeStats = Arc<Vec<(u32, Arc<Stats>)>>;

/// How many years back an adoption counts as recent, from the graph's latest dated fact.
pub const RECENT_YEARS: u16 = 5;

fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

impl Stats {
    /// Widens the span of start dates to take in `first` and `last`.
    pub fn widen_dates(&mut self, first: Option<PartialDate>, last: Option<PartialDate>) {
        if let Some(d) = first {
            if self
                .first_started
                .is_none_or(|f| d.order_key() < f.order_key())
            {
                self.first_started = Some(d);
            }
        }
        if let Some(d) = last {
            if self
                .last_started
                .is_none_or(|l| d.order_key() > l.order_key())
            {
                self.last_started = Some(d);
            }
        }
    }

    /// Adds one adoption (and its outcomes) to the counts.
    pub fn add(&mut self, index: &Index, adoption: u32) {
        let a = &index.adoptions[adoption as usize];
        self.adoptions += 1;
        self.by_status[position(AdoptionStatus::ALL, &a.status)] += 1;
        if let Some(s) = a.strategy {
            self.by_strategy[position(DeploymentStrategy::ALL, &s)] += 1;
        }
        if let Some(h) = a.hosting {
            self.by_hosting[position(Hosting::ALL, &h)] += 1;
        }
        if let Some(d) = a.started {
            self.widen_dates(Some(d), Some(d));
            if d.year() + RECENT_YEARS > index.latest_year {
                self.recent += 1;
            }
        }
        let mut tally = Tally {
            adoptions: 1,
            strength: status_weight(a.status),
            ..Default::default()
        };
        if a.started
            .is_some_and(|d| d.year() + RECENT_YEARS > index.latest_year)
        {
            tally.recent = 1;
        }
        let mut worked = false;
        for &o in index.outcomes_of.get(adoption) {
            let kind = index.outcomes[o as usize].kind;
            self.by_outcome[position(OutcomeKind::ALL, &kind)] += 1;
            worked |= matches!(kind, OutcomeKind::Success | OutcomeKind::CostSaving);
            match outcome_sign(kind) {
                s if s > 0.0 => tally.favourable += s,
                s if s < 0.0 => tally.unfavourable -= s,
                _ => {}
            }
            self.sources.extend_from_slice(index.outcome_sources.get(o));
        }
        self.by_profile
            .add(index.profiles[a.collectivity as usize], &tally);
        if let (true, Some(s)) = (worked, a.strategy) {
            self.strategy_worked[position(DeploymentStrategy::ALL, &s)] += 1;
        }
        self.sources
            .extend_from_slice(index.adoption_sources.get(adoption));
        if self.sources.len() > 64 {
            self.tidy();
        }
    }

    /// Sorts and deduplicates the sources.
    pub fn tidy(&mut self) {
        self.sources.sort_unstable();
        self.sources.dedup();
    }

    /// Outcomes of this kind.
    pub fn outcomes(&self, kind: OutcomeKind) -> u32 {
        self.by_outcome[position(OutcomeKind::ALL, &kind)]
    }

    /// Adoptions with this status.
    pub fn status(&self, status: AdoptionStatus) -> u32 {
        self.by_status[position(AdoptionStatus::ALL, &status)]
    }
}

/// The whole graph, interned and grouped for analysis. Built once per store revision.
#[derive(Debug, Default)]
pub struct Index {
    /// The store revision it was built from.
    pub revision: u64,
    /// The latest year of any dated adoption or outcome (the "now" of recency, so answers do
    /// not change with the clock).
    pub latest_year: u16,
    /// Sources.
    pub sources: Vec<Source>,
    /// Needs.
    pub needs: Vec<Need>,
    /// Publishers.
    pub publishers: Vec<Publisher>,
    /// Solutions.
    pub solutions: Vec<Solution>,
    /// Collectivities.
    pub collectivities: Vec<Collectivity>,
    /// Adoptions.
    pub adoptions: Vec<Adoption>,
    /// Outcomes.
    pub outcomes: Vec<Outcome>,
    /// The countries of the collectivities, interned.
    pub countries: Countries,
    /// Each collectivity's profile, for relevance to an asker.
    pub profiles: Vec<Profile>,
    ids: HashMap<String, u32>,
    /// Narrower needs of each need.
    pub narrower: Csr,
    /// Solutions serving each need (directly).
    pub solutions_of_need: Csr,
    /// Needs of each solution.
    pub needs_of_solution: Csr,
    /// Publisher of each solution.
    pub publisher_of: Vec<Option<u32>>,
    /// Adoptions of each collectivity.
    pub adoptions_of_collectivity: Csr,
    /// Adoptions of each solution.
    pub adoptions_of_solution: Csr,
    /// Adoptions for each need (directly).
    pub adoptions_of_need: Csr,
    /// Distinct solutions each collectivity adopted, sorted.
    pub solutions_of_collectivity: Csr,
    /// Distinct collectivities that adopted each solution, sorted.
    pub adopters_of_solution: Csr,
    /// Outcomes of each adoption.
    pub outcomes_of: Csr,
    /// Outcomes of each solution's adoptions.
    pub outcomes_of_solution: Csr,
    /// Sources of each adoption.
    pub adoption_sources: Csr,
    /// Sources of each outcome.
    pub outcome_sources: Csr,
    /// Libre solutions that replace each proprietary one.
    pub replaced_by: Vec<Vec<Link>>,
    /// Proprietary solutions each libre one replaces.
    pub replaces: Vec<Vec<Link>>,
    /// Stats of each solution over all its adoptions.
    pub solution_stats: Vec<Arc<Stats>>,
    /// Stats of each solution's adoptions for one need (direct need), per need.
    pub need_solution_stats: Vec<Vec<(u32, Stats)>>,
    /// Stats of each solution's adoptions for a need or a narrower one, per need, by solution;
    /// merged on first use (see [`Index::subtree_stats`]).
    subtree_stats: Vec<OnceLock<SubtreeStats>>,
    /// Adoptions that replaced a solution by another: (from, to) → adoption indices.
    pub moves: HashMap<(u32, u32), Vec<u32>>,
    /// Collectivities per (kind, department code).
    pub by_kind_department: HashMap<(CollectivityKind, String), Vec<u32>>,
    /// Collectivities per (kind, region code).
    pub by_kind_region: HashMap<(CollectivityKind, String), Vec<u32>>,
    /// Collectivities per kind.
    pub by_kind: HashMap<CollectivityKind, Vec<u32>>,
    /// Collectivities per (kind, country, size band), for peers of comparable size far away.
    pub by_kind_size: HashMap<(CollectivityKind, u16, u8), Vec<u32>>,
    /// National and per-kind aggregates.
    pub aggregates: Vec<super::stats::Aggregate>,
    /// The day the index was built: release data (ends of life) is judged on it.
    pub built_on: chrono::NaiveDate,
    /// Release facts of the solutions that have any (by solution index).
    pub release: HashMap<u32, super::risk::ReleaseFacts>,
    /// The continuity risk of every solution, computed on first use (see [`super::risk::risk`]).
    pub risks: std::sync::OnceLock<Vec<super::risk::Risk>>,
    /// Peer pools already computed at this revision, by collectivity.
    pub peer_pools: std::sync::Mutex<HashMap<u32, std::sync::Arc<Vec<super::peers::Similarity>>>>,
}

fn intern(ids: &mut HashMap<String, u32>, id: &str, index: usize) {
    ids.insert(id.to_owned(), index as u32);
}

impl Index {
    /// Adds release data judged on `today`: release cycles (imported and fetched, see
    /// [`crate::store::Store::release_cycles_for`]) and the newest release date of solutions.
    /// Data of unknown solutions is skipped.
    pub fn add_release_data(
        &mut self,
        cycles: &[crate::domain::ReleaseCycle],
        latest: &[(crate::domain::SolutionId, chrono::DateTime<chrono::Utc>)],
        today: chrono::NaiveDate,
    ) {
        self.built_on = today;
        self.risks = std::sync::OnceLock::new();
        let mut cycles_of: HashMap<u32, Vec<&crate::domain::ReleaseCycle>> = HashMap::new();
        for c in cycles {
            if let Some(s) = self.solution(c.solution.as_str()) {
                cycles_of.entry(s).or_default().push(c);
            }
        }
        let latest_of: HashMap<u32, chrono::DateTime<chrono::Utc>> = latest
            .iter()
            .filter_map(|(id, d)| Some((self.solution(id.as_str())?, *d)))
            .collect();
        let mut solutions: Vec<u32> = cycles_of.keys().chain(latest_of.keys()).copied().collect();
        solutions.sort_unstable();
        solutions.dedup();
        self.release = solutions
            .into_iter()
            .map(|s| {
                let own = cycles_of.get(&s).map(Vec::as_slice).unwrap_or_default();
                let facts = super::risk::ReleaseFacts::from_cycles(own, latest_of.get(&s).copied());
                (s, facts)
            })
            .collect();
    }

    /// The release facts of a solution, when any are known.
    pub fn release_facts(&self, solution: u32) -> Option<&super::risk::ReleaseFacts> {
        self.release.get(&solution)
    }

    /// Builds the index from a dump. References to missing nodes are skipped.
    pub fn build(batch: Batch, revision: u64) -> Self {
        let mut ix = Index {
            revision,
            ..Default::default()
        };
        let Batch {
            sources,
            needs,
            publishers,
            solutions,
            alternatives,
            collectivities,
            adoptions,
            outcomes,
            citations,
            ..
        } = batch;
        for (i, s) in sources.iter().enumerate() {
            intern(&mut ix.ids, s.id.as_str(), i);
        }
        for (i, n) in needs.iter().enumerate() {
            intern(&mut ix.ids, n.id.as_str(), i);
        }
        for (i, p) in publishers.iter().enumerate() {
            intern(&mut ix.ids, p.id.as_str(), i);
        }
        for (i, s) in solutions.iter().enumerate() {
            intern(&mut ix.ids, s.id.as_str(), i);
        }
        for (i, c) in collectivities.iter().enumerate() {
            intern(&mut ix.ids, c.id.as_str(), i);
        }
        ix.sources = sources;
        ix.needs = needs;
        ix.publishers = publishers;
        ix.solutions = solutions;
        ix.collectivities = collectivities;
        ix.build_profiles();
        ix.build_needs_and_solutions();
        ix.build_alternatives(&alternatives);
        ix.build_adoptions(adoptions);
        ix.build_outcomes(outcomes);
        ix.build_citations(citations);
        ix.build_stats();
        ix.build_buckets();
        ix.aggregates = super::stats::aggregates(&ix);
        ix
    }

    /// The index of a node, by id.
    pub fn find(&self, id: &str) -> Option<u32> {
        self.ids.get(id).copied()
    }

    fn find_kind(&self, id: &str, kind: EntityKind) -> Option<u32> {
        id.starts_with(kind.prefix())
            .then(|| self.find(id))
            .flatten()
    }

    /// The index of a need.
    pub fn need(&self, id: &str) -> Option<u32> {
        self.find_kind(id, EntityKind::Need)
    }

    /// The index of a solution.
    pub fn solution(&self, id: &str) -> Option<u32> {
        self.find_kind(id, EntityKind::Solution)
    }

    /// The index of a collectivity.
    pub fn collectivity(&self, id: &str) -> Option<u32> {
        self.find_kind(id, EntityKind::Collectivity)
    }

    /// A need and every need under it, sorted.
    pub fn need_subtree(&self, need: u32) -> Vec<u32> {
        let mut out = vec![need];
        let mut i = 0;
        while i < out.len() {
            let n = out[i];
            out.extend(self.narrower.get(n).iter().filter(|c| **c != need));
            i += 1;
            if out.len() > self.needs.len() {
                break; // a cycle: stop rather than loop
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Stats per solution over its adoptions for `need` or a narrower need (the subtree of
    /// [`Index::need_subtree`]), sorted by solution; merged once per need and index, in need
    /// order (so the sums are the same whoever asks first).
    pub fn subtree_stats(&self, need: u32) -> SubtreeStats {
        let Some(slot) = self.subtree_stats.get(need as usize) else {
            return SubtreeStats::default();
        };
        slot.get_or_init(|| {
            let needs = self.need_subtree(need);
            if let [only] = needs.as_slice() {
                let own = &self.need_solution_stats[*only as usize];
                return Arc::new(
                    own.iter()
                        .map(|(s, st)| (*s, Arc::new(st.clone())))
                        .collect(),
                );
            }
            let mut merged: HashMap<u32, Stats> = HashMap::new();
            for &n in &needs {
                for (s, stats) in &self.need_solution_stats[n as usize] {
                    super::evidence::merge(merged.entry(*s).or_default(), stats);
                }
            }
            let mut v: Vec<(u32, Arc<Stats>)> = merged
                .into_iter()
                .map(|(s, st)| (s, Arc::new(st)))
                .collect();
            v.sort_unstable_by_key(|(s, _)| *s);
            Arc::new(v)
        })
        .clone()
    }

    fn build_profiles(&mut self) {
        let mut countries = Countries::default();
        self.profiles = self
            .collectivities
            .iter()
            .map(|c| countries.profile(&c.country, c.kind, c.population))
            .collect();
        self.countries = countries;
    }

    fn build_needs_and_solutions(&mut self) {
        let mut narrower = Vec::new();
        // A retired need stays known by id (its history, its page) but is nobody's narrower need.
        for (i, n) in self.needs.iter().enumerate() {
            if n.retired.is_some() {
                continue;
            }
            if let Some(b) = n.broader.as_ref().and_then(|b| self.ids.get(b.as_str())) {
                narrower.push((*b, i as u32));
            }
        }
        self.narrower = Csr::build(self.needs.len(), &narrower);
        let mut by_need = Vec::new();
        for (i, s) in self.solutions.iter().enumerate() {
            for n in &s.needs {
                if let Some(&n) = self.ids.get(n.as_str()) {
                    by_need.push((n, i as u32));
                }
            }
        }
        let by_solution: Vec<(u32, u32)> = by_need.iter().map(|&(n, s)| (s, n)).collect();
        self.solutions_of_need = Csr::build(self.needs.len(), &by_need);
        self.needs_of_solution = Csr::build(self.solutions.len(), &by_solution);
        self.publisher_of = self
            .solutions
            .iter()
            .map(|s| {
                s.publisher
                    .as_ref()
                    .and_then(|p| self.ids.get(p.as_str()).copied())
            })
            .collect();
    }

    fn build_alternatives(&mut self, alternatives: &[crate::domain::Alternative]) {
        self.replaced_by = vec![Vec::new(); self.solutions.len()];
        self.replaces = vec![Vec::new(); self.solutions.len()];
        for a in alternatives {
            let (Some(libre), Some(prop)) = (
                self.solution(a.libre.as_str()),
                self.solution(a.proprietary.as_str()),
            ) else {
                continue;
            };
            let link = |other| Link {
                id: a.id.clone(),
                other,
                confidence: a.confidence,
                kind: a.kind,
            };
            self.replaced_by[prop as usize].push(link(libre));
            self.replaces[libre as usize].push(link(prop));
        }
    }

    fn build_adoptions(&mut self, adoptions: Vec<crate::domain::Adoption>) {
        self.adoptions.reserve(adoptions.len());
        for a in adoptions {
            let (Some(c), Some(s), Some(n)) = (
                self.collectivity(a.collectivity.as_str()),
                self.solution(a.solution.as_str()),
                self.need(a.need.as_str()),
            ) else {
                continue;
            };
            for d in [a.started, a.ended].into_iter().flatten() {
                self.latest_year = self.latest_year.max(d.year());
            }
            let replaced = a
                .replaced
                .iter()
                .filter_map(|r| self.solution(r.as_str()))
                .collect();
            self.adoptions.push(Adoption {
                id: a.id,
                collectivity: c,
                solution: s,
                need: n,
                status: a.status,
                started: a.started,
                ended: a.ended,
                strategy: a.strategy,
                hosting: a.hosting,
                replaced,
            });
        }
        let mut by_c = Vec::with_capacity(self.adoptions.len());
        let mut by_s = Vec::with_capacity(self.adoptions.len());
        let mut by_n = Vec::with_capacity(self.adoptions.len());
        for (i, a) in self.adoptions.iter().enumerate() {
            let i = i as u32;
            by_c.push((a.collectivity, i));
            by_s.push((a.solution, i));
            by_n.push((a.need, i));
            for &r in &a.replaced {
                self.moves.entry((r, a.solution)).or_default().push(i);
            }
        }
        self.adoptions_of_collectivity = Csr::build(self.collectivities.len(), &by_c);
        self.adoptions_of_solution = Csr::build(self.solutions.len(), &by_s);
        self.adoptions_of_need = Csr::build(self.needs.len(), &by_n);
        let mut pairs: Vec<(u32, u32)> = self
            .adoptions
            .iter()
            .map(|a| (a.collectivity, a.solution))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        self.solutions_of_collectivity = Csr::build(self.collectivities.len(), &pairs);
        let mut reversed: Vec<(u32, u32)> = pairs.into_iter().map(|(c, s)| (s, c)).collect();
        reversed.sort_unstable();
        self.adopters_of_solution = Csr::build(self.solutions.len(), &reversed);
    }

    fn build_outcomes(&mut self, outcomes: Vec<crate::domain::Outcome>) {
        let adoption_index: HashMap<&str, u32> = self
            .adoptions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i as u32))
            .collect();
        let mut kept = Vec::with_capacity(outcomes.len());
        for o in outcomes {
            // A retired outcome is kept for history, not counted as evidence.
            if o.retired.is_some() {
                continue;
            }
            let Some(&a) = adoption_index.get(o.adoption.as_str()) else {
                continue;
            };
            if let Some(d) = o.date {
                self.latest_year = self.latest_year.max(d.year());
            }
            kept.push(Outcome {
                id: o.id,
                adoption: a,
                kind: o.kind,
                date: o.date,
            });
        }
        let pairs: Vec<(u32, u32)> = kept
            .iter()
            .enumerate()
            .map(|(i, o)| (o.adoption, i as u32))
            .collect();
        let by_solution: Vec<(u32, u32)> = kept
            .iter()
            .enumerate()
            .map(|(i, o)| (self.adoptions[o.adoption as usize].solution, i as u32))
            .collect();
        self.outcomes = kept;
        self.outcomes_of = Csr::build(self.adoptions.len(), &pairs);
        self.outcomes_of_solution = Csr::build(self.solutions.len(), &by_solution);
    }

    fn build_citations(&mut self, citations: Vec<crate::domain::Citation>) {
        let adoption_index: HashMap<&str, u32> = self
            .adoptions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i as u32))
            .collect();
        let outcome_index: HashMap<&str, u32> = self
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i as u32))
            .collect();
        let mut of_adoption = Vec::new();
        let mut of_outcome = Vec::new();
        for c in &citations {
            let Some(source) = self.find(c.source.as_str()) else {
                continue;
            };
            let subject: &NodeId = &c.subject;
            match subject.kind() {
                EntityKind::Adoption => {
                    if let Some(&a) = adoption_index.get(subject.as_str()) {
                        of_adoption.push((a, source));
                    }
                }
                EntityKind::Outcome => {
                    if let Some(&o) = outcome_index.get(subject.as_str()) {
                        of_outcome.push((o, source));
                    }
                }
                _ => {}
            }
        }
        self.adoption_sources = Csr::build(self.adoptions.len(), &of_adoption);
        self.outcome_sources = Csr::build(self.outcomes.len(), &of_outcome);
    }

    fn build_stats(&mut self) {
        let mut solution_stats = vec![Stats::default(); self.solutions.len()];
        let mut per_need: Vec<HashMap<u32, Stats>> = vec![HashMap::new(); self.needs.len()];
        for i in 0..self.adoptions.len() {
            let a = &self.adoptions[i];
            let (s, n) = (a.solution, a.need);
            solution_stats[s as usize].add(self, i as u32);
            per_need[n as usize]
                .entry(s)
                .or_default()
                .add(self, i as u32);
        }
        solution_stats.iter_mut().for_each(Stats::tidy);
        self.solution_stats = solution_stats.into_iter().map(Arc::new).collect();
        self.subtree_stats = (0..self.needs.len()).map(|_| OnceLock::new()).collect();
        self.need_solution_stats = per_need
            .into_iter()
            .map(|m| {
                let mut v: Vec<(u32, Stats)> = m.into_iter().collect();
                v.iter_mut().for_each(|(_, s)| s.tidy());
                v.sort_unstable_by_key(|(s, _)| *s);
                v
            })
            .collect();
    }

    fn build_buckets(&mut self) {
        for (i, c) in self.collectivities.iter().enumerate() {
            let i = i as u32;
            if let Some(d) = &c.department {
                self.by_kind_department
                    .entry((c.kind, d.clone()))
                    .or_default()
                    .push(i);
            }
            if let Some(r) = &c.region {
                self.by_kind_region
                    .entry((c.kind, r.clone()))
                    .or_default()
                    .push(i);
            }
            self.by_kind.entry(c.kind).or_default().push(i);
            let p = self.profiles[i as usize];
            self.by_kind_size
                .entry((c.kind, p.country, p.size))
                .or_default()
                .push(i);
        }
    }

    /// Whether a solution is libre.
    pub fn is_libre(&self, solution: u32) -> bool {
        self.solutions[solution as usize].kind == SolutionKind::Libre
    }
}

#[cfg(test)]
mod tests {
    use super::Csr;

    #[test]
    fn csr_groups_values_by_key_in_given_order() {
        let csr = Csr::build(3, &[(2, 5), (0, 1), (2, 3), (0, 4)]);
        assert_eq!(csr.get(0), &[1, 4]);
        assert_eq!(csr.get(1), &[] as &[u32]);
        assert_eq!(csr.get(2), &[5, 3]);
        assert_eq!(csr.get(9), &[] as &[u32]);
    }
}
