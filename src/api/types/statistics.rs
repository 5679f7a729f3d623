//! Statistics: a collectivity's stated and computed figures, adoption timelines, national
//! and per-kind aggregates.

use super::counts::{outcome_counts, status_counts};
use super::indexed::collectivity_node;
use super::{CollectivityNode, OutcomeCount, SourceNode, StatusCount};
use crate::analysis::index::Index;
use crate::analysis::stats;
use crate::api::context::linked_opt;
use crate::api::enums::CollectivityKind;
use crate::api::error::ApiResult;
use crate::domain;
use async_graphql::{ComplexObject, Context, Enum, SimpleObject};

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
    pub(super) name: String,
    /// The value.
    pub(super) value: f64,
    /// The unit (`percent`, `count`).
    pub(super) unit: Option<String>,
    /// Stated or computed.
    pub(super) origin: FigureOrigin,
    #[graphql(skip)]
    pub(super) source: Option<domain::SourceId>,
}

#[ComplexObject]
impl LabelledFigure {
    /// Who stated it (stated figures only).
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNode>> {
        linked_opt(ctx, &self.source, SourceNode).await
    }
}

/// A collectivity's figures: stated ones and computed ones, kept apart.
#[derive(SimpleObject)]
pub struct CollectivityStatistics {
    /// The collectivity.
    pub(super) collectivity: CollectivityNode,
    /// Figures it (or a source) stated: its `statedFigures`.
    pub(super) stated: Vec<LabelledFigure>,
    /// Figures computed from the adoptions in the graph: solutions running (DEPLOYED or
    /// PILOT, not ended), of which libre, proprietary, internal, and the libre share.
    pub(super) computed: Vec<LabelledFigure>,
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
    let runs = stats::collectivity_runs(ix, c);
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
    pub(super) year: u32,
    /// Adoptions started that year.
    pub(super) count: u32,
}

/// Adoptions over time (by start year).
#[derive(SimpleObject)]
pub struct AdoptionTimeline {
    /// Adoptions per start year, oldest first (years without adoptions left out).
    pub(super) years: Vec<YearCount>,
    /// Adoptions without a known start.
    pub(super) undated: u32,
    /// All adoptions counted.
    pub(super) total: u32,
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
    let t = stats::timeline(ix, adoptions.iter().copied());
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
    pub(super) collectivity_kind: Option<CollectivityKind>,
    /// Collectivities.
    pub(super) collectivities: u32,
    /// Collectivities with at least one adoption.
    pub(super) adopters: u32,
    /// Adoptions.
    pub(super) adoptions: u32,
    /// Adoptions per status.
    pub(super) by_status: Vec<StatusCount>,
    /// Outcomes per kind.
    pub(super) by_outcome: Vec<OutcomeCount>,
    /// (collectivity, solution) pairs running (DEPLOYED or PILOT, not ended).
    pub(super) solutions_running: u32,
    /// Of which libre.
    pub(super) libre_running: u32,
    /// Libre among them, in percent (computed).
    pub(super) libre_share: Option<f64>,
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
