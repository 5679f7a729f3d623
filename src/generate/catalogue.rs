//! The synthetic catalogue: needs, publishers, solutions and the alternatives between them.

use std::collections::HashMap;

use super::random::Rng;
use super::{cite, id, text, GenerateError, Plan};
use crate::domain::{
    Alternative, AlternativeKind, Batch, Confidence, Licence, MaintenanceStatus, Need, NeedId,
    PartialDate, Publisher, PublisherId, PublisherKind, PublisherStatus, Solution, SolutionId,
    SolutionKind, SourceId,
};

/// The licences synthetic libre and internal solutions draw from.
const LICENCES: &[&str] = &[
    "GPL-3.0-or-later",
    "AGPL-3.0-only",
    "MIT",
    "Apache-2.0",
    "LGPL-3.0-or-later",
    "MPL-2.0",
];

/// What the adoptions and outcomes draw from: the catalogue, in generation order.
pub(super) struct World {
    /// The synthetic solutions.
    pub(super) solutions: Vec<Solution>,
    /// Per publisher, whether it has closed.
    pub(super) closed_publishers: Vec<bool>,
    /// Per solution, its publisher.
    pub(super) publisher_of: Vec<usize>,
    /// The proprietary solutions meeting each need.
    pub(super) proprietary_by_need: HashMap<NeedId, Vec<usize>>,
}

