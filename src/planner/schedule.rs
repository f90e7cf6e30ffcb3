//! Putting the chosen trips on calendar days.
//!
//! Each trip has a target day, evenly spread over the chunk. A greedy pass
//! places the most constrained trips first, each on the free day nearest its
//! target, then tries to make room for a trip left over by moving one trip in
//! its way. When that still leaves a trip without a day and the problem is
//! small, an assignment MILP decides exactly:
//! `z[t][s]` = 1 when trip `t` starts on day `s`. Each trip gets one start day
//! (or is reported as unplaceable), no two trips share a day, and a week holds
//! no more field days than the caseworker's weekly limit. The objective
//! spreads the trips evenly over the chunk: each trip has a target day, and
//! moving away from it costs a little per day.

use super::candidates::Candidate;
use crate::calendar::WorkCalendar;
use chrono::Datelike;
use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
};
use std::collections::BTreeMap;

/// Above this many trips the exact assignment model is not tried.
const EXACT_MAX_TRIPS: usize = 16;

/// The start day of each trip, or `None` for a trip no free day could take.
/// `booked` lists days already taken by other trips, as (start day, days).
pub fn assign_days(
    trips: &[&Candidate],
    cal: &WorkCalendar,
    chunk: (usize, usize),
    weekly_limit: u32,
    booked: &[(usize, u32)],
) -> Result<Vec<Option<usize>>, String> {
    let mut board = Board::new(trips, cal, chunk, weekly_limit);
    for &(start, days) in booked {
        board.book(start, days as usize, true);
    }
    board.greedy();
    board.repair();
    if board.placed.iter().any(Option::is_none) && trips.len() <= EXACT_MAX_TRIPS {
        return assign_days_exactly(trips, cal, chunk, weekly_limit, booked);
    }
    Ok(board.placed)
}

/// Which days and how many field days a week are taken.
struct Board<'a> {
    trips: &'a [&'a Candidate],
    cal: &'a WorkCalendar,
    limit: u32,
    targets: Vec<f64>,
    placed: Vec<Option<usize>>,
    day_taken: Vec<bool>,
    week_load: BTreeMap<(i32, u32), u32>,
}

impl<'a> Board<'a> {
    fn new(
        trips: &'a [&'a Candidate],
        cal: &'a WorkCalendar,
        chunk: (usize, usize),
        limit: u32,
    ) -> Self {
        Self {
            trips,
            cal,
            limit,
            targets: spread_targets(trips, chunk),
            placed: vec![None; trips.len()],
            day_taken: vec![false; cal.len()],
            week_load: BTreeMap::new(),
        }
    }

    fn week(&self, day: usize) -> (i32, u32) {
        let w = self.cal.date(day).iso_week();
        (w.year(), w.week())
    }

    fn fits(&self, t: usize, start: usize) -> bool {
        let days = start..start + self.trips[t].shape.days as usize;
        if days
            .clone()
            .any(|d| d >= self.day_taken.len() || self.day_taken[d])
        {
            return false;
        }
        let mut extra: BTreeMap<(i32, u32), u32> = BTreeMap::new();
        for d in days {
            *extra.entry(self.week(d)).or_default() += 1;
        }
        extra
            .iter()
            .all(|(w, n)| self.week_load.get(w).copied().unwrap_or(0) + n <= self.limit)
    }

    /// Takes (or frees) `days` days from `start`.
    fn book(&mut self, start: usize, days: usize, take: bool) {
        for d in start..(start + days).min(self.day_taken.len()) {
            self.day_taken[d] = take;
            let w = self.week(d);
            let load = self.week_load.entry(w).or_default();
            *load = if take {
                *load + 1
            } else {
                load.saturating_sub(1)
            };
        }
    }

    fn set(&mut self, t: usize, start: Option<usize>) {
        let days = self.trips[t].shape.days as usize;
        if let Some(old) = self.placed[t] {
            self.book(old, days, false);
        }
        if let Some(new) = start {
            self.book(new, days, true);
        }
        self.placed[t] = start;
    }

    /// The free start day nearest the trip's target.
    fn best_free_day(&self, t: usize) -> Option<usize> {
        let target = self.targets[t];
        self.trips[t]
            .start_days
            .iter()
            .copied()
            .filter(|&s| self.fits(t, s))
            .min_by(|a, b| {
                (*a as f64 - target)
                    .abs()
                    .total_cmp(&(*b as f64 - target).abs())
                    .then(a.cmp(b))
            })
    }

    fn greedy(&mut self) {
        let mut order: Vec<usize> = (0..self.trips.len()).collect();
        order.sort_by_key(|&t| {
            (
                self.trips[t].start_days.len(),
                std::cmp::Reverse(self.trips[t].shape.days),
                t,
            )
        });
        for t in order {
            let day = self.best_free_day(t);
            self.set(t, day);
        }
    }

    /// For each trip without a day: find a start day where it would fit if one
    /// placed trip moved elsewhere, and move that trip.
    fn repair(&mut self) {
        for t in 0..self.trips.len() {
            if self.placed[t].is_some() {
                continue;
            }
            'starts: for &s in &self.trips[t].start_days.clone() {
                for u in 0..self.trips.len() {
                    let Some(old) = self.placed[u] else { continue };
                    self.set(u, None);
                    if self.fits(t, s) {
                        self.set(t, Some(s));
                        if let Some(new) = self.best_free_day(u) {
                            self.set(u, Some(new));
                            break 'starts;
                        }
                        self.set(t, None);
                    }
                    self.set(u, Some(old));
                }
            }
        }
    }
}

