//! Building the [`Index`] from a store dump: interning, grouping, counting.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::counts::{position, Stats, RECENT_YEARS};
use super::csr::Csr;
use super::index::{Adoption, Index, Link, Outcome};
use super::ix::{CollectivityIx, SolutionIx};
use super::peer_facts::{peer_facts, NO_PLACE};
use super::release::ReleaseFacts;
use super::relevance::{Countries, Tally};
use super::weights::{outcome_sign, status_weight};
use crate::domain::{
    AdoptionStatus, Batch, DeploymentStrategy, EntityKind, Hosting, NodeId, OutcomeKind,
};

fn intern(ids: &mut HashMap<String, u32>, id: &str, index: usize) {
    ids.insert(id.to_owned(), index as u32);
}

/// Each id with its position, for resolving references by id.
fn numbered<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, u32> {
    ids.enumerate().map(|(i, id)| (id, i as u32)).collect()
}

impl Stats {
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
        self.memo = Default::default();
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
                let facts = ReleaseFacts::from_cycles(own, latest_of.get(&s).copied());
                (s, facts)
            })
            .collect();
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
        ix.text = super::search::TextIndex::build(&ix);
        ix
    }

    fn build_profiles(&mut self) {
        let mut countries = Countries::default();
        self.profiles = self
            .collectivities
            .iter()
            .map(|c| countries.profile(&c.country, c.kind, c.population))
            .collect();
        self.countries = countries;
        (self.peer_facts, self.places) = peer_facts(&self.collectivities, &self.profiles);
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
        let mut reversed: Vec<(SolutionIx, CollectivityIx)> = pairs
            .into_iter()
            .map(|(c, s)| (SolutionIx(s), CollectivityIx(c)))
            .collect();
        reversed.sort_unstable();
        self.adopters_of_solution = Csr::build(self.solutions.len(), &reversed);
    }

    fn build_outcomes(&mut self, outcomes: Vec<crate::domain::Outcome>) {
        let adoption_index = numbered(self.adoptions.iter().map(|a| a.id.as_str()));
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
        let adoption_index = numbered(self.adoptions.iter().map(|a| a.id.as_str()));
        let outcome_index = numbered(self.outcomes.iter().map(|o| o.id.as_str()));
        let mut of_adoption = Vec::new();
        let mut of_outcome = Vec::new();
        let mut of_solution = Vec::new();
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
                EntityKind::Solution => {
                    if let Some(s) = self.solution(subject.as_str()) {
                        of_solution.push((s, source));
                    }
                }
                _ => {}
            }
        }
        of_solution.sort_unstable();
        of_solution.dedup();
        self.solution_source_counts = vec![0; self.solutions.len()];
        for (s, _) in of_solution {
            self.solution_source_counts[s as usize] += 1;
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
            let facts = self.peer_facts[i];
            let p = self.profiles[i];
            let i = CollectivityIx(i as u32);
            if facts.department != NO_PLACE {
                self.by_kind_department
                    .entry((c.kind, facts.department))
                    .or_default()
                    .push(i);
            }
            if facts.region != NO_PLACE {
                self.by_kind_region
                    .entry((c.kind, facts.region))
                    .or_default()
                    .push(i);
            }
            self.by_kind.entry(c.kind).or_default().push(i);
            self.by_kind_size
                .entry((c.kind, p.country, p.size))
                .or_default()
                .push(i);
        }
    }
}
