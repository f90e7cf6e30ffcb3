//! Choosing which candidate trips to run: a set-partitioning MILP per
//! caseworker and chunk, built as a [`mip::Model`] for the configured solver.
//!
//! Variables: `y[t]` = 1 when candidate trip `t` runs; `u[r]` = 1 when required
//! visit `r` stays unmet (at a penalty far above any trip). Each required
//! visit is covered exactly once or unmet; an early visit at most once, and
//! worth `early_visit_value_nok` when taken. Field-day capacity enters as
//! Hall-type constraints: the trips that cannot start before day `d` must fit
//! in the field days from `d` to the end of the chunk.

use super::candidates::{Candidate, DueVisit};
use super::mip::{self, Backend, Limits, Model, Sense};

/// Far above the cost of any trip, so a visit is only left unmet when no
/// combination of trips can make it.
pub const UNMET_PENALTY_NOK: f64 = 1_000_000.0;

/// Branch-and-bound work one selection may use, in nodes times candidate
/// trips (a node's LP grows with the columns). A node budget rather than a
/// clock keeps the plan the same on every machine.
const NODE_WORK: u64 = 6_000_000;
/// Bounds on the node budget, whatever the model size.
const NODES_MIN: u64 = 200;
const NODES_MAX: u64 = 20_000;

fn node_limit(columns: usize) -> u64 {
    (NODE_WORK / columns.max(1) as u64).clamp(NODES_MIN, NODES_MAX)
}

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

/// The selection MILP of one caseworker and chunk, with the limits
/// [`select`] solves it under.
pub struct SelectionModel {
    pub model: Model,
    pub limits: Limits,
    /// The model variable of each candidate's `y`, and of each due visit's
    /// `u` (required visits only).
    y: Vec<usize>,
    u: Vec<Option<usize>>,
    capacity_rows: usize,
}

/// `capacity(d)`: field days the caseworker has from day `d` to the chunk's end.
pub fn select(
    candidates: &[Candidate],
    due: &[DueVisit],
    early_value_nok: f64,
    capacity: &dyn Fn(usize) -> u32,
    backend: Backend,
) -> Result<Selection, String> {
    let built = build(candidates, due, early_value_nok, capacity);
    recorder::offer(&built);
    let SelectionModel {
        model,
        limits,
        y,
        u,
        capacity_rows,
    } = built;
    let outcome =
        mip::solve(&model, backend, &limits).map_err(|e| format!("trip selection: {e}"))?;
    if std::env::var_os("TILSYN_TRACE").is_some() {
        eprintln!(
            "select: {} candidates, {} visits, {} capacity rows, {} nodes, proven {}",
            candidates.len(),
            due.len(),
            capacity_rows,
            outcome.nodes,
            outcome.proven
        );
    }
    let on = |var: usize| outcome.values.get(var).is_some_and(|&x| x > 0.5);
    let chosen: Vec<usize> = (0..candidates.len()).filter(|&t| on(y[t])).collect();
    let unmet: Vec<usize> = (0..due.len()).filter(|&v| u[v].is_some_and(on)).collect();
    let objective_nok = chosen.iter().map(|&t| candidates[t].shape.cost.nok()).sum();
    Ok(Selection {
        trips: chosen,
        unmet,
        objective_nok,
        model_objective: outcome.objective,
        model_bound: outcome.bound,
        proven: outcome.proven,
    })
}

