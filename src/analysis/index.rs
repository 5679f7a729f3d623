//! The in-memory index the analyses run on: the whole graph, interned (every node is a `u32`)
//! and pre-grouped, so that a query touches only the few rows it needs.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::ix::{CollectivityIx, SolutionIx};
use super::memo::Memo;
use super::peer_facts::{PeerFacts, Places};
use super::release::ReleaseFacts;
use super::relevance::{Countries, Profile};
use super::search::TextIndex;
use super::totals::Aggregate;
use crate::domain::{
    AdoptionId, AdoptionStatus, AlternativeId, AlternativeKind, Collectivity, CollectivityKind,
    Confidence, DeploymentStrategy, EntityKind, Hosting, Need, OutcomeId, OutcomeKind, PartialDate,
    Publisher, Solution, SolutionKind, Source,
};

pub use super::counts::{Stats, SubtreeStats, RECENT_YEARS};
pub use super::csr::Csr;

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
    pub(super) ids: HashMap<String, u32>,
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
    pub adopters_of_solution: Csr<SolutionIx, CollectivityIx>,
    /// Outcomes of each adoption.
    pub outcomes_of: Csr,
    /// Outcomes of each solution's adoptions.
    pub outcomes_of_solution: Csr,
    /// Sources of each adoption.
    pub adoption_sources: Csr,
    /// Sources of each outcome.
    pub outcome_sources: Csr,
    /// How many sources cite each solution (the catalogues and records that know it).
    pub solution_source_counts: Vec<u32>,
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
    pub(super) subtree_stats: Vec<OnceLock<SubtreeStats>>,
    /// Adoptions that replaced a solution by another: (from, to) → adoption indices.
    pub moves: HashMap<(u32, u32), Vec<u32>>,
    /// What peer similarity looks at in each collectivity, compact.
    pub peer_facts: Vec<PeerFacts>,
    /// Department and region codes, interned (see [`PeerFacts`]).
    pub places: Places,
    /// Collectivities per (kind, interned department).
    pub by_kind_department: HashMap<(CollectivityKind, u32), Vec<CollectivityIx>>,
    /// Collectivities per (kind, interned region).
    pub by_kind_region: HashMap<(CollectivityKind, u32), Vec<CollectivityIx>>,
    /// Collectivities per kind.
    pub by_kind: HashMap<CollectivityKind, Vec<CollectivityIx>>,
    /// Collectivities per (kind, country, size band), for peers of comparable size far away.
    pub by_kind_size: HashMap<(CollectivityKind, u16, u8), Vec<CollectivityIx>>,
    /// National and per-kind aggregates.
    pub aggregates: Vec<Aggregate>,
    /// The day the index was built: release data (ends of life) is judged on it.
    pub built_on: chrono::NaiveDate,
    /// Release facts of the solutions that have any (by solution index).
    pub release: HashMap<u32, ReleaseFacts>,
    /// What the analyses memoized for this index (peer pools, continuity risks), each kept
    /// by the analysis that computes it.
    pub memo: Memo,
    /// The words of needs, solutions and collectivities, for text search.
    pub text: TextIndex,
}

impl Index {
    /// The release facts of a solution, when any are known.
    pub fn release_facts(&self, solution: u32) -> Option<&ReleaseFacts> {
        self.release.get(&solution)
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
                    merged.entry(*s).or_default().merge(stats);
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

    /// Whether a solution is libre.
    pub fn is_libre(&self, solution: u32) -> bool {
        self.solutions[solution as usize].kind == SolutionKind::Libre
    }
}