/// The exact assignment model; trips it cannot place come back as `None`.
fn assign_days_exactly(
    trips: &[&Candidate],
    cal: &WorkCalendar,
    chunk: (usize, usize),
    weekly_limit: u32,
    booked: &[(usize, u32)],
) -> Result<Vec<Option<usize>>, String> {
    let mut blocked = vec![false; cal.len()];
    let mut week_used: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    for &(start, days) in booked {
        for (d, slot) in blocked
            .iter_mut()
            .enumerate()
            .skip(start)
            .take(days as usize)
        {
            *slot = true;
            let w = cal.date(d).iso_week();
            *week_used.entry((w.year(), w.week())).or_default() += 1;
        }
    }
    if trips.is_empty() {
        return Ok(Vec::new());
    }
    let targets = spread_targets(trips, chunk);
    let mut vars = ProblemVariables::new();
    let z: Vec<Vec<(usize, Variable)>> = trips
        .iter()
        .map(|c| {
            c.start_days
                .iter()
                .map(|&s| (s, vars.add(variable().binary())))
                .collect()
        })
        .collect();
    let missing: Vec<Variable> = trips
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let mut objective = Expression::from(0.0);
    for (t, options) in z.iter().enumerate() {
        for (s, var) in options {
            objective += *var * (*s as f64 - targets[t]).abs();
        }
        objective += missing[t] * 100_000.0;
    }
    let mut model = vars.minimise(objective).using(microlp);
    let mut per_day: BTreeMap<usize, Expression> = BTreeMap::new();
    let mut per_week: BTreeMap<(i32, u32), Expression> = BTreeMap::new();
    for (t, options) in z.iter().enumerate() {
        let mut once = Expression::from(0.0);
        for (s, var) in options {
            once += *var;
            for d in *s..*s + trips[t].shape.days as usize {
                *per_day.entry(d).or_default() += *var;
                let w = cal.date(d).iso_week();
                *per_week.entry((w.year(), w.week())).or_default() += *var;
            }
        }
        model = model.with(constraint!(once + missing[t] == 1.0));
    }
    for (_, load) in per_day {
        model = model.with(constraint!(load <= 1.0));
    }
    for (week, load) in per_week {
        let free = weekly_limit.saturating_sub(week_used.get(&week).copied().unwrap_or(0));
        model = model.with(constraint!(load <= f64::from(free)));
    }
    let solution = model.solve().map_err(|e| e.to_string())?;
    Ok(z.iter()
        .map(|options| {
            options
                .iter()
                .find(|(_, v)| solution.value(*v) > 0.5)
                .map(|(s, _)| *s)
        })
        .collect())
}

/// Evenly spaced target days, in order of each trip's earliest start.
fn spread_targets(trips: &[&Candidate], chunk: (usize, usize)) -> Vec<f64> {
    let mut order: Vec<usize> = (0..trips.len()).collect();
    order.sort_by_key(|&t| {
        (
            trips[t].start_days.first().copied(),
            trips[t].start_days.last().copied(),
            t,
        )
    });
    let span = (chunk.1 - chunk.0 + 1) as f64;
    let n = trips.len() as f64;
    let mut targets = vec![0.0; trips.len()];
    for (rank, t) in order.into_iter().enumerate() {
        targets[t] = chunk.0 as f64 + (rank as f64 + 0.5) * span / n;
    }
    targets
}