/// Builds the selection model that [`select`] solves, with the greedy
/// choice as the solver's start and a node budget for the model's size.
pub fn build(
    candidates: &[Candidate],
    due: &[DueVisit],
    early_value_nok: f64,
    capacity: &dyn Fn(usize) -> u32,
) -> SelectionModel {
    let value = |c: &Candidate| {
        let early = c.visits.iter().filter(|&&v| !due[v].required).count() as f64;
        c.shape.cost.nok() - early * early_value_nok
    };
    let mut model = Model::default();
    let y: Vec<usize> = candidates.iter().map(|c| model.binary(value(c))).collect();
    let u: Vec<Option<usize>> = due
        .iter()
        .map(|d| {
            d.required
                .then(|| model.continuous(UNMET_PENALTY_NOK, 0.0, 1.0))
        })
        .collect();
    let mut covers: Vec<Vec<usize>> = vec![Vec::new(); due.len()];
    for (t, c) in candidates.iter().enumerate() {
        for &v in &c.visits {
            covers[v].push(t);
        }
    }
    for (v, ts) in covers.iter().enumerate() {
        let mut cover: Vec<(usize, f64)> = ts.iter().map(|&t| (y[t], 1.0)).collect();
        match u[v] {
            Some(unmet) => {
                cover.push((unmet, 1.0));
                model.row(cover, Sense::Eq, 1.0);
            }
            None if !ts.is_empty() => model.row(cover, Sense::Le, 1.0),
            None => {}
        }
    }
    let rows = capacity_rows(candidates, due.len(), capacity);
    for (d, members) in &rows {
        let load = members
            .iter()
            .map(|&t| (y[t], f64::from(candidates[t].shape.days)))
            .collect();
        model.row(load, Sense::Le, f64::from(capacity(*d)));
    }
    let start = greedy(candidates, due, &rows, capacity, &value);
    let mut x = vec![0.0; model.vars.len()];
    for &t in &start {
        x[y[t]] = 1.0;
    }
    for (v, var) in u.iter().enumerate() {
        if let Some(var) = var {
            if !start.iter().any(|&t| candidates[t].visits.contains(&v)) {
                x[*var] = 1.0;
            }
        }
    }
    SelectionModel {
        model,
        limits: Limits {
            nodes: node_limit(candidates.len()),
            start: Some(x),
        },
        y,
        u,
        capacity_rows: rows.len(),
    }
}

/// Collecting the selection models a run builds, so that benchmarks can
/// solve the real models with every backend.
pub mod recorder {
    use super::{Limits, Model, SelectionModel};
    use std::sync::{Mutex, MutexGuard, PoisonError};

    /// The models offered while [`record`] runs; `None` when not recording.
    static RECORDED: Mutex<Option<Vec<(Model, Limits)>>> = Mutex::new(None);
    /// Held for a whole [`record`] call, so two recordings never mix.
    static RECORDING: Mutex<()> = Mutex::new(());

    fn recorded() -> MutexGuard<'static, Option<Vec<(Model, Limits)>>> {
        RECORDED.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn offer(built: &SelectionModel) {
        if let Some(models) = recorded().as_mut() {
            models.push((built.model.clone(), built.limits.clone()));
        }
    }

