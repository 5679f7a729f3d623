//! The facts peer similarity is computed from, one small `Copy` record per collectivity, built
//! once per index: the similarity loop reads a dense array instead of the large
//! [`Collectivity`] records and their strings.

use std::collections::HashMap;

use super::relevance::Profile;
use crate::domain::Collectivity;

/// No department or region.
pub const NO_PLACE: u32 = u32::MAX;

/// What peer similarity looks at in a collectivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerFacts {
    /// Its profile (country, kind, size band).
    pub profile: Profile,
    /// Its department, interned ([`NO_PLACE`] when unknown).
    pub department: u32,
    /// Its region, interned ([`NO_PLACE`] when unknown).
    pub region: u32,
    /// Its population (0 when unknown: both score 0 on population closeness).
    pub population: u64,
    /// Its rank in the order of collectivity ids (ties between peers are broken by id).
    pub id_rank: u32,
}

/// Department and region codes, interned (departments and regions share one numbering, as
/// their codes are compared as plain strings).
#[derive(Debug, Default)]
pub struct Places {
    ids: HashMap<String, u32>,
}

impl Places {
    fn intern(&mut self, code: Option<&String>) -> u32 {
        let Some(code) = code else {
            return NO_PLACE;
        };
        if let Some(&i) = self.ids.get(code) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.insert(code.clone(), i);
        i
    }

    /// The interned number of a department or region code, if any collectivity has it.
    pub fn get(&self, code: &str) -> Option<u32> {
        self.ids.get(code).copied()
    }
}

/// The facts of every collectivity (in index order) and the interned places.
pub fn peer_facts(
    collectivities: &[Collectivity],
    profiles: &[Profile],
) -> (Vec<PeerFacts>, Places) {
    let mut places = Places::default();
    let mut by_id: Vec<u32> = (0..collectivities.len() as u32).collect();
    by_id.sort_by(|a, b| {
        collectivities[*a as usize]
            .id
            .cmp(&collectivities[*b as usize].id)
    });
    let mut rank = vec![0u32; collectivities.len()];
    for (r, c) in by_id.into_iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    let facts = collectivities
        .iter()
        .zip(profiles)
        .zip(rank)
        .map(|((c, p), id_rank)| PeerFacts {
            profile: *p,
            department: places.intern(c.department.as_ref()),
            region: places.intern(c.region.as_ref()),
            population: c.population.unwrap_or(0),
            id_rank,
        })
        .collect();
    (facts, places)
}
