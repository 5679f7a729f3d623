//! Compressed rows: the index's one-to-many tables.

/// Compressed rows: for each key `k`, the values `items[offsets[k]..offsets[k + 1]]`, in the
/// order they were given (the dump is ordered by id, so values come in id order).
#[derive(Debug, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// Groups `(key, value)` pairs by key; keys below `keys`.
    pub fn build(keys: usize, pairs: &[(u32, u32)]) -> Self {
        let mut offsets = vec![0u32; keys + 1];
        for &(k, _) in pairs {
            offsets[k as usize + 1] += 1;
        }
        for i in 0..keys {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(k, v) in pairs {
            let slot = &mut fill[k as usize];
            items[*slot as usize] = v;
            *slot += 1;
        }
        Self { offsets, items }
    }

    /// The values of `key` (empty for an unknown key).
    pub fn get(&self, key: u32) -> &[u32] {
        let k = key as usize;
        if k + 1 >= self.offsets.len() {
            return &[];
        }
        &self.items[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::Csr;

    #[test]
    fn csr_groups_values_by_key_in_given_order() {
        let csr = Csr::build(3, &[(2, 5), (0, 1), (2, 3), (0, 4)]);
        assert_eq!(csr.get(0), &[1, 4]);
        assert_eq!(csr.get(1), &[] as &[u32]);
        assert_eq!(csr.get(2), &[5, 3]);
        assert_eq!(csr.get(9), &[] as &[u32]);
    }
}
