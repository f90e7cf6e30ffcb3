//! Choosing which candidate trips to run: a set-partitioning MILP per
//! caseworker and chunk, solved with good_lp.
//!
//! Variables: `y[t]` = 1 when candidate trip `t` runs; `u[r]` = 1 when required
//! visit `r` stays unmet (at a penalty far above any trip). Each required
//! visit is covered exactly once or unmet; an early visit at most once, and
//! worth `early_visit_value_nok` when taken. Field-day capacity enters as
//! Hall-type constraints: the trips that cannot start before day `d` must fit
//! in the field days from `d` to the end of the chunk.

use super::candidates::{Candidate, DueVisit};
use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
};

/// Far above the cost of any trip, so a visit is only left unmet when no
/// combination of trips can make it.
pub const UNMET_PENALTY_NOK: f64 = 1_000_000.0;

pub struct Selection {
    pub trips: Vec<usize>,
    /// Required visits (indices into the due list) left unmet.
    pub unmet: Vec<usize>,
    pub objective_nok: f64,
}

/// `capacity(d)`: field days the caseworker has from day `d` to the chunk's end.
pub fn select(
    candidates: &[Candidate],
    due: &[DueVisit],
    early_value_nok: f64,
    capacity: &dyn Fn(usize) -> u32,
) -> Result<Selection, String> {
    let mut vars = ProblemVariables::new();
    let y: Vec<Variable> = candidates
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let u: Vec<Option<Variable>> = due
        .iter()
        .map(|d| d.required.then(|| vars.add(variable().min(0.0).max(1.0))))
        .collect();
    let mut objective = Expression::from(0.0);
    for (t, c) in candidates.iter().enumerate() {
        let early = c.visits.iter().filter(|&&v| !due[v].required).count() as f64;
        objective += y[t] * (c.shape.cost.nok() - early * early_value_nok);
    }
    for var in u.iter().flatten() {
        objective += *var * UNMET_PENALTY_NOK;
    }
    let mut model = vars.minimise(objective).using(microlp);
    for (v, d) in due.iter().enumerate() {
        let mut cover = Expression::from(0.0);
        for (t, c) in candidates.iter().enumerate() {
            if c.visits.contains(&v) {
                cover += y[t];
            }
        }
        model = match u[v] {
            Some(unmet) if d.required => model.with(constraint!(cover + unmet == 1.0)),
            _ => model.with(constraint!(cover <= 1.0)),
        };
    }
    for (d, rows) in capacity_rows(candidates, due.len(), capacity) {
        let mut load = Expression::from(0.0);
        for t in rows {
            load += y[t] * f64::from(candidates[t].shape.days);
        }
        model = model.with(constraint!(load <= f64::from(capacity(d))));
    }
    let solution = model.solve().map_err(|e| e.to_string())?;
    let trips = (0..candidates.len())
        .filter(|&t| solution.value(y[t]) > 0.5)
        .collect();
    let unmet = (0..due.len())
        .filter(|&v| u[v].is_some_and(|var| solution.value(var) > 0.5))
        .collect();
    let objective_nok = candidates
        .iter()
        .enumerate()
        .filter(|(t, _)| solution.value(y[*t]) > 0.5)
        .map(|(_, c)| c.shape.cost.nok())
        .sum();
    Ok(Selection {
        trips,
        unmet,
        objective_nok,
    })
}

/// The capacity rows that can bind: for each earliest start day `d`, the
/// candidates that cannot start before it. A row is left out when even the
/// most day-hungry disjoint choice of those trips fits: trips are disjoint,
/// so their days add up to at most, per visit, the largest days-per-visit
/// share of any trip that holds it.
fn capacity_rows(
    candidates: &[Candidate],
    visits: usize,
    capacity: &dyn Fn(usize) -> u32,
) -> Vec<(usize, Vec<usize>)> {
    let mut thresholds: Vec<usize> = candidates
        .iter()
        .filter_map(|c| c.start_days.first().copied())
        .collect();
    thresholds.sort_unstable();
    thresholds.dedup();
    let mut rows = Vec::new();
    for d in thresholds {
        let members: Vec<usize> = (0..candidates.len())
            .filter(|&t| candidates[t].start_days.first().is_some_and(|&s| s >= d))
            .collect();
        let mut share = vec![0.0f64; visits];
        for &t in &members {
            let c = &candidates[t];
            let per_visit = f64::from(c.shape.days) / c.visits.len() as f64;
            for &v in &c.visits {
                share[v] = share[v].max(per_visit);
            }
        }
        let most = share.iter().sum::<f64>();
        if most > f64::from(capacity(d)) + 1e-9 {
            rows.push((d, members));
        }
    }
    rows
}
