//! HiGHS as the MILP backend (cargo feature `highs`).
//!
//! The model is built and solved through the `highs` crate. Three facts that
//! crate does not hand over safely are read through `highs-sys` in [`info`]:
//! the model status (the crate's `status()` panics on HiGHS's "solution
//! limit", which is the status a `mip_max_nodes` stop gives), the MIP dual
//! bound and the node count. Those reads are the only unsafe code in tilsyn.
//!
//! HiGHS runs on one thread with a fixed seed and no clock, stopped only by
//! the node budget, so the same model gives the same answer on every machine.
//! Its default relative gap (1e-4) is set to zero: "proven" means the same
//! here as with microlp, optimal up to HiGHS's absolute gap of 1e-6.

use super::{Limits, Model, Outcome, Sense};
use highs::{HighsStatus, RowProblem};

/// HiGHS's random seed (its default, set so that no default can change it).
const RANDOM_SEED: i32 = 0;

pub fn solve(model: &Model, limits: &Limits) -> Result<Outcome, String> {
    if model.vars.is_empty() {
        // HiGHS calls a model without columns "empty" rather than solving it.
        return if model.is_feasible(&[]) {
            Ok(Outcome {
                values: Vec::new(),
                objective: 0.0,
                bound: 0.0,
                proven: true,
                nodes: 0,
            })
        } else {
            Err("HiGHS: the model is infeasible".to_string())
        };
    }
    fits_highs_int(model)?;
    let mut highs = build(model, None)?;
    configure(&mut highs, limits.nodes);
    let start = limits
        .start
        .as_ref()
        .filter(|x| x.len() == model.vars.len());
    if let Some(start) = start {
        // A start HiGHS cannot use is only a lost hint, not an error.
        let _ = highs.try_set_solution(Some(start), None, None, None);
    }
    let solved = highs.try_solve().map_err(|s| failed("run", s))?;
    let status = info::model_status(&solved);
    let nodes = info::node_count(&solved);
    let proven = status == info::OPTIMAL;
    // A model without integer columns goes to HiGHS's LP solver, which leaves
    // the MIP dual bound at a meaningless 0.
    let mip_dual_bound = model
        .vars
        .iter()
        .any(|v| v.integer)
        .then(|| info::dual_bound(&solved));
    if !proven && !info::STOPPED_BY_LIMIT.contains(&status) {
        return Err(match status {
            info::INFEASIBLE => "HiGHS: the model is infeasible".to_string(),
            s => format!(
                "HiGHS stopped with model status {s} ({})",
                info::describe(s)
            ),
        });
    }
    let found = info::has_feasible_solution(&solved)
        .then(|| usable_values(model, solved.get_solution().columns()))
        .flatten();
    let Some(values) = found else {
        // Stopped by the node budget before HiGHS found a solution.
        return match start {
            Some(start) if model.is_feasible(start) => Ok(Outcome {
                objective: model.objective(start),
                bound: mip_dual_bound
                    .unwrap_or(f64::NEG_INFINITY)
                    .min(model.objective(start)),
                values: start.clone(),
                proven: false,
                nodes,
            }),
            _ => Err("HiGHS found no solution within its node budget".to_string()),
        };
    };
    let objective = model.objective(&values);
    let bound = match mip_dual_bound {
        Some(bound) => bound,
        None if proven => objective,
        None => f64::NEG_INFINITY,
    };
    Ok(Outcome {
        bound: bound.min(objective),
        values,
        objective,
        proven,
        nodes,
    })
}

fn failed(step: &str, status: HighsStatus) -> String {
    format!("HiGHS: {step} failed ({status:?})")
}

/// The `highs` crate turns sizes into HiGHS's 32-bit ints with a panic when
/// they do not fit; refuse such models here instead.
fn fits_highs_int(model: &Model) -> Result<(), String> {
    let nonzeros: usize = model.rows.iter().map(|r| r.terms.len()).sum();
    let most = model.vars.len().max(model.rows.len()).max(nonzeros);
    if i32::try_from(most).is_err() {
        return Err(format!(
            "HiGHS: a model of {most} columns, rows or nonzeros is too large"
        ));
    }
    Ok(())
}

