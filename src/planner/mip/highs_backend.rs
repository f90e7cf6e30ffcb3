//! HiGHS as the MILP backend (cargo feature `highs`).
//!
//! Untested draft: verify against the `highs` crate's API before use.

use super::{Limits, Model, Outcome, Sense};
use highs::{HighsModelStatus, RowProblem};

pub fn solve(model: &Model, limits: &Limits) -> Result<Outcome, String> {
    let mut pb = RowProblem::default();
    let cols: Vec<highs::Col> = model
        .vars
        .iter()
        .map(|v| {
            if v.integer {
                pb.add_integer_column(v.cost, v.lower..=v.upper)
            } else {
                pb.add_column(v.cost, v.lower..=v.upper)
            }
        })
        .collect();
    for r in &model.rows {
        let factors: Vec<(highs::Col, f64)> = r.terms.iter().map(|&(j, a)| (cols[j], a)).collect();
        match r.sense {
            Sense::Le => pb.add_row(..=r.rhs, &factors),
            Sense::Eq => pb.add_row(r.rhs..=r.rhs, &factors),
        }
    }
    let mut m = pb.optimise(highs::Sense::Minimise);
    m.make_quiet();
    m.set_option("threads", 1);
    m.set_option("mip_max_nodes", limits.nodes.min(i32::MAX as u64) as i32);
    let solved = m.solve();
    let proven = solved.status() == HighsModelStatus::Optimal;
    let values = solved.get_solution().columns().to_vec();
    let objective = model.objective(&values);
    Ok(Outcome {
        bound: if proven { objective } else { f64::NEG_INFINITY },
        values,
        objective,
        proven,
        nodes: 0,
    })
}
