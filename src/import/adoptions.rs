//! One fact, one node: a dataset's adoption is keyed by what it states (collectivity and
//! solution), so a record describing an adoption the store or the same import already holds
//! (the seed's `adoption:dinum-jitsi-meet` and the SILL's public instance of Jitsi by the
//! DINUM) merges into that node, which then cites both sources.
//!
//! Merging follows the field policy of [`super::policy`]: the known adoption's stated values
//! stay; what it leaves unstated (start, end, strategy, hosting, scale, note, a need other than
//! `need:other`) is filled from the record; replaced solutions and status changes are united.

use crate::domain::{Adoption, AdoptionId, LocalizedText};

use super::common::{Builder, Existing};

/// Adds a dataset's adoption to the batch, merged into the adoption of the same collectivity
/// and solution when the batch or the store holds one (the lowest id first). Returns the id
/// the fact ended under, for its citations.
pub fn place(builder: &mut Builder, existing: &Existing, record: Adoption) -> AdoptionId {
    let same =
        |a: &Adoption| a.collectivity == record.collectivity && a.solution == record.solution;
    if let Some(known) = builder.batch.adoptions.iter_mut().find(|a| same(a)) {
        merge(known, &record);
        return known.id.clone();
    }
    let known = existing
        .adoptions
        .iter()
        .filter(|a| same(a))
        .min_by(|a, b| a.id.cmp(&b.id));
    match known {
        Some(known) => {
            let mut known = known.clone();
            merge(&mut known, &record);
            let id = known.id.clone();
            builder.batch.adoptions.push(known);
            id
        }
        None => {
            let id = record.id.clone();
            builder.batch.adoptions.push(record);
            id
        }
    }
}

/// Merges a record into a known adoption: stated values stay, unstated ones are filled.
pub fn merge(known: &mut Adoption, record: &Adoption) {
    if known.need.as_str() == "need:other" {
        known.need = record.need.clone();
    }
    known.started = known.started.or(record.started);
    known.ended = known.ended.or(record.ended);
    known.strategy = known.strategy.or(record.strategy);
    known.hosting = known.hosting.or(record.hosting);
    known.scale = known.scale.or(record.scale);
    for r in &record.replaced {
        if !known.replaced.contains(r) && *r != known.solution {
            known.replaced.push(r.clone());
        }
    }
    for c in &record.status_history {
        if !known.status_history.contains(c) {
            known.status_history.push(c.clone());
        }
    }
    known.note = join_notes(known.note.take(), record.note.as_ref());
}

/// Two notes of one adoption: the known one, with the record's appended where it says more.
fn join_notes(
    known: Option<LocalizedText>,
    record: Option<&LocalizedText>,
) -> Option<LocalizedText> {
    let Some(record) = record else { return known };
    let Some(known) = known else {
        return Some(record.clone());
    };
    let join = |k: Option<String>, r: Option<&String>| match (k, r) {
        (Some(k), Some(r)) if !k.contains(r.as_str()) => Some(format!("{k}; {r}")),
        (Some(k), _) => Some(k),
        (None, r) => r.cloned(),
    };
    let fr = join(known.fr.clone(), record.fr.as_ref());
    let en = join(known.en.clone(), record.en.as_ref());
    LocalizedText::new(fr, en).ok().or(Some(known))
}