    /// Runs `f` and returns, with its result, every selection model built
    /// meanwhile (on any thread, so in no fixed order), with its limits.
    /// Plans running beside `f` on other threads are recorded too.
    pub fn record<R>(f: impl FnOnce() -> R) -> (R, Vec<(Model, Limits)>) {
        let _one_at_a_time = RECORDING.lock().unwrap_or_else(PoisonError::into_inner);
        *recorded() = Some(Vec::new());
        let result = f();
        let models = recorded().take().unwrap_or_default();
        (result, models)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::candidates::keep_best;
    use crate::planner::trip::TripShape;
    use crate::units::{Metres, Minutes, Ore};

    fn trip(visits: &[usize], nok: f64, days: u32) -> Candidate {
        Candidate {
            visits: visits.to_vec(),
            shape: TripShape {
                days,
                stops: Vec::new(),
                km_car: Metres(0),
                flight_legs: 0,
                nights: days - 1,
                travel: Minutes(0),
                cost: Ore::from_nok(nok),
            },
            start_days: vec![0],
        }
    }

    fn due(n: usize, required: usize) -> Vec<DueVisit> {
        (0..n)
            .map(|v| DueVisit {
                child: v,
                required: v < required,
                first_day: 0,
                last_day: 60,
            })
            .collect()
    }

    #[test]
    fn the_cheapest_partition_is_chosen_and_proven() {
        let c = vec![
            trip(&[0], 1000.0, 1),
            trip(&[1], 1000.0, 1),
            trip(&[2], 1000.0, 1),
            trip(&[0, 1], 1500.0, 1),
            trip(&[1, 2], 1200.0, 1),
        ];
        let s = select(&c, &due(3, 3), 0.0, &|_| 10, Backend::Microlp).unwrap();
        assert_eq!(s.trips, vec![0, 4]);
        assert!(s.proven);
        assert_eq!(s.objective_nok, 2200.0);
        assert!((s.model_bound - s.model_objective).abs() < 1e-6);
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_chooses_and_proves_the_same_partition() {
        let c = vec![
            trip(&[0], 1000.0, 1),
            trip(&[1], 1000.0, 1),
            trip(&[2], 1000.0, 1),
            trip(&[0, 1], 1500.0, 1),
            trip(&[1, 2], 1200.0, 1),
        ];
        let s = select(&c, &due(3, 3), 0.0, &|_| 10, Backend::Highs).unwrap();
        assert_eq!(s.trips, vec![0, 4]);
        assert!(s.proven);
        assert!((s.model_bound - s.model_objective).abs() < 1e-6);
    }

    #[test]
    fn the_recorder_holds_the_model_select_solves() {
        let c = vec![trip(&[0], 1000.0, 1), trip(&[0, 1], 1500.0, 2)];
        let d = due(2, 2);
        let (s, models) =
            recorder::record(|| select(&c, &d, 0.0, &|_| 2, Backend::Microlp).unwrap());
        let built = build(&c, &d, 0.0, &|_| 2);
        // Other tests may select on other threads meanwhile; ours is there.
        let (model, limits) = models
            .iter()
            .find(|(m, l)| m.vars.len() == 4 && l.start == built.limits.start)
            .expect("recorded");
        assert_eq!(model.rows.len(), built.model.rows.len());
        assert_eq!(limits.nodes, built.limits.nodes);
        assert_eq!(s.trips, vec![1]);
    }

    #[test]
    fn scarce_days_favour_the_trip_that_makes_more_visits_at_once() {
        let c = vec![
            trip(&[0], 1000.0, 1),
            trip(&[1], 1000.0, 1),
            trip(&[0, 1], 2500.0, 1),
        ];
        let s = select(&c, &due(2, 2), 0.0, &|_| 1, Backend::Microlp).unwrap();
        assert_eq!(s.trips, vec![2]);
        assert!(s.unmet.is_empty());
    }

    #[test]
    fn a_visit_no_trip_makes_is_unmet() {
        let c = vec![trip(&[0], 1000.0, 1)];
        let s = select(&c, &due(2, 2), 0.0, &|_| 5, Backend::Microlp).unwrap();
        assert_eq!((s.trips, s.unmet), (vec![0], vec![1]));
    }

    #[test]
    fn an_early_visit_is_taken_only_when_it_adds_less_than_it_is_worth() {
        let c = vec![
            trip(&[0], 1000.0, 1),
            trip(&[0, 1], 1400.0, 1),
            trip(&[0, 2], 3000.0, 1),
        ];
        let s = select(&c, &due(3, 1), 1500.0, &|_| 5, Backend::Microlp).unwrap();
        assert_eq!(s.trips, vec![1]);
    }

    #[test]
    fn the_greedy_start_respects_capacity_and_disjointness() {
        let c = vec![
            trip(&[0, 1], 1000.0, 2),
            trip(&[1, 2], 900.0, 2),
            trip(&[0], 800.0, 1),
            trip(&[2], 800.0, 1),
        ];
        let d = due(3, 3);
        let rows = vec![(0, vec![0, 1, 2, 3])];
        let value = |c: &Candidate| c.shape.cost.nok();
        let g = greedy(&c, &d, &rows, &|_| 3, &value);
        assert_eq!(g, vec![1, 2], "[1,2] is cheapest per visit, then [0]");
        let g = greedy(&c, &d, &rows, &|_| 1, &value);
        assert_eq!(g, vec![2], "one day: a single-day trip only");
    }

    #[test]
    fn node_budget_shrinks_with_model_size_within_bounds() {
        assert_eq!(node_limit(1), NODES_MAX);
        assert_eq!(node_limit(1_000_000), NODES_MIN);
        assert!(node_limit(3_000) < node_limit(300));
    }

    #[test]
    fn keep_best_keeps_singles_and_the_best_savers() {
        let c = vec![
            trip(&[0], 1000.0, 1),
            trip(&[1], 1000.0, 1),
            trip(&[2], 1000.0, 1),
            trip(&[0, 1], 1900.0, 1),
            trip(&[1, 2], 1100.0, 1),
            trip(&[0, 2], 1500.0, 1),
        ];
        let d = due(3, 3);
        let (kept, dropped) = keep_best(c.clone(), &d, Ore::from_nok(0.0), 10);
        assert!(!dropped);
        assert_eq!(kept.len(), 6);
        let (kept, dropped) = keep_best(c, &d, Ore::from_nok(0.0), 2);
        assert!(dropped);
        let sets: Vec<Vec<usize>> = kept.into_iter().map(|c| c.visits).collect();
        assert_eq!(
            sets,
            vec![vec![0], vec![1], vec![2], vec![1, 2], vec![0, 2]]
        );
    }
}