/// solutions and alternatives.
pub(super) fn catalogue(
    plan: &Plan,
    rng: &mut Rng,
    real_needs: &[Need],
    source: &SourceId,
) -> Result<(Batch, World), GenerateError> {
    let mut batch = Batch::default();
    let tops: Vec<NeedId> = real_needs
        .iter()
        .filter(|n| n.broader.is_none())
        .map(|n| n.id.clone())
        .collect();
    let mut needs: Vec<NeedId> = real_needs.iter().map(|n| n.id.clone()).collect();
    for i in 0..plan.needs.saturating_sub(real_needs.len()) {
        let need = Need {
            id: id(NeedId::parse, &format!("need:synthetic-need-{i:03}"))?,
            label: text(
                &format!("Besoin synthétique {i}"),
                &format!("Synthetic need {i}"),
            )?,
            broader: (!tops.is_empty()).then(|| rng.pick(&tops).clone()),
            publiccode: None,
            retired: None,
        };
        needs.push(need.id.clone());
        cite(&mut batch, source, need.id.clone());
        batch.needs.push(need);
    }
    let mut closed_publishers = Vec::new();
    for i in 0..plan.publishers {
        let closed = rng.chance(0.03);
        let p = Publisher {
            id: id(
                PublisherId::parse,
                &format!("publisher:synthetic-publisher-{i:04}"),
            )?,
            name: format!("Synthetic publisher {i}"),
            kind: *rng.pick(&[
                PublisherKind::Company,
                PublisherKind::Company,
                PublisherKind::Association,
                PublisherKind::Foundation,
                PublisherKind::Community,
            ]),
            country: None,
            website: None,
            status: if closed {
                PublisherStatus::Closed
            } else {
                PublisherStatus::Active
            },
            closed: if closed {
                Some(PartialDate::parse(&format!("{}", 2010 + rng.below(16)))?)
            } else {
                None
            },
            unnamed: false,
        };
        closed_publishers.push(closed);
        cite(&mut batch, source, p.id.clone());
        batch.publishers.push(p);
    }
    let mut solutions = Vec::new();
    let mut publisher_of = Vec::new();
    let mut proprietary_by_need: HashMap<NeedId, Vec<usize>> = HashMap::new();
    let mut libre_by_need: HashMap<NeedId, Vec<usize>> = HashMap::new();
    for i in 0..plan.solutions {
        let roll = rng.unit();
        let kind = if roll < 0.45 {
            SolutionKind::Libre
        } else if roll < 0.95 {
            SolutionKind::Proprietary
        } else {
            SolutionKind::Internal
        };
        let publisher = rng.below(plan.publishers.max(1));
        let mut own_needs = vec![rng.pick(&needs).clone()];
        if rng.chance(0.3) {
            let extra = rng.pick(&needs).clone();
            if !own_needs.contains(&extra) {
                own_needs.push(extra);
            }
        }
        let status_roll = rng.unit();
        let status = if plan.publishers > 0 && closed_publishers[publisher] {
            MaintenanceStatus::Discontinued
        } else if status_roll < 0.85 {
            MaintenanceStatus::Active
        } else if status_roll < 0.95 {
            MaintenanceStatus::Unmaintained
        } else {
            MaintenanceStatus::Discontinued
        };
        let licence = *rng.pick(LICENCES);
        let solution_id = id(
            SolutionId::parse,
            &format!("solution:synthetic-solution-{i:04}"),
        )?;
        let s = Solution {
            licence: (kind != SolutionKind::Proprietary)
                .then(|| Licence::parse(licence))
                .transpose()?,
            publisher: (plan.publishers > 0)
                .then(|| {
                    PublisherId::parse(&format!("publisher:synthetic-publisher-{publisher:04}"))
                })
                .transpose()?,
            status,
            ..Solution::new(
                solution_id,
                format!("Synthetic solution {i}"),
                kind,
                own_needs.clone(),
            )
        };
        for n in own_needs {
            match kind {
                SolutionKind::Proprietary => proprietary_by_need.entry(n).or_default().push(i),
                SolutionKind::Libre => libre_by_need.entry(n).or_default().push(i),
                SolutionKind::Internal => {}
            }
        }
        cite(&mut batch, source, s.id.clone());
        solutions.push(s.clone());
        batch.solutions.push(s);
        publisher_of.push(publisher);
    }
    // Alternatives: up to three libre solutions sharing a need with each proprietary one.
    let mut seen = std::collections::HashSet::new();
    for (p, s) in solutions.iter().enumerate() {
        if s.kind != SolutionKind::Proprietary {
            continue;
        }
        let Some(libres) = libre_by_need.get(&s.needs[0]) else {
            continue;
        };
        for _ in 0..rng.below(4) {
            let l = *rng.pick(libres);
            if !seen.insert((l, p)) {
                continue;
            }
            let libre = &solutions[l];
            let a = Alternative {
                id: Alternative::id_for(&libre.id, &s.id),
                libre: libre.id.clone(),
                proprietary: s.id.clone(),
                confidence: *rng.pick(&[
                    Confidence::Strong,
                    Confidence::Partial,
                    Confidence::Adjacent,
                ]),
                kind: AlternativeKind::Software,
            };
            cite(&mut batch, source, a.id.clone());
            batch.alternatives.push(a);
        }
    }
    let world = World {
        solutions,
        closed_publishers,
        publisher_of,
        proprietary_by_need,
    };
    Ok((batch, world))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SourceKind;
    use crate::generate::synthetic_source;

    #[test]
    fn synthetic_nodes_are_marked() {
        let plan = Plan {
            needs: 5,
            solutions: 20,
            publishers: 3,
            ..Plan::national(1)
        };
        let source = synthetic_source(1).unwrap();
        assert_eq!(source.kind, SourceKind::Dataset);
        assert!(source.title.starts_with("SYNTHETIC"));
        let (batch, _) = catalogue(&plan, &mut Rng(1), &[], &source.id).unwrap();
        assert_eq!(batch.needs.len(), 5);
        assert_eq!(batch.solutions.len(), 20);
        assert!(batch
            .solutions
            .iter()
            .all(|s| s.id.slug().starts_with("synthetic-")));
        assert!(batch
            .needs
            .iter()
            .all(|n| n.id.slug().starts_with("synthetic-")));
        assert!(batch.citations.iter().all(|c| c.source == source.id));
        batch.validate().unwrap();
    }
}
