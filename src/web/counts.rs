//! How many solutions serve each need and how many collectivities adopted one, narrower needs
//! included: computed once per index revision (the home page shows them on every request).

use std::sync::{Arc, Mutex};

use crate::analysis::Index;

/// Solutions serving a need and collectivities that adopted one, narrower needs included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeedCounts {
    /// Distinct solutions adopted or listed for it.
    pub solutions: u64,
    /// Distinct adopters.
    pub adopters: u64,
}

/// The counts of every need (index order), narrower needs included; one pass over the
/// adoptions of each need's subtree, with a marker per collectivity instead of a set.
pub fn need_counts(ix: &Index) -> Vec<NeedCounts> {
    let mut seen_c = vec![u32::MAX; ix.collectivities.len()];
    let mut seen_s = vec![u32::MAX; ix.solutions.len()];
    (0..ix.needs.len() as u32)
        .map(|n| {
            let mut counts = NeedCounts::default();
            for m in ix.need_subtree(n) {
                for &s in ix.solutions_of_need.get(m) {
                    if seen_s[s as usize] != n {
                        seen_s[s as usize] = n;
                        counts.solutions += 1;
                    }
                }
                for &a in ix.adoptions_of_need.get(m) {
                    let adoption = &ix.adoptions[a as usize];
                    let (c, s) = (adoption.collectivity as usize, adoption.solution as usize);
                    if seen_c[c] != n {
                        seen_c[c] = n;
                        counts.adopters += 1;
                    }
                    if seen_s[s] != n {
                        seen_s[s] = n;
                        counts.solutions += 1;
                    }
                }
            }
            counts
        })
        .collect()
}

/// The need counts of the last index revision asked for, kept until the revision changes.
#[derive(Default)]
pub struct NeedCountsMemo {
    kept: Mutex<Option<(u64, Arc<Vec<NeedCounts>>)>>,
}

impl NeedCountsMemo {
    /// The counts of `ix`'s needs: the kept ones when they were computed at its revision,
    /// else computed now (outside the lock: readers of the kept counts never wait) and kept.
    pub fn of(&self, ix: &Index) -> Arc<Vec<NeedCounts>> {
        if let Some(counts) = self.kept_at(ix.revision, ix.needs.len()) {
            return counts;
        }
        let counts = Arc::new(need_counts(ix));
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some((ix.revision, counts.clone()));
        counts
    }

    fn kept_at(&self, revision: u64, needs: usize) -> Option<Arc<Vec<NeedCounts>>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(r, counts)| *r == revision && counts.len() == needs)
            .map(|(_, counts)| counts.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Batch;

    #[test]
    fn counts_are_kept_for_their_revision_only() {
        let memo = NeedCountsMemo::default();
        let first = Index::build(Batch::default(), 1);
        let a = memo.of(&first);
        assert!(Arc::ptr_eq(&a, &memo.of(&first)), "kept at revision 1");
        let next = Index::build(Batch::default(), 2);
        let b = memo.of(&next);
        assert!(!Arc::ptr_eq(&a, &b), "computed again at revision 2");
        assert!(Arc::ptr_eq(&b, &memo.of(&next)), "kept at revision 2");
    }
}
