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

/// Up to this many candidates the MILP takes them all; above it, the LP is
/// solved by column generation first and only the candidates whose reduced
/// cost leaves them a chance of being in an optimal choice go to the MILP.
const DIRECT_MAX: usize = 1_500;
/// Above this many columns after filtering, the MILP is not run: the best
/// choice among the LP's columns stands, with the LP bound.
const FILTERED_MAX: usize = 1_500;
/// Columns added to the restricted LP per pricing round.
const PRICE_BATCH: usize = 200;

/// `capacity(d)`: field days the caseworker has from day `d` to the chunk's end.
pub fn select(
    candidates: &[Candidate],
    due: &[DueVisit],
    early_value_nok: f64,
    capacity: &dyn Fn(usize) -> u32,
    backend: Backend,
) -> Result<Selection, String> {
    select_with_surcharge(candidates, due, early_value_nok, &[], capacity, backend)
}

/// As [`select`], with `surcharge[t]` NOK added to candidate `t`'s value
/// (none where `surcharge` is shorter than the candidates): a
/// soft cost the choice weighs besides money (the least uneven-week penalty
/// a trip brings, see `planner::balance`). The bound and the model
/// objective include it; `objective_nok` stays money only.
pub fn select_with_surcharge(
    candidates: &[Candidate],
    due: &[DueVisit],
    early_value_nok: f64,
    surcharge: &[f64],
    capacity: &dyn Fn(usize) -> u32,
    backend: Backend,
) -> Result<Selection, String> {
    let mut master = Master::new(candidates, due, early_value_nok, capacity);
    for (value, extra) in master.value.iter_mut().zip(surcharge) {
        *value += extra;
    }
    master.select(backend, DIRECT_MAX)
}

/// The set-partitioning master problem over the candidates.
struct Master<'a> {
    candidates: &'a [Candidate],
    due: &'a [DueVisit],
    /// Objective coefficient of each candidate: cost less early visits' worth.
    value: Vec<f64>,
    /// Capacity rows: (first day, member candidates), with their right sides.
    rows: Vec<(usize, Vec<usize>)>,
    caps: Vec<f64>,
    /// Per candidate, the capacity rows it is in.
    row_of: Vec<Vec<usize>>,
}

/// What pricing found: the columns that can be in an optimal choice, the LP
/// bound over all candidates, and the best choice met on the way.
struct Priced {
    columns: Vec<usize>,
    lp_bound: f64,
    /// The better of the start and the best choice among the LP's columns.
    best: Vec<usize>,
}

impl<'a> Master<'a> {
    fn new(
        candidates: &'a [Candidate],
        due: &'a [DueVisit],
        early_value_nok: f64,
        capacity: &dyn Fn(usize) -> u32,
    ) -> Self {
        let value = candidates
            .iter()
            .map(|c| {
                let early = c.visits.iter().filter(|&&v| !due[v].required).count() as f64;
                c.shape.cost.nok() - early * early_value_nok
            })
            .collect();
        let rows = capacity_rows(candidates, due.len(), capacity);
        let caps = rows.iter().map(|(d, _)| f64::from(capacity(*d))).collect();
        let mut row_of = vec![Vec::new(); candidates.len()];
        for (r, (_, members)) in rows.iter().enumerate() {
            for &t in members {
                row_of[t].push(r);
            }
        }
        Self {
            candidates,
            due,
            value,
            rows,
            caps,
            row_of,
        }
    }

