//! Typed node numbers: the index numbers every node of a kind from 0 (its position in that
//! kind's table), and a number of one kind must not be read as another's.
//!
//! Internal tables and functions take these; the public functions the API and the explorer
//! call still take and give plain `u32` numbers, converted at that edge.

/// A node number: a position in one of the index's tables.
pub trait NodeIx: Copy {
    /// The position it stands for.
    fn at(self) -> usize;
}

impl NodeIx for u32 {
    fn at(self) -> usize {
        self as usize
    }
}

macro_rules! node_ix {
    ($name:ident, $what:literal) => {
        #[doc = concat!("The number of ", $what, " in the index.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl NodeIx for $name {
            fn at(self) -> usize {
                self.0 as usize
            }
        }

        impl From<u32> for $name {
            fn from(n: u32) -> Self {
                Self(n)
            }
        }

        impl From<$name> for u32 {
            fn from(n: $name) -> u32 {
                n.0
            }
        }
    };
}

node_ix!(CollectivityIx, "a collectivity");
node_ix!(SolutionIx, "a solution");
node_ix!(NeedIx, "a need");
node_ix!(AdoptionIx, "an adoption");
node_ix!(OutcomeIx, "an outcome");
