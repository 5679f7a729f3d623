//! Answers memoized for one index, kept by the analyses that compute them.
//!
//! The index knows none of its consumers: each analysis keeps its memo as a type of its own
//! (peer pools in [`super::evidence`], continuity risks in [`super::risk`]), found here by
//! that type. A memo lives as long as its index, so it never outlives the revision it was
//! computed at.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The memos of one index, one per type.
#[derive(Debug, Default)]
pub struct Memo {
    slots: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Memo {
    /// The memo of type `T`, created empty on first use. `T` keeps its own interior
    /// mutability (a `OnceLock`, a `Mutex`): this only finds it.
    pub fn get<T: Any + Default + Send + Sync>(&self) -> Arc<T> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let slot = slots
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        match slot.clone().downcast::<T>() {
            Ok(memo) => memo,
            Err(_) => unreachable!("a memo slot holds the type it is keyed by"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;
    use std::sync::{Mutex, OnceLock};

    #[test]
    fn a_memo_is_created_once_per_type_and_kept() {
        let memo = Memo::default();
        memo.get::<OnceLock<u32>>().get_or_init(|| 7);
        assert_eq!(memo.get::<OnceLock<u32>>().get(), Some(&7));
        memo.get::<Mutex<Vec<u8>>>().lock().unwrap().push(1);
        assert_eq!(*memo.get::<Mutex<Vec<u8>>>().lock().unwrap(), vec![1]);
        assert_eq!(memo.get::<OnceLock<u64>>().get(), None);
    }
}
