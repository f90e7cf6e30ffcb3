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
use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, SolveOptions, Variable};

/// Far above the cost of any trip, so a visit is only left unmet when no
/// combination of trips can make it.
pub const UNMET_PENALTY_NOK: f64 = 1_000_000.0;

/// Branch-and-bound nodes one selection may use. A node budget rather than a
/// clock keeps the plan the same on every machine; the models of a normal
/// caseload close in a few dozen nodes.
pub const NODE_LIMIT: u64 = 4_000;

pub struct Selection {
    pub trips: Vec<usize>,
    /// Required visits (indices into the due list) left unmet.
    pub unmet: Vec<usize>,
    /// Money cost of the chosen trips, NOK.
    pub objective_nok: f64,
    /// The solver's objective (trip costs, less the worth of early visits,
    /// plus the penalty of unmet visits) and the best bound it proved on it.
    pub model_objective: f64,
    pub model_bound: f64,
    /// Whether the solver proved the choice optimal among the candidates.
    pub proven: bool,
}

/// `capacity(d)`: field days the caseworker has from day `d` to the chunk's end.
pub fn select(
    candidates: &[Candidate],
    due: &[DueVisit],
    early_value_nok: f64,
    capacity: &dyn Fn(usize) -> u32,
) -> Result<Selection, String> {
    let value = |c: &Candidate| {
        let early = c.visits.iter().filter(|&&v| !due[v].required).count() as f64;
        c.shape.cost.nok() - early * early_value_nok
    };
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let y: Vec<Variable> = candidates
        .iter()
        .map(|c| problem.add_binary_var(value(c)))
        .collect();
    let u: Vec<Option<Variable>> = due
        .iter()
        .map(|d| {
            d.required
                .then(|| problem.add_var(UNMET_PENALTY_NOK, (0.0, 1.0)))
        })
        .collect();
    let mut covers: Vec<Vec<usize>> = vec![Vec::new(); due.len()];
    for (t, c) in candidates.iter().enumerate() {
        for &v in &c.visits {
            covers[v].push(t);
        }
    }
    for (v, ts) in covers.iter().enumerate() {
        let mut cover = LinearExpr::empty();
        for &t in ts {
            cover.add(y[t], 1.0);
        }
        match u[v] {
            Some(unmet) => {
                cover.add(unmet, 1.0);
                problem.add_constraint(cover, ComparisonOp::Eq, 1.0);
            }
            None if !ts.is_empty() => problem.add_constraint(cover, ComparisonOp::Le, 1.0),
            None => {}
        }
    }
    let rows = capacity_rows(candidates, due.len(), capacity);
    for (d, members) in &rows {
        let mut load = LinearExpr::empty();
        for &t in members {
            load.add(y[t], f64::from(candidates[t].shape.days));
        }
        problem.add_constraint(load, ComparisonOp::Le, f64::from(capacity(*d)));
    }
    let start = greedy(candidates, due, &rows, capacity, &value);
    let mut warm: Vec<(Variable, f64)> = Vec::new();
    let mut covered = vec![false; due.len()];
    for (t, &var) in y.iter().enumerate() {
        let on = start.contains(&t);
        if on {
            for &v in &candidates[t].visits {
                covered[v] = true;
            }
        }
        warm.push((var, if on { 1.0 } else { 0.0 }));
    }
    for (v, var) in u.iter().enumerate() {
        if let Some(var) = var {
            warm.push((*var, if covered[v] { 0.0 } else { 1.0 }));
        }
    }
    let mut options = SolveOptions::default();
    options.node_limit = Some(NODE_LIMIT);
    options.warm_start = Some(warm);
    let outcome = problem
        .solve_with(options)
        .map_err(|e| format!("trip selection: {e}"))?;
    let proven = outcome.is_optimal();
    let stats = outcome.stats();
    if std::env::var_os("TILSYN_TRACE").is_some() {
        eprintln!(
            "select: {} candidates, {} visits, {} capacity rows, {} nodes, {:.2} s, proven {}",
            candidates.len(),
            due.len(),
            rows.len(),
            stats.nodes_solved,
            stats.elapsed.as_secs_f64(),
            proven
        );
    }
    let (chosen, unmet, model_objective) = match outcome.solution() {
        Some(s) => (
            (0..candidates.len())
                .filter(|&t| s[y[t]] > 0.5)
                .collect::<Vec<_>>(),
            (0..due.len())
                .filter(|&v| u[v].is_some_and(|var| s[var] > 0.5))
                .collect::<Vec<_>>(),
            s.objective(),
        ),
        // No incumbent within the budget (the warm start was refused):
        // fall back on the greedy choice.
        None => {
            let covered: Vec<bool> = (0..due.len())
                .map(|v| start.iter().any(|&t| candidates[t].visits.contains(&v)))
                .collect();
            let unmet: Vec<usize> = (0..due.len())
                .filter(|&v| due[v].required && !covered[v])
                .collect();
            let objective = start.iter().map(|&t| value(&candidates[t])).sum::<f64>()
                + unmet.len() as f64 * UNMET_PENALTY_NOK;
            (start.clone(), unmet, objective)
        }
    };
    let model_bound = if proven {
        model_objective
    } else {
        stats
            .best_bound
            .unwrap_or(f64::NEG_INFINITY)
            .min(model_objective)
    };
    let objective_nok = chosen.iter().map(|&t| candidates[t].shape.cost.nok()).sum();
    Ok(Selection {
        trips: chosen,
        unmet,
        objective_nok,
        model_objective,
        model_bound,
        proven,
    })
}

/// A feasible start for the solver: trips by cost per visit made, each taken
/// when its visits are still open and every capacity row keeps room.
fn greedy(
    candidates: &[Candidate],
    due: &[DueVisit],
    rows: &[(usize, Vec<usize>)],
    capacity: &dyn Fn(usize) -> u32,
    value: &dyn Fn(&Candidate) -> f64,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.len())
        .filter(|&t| {
            value(&candidates[t]) < 0.0 || candidates[t].visits.iter().any(|&v| due[v].required)
        })
        .collect();
    let per_visit = |t: usize| {
        let c = &candidates[t];
        let required = c.visits.iter().filter(|&&v| due[v].required).count().max(1);
        value(c) / required as f64
    };
    order.sort_by(|&a, &b| per_visit(a).total_cmp(&per_visit(b)).then(a.cmp(&b)));
    let mut row_of: Vec<Vec<usize>> = vec![Vec::new(); candidates.len()];
    for (r, (_, members)) in rows.iter().enumerate() {
        for &t in members {
            row_of[t].push(r);
        }
    }
    let mut room: Vec<i64> = rows.iter().map(|(d, _)| i64::from(capacity(*d))).collect();
    let mut taken = vec![false; due.len()];
    let mut chosen = Vec::new();
    for t in order {
        let c = &candidates[t];
        let days = i64::from(c.shape.days);
        if c.visits.iter().any(|&v| taken[v]) || row_of[t].iter().any(|&r| room[r] < days) {
            continue;
        }
        for &r in &row_of[t] {
            room[r] -= days;
        }
        for &v in &c.visits {
            taken[v] = true;
        }
        chosen.push(t);
    }
    chosen.sort_unstable();
    chosen
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
