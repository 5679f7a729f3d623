//! Compressed rows: the index's one-to-many tables.

use std::marker::PhantomData;

use super::ix::NodeIx;

/// Compressed rows: for each key `k`, the values `items[offsets[k]..offsets[k + 1]]`, in the
/// order they were given (the dump is ordered by id, so values come in id order). Keys and
/// values are node numbers ([`NodeIx`]), typed or plain.
#[derive(Debug)]
pub struct Csr<K = u32, V = u32> {
    offsets: Vec<u32>,
    items: Vec<V>,
    keys: PhantomData<K>,
}

impl<K, V> Default for Csr<K, V> {
    fn default() -> Self {
        Self {
            offsets: Vec::new(),
            items: Vec::new(),
            keys: PhantomData,
        }
    }
}

impl<K: NodeIx, V: Copy + Default> Csr<K, V> {
    /// Groups `(key, value)` pairs by key; keys below `keys`.
    pub fn build(keys: usize, pairs: &[(K, V)]) -> Self {
        let mut offsets = vec![0u32; keys + 1];
        for &(k, _) in pairs {
            offsets[k.at() + 1] += 1;
        }
        for i in 0..keys {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut items = vec![V::default(); pairs.len()];
        for &(k, v) in pairs {
            let slot = &mut fill[k.at()];
            items[*slot as usize] = v;
            *slot += 1;
        }
        Self {
            offsets,
            items,
            keys: PhantomData,
        }
    }

    /// The values of `key` (empty for an unknown key).
    pub fn get(&self, key: K) -> &[V] {
        let k = key.at();
        if k + 1 >= self.offsets.len() {
            return &[];
        }
        &self.items[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }

    /// The values of the keys from `first` up to `end` (excluded), one slice: consecutive
    /// keys' values are stored side by side (empty when the range is empty or unknown).
    pub fn get_range(&self, first: K, end: K) -> &[V] {
        let (first, end) = (
            first.at(),
            end.at().min(self.offsets.len().saturating_sub(1)),
        );
        if first >= end {
            return &[];
        }
        &self.items[self.offsets[first] as usize..self.offsets[end] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::Csr;
    use crate::analysis::ix::{CollectivityIx, SolutionIx};

    #[test]
    fn csr_groups_values_by_key_in_given_order() {
        let csr = Csr::build(3, &[(2, 5), (0, 1), (2, 3), (0, 4)]);
        assert_eq!(csr.get(0), &[1, 4]);
        assert_eq!(csr.get(1), &[] as &[u32]);
        assert_eq!(csr.get(2), &[5, 3]);
        assert_eq!(csr.get(9), &[] as &[u32]);
        assert_eq!(csr.get_range(0, 3), &[1, 4, 5, 3]);
        assert_eq!(csr.get_range(1, 3), &[5, 3]);
        assert_eq!(csr.get_range(2, 9), &[5, 3]);
        assert_eq!(csr.get_range(2, 2), &[] as &[u32]);
        assert_eq!(csr.get_range(7, 9), &[] as &[u32]);
    }

    #[test]
    fn typed_rows_take_and_give_their_node_numbers() {
        let (s, c) = (SolutionIx, CollectivityIx);
        let csr = Csr::build(2, &[(s(1), c(7)), (s(1), c(2)), (s(0), c(4))]);
        assert_eq!(csr.get(s(1)), &[c(7), c(2)]);
        assert_eq!(csr.get(s(0)), &[c(4)]);
        assert_eq!(csr.get(s(5)), &[] as &[CollectivityIx]);
    }
}
