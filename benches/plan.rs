//! Times `plan` for one quarter of the bundled Trondheim dataset (358
//! children, 23 caseworkers), from a loaded dataset to a finished plan in
//! memory, and the writing of the plan files. Target: at most 5 s per plan on
//! the 2-core development machine in release.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;
use std::time::Duration;
use tilsyn::demand::Horizon;
use tilsyn::input::load_dataset;
use tilsyn::travel::{car::GreatCircleCar, Sites};

fn plan_trondheim(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/trondheim");
    let data = load_dataset(&dir, None).expect("the bundled dataset loads");
    let mut group = c.benchmark_group("trondheim");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    for quarter in ["2027Q1", "2027Q3"] {
        let horizon = Horizon::quarter(quarter).expect("a valid quarter");
        group.bench_function(format!("plan_{quarter}"), |b| {
            b.iter(|| {
                let sites = Sites::new(&data);
                let matrix = GreatCircleCar::new(&sites, &data.settings.car);
                tilsyn::planner::plan(&data, horizon, &sites, &matrix, &|_, _| {}).expect("plans")
            })
        });
    }
    let horizon = Horizon::quarter("2027Q1").expect("a valid quarter");
    let sites = Sites::new(&data);
    let matrix = GreatCircleCar::new(&sites, &data.settings.car);
    let plan = tilsyn::planner::plan(&data, horizon, &sites, &matrix, &|_, _| {}).expect("plans");
    let tmp = tempfile::tempdir().expect("a temp dir");
    let input = tilsyn::report::ReportInput::new(&data, tilsyn::lang::Lang::Nb);
    group.bench_function("write_plan_2027Q1", |b| {
        b.iter(|| {
            tilsyn::write::write_plan(&plan, &input, &tmp.path().join("plan")).expect("writes")
        })
    });
    group.finish();
}

criterion_group!(benches, plan_trondheim);
criterion_main!(benches);
