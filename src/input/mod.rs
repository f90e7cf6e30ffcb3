//! Reading and validating a dataset folder (placeholder, being written).
