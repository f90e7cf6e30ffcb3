//! What the integration tests share: the repository root and running the
//! `tilsyn` binary.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tilsyn <args>`, run to its end.
pub fn tilsyn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args(args)
        .output()
        .expect("the binary runs")
}
