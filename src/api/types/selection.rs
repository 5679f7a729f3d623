//! The selection procedure for a collectivity and a need (`SelectionAdvice`, its steps).

use super::indexed::{collectivity_node, need_node};
use super::peer::peer_refs;
use super::solution_evidence::solution_evidence;
use super::{CollectivityNode, NeedNode, PeerRef, SolutionEvidence};
use crate::analysis::evidence::{self, Ranked, StepKind};
use crate::analysis::index::Index;
use async_graphql::{Enum, Object, SimpleObject};
use std::sync::Arc;

/// A step of the selection procedure.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::analysis::evidence::StepKind")]
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

/// One step, with its options.
#[derive(SimpleObject)]
pub struct SelectionStep {
    /// Its rank in the procedure (1 to 4).
    pub(super) order: u32,
    /// Which step.
    pub(super) kind: SelectionStepKind,
    /// True when it found at least one option.
    pub(super) found: bool,
    /// The options, best first, with evidence (`solution.risk` gives continuity risk).
    pub(super) options: Vec<SolutionEvidence>,
}

/// The selection procedure for a collectivity and a need.
pub struct SelectionAdvice {
    pub(super) ix: Arc<Index>,
    pub(super) asker: u32,
    pub(super) need: u32,
    pub(super) conclusion: StepKind,
    pub(super) pool: evidence::PeerPool,
    /// Each step's kind and options, in order.
    pub(super) steps: Vec<(StepKind, Vec<Arc<Ranked>>)>,
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
