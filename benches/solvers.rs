//! microlp against HiGHS on the real selection models: plans 2027Q1 of the
//! bundled Trondheim dataset once (with the default solver) to record every
//! trip-selection model the planner builds, then solves each model with each
//! backend under the planner's own limits (node budget and greedy start).
//!
//! Per backend it reports the median, fastest and slowest total solve time
//! over `ROUNDS` rounds, how many models it proved optimal and the sums of
//! objectives and bounds; then whether the two objectives agree, and per
//! model the median time of each backend. Solves are the same every round
//! (node budgets, no clock), so only the times vary.
//!
//! Run with `cargo bench --features highs --bench solvers`.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use tilsyn::demand::Horizon;
use tilsyn::input::load_dataset;
use tilsyn::planner::mip::{self, Backend, Limits, Model, Outcome};
use tilsyn::planner::select::recorder;
use tilsyn::travel::{car::GreatCircleCar, Sites};

const ROUNDS: usize = 5;
const BACKENDS: [Backend; 2] = [Backend::Microlp, Backend::Highs];

/// One backend's results: per round, the time of each model's solve; and
/// the outcomes (the same every round).
struct Run {
    backend: Backend,
    times: Vec<Vec<Duration>>,
    outcomes: Vec<Outcome>,
}

fn main() {
    let models = trondheim_models();
    let columns: usize = models.iter().map(|(m, _)| m.vars.len()).sum();
    let rows: usize = models.iter().map(|(m, _)| m.rows.len()).sum();
    let widest = models.iter().map(|(m, _)| m.vars.len()).max().unwrap_or(0);
    println!(
        "{} selection models from data/trondheim 2027Q1: {columns} columns and {rows} rows \
         in all, at most {widest} columns in one",
        models.len()
    );
    println!("{ROUNDS} rounds per backend, the backends taking turns; times summed over models\n");
    let mut runs: Vec<Run> = BACKENDS
        .iter()
        .map(|&backend| Run {
            backend,
            times: Vec::new(),
            outcomes: Vec::new(),
        })
        .collect();
    // Alternate the backends, so a busy spell on the machine hits both.
    for _ in 0..ROUNDS {
        for run in &mut runs {
            let (times, outcomes) = solve_all(&models, run.backend);
            run.times.push(times);
            run.outcomes = outcomes;
        }
    }
    for run in &runs {
        report(run, models.len());
    }
    compare(&runs[0], &runs[1]);
    per_model(&models, &runs);
}

/// Every selection model one plan of 2027Q1 builds, in a fixed order (the
/// planner's threads record them in any order).
fn trondheim_models() -> Vec<(Model, Limits)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/trondheim");
    let data = load_dataset(&dir, None).expect("the bundled dataset loads");
    let horizon = Horizon::quarter("2027Q1").expect("a valid quarter");
    let sites = Sites::new(&data);
    let matrix = GreatCircleCar::new(&sites, &data.settings.car);
    let (plan, mut models) =
        recorder::record(|| tilsyn::planner::plan(&data, horizon, &sites, &matrix, &|_, _| {}));
    plan.expect("plans");
    let key = |(m, l): &(Model, Limits)| {
        let nonzeros: usize = m.rows.iter().map(|r| r.terms.len()).sum();
        let start = l.start.as_deref().map_or(0.0, |x| m.objective(x));
        ((m.vars.len(), m.rows.len(), nonzeros), start)
    };
    models.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    models
}

fn solve_all(models: &[(Model, Limits)], backend: Backend) -> (Vec<Duration>, Vec<Outcome>) {
    models
        .iter()
        .map(|(model, limits)| {
            let started = Instant::now();
            let out = mip::solve(model, backend, limits)
                .unwrap_or_else(|e| panic!("{backend} failed on a selection model: {e}"));
            let took = started.elapsed();
            assert!(
                model.is_feasible(&out.values),
                "{backend}: infeasible values"
            );
            (took, out)
        })
        .unzip()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn report(run: &Run, models: usize) {
    let mut totals: Vec<Duration> = run.times.iter().map(|t| t.iter().sum()).collect();
    totals.sort();
    let outs = &run.outcomes;
    let proven = outs.iter().filter(|o| o.proven).count();
    let objective: f64 = outs.iter().map(|o| o.objective).sum();
    let bound: f64 = outs.iter().map(|o| o.bound).sum();
    let nodes: u64 = outs.iter().map(|o| o.nodes).sum();
    println!(
        "{:>8}: median {:.3} s (fastest {:.3} s, slowest {:.3} s); proven {proven}/{models}; \
         objective sum {objective:.2}; bound sum {bound:.2}; {nodes} nodes",
        run.backend.to_string(),
        median(totals.clone()).as_secs_f64(),
        totals[0].as_secs_f64(),
        totals[totals.len() - 1].as_secs_f64(),
    );
}

/// How often the objectives agree (to 1e-6 relative), and where they do not,
/// which backend found the cheaper selection.
fn compare(a: &Run, b: &Run) {
    let (mut same, mut a_better, mut b_better) = (0, 0, 0);
    for (x, y) in a.outcomes.iter().zip(&b.outcomes) {
        let tolerance = 1e-6 * x.objective.abs().max(1.0);
        if (x.objective - y.objective).abs() <= tolerance {
            same += 1;
        } else if x.objective < y.objective {
            a_better += 1;
        } else {
            b_better += 1;
        }
    }
    println!(
        "\nobjectives equal on {same}/{} models; {} cheaper on {a_better}, {} cheaper on {b_better}",
        a.outcomes.len(),
        a.backend,
        b.backend
    );
}

fn per_model(models: &[(Model, Limits)], runs: &[Run]) {
    println!("\ncolumns  rows  per backend: median seconds (nodes)");
    for (i, (m, _)) in models.iter().enumerate() {
        let mut line = format!("{:>7} {:>5}", m.vars.len(), m.rows.len());
        for run in runs {
            let took = median(run.times.iter().map(|t| t[i]).collect());
            line += &format!(
                "  {:>8} {:.3} ({})",
                run.backend.to_string(),
                took.as_secs_f64(),
                run.outcomes[i].nodes
            );
        }
        println!("{line}");
    }
}
