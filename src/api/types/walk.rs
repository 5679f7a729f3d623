//! A graph walk a client can draw (`Walk`, its nodes and edges).

use crate::analysis::index::Index;
use crate::api::enums::NodeKind;
use crate::domain::{self, EntityKind};
use async_graphql::{Enum, SimpleObject, ID};

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
    pub(super) id: ID,
    /// What it is.
    pub(super) kind: NodeKind,
    /// What to call it (name, or the outcome's kind).
    pub(super) label: String,
}

/// An edge of a walk.
#[derive(SimpleObject, Clone)]
pub struct WalkEdge {
    /// Where it starts.
    pub(super) from: ID,
    /// Where it ends.
    pub(super) to: ID,
    /// What it is.
    pub(super) relation: WalkRelation,
    /// The REPLACES link's confidence, for REPLACED_BY edges.
    pub(super) detail: Option<String>,
}

/// A graph walk a client can draw: proprietary → alternative → adoptions → adopters → outcomes.
#[derive(SimpleObject, Clone, Default)]
pub struct Walk {
    /// The nodes, each once.
    pub(super) nodes: Vec<WalkNode>,
    /// The edges.
    pub(super) edges: Vec<WalkEdge>,
    /// The ids of `nodes`.
    #[graphql(skip)]
    pub(super) seen: std::collections::HashSet<String>,
}

impl Walk {
    pub(super) fn node(&mut self, id: &str, kind: EntityKind, label: &str) {
        if !self.seen.contains(id) {
            self.seen.insert(id.to_owned());
            self.nodes.push(WalkNode {
                id: ID(id.to_owned()),
                kind: kind.into(),
                label: label.to_owned(),
            });
        }
    }

    pub(super) fn edge(
        &mut self,
        from: &str,
        to: &str,
        relation: WalkRelation,
        detail: Option<String>,
    ) {
        self.edges.push(WalkEdge {
            from: ID(from.to_owned()),
            to: ID(to.to_owned()),
            relation,
            detail,
        });
    }

    pub(super) fn solution(&mut self, ix: &Index, s: u32) -> String {
        let sol = &ix.solutions[s as usize];
        self.node(sol.id.as_str(), EntityKind::Solution, &sol.name);
        sol.id.to_string()
    }

    /// Adds an adoption of `solution`, its adopter and outcomes (only some kinds if given).
    pub(super) fn adoption(
        &mut self,
        ix: &Index,
        solution: &str,
        a: u32,
        only: &[domain::OutcomeKind],
    ) {
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