/// The model for HiGHS. With `fixed`, the integer columns are fixed at those
/// values and the rest is an LP over the continuous columns.
fn build(model: &Model, fixed: Option<&[f64]>) -> Result<highs::Model, String> {
    let mut pb = RowProblem::default();
    let cols: Vec<highs::Col> = model
        .vars
        .iter()
        .enumerate()
        .map(|(j, v)| match fixed {
            Some(x) if v.integer => pb.add_column(v.cost, x[j]..=x[j]),
            Some(_) => pb.add_column(v.cost, v.lower..=v.upper),
            None => pb.add_column_with_integrality(v.cost, v.lower..=v.upper, v.integer),
        })
        .collect();
    for r in &model.rows {
        let factors = r.terms.iter().map(|&(j, a)| (cols[j], a));
        match r.sense {
            Sense::Le => pb.add_row(..=r.rhs, factors),
            Sense::Eq => pb.add_row(r.rhs..=r.rhs, factors),
        }
    }
    pb.try_optimise(highs::Sense::Minimise)
        .map_err(|s| failed("loading the model", s))
}

/// One thread, a fixed seed, no clock, the node budget, a zero relative gap
/// and no output. All options exist with these types in HiGHS 1.16 (the
/// `highs` crate panics on a wrong one; the tests set every one).
fn configure(highs: &mut highs::Model, nodes: u64) {
    highs.make_quiet();
    highs.set_option("threads", 1);
    highs.set_option("parallel", "off");
    highs.set_option("random_seed", RANDOM_SEED);
    highs.set_option("time_limit", f64::INFINITY);
    highs.set_option("mip_rel_gap", 0.0);
    highs.set_option("mip_max_nodes", i32::try_from(nodes).unwrap_or(i32::MAX));
}

/// HiGHS's values with the integer columns rounded (they are integral up to
/// its tolerance, 1e-6), or `None` when they are not a feasible point of
/// `model`. When rounding moved the continuous columns' rows off their
/// right-hand sides, the continuous columns are solved again with the
/// integers fixed.
fn usable_values(model: &Model, columns: &[f64]) -> Option<Vec<f64>> {
    if columns.len() != model.vars.len() {
        return None;
    }
    let rounded: Vec<f64> = model
        .vars
        .iter()
        .zip(columns)
        .map(|(v, &x)| {
            let x = if v.integer { x.round() } else { x };
            x.clamp(v.lower, v.upper)
        })
        .collect();
    if model.is_feasible(&rounded) {
        return Some(rounded);
    }
    let mut lp = build(model, Some(&rounded)).ok()?;
    configure(&mut lp, 0);
    let solved = lp.try_solve().ok()?;
    if info::model_status(&solved) != info::OPTIMAL {
        return None;
    }
    let repaired: Vec<f64> = model
        .vars
        .iter()
        .zip(&rounded)
        .zip(solved.get_solution().columns())
        .map(|((v, &fixed), &x)| if v.integer { fixed } else { x })
        .collect();
    model.is_feasible(&repaired).then_some(repaired)
}

/// Reads from HiGHS that the `highs` crate does not offer without a panic.
#[allow(unsafe_code)]
mod info {
    use highs::SolvedModel;
    use highs_sys::{
        HighsInt, Highs_getDoubleInfoValue, Highs_getInt64InfoValue, Highs_getIntInfoValue,
        Highs_getModelStatus, STATUS_OK,
    };
    use std::ffi::CStr;

    pub const OPTIMAL: HighsInt = highs_sys::MODEL_STATUS_OPTIMAL;
    pub const INFEASIBLE: HighsInt = highs_sys::MODEL_STATUS_INFEASIBLE;
    /// The statuses of a search cut short by a limit: the node budget gives
    /// "solution limit"; the others are not set here but mean the same.
    pub const STOPPED_BY_LIMIT: [HighsInt; 4] = [
        highs_sys::MODEL_STATUS_REACHED_SOLUTION_LIMIT,
        highs_sys::MODEL_STATUS_REACHED_ITERATION_LIMIT,
        highs_sys::MODEL_STATUS_REACHED_TIME_LIMIT,
        highs_sys::MODEL_STATUS_REACHED_MEMORY_LIMIT,
    ];

