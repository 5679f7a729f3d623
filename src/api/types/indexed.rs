//! Node types read from the analysis index (the answers hold index positions).

use super::{CollectivityNode, NeedNode, SolutionNode};
use crate::analysis::index::Index;

pub(super) fn solution_node(ix: &Index, s: u32) -> SolutionNode {
    SolutionNode(ix.solutions[s as usize].clone())
}

pub(super) fn collectivity_node(ix: &Index, c: u32) -> CollectivityNode {
    CollectivityNode(ix.collectivities[c as usize].clone())
}

pub(super) fn need_node(ix: &Index, n: u32) -> NeedNode {
    NeedNode(ix.needs[n as usize].clone())
}
