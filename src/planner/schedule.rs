//! Putting the chosen trips on calendar days: a small assignment MILP.
//!
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

/// The start day of each trip, or `None` for a trip no free day could take.
pub fn assign_days(
    trips: &[&Candidate],
    cal: &WorkCalendar,
    chunk: (usize, usize),
    weekly_limit: u32,
) -> Result<Vec<Option<usize>>, String> {
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
    for (_, load) in per_week {
        model = model.with(constraint!(load <= f64::from(weekly_limit)));
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
