//! The store's revision without a store query per request.
//!
//! Kept answers are found under the store's revision, so every anonymous read needs it. Asking
//! the store costs more than serving a kept answer; the revision is therefore remembered for
//! up to [`FRESH_FOR`], and forgotten at once when this process writes (its writes are counted
//! by [`StoreSignals`]), so a client always reads its own writes. A write made by another
//! process (another retex on the same Neo4j, `retex import` into a served file) is seen within
//! [`FRESH_FOR`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::metrics::store::StoreSignals;
use crate::store::{Store, StoreResult};

/// How long a revision read from the store is trusted while this process does not write.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy)]
struct Reading {
    revision: u64,
    at: Instant,
    writes: u64,
}

/// The remembered revision.
#[derive(Debug)]
pub struct RevisionClock {
    signals: Arc<StoreSignals>,
    last: Mutex<Option<Reading>>,
}

impl RevisionClock {
    /// A clock that forgets its reading when `signals` counts a write.
    pub fn new(signals: Arc<StoreSignals>) -> Self {
        Self {
            signals,
            last: Mutex::new(None),
        }
    }

    /// The remembered revision, if it is still trustworthy.
    pub fn remembered(&self) -> Option<u64> {
        let writes = self.signals.writes();
        let last = *self.last.lock().expect("revision clock lock");
        last.filter(|r| r.writes == writes && r.at.elapsed() < FRESH_FOR)
            .map(|r| r.revision)
    }

    /// The store's revision: remembered, or read from the store (and remembered).
    pub async fn current(&self, store: &dyn Store) -> StoreResult<u64> {
        if let Some(revision) = self.remembered() {
            return Ok(revision);
        }
        // Counted before asking: a write finishing meanwhile makes this reading unusable.
        let writes = self.signals.writes();
        let revision = store.revision().await?;
        if self.signals.writes() == writes {
            *self.last.lock().expect("revision clock lock") = Some(Reading {
                revision,
                at: Instant::now(),
                writes,
            });
        }
        Ok(revision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_is_forgotten_when_this_process_writes() {
        let signals = Arc::new(StoreSignals::default());
        let clock = RevisionClock::new(signals.clone());
        assert_eq!(clock.remembered(), None);
        *clock.last.lock().unwrap() = Some(Reading {
            revision: 7,
            at: Instant::now(),
            writes: signals.writes(),
        });
        assert_eq!(clock.remembered(), Some(7));
        signals.count_write();
        assert_eq!(clock.remembered(), None);
    }

    #[test]
    fn a_reading_expires() {
        let signals = Arc::new(StoreSignals::default());
        let clock = RevisionClock::new(signals.clone());
        *clock.last.lock().unwrap() = Some(Reading {
            revision: 7,
            at: Instant::now() - FRESH_FOR,
            writes: signals.writes(),
        });
        assert_eq!(clock.remembered(), None);
    }
}
