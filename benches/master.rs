//! The pooled master LP as column generation uses it: columns arrive 300 at
//! a time and the LP is solved after each batch. Times the primal simplex
//! that keeps its basis (`tilsyn::planner::master::MasterLp`) against microlp
//! solving the LP's dual afresh after each batch, as pooled planning did
//! before. The LP is shaped like a team's on `data/trondheim`: 240 rows (two
//! in three required visits, the rest early visits), homes scattered over a
//! plane, trips of one to six homes near each other costing a drive plus a
//! fixed part, early visits worth NOK 1,500 each.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;
use tilsyn::planner::master::MasterLp;
use tilsyn::planner::mip::{self, Backend, Limits, Model, Sense};

/// A column: its rows with their coefficients, and its cost.
type Column = (Vec<(usize, f64)>, f64);

struct Instance {
    required: Vec<bool>,
    batches: Vec<Vec<Column>>,
}

fn instance(rows: usize, batches: usize, per_batch: usize) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    let at: Vec<(f64, f64)> = (0..rows)
        .map(|_| (rng.gen::<f64>() * 200.0, rng.gen::<f64>() * 200.0))
        .collect();
    let required: Vec<bool> = (0..rows).map(|i| i % 3 != 2).collect();
    let dist =
        |a: usize, b: usize| ((at[a].0 - at[b].0).powi(2) + (at[a].1 - at[b].1).powi(2)).sqrt();
    let home = |a: usize| (at[a].0.powi(2) + at[a].1.powi(2)).sqrt();
    let mut out = Vec::new();
    // The first batch: a trip per required visit alone.
    out.push(
        (0..rows)
            .filter(|&i| required[i])
            .map(|i| (vec![(i, 1.0)], 400.0 + 12.0 * home(i)))
            .collect(),
    );
    for _ in 0..batches {
        let mut batch = Vec::new();
        while batch.len() < per_batch {
            let first = rng.gen_range(0..rows);
            let size = rng.gen_range(1..=6);
            let mut near: Vec<usize> = (0..rows).filter(|&j| j != first).collect();
            near.sort_by(|&a, &b| dist(first, a).total_cmp(&dist(first, b)));
            let mut visits = vec![first];
            for &j in near.iter().take(12) {
                if visits.len() < size && rng.gen_bool(0.5) {
                    visits.push(j);
                }
            }
            if !visits.iter().any(|&v| required[v]) {
                continue;
            }
            let mut drive = home(visits[0]);
            for w in visits.windows(2) {
                drive += dist(w[0], w[1]);
            }
            drive += home(*visits.last().expect("a visit"));
            let early = visits.iter().filter(|&&v| !required[v]).count() as f64;
            let cost = 300.0 * visits.len() as f64 + 6.0 * drive - 1500.0 * early;
            visits.sort_unstable();
            batch.push((visits.into_iter().map(|v| (v, 1.0)).collect(), cost));
        }
        out.push(batch);
    }
    Instance {
        required,
        batches: out,
    }
}

/// The master LP through every batch; the last optimum.
fn warm(inst: &Instance) -> f64 {
    let mut lp = MasterLp::new(inst.required.clone());
    for batch in &inst.batches {
        for (terms, cost) in batch {
            lp.add_column(terms.clone(), *cost);
        }
        lp.solve().expect("the master LP solves");
    }
    lp.dual_objective()
}

/// microlp on the dual, afresh after every batch; the last optimum.
fn afresh(inst: &Instance) -> f64 {
    let mut objective = 0.0;
    for last in 0..inst.batches.len() {
        let mut model = Model::default();
        let y: Vec<usize> = inst
            .required
            .iter()
            .map(|&r| {
                if r {
                    model.continuous(-1.0, 0.0, 1e7)
                } else {
                    model.continuous(-1.0, -1e7, 0.0)
                }
            })
            .collect();
        for batch in &inst.batches[..=last] {
            for (terms, cost) in batch {
                model.row(
                    terms.iter().map(|&(i, a)| (y[i], a)).collect(),
                    Sense::Le,
                    *cost,
                );
            }
        }
        let out = mip::solve(
            &model,
            Backend::Microlp,
            &Limits {
                nodes: 0,
                start: None,
            },
        )
        .expect("microlp solves");
        objective = -out.objective;
    }
    objective
}

fn master_lp(c: &mut Criterion) {
    let inst = instance(240, 12, 300);
    let (a, b) = (warm(&inst), afresh(&inst));
    assert!(
        (a - b).abs() <= 1e-4 * b.abs(),
        "warm {a} against microlp {b}"
    );
    let mut group = c.benchmark_group("master_lp");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("warm_240_rows_12x300_columns", |bench| {
        bench.iter(|| warm(&inst))
    });
    group.bench_function("microlp_afresh_240_rows_12x300_columns", |bench| {
        bench.iter(|| afresh(&inst))
    });
    group.finish();
}

criterion_group!(benches, master_lp);
criterion_main!(benches);