    /// The choice, pricing first when there are more than `direct_max`
    /// candidates.
    fn select(&self, backend: Backend, direct_max: usize) -> Result<Selection, String> {
        let clock = std::time::Instant::now();
        let greedy = self.greedy();
        // Which candidates the MILP takes, and what the LP over all of them
        // proves; the MILP then has every candidate that can matter.
        let (columns, lp_bound, start) = if self.candidates.len() <= direct_max {
            ((0..self.candidates.len()).collect::<Vec<_>>(), None, greedy)
        } else {
            let priced = self.price(&greedy, backend)?;
            if priced.columns.len() > FILTERED_MAX {
                // Too many trips can still matter for the MILP to settle
                // within its budget: keep the best choice among the LP's
                // columns, with the LP bound.
                return Ok(self.selection_of(&priced.best, priced.lp_bound, false));
            }
            (priced.columns, Some(priced.lp_bound), priced.best)
        };
        let priced_in = clock.elapsed().as_secs_f64();
        let (model, y, u) = self.model(&columns);
        let mut x = vec![0.0; model.vars.len()];
        for (k, &t) in columns.iter().enumerate() {
            if start.contains(&t) {
                x[y[k]] = 1.0;
            }
        }
        for v in self.unmet_of(&start) {
            if let Some(var) = u[v] {
                x[var] = 1.0;
            }
        }
        let limits = Limits {
            nodes: node_limit(columns.len()),
            start: Some(x),
        };
        recorder::offer(&model, &limits);
        let outcome =
            mip::solve(&model, backend, &limits).map_err(|e| format!("trip selection: {e}"))?;
        let chosen: Vec<usize> = (0..columns.len())
            .filter(|&k| outcome.values[y[k]] > 0.5)
            .map(|k| columns[k])
            .collect();
        let bound = lp_bound.unwrap_or(f64::NEG_INFINITY).max(outcome.bound);
        if std::env::var_os("TILSYN_TRACE").is_some() {
            eprintln!(
                "select: {} candidates, {} in the MILP, {} visits, {} capacity rows, {} nodes, proven {}, pricing {:.2} s, milp {:.2} s",
                self.candidates.len(),
                columns.len(),
                self.due.len(),
                self.rows.len(),
                outcome.nodes,
                outcome.proven,
                priced_in,
                clock.elapsed().as_secs_f64() - priced_in
            );
        }
        Ok(self.selection_of(&chosen, bound, outcome.proven))
    }

    /// Required visits that the trips `chosen` leave unmet.
    fn unmet_of(&self, chosen: &[usize]) -> Vec<usize> {
        (0..self.due.len())
            .filter(|&v| {
                self.due[v].required
                    && !chosen
                        .iter()
                        .any(|&t| self.candidates[t].visits.contains(&v))
            })
            .collect()
    }

    /// The model's objective for the trips `chosen`.
    fn objective_of(&self, chosen: &[usize]) -> f64 {
        chosen.iter().map(|&t| self.value[t]).sum::<f64>()
            + self.unmet_of(chosen).len() as f64 * UNMET_PENALTY_NOK
    }

    /// The selection that makes the trips `chosen`, with a proven `bound`;
    /// proven optimal when the solver said so or the bound meets it.
    fn selection_of(&self, chosen: &[usize], bound: f64, proven: bool) -> Selection {
        let objective = self.objective_of(chosen);
        let mut trips = chosen.to_vec();
        trips.sort_unstable();
        Selection {
            objective_nok: trips
                .iter()
                .map(|&t| self.candidates[t].shape.cost.nok())
                .sum(),
            unmet: self.unmet_of(&trips),
            trips,
            model_objective: objective,
            model_bound: bound.min(objective),
            proven: proven || objective <= bound + 1e-3,
        }
    }

