//! Synthetic datasets in the contract's format (placeholder, being written).
