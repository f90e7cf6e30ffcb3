//! The `tilsyn` command line: parse, run, return an exit code.
//!
//! Exit codes: 0 success; 1 a checked plan breaks a rule (`check`) or the
//! planner failed; 2 bad input (the dataset, settings or arguments); 3 the
//! road engine (OSRM, Valhalla) is unreachable, too slow or answers garbage.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