    /// The MILP over `columns` (candidate indices): the `y` variable of each
    /// column and the unmet variable of each required visit.
    fn model(&self, columns: &[usize]) -> (Model, Vec<usize>, Vec<Option<usize>>) {
        let mut model = Model::default();
        let y: Vec<usize> = columns
            .iter()
            .map(|&t| model.binary(self.value[t]))
            .collect();
        let u: Vec<Option<usize>> = self
            .due
            .iter()
            .map(|d| {
                d.required
                    .then(|| model.continuous(UNMET_PENALTY_NOK, 0.0, 1.0))
            })
            .collect();
        let mut covers: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.due.len()];
        let mut loads: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.rows.len()];
        for (k, &t) in columns.iter().enumerate() {
            for &v in &self.candidates[t].visits {
                covers[v].push((y[k], 1.0));
            }
            for &r in &self.row_of[t] {
                loads[r].push((y[k], f64::from(self.candidates[t].shape.days)));
            }
        }
        for (v, mut cover) in covers.into_iter().enumerate() {
            match u[v] {
                Some(unmet) => {
                    cover.push((unmet, 1.0));
                    model.row(cover, Sense::Eq, 1.0);
                }
                None if !cover.is_empty() => model.row(cover, Sense::Le, 1.0),
                None => {}
            }
        }
        for (load, &cap) in loads.into_iter().zip(&self.caps) {
            if !load.is_empty() {
                model.row(load, Sense::Le, cap);
            }
        }
        (model, y, u)
    }

    /// Column generation on the LP relaxation, with the dual LP solved
    /// directly (it has one variable per visit and capacity row, so it stays
    /// small), then reduced-cost filtering against an upper bound: a choice
    /// worth `z` uses no column whose reduced cost exceeds `z - lp_bound`, so
    /// the columns within that margin hold every choice better than the best
    /// one known. The LP starts from the single-visit trips and `start`, so
    /// every choice met here is among the columns kept.
    fn price(&self, start: &[usize], backend: Backend) -> Result<Priced, String> {
        let n = self.candidates.len();
        let mut in_lp: Vec<bool> = (0..n)
            .map(|t| self.candidates[t].visits.len() == 1 || start.contains(&t))
            .collect();
        let (lp_bound, reduced) = loop {
            let (dual_objective, pi, mu) = self.solve_dual(&in_lp, backend)?;
            let reduced = self.reduced_costs(&pi, &mu);
            let mut negative: Vec<(f64, usize)> = (0..n)
                .filter(|&t| !in_lp[t] && reduced[t] < -1e-3)
                .map(|t| (reduced[t], t))
                .collect();
            if negative.is_empty() {
                break (dual_objective, reduced);
            }
            negative.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (_, t) in negative.into_iter().take(PRICE_BATCH) {
                in_lp[t] = true;
            }
        };
        // The best choice among the LP's columns bounds the optimum from
        // above; the closer, the fewer columns survive the filter. If the
        // solver fails here, the start still bounds it.
        let lp_columns: Vec<usize> = (0..n).filter(|&t| in_lp[t]).collect();
        let (model, y, _) = self.model(&lp_columns);
        let limits = Limits {
            nodes: node_limit(lp_columns.len()),
            start: None,
        };
        let mut best = start.to_vec();
        if let Ok(o) = mip::solve(&model, backend, &limits) {
            let choice: Vec<usize> = (0..lp_columns.len())
                .filter(|&k| o.values[y[k]] > 0.5)
                .map(|k| lp_columns[k])
                .collect();
            if self.objective_of(&choice) < self.objective_of(&best) {
                best = choice;
            }
        }
        let margin = self.objective_of(&best) - lp_bound + 1e-3;
        let columns = (0..n)
            .filter(|&t| in_lp[t] || reduced[t] <= margin)
            .collect();
        Ok(Priced {
            columns,
            lp_bound,
            best,
        })
    }

    /// Reduced cost of every candidate under visit prices `pi` and capacity
    /// prices `mu`.
    fn reduced_costs(&self, pi: &[f64], mu: &[f64]) -> Vec<f64> {
        self.candidates
            .iter()
            .enumerate()
            .map(|(t, c)| {
                let days = f64::from(c.shape.days);
                self.value[t]
                    - c.visits.iter().map(|&v| pi[v]).sum::<f64>()
                    - self.row_of[t].iter().map(|&r| days * mu[r]).sum::<f64>()
            })
            .collect()
    }

    /// The dual of the LP over the columns in `in_lp`: its optimum (the LP
    /// bound), a price per visit and one per capacity row.
    fn solve_dual(
        &self,
        in_lp: &[bool],
        backend: Backend,
    ) -> Result<(f64, Vec<f64>, Vec<f64>), String> {
        let mut dual = Model::default();
        // Maximise sum(pi) + sum(mu * cap): minimise the negative.
        let pi: Vec<usize> = self
            .due
            .iter()
            .map(|d| {
                let upper = if d.required { UNMET_PENALTY_NOK } else { 0.0 };
                dual.continuous(-1.0, -1e9, upper)
            })
            .collect();
        let mu: Vec<usize> = self
            .caps
            .iter()
            .map(|&cap| dual.continuous(-cap, -1e9, 0.0))
            .collect();
        for (t, c) in self.candidates.iter().enumerate() {
            if !in_lp[t] {
                continue;
            }
            let days = f64::from(c.shape.days);
            let mut terms: Vec<(usize, f64)> = c.visits.iter().map(|&v| (pi[v], 1.0)).collect();
            terms.extend(self.row_of[t].iter().map(|&r| (mu[r], days)));
            dual.row(terms, Sense::Le, self.value[t]);
        }
        let out = mip::solve(
            &dual,
            backend,
            &Limits {
                nodes: 0,
                start: None,
            },
        )
        .map_err(|e| format!("pricing LP: {e}"))?;
        let values = |vars: &[usize]| vars.iter().map(|&j| out.values[j]).collect::<Vec<f64>>();
        Ok((-out.objective, values(&pi), values(&mu)))
    }

    /// A feasible start for the solver: trips by cost per required visit,
    /// each taken when its visits are still open and every capacity row
    /// keeps room.
    fn greedy(&self) -> Vec<usize> {
        let (candidates, due) = (self.candidates, self.due);
        let mut order: Vec<usize> = (0..candidates.len())
            .filter(|&t| {
                self.value[t] < 0.0 || candidates[t].visits.iter().any(|&v| due[v].required)
            })
            .collect();
        let per_visit = |t: usize| {
            let required = candidates[t]
                .visits
                .iter()
                .filter(|&&v| due[v].required)
                .count()
                .max(1);
            self.value[t] / required as f64
        };
        order.sort_by(|&a, &b| per_visit(a).total_cmp(&per_visit(b)).then(a.cmp(&b)));
        let mut room = self.caps.clone();
        let mut taken = vec![false; due.len()];
        let mut chosen = Vec::new();
        for t in order {
            let c = &candidates[t];
            let days = f64::from(c.shape.days);
            if c.visits.iter().any(|&v| taken[v])
                || self.row_of[t].iter().any(|&r| room[r] < days - 1e-9)
            {
                continue;
            }
            for &r in &self.row_of[t] {
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

/// For benchmarks: the selection MILPs a plan builds, as handed to the solver.
pub mod recorder {
    use super::{Limits, Model};
    use std::sync::{Mutex, MutexGuard, PoisonError};

    /// The models offered while [`record`] runs; `None` when not recording.
    static RECORDED: Mutex<Option<Vec<(Model, Limits)>>> = Mutex::new(None);
    /// Held for a whole [`record`] call, so two recordings never mix.
    static RECORDING: Mutex<()> = Mutex::new(());

    fn recorded() -> MutexGuard<'static, Option<Vec<(Model, Limits)>>> {
        RECORDED.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn offer(model: &Model, limits: &Limits) {
        if let Some(models) = recorded().as_mut() {
            models.push((model.clone(), limits.clone()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn trip(visits: &[usize], nok: f64, days: u32) -> Candidate {
        Candidate::for_test(visits.to_vec(), nok, days, vec![0])
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
        // Capacity 2 for the whole quarter: the four trips (6 days) need a row.
        let master = Master::new(&c, &d, 0.0, &|_| 2);
        assert_eq!(master.rows.len(), 1);
        assert_eq!(
            master.greedy(),
            vec![1],
            "[1,2] is cheapest per visit and fills the days"
        );
        let master = Master::new(&c, &d, 0.0, &|_| 3);
        assert_eq!(master.greedy(), vec![1, 2], "then [0] fits the third day");
    }

    /// Random set-partitioning instances: trips over 12 visits, costs
    /// sub-additive on average, some capacity; the priced model must find
    /// the same optimum as the full one and prove it.
    #[test]
    fn pricing_and_filtering_keep_the_optimum() {
        use rand::{Rng, SeedableRng};
        for seed in 0..6u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let n = 12;
            let d = due(n, 9);
            let mut c: Vec<Candidate> = (0..n)
                .map(|v| trip(&[v], 800.0 + rng.gen_range(0.0..1500.0), 1))
                .collect();
            for _ in 0..250 {
                let k = rng.gen_range(2..5);
                let mut set: Vec<usize> = (0..k).map(|_| rng.gen_range(0..n)).collect();
                set.sort_unstable();
                set.dedup();
                let cost: f64 = set.iter().map(|&v| c[v].shape.cost.nok()).sum::<f64>()
                    * rng.gen_range(0.45..1.05);
                c.push(trip(&set, cost, if set.len() > 3 { 2 } else { 1 }));
            }
            let cap = if seed % 2 == 0 { 40 } else { 5 };
            let master = Master::new(&c, &d, 1500.0, &|_| cap);
            let full = master.select(Backend::Microlp, usize::MAX).unwrap();
            let priced = master.select(Backend::Microlp, 10).unwrap();
            assert!(full.proven && priced.proven, "seed {seed}");
            assert!(
                (full.model_objective - priced.model_objective).abs() < 1e-3,
                "seed {seed}: {} vs {}",
                full.model_objective,
                priced.model_objective
            );
            assert!(priced.model_bound <= priced.model_objective + 1e-6);
            // The filter keeps every column whose reduced cost is within the
            // gap between the optimum and the LP bound.
            let kept = master.price(&master.greedy(), Backend::Microlp).unwrap();
            let (lp_all, pi, mu) = master
                .solve_dual(&vec![true; c.len()], Backend::Microlp)
                .unwrap();
            assert!(
                (lp_all - kept.lp_bound).abs() < 1e-3,
                "seed {seed}: LP bound"
            );
            for (t, rc) in master.reduced_costs(&pi, &mu).into_iter().enumerate() {
                if rc < full.model_objective - lp_all - 1.0 {
                    assert!(
                        kept.columns.contains(&t),
                        "seed {seed}: column {t} rc {rc} dropped"
                    );
                }
            }
        }
    }

    #[test]
    fn node_budget_shrinks_with_model_size_within_bounds() {
        assert_eq!(node_limit(1), NODES_MAX);
        assert_eq!(node_limit(1_000_000), NODES_MIN);
        assert!(node_limit(3_000) < node_limit(300));
    }
}
