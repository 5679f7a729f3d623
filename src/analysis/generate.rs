//! The synthetic national-scale graph (to be written).
