//! Synthetic adoptions of the catalogue's solutions, and outcomes of those adoptions.

use super::catalogue::World;
use super::random::{Rng, Weighted};
use super::{id, text, year, GenerateError};
use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, CollectivityId, DeploymentStrategy, Hosting, Outcome,
    OutcomeId, OutcomeKind, PartialDate, SolutionKind,
};

/// One synthetic adoption.
pub(super) fn adoption(
    i: usize,
    rng: &mut Rng,
    world: &World,
    collectivities: &[CollectivityId],
    who: &Weighted,
    what: &Weighted,
) -> Result<Adoption, GenerateError> {
    let s = what.sample(rng);
    let solution = &world.solutions[s];
    let need = rng.pick(&solution.needs).clone();
    let roll = rng.unit();
    let status = match roll {
        r if r < 0.70 => AdoptionStatus::Deployed,
        r if r < 0.78 => AdoptionStatus::Pilot,
        r if r < 0.83 => AdoptionStatus::Evaluating,
        r if r < 0.92 => AdoptionStatus::Abandoned,
        _ => AdoptionStatus::Replaced,
    };
    // Starts skewed towards recent years, 2000 to 2025.
    let start = 2000 + (rng.unit().sqrt() * 26.0) as usize;
    let ended = matches!(status, AdoptionStatus::Abandoned | AdoptionStatus::Replaced)
        .then(|| year((start + 1 + rng.below(4)).min(2026)))
        .transpose()?;
    let replaced = if solution.kind == SolutionKind::Libre && rng.chance(0.2) {
        world
            .proprietary_by_need
            .get(&need)
            .map(|p| vec![world.solutions[*rng.pick(p)].id.clone()])
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(Adoption {
        status_history: Vec::new(),
        id: id(AdoptionId::parse, &format!("adoption:synthetic-{i:07}"))?,
        collectivity: collectivities[who.sample(rng)].clone(),
        solution: solution.id.clone(),
        need,
        status,
        started: Some(year(start)?),
        ended,
        strategy: rng.chance(0.4).then(|| *rng.pick(DeploymentStrategy::ALL)),
        hosting: rng.chance(0.6).then(|| *rng.pick(Hosting::ALL)),
        scale: None,
        replaced,
        note: None,
    })
}

/// What an outcome needs to know of its adoption.
pub(super) struct Adopted {
    /// The adoption.
    pub(super) id: AdoptionId,
    /// Its solution, as an index into the catalogue.
    pub(super) solution: usize,
    /// When it started.
    pub(super) started: Option<PartialDate>,
    /// Its status.
    pub(super) status: AdoptionStatus,
}

/// One synthetic outcome of an adoption.
pub(super) fn outcome(
    i: usize,
    rng: &mut Rng,
    world: &World,
    adoption: &Adopted,
) -> Result<Outcome, GenerateError> {
    let solution = adoption.solution;
    let closed = !world.closed_publishers.is_empty()
        && world.closed_publishers[world.publisher_of[solution]];
    let libre = world.solutions[solution].kind == SolutionKind::Libre;
    let roll = rng.unit();
    let kind = match adoption.status {
        _ if closed
            && world.solutions[solution].kind == SolutionKind::Proprietary
            && roll < 0.6 =>
        {
            OutcomeKind::VendorShutdown
        }
        AdoptionStatus::Abandoned | AdoptionStatus::Replaced => {
            if roll < 0.7 {
                OutcomeKind::Rollback
            } else {
                OutcomeKind::Other
            }
        }
        _ => match roll {
            r if r < 0.55 => OutcomeKind::Success,
            r if r < (if libre { 0.80 } else { 0.62 }) => OutcomeKind::CostSaving,
            r if r < 0.90 => OutcomeKind::Partial,
            r if r < 0.95 => OutcomeKind::Rollback,
            _ => OutcomeKind::Other,
        },
    };
    let start = adoption.started.map_or(2015, |d| usize::from(d.year()));
    Ok(Outcome {
        id: id(OutcomeId::parse, &format!("outcome:synthetic-{i:07}"))?,
        adoption: adoption.id.clone(),
        kind,
        date: Some(year((start + rng.below(3)).min(2026))?),
        summary: text(
            "Résultat synthétique (données de test générées, pas un fait réel).",
            "Synthetic outcome (generated test data, not a real fact).",
        )?,
        figures: Vec::new(),
        retired: None,
    })
}