    pub fn describe(status: HighsInt) -> &'static str {
        match status {
            highs_sys::MODEL_STATUS_UNBOUNDED_OR_INFEASIBLE => "unbounded or infeasible",
            highs_sys::MODEL_STATUS_UNBOUNDED => "unbounded",
            highs_sys::MODEL_STATUS_MODEL_EMPTY => "empty model",
            highs_sys::MODEL_STATUS_LOAD_ERROR | highs_sys::MODEL_STATUS_MODEL_ERROR => {
                "model error"
            }
            highs_sys::MODEL_STATUS_PRESOLVE_ERROR
            | highs_sys::MODEL_STATUS_SOLVE_ERROR
            | highs_sys::MODEL_STATUS_POSTSOLVE_ERROR => "solver error",
            _ => "unexpected",
        }
    }

    pub fn model_status(solved: &SolvedModel) -> HighsInt {
        // SAFETY: the pointer is the live HiGHS instance `solved` owns.
        unsafe { Highs_getModelStatus(solved.as_ptr()) }
    }

    /// Whether HiGHS holds a primal feasible solution ("primal_solution_status"
    /// 2 = feasible).
    pub fn has_feasible_solution(solved: &SolvedModel) -> bool {
        let mut status: HighsInt = 0;
        // SAFETY: a live instance, a NUL-terminated name and a valid out-pointer.
        let ok = unsafe {
            Highs_getIntInfoValue(
                solved.as_ptr(),
                c"primal_solution_status".as_ptr(),
                &mut status,
            )
        };
        ok == STATUS_OK && status == highs_sys::SOLUTION_STATUS_FEASIBLE
    }

    /// The lower bound HiGHS proved, or minus infinity when it has none.
    pub fn dual_bound(solved: &SolvedModel) -> f64 {
        let bound = double(solved, c"mip_dual_bound");
        if bound.is_nan() {
            f64::NEG_INFINITY
        } else {
            bound
        }
    }

    pub fn node_count(solved: &SolvedModel) -> u64 {
        let mut nodes: i64 = 0;
        // SAFETY: a live instance, a NUL-terminated name and a valid out-pointer.
        let ok = unsafe {
            Highs_getInt64InfoValue(solved.as_ptr(), c"mip_node_count".as_ptr(), &mut nodes)
        };
        if ok == STATUS_OK {
            u64::try_from(nodes).unwrap_or(0)
        } else {
            0
        }
    }

    fn double(solved: &SolvedModel, name: &CStr) -> f64 {
        let mut value = f64::NAN;
        // SAFETY: a live instance, a NUL-terminated name and a valid out-pointer.
        let ok = unsafe { Highs_getDoubleInfoValue(solved.as_ptr(), name.as_ptr(), &mut value) };
        if ok == STATUS_OK {
            value
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values as HiGHS may return them: integers off by its tolerance, and a
    /// continuous column that balanced them. Rounding alone breaks the second
    /// row by 2e-6, so the continuous column is solved again.
    #[test]
    fn rounded_integers_get_their_continuous_columns_solved_again() {
        let mut m = Model::default();
        let a = m.binary(3.0);
        let b = m.binary(2.0);
        let u = m.continuous(100.0, 0.0, 1.0);
        m.row(vec![(a, 1.0), (b, 1.0)], Sense::Eq, 1.0);
        m.row(vec![(a, 1.0), (u, 1.0)], Sense::Eq, 1.0);
        let raw = [0.999_998, 0.000_002, 0.000_002];
        let values = usable_values(&m, &raw).expect("repaired");
        assert_eq!(values, vec![1.0, 0.0, 0.0]);
        assert!(m.is_feasible(&values));
        assert_eq!(usable_values(&m, &raw[..2]), None, "wrong length");
    }
}
