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
//!
//! The `[balance]` limits that span several trips bind here as well: visits
//! per week and hotel nights per month, counting the trips already booked
//! (earlier groups, and earlier chunks for a week or month that straddles
//! the chunk's start). With an uneven-week penalty, every placement weighs
//! the penalty it adds first and the distance from the target second, a
//! pass then moves trips to weeks where they cost less penalty, and the
//! exact model pays the penalty on each week's visits above its share (see
//! [`super::balance`]). With no penalty the placements are exactly those of
//! the distance rule alone.

use super::balance::{self, week_of, Booking, Limits, Load, Week};
use super::candidates::Candidate;
use super::mip::{self, Model, Sense};
use crate::calendar::WorkCalendar;
use std::collections::BTreeMap;

/// Above this many trips the exact assignment model is not tried.
const EXACT_MAX_TRIPS: usize = 16;
/// Branch-and-bound nodes of the exact model: plenty for the small models
/// it takes, and a cap on time and memory when the limits leave no room
/// (an overloaded caseworker under tight `[balance]` limits ran for
/// minutes and grew past 2 GB without one).
const EXACT_NODES: u64 = 2_000;
/// Passes of the pass that moves trips to cheaper weeks.
const EVEN_OUT_PASSES: usize = 8;

/// What the days of one caseworker's chunk must respect.
pub struct Rules<'a> {
    /// Days (calendar indices) of the chunk, inclusive.
    pub chunk: (usize, usize),
    pub limits: Limits,
    /// Each week's part of the chunk's visits ([`balance::week_weights`]).
    pub weights: &'a BTreeMap<Week, f64>,
    /// Trips already on days: of earlier groups, and of earlier chunks.
    pub booked: &'a [Booking],
    /// Per trip (or empty): a target day of its own, instead of the even
    /// spread (a re-plan aims each trip at its visits' days in the plan before).
    pub preferred: &'a [Option<f64>],
}

impl Rules<'_> {
    /// Load of the booked trips: all of them, and per week the visits of
    /// those inside the chunk (the penalty is per chunk).
    fn booked_load(&self, cal: &WorkCalendar) -> (Load, BTreeMap<Week, u32>) {
        let mut load = Load::default();
        let mut in_chunk: BTreeMap<Week, u32> = BTreeMap::new();
        for b in self.booked {
            load.book(cal, b, true);
            if b.start >= self.chunk.0 && b.start <= self.chunk.1 {
                *in_chunk.entry(week_of(cal, b.start)).or_default() += b.visits;
            }
        }
        (load, in_chunk)
    }
}

/// The start day of each trip, or `None` for a trip no free day could take.
pub fn assign_days(trips: &[&Candidate], cal: &WorkCalendar, rules: &Rules) -> Vec<Option<usize>> {
    let mut board = Board::new(trips, cal, rules);
    board.greedy();
    board.repair();
    if rules.limits.penalty_nok > 0.0 {
        board.even_out();
    }
    if board.placed.iter().any(Option::is_none) && trips.len() <= EXACT_MAX_TRIPS {
        return assign_days_exactly(trips, cal, rules, &board.placed);
    }
    board.placed
}

/// Which days are taken, and the load on weeks and months.
struct Board<'a> {
    trips: &'a [&'a Candidate],
    cal: &'a WorkCalendar,
    rules: &'a Rules<'a>,
    targets: Vec<f64>,
    placed: Vec<Option<usize>>,
    day_taken: Vec<bool>,
    /// Everything booked and placed, for the limits.
    load: Load,
    /// Visits per week inside the chunk, for the penalty.
    chunk_visits: BTreeMap<Week, u32>,
    /// Visits the chunk holds when every trip is placed.
    total_visits: f64,
}

impl<'a> Board<'a> {
    fn new(trips: &'a [&'a Candidate], cal: &'a WorkCalendar, rules: &'a Rules<'a>) -> Self {
        let mut day_taken = vec![false; cal.len()];
        for b in rules.booked {
            for slot in day_taken.iter_mut().skip(b.start).take(b.days as usize) {
                *slot = true;
            }
        }
        let (load, chunk_visits) = rules.booked_load(cal);
        let total_visits = f64::from(
            chunk_visits.values().sum::<u32>()
                + trips.iter().map(|c| c.visits.len() as u32).sum::<u32>(),
        );
        Self {
            trips,
            cal,
            rules,
            targets: targets(trips, rules),
            placed: vec![None; trips.len()],
            day_taken,
            load,
            chunk_visits,
            total_visits,
        }
    }

    fn booking(&self, t: usize, start: usize) -> Booking {
        Booking::of(self.trips[t], start)
    }

    fn fits(&self, t: usize, start: usize) -> bool {
        let days = start..start + self.trips[t].shape.days as usize;
        if days
            .clone()
            .any(|d| d >= self.day_taken.len() || self.day_taken[d])
        {
            return false;
        }
        self.load
            .fits(self.cal, &self.rules.limits, &self.booking(t, start))
    }

    fn set(&mut self, t: usize, start: Option<usize>) {
        let days = self.trips[t].shape.days as usize;
        let visits = self.trips[t].visits.len() as u32;
        for (day, take) in [(self.placed[t], false), (start, true)] {
            let Some(day) = day else { continue };
            for d in day..(day + days).min(self.day_taken.len()) {
                self.day_taken[d] = take;
            }
            let b = self.booking(t, day);
            self.load.book(self.cal, &b, take);
            let week = self.chunk_visits.entry(week_of(self.cal, day)).or_default();
            *week = if take {
                *week + visits
            } else {
                week.saturating_sub(visits)
            };
        }
        self.placed[t] = start;
    }

    /// The penalty trip `t` adds when it starts on `start`, NOK.
    fn added_penalty(&self, t: usize, start: usize) -> f64 {
        let p = self.rules.limits.penalty_nok;
        if p <= 0.0 {
            return 0.0;
        }
        let week = week_of(self.cal, start);
        let share = self.total_visits * self.rules.weights.get(&week).copied().unwrap_or(0.0);
        let before = f64::from(self.chunk_visits.get(&week).copied().unwrap_or(0));
        let after = before + self.trips[t].visits.len() as f64;
        p * ((after - share).max(0.0) - (before - share).max(0.0))
    }

    /// The free start day that adds the least penalty, nearest the trip's
    /// target among those.
    fn best_free_day(&self, t: usize) -> Option<usize> {
        let target = self.targets[t];
        self.trips[t]
            .start_days
            .iter()
            .copied()
            .filter(|&s| self.fits(t, s))
            .map(|s| (self.added_penalty(t, s), s))
            .min_by(|(pa, a), (pb, b)| {
                pa.total_cmp(pb)
                    .then(
                        (*a as f64 - target)
                            .abs()
                            .total_cmp(&(*b as f64 - target).abs()),
                    )
                    .then(a.cmp(b))
            })
            .map(|(_, s)| s)
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

    /// Moves placed trips, one at a time, to the day that adds the least
    /// uneven-week penalty, while that lowers the penalty.
    fn even_out(&mut self) {
        for _ in 0..EVEN_OUT_PASSES {
            let mut moved = false;
            for t in 0..self.trips.len() {
                let Some(old) = self.placed[t] else { continue };
                self.set(t, None);
                let here = self.added_penalty(t, old);
                let best = self
                    .best_free_day(t)
                    .filter(|&s| self.added_penalty(t, s) < here - 1e-6);
                moved |= best.is_some();
                self.set(t, Some(best.unwrap_or(old)));
            }
            if !moved {
                break;
            }
        }
    }
}

/// The exact assignment model, started from the greedy placement (so its
/// answer is never worse); trips it cannot place come back as `None`. Its
/// branch and bound stops after `EXACT_NODES` nodes, keeping the best
/// placement found, or the greedy one when the solver finds none.
fn assign_days_exactly(
    trips: &[&Candidate],
    cal: &WorkCalendar,
    rules: &Rules,
    greedy: &[Option<usize>],
) -> Vec<Option<usize>> {
    if trips.is_empty() {
        return Vec::new();
    }
    let mut blocked = vec![false; cal.len()];
    for b in rules.booked {
        for slot in blocked.iter_mut().skip(b.start).take(b.days as usize) {
            *slot = true;
        }
    }
    let (used, booked_visits) = rules.booked_load(cal);
    let limits = &rules.limits;
    let targets = targets(trips, rules);
    let mut model = Model::default();
    let z: Vec<Vec<(usize, usize)>> = trips
        .iter()
        .enumerate()
        .map(|(t, c)| {
            c.start_days
                .iter()
                .map(|&s| (s, model.binary((s as f64 - targets[t]).abs())))
                .collect()
        })
        .collect();
    let total_visits = f64::from(
        booked_visits.values().sum::<u32>()
            + trips.iter().map(|c| c.visits.len() as u32).sum::<u32>(),
    );
    // A trip left without a day must cost more than any penalty it avoids.
    let missing_cost = 100_000.0 + limits.penalty_nok * total_visits;
    let missing: Vec<usize> = trips
        .iter()
        .map(|_| model.continuous(missing_cost, 0.0, 1.0))
        .collect();
    let excess: BTreeMap<Week, usize> = if limits.penalty_nok > 0.0 {
        rules
            .weights
            .keys()
            .map(|&w| (w, model.continuous(limits.penalty_nok, 0.0, f64::INFINITY)))
            .collect()
    } else {
        BTreeMap::new()
    };
    // Row terms by key, a variable's coefficients summed.
    type Terms<K> = BTreeMap<K, BTreeMap<usize, f64>>;
    fn add<K: Ord>(rows: &mut Terms<K>, key: K, var: usize, a: f64) {
        *rows.entry(key).or_default().entry(var).or_default() += a;
    }
    let terms = |t: BTreeMap<usize, f64>| t.into_iter().collect::<Vec<_>>();
    let mut per_day: Terms<usize> = BTreeMap::new();
    let mut per_week: Terms<Week> = BTreeMap::new();
    let mut visits_week: Terms<Week> = BTreeMap::new();
    let mut nights_month: Terms<balance::Month> = BTreeMap::new();
    for (t, options) in z.iter().enumerate() {
        let mut once = vec![(missing[t], 1.0)];
        let visits = trips[t].visits.len() as f64;
        for &(s, var) in options {
            once.push((var, 1.0));
            for d in s..s + trips[t].shape.days as usize {
                add(&mut per_day, d, var, 1.0);
                add(&mut per_week, week_of(cal, d), var, 1.0);
            }
            for d in s..s + trips[t].shape.nights as usize {
                add(&mut nights_month, balance::month_of(cal, d), var, 1.0);
            }
            add(&mut visits_week, week_of(cal, s), var, visits);
        }
        model.row(once, Sense::Eq, 1.0);
    }
    for (d, load) in per_day {
        let free = if blocked.get(d).copied().unwrap_or(true) {
            0.0
        } else {
            1.0
        };
        model.row(terms(load), Sense::Le, free);
    }
    let room = |limit: u32, taken: Option<&u32>| {
        f64::from(limit.saturating_sub(taken.copied().unwrap_or(0)))
    };
    for (week, load) in per_week {
        let free = room(limits.field_days_per_week, used.field_days.get(&week));
        model.row(terms(load), Sense::Le, free);
    }
    if let Some(limit) = limits.visits_per_week {
        for (week, load) in &visits_week {
            let free = room(limit, used.visits.get(week));
            model.row(terms(load.clone()), Sense::Le, free);
        }
    }
    if let Some(limit) = limits.nights_per_month {
        for (month, load) in nights_month {
            let free = room(limit, used.nights.get(&month));
            model.row(terms(load), Sense::Le, free);
        }
    }
    // The excess of a week: at least its visits and bookings above its share.
    let share = |week: &Week| total_visits * rules.weights.get(week).copied().unwrap_or(0.0);
    let booked = |week: &Week| f64::from(booked_visits.get(week).copied().unwrap_or(0));
    for (week, &e) in &excess {
        let mut row = visits_week
            .get(week)
            .cloned()
            .map(terms)
            .unwrap_or_default();
        row.push((e, -1.0));
        model.row(row, Sense::Le, share(week) - booked(week));
    }
    // The greedy placement as the start, each week's excess as its row
    // requires.
    let mut start = vec![0.0; model.vars.len()];
    for (t, options) in z.iter().enumerate() {
        match options
            .iter()
            .find(|&&(s, _)| greedy.get(t) == Some(&Some(s)))
        {
            Some(&(_, var)) => start[var] = 1.0,
            None => start[missing[t]] = 1.0,
        }
    }
    for (week, &e) in &excess {
        let visits: f64 = visits_week
            .get(week)
            .map_or(0.0, |load| load.iter().map(|(&v, a)| a * start[v]).sum());
        start[e] = (visits + booked(week) - share(week)).max(0.0);
    }
    let limits = mip::Limits {
        nodes: EXACT_NODES,
        start: Some(start),
    };
    match mip::solve(&model, mip::Backend::Microlp, &limits) {
        Ok(out) => z
            .iter()
            .map(|options| {
                options
                    .iter()
                    .find(|&&(_, v)| out.values[v] > 0.5)
                    .map(|&(s, _)| s)
            })
            .collect(),
        Err(_) => greedy.to_vec(),
    }
}

/// Each trip's target day: its preferred day, else the even spread.
fn targets(trips: &[&Candidate], rules: &Rules) -> Vec<f64> {
    let mut out = spread_targets(trips, rules.chunk);
    for (t, p) in out.iter_mut().zip(rules.preferred) {
        if let Some(p) = p {
            *t = *p;
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// 2027Q1; the fixture's K1 (caseworker 0) is never away in it.
    fn calendar() -> WorkCalendar {
        WorkCalendar::new(
            &crate::check::fixture::dataset(),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        )
    }

    /// A trip of `visits` visits and `days` days that may start on `starts`.
    fn trip(visits: usize, days: u32, starts: &[usize]) -> Candidate {
        Candidate::for_test((0..visits).collect(), 0.0, days, starts.to_vec())
    }

    /// Weekdays of ISO weeks 2 and 3 of 2027 (11-15 and 18-22 January).
    const WEEK_2: [usize; 5] = [10, 11, 12, 13, 14];
    const WEEK_3: [usize; 5] = [17, 18, 19, 20, 21];

    fn limits(visits_per_week: Option<u32>, nights: Option<u32>, penalty: f64) -> Limits {
        Limits {
            field_days_per_week: 3,
            visits_per_week,
            nights_per_month: nights,
            penalty_nok: penalty,
        }
    }

    fn place(trips: &[Candidate], limits: Limits, booked: &[Booking]) -> Vec<Option<usize>> {
        let cal = calendar();
        let weights = balance::week_weights(&cal, 0, (0, 89), 3);
        let rules = Rules {
            chunk: (0, 89),
            limits,
            weights: &weights,
            booked,
            preferred: &[],
        };
        let refs: Vec<&Candidate> = trips.iter().collect();
        assign_days(&refs, &cal, &rules)
    }

    /// The exact model against every assignment, on small random cases:
    /// what it returns keeps every rule, and no assignment has a lower
    /// objective (a day per trip, days apart, field days and visits per
    /// week, nights per month, the uneven-week penalty).
    #[test]
    fn the_exact_model_finds_the_best_assignment_of_small_cases() {
        use rand::{Rng, SeedableRng};
        let cal = calendar();
        let weights = balance::week_weights(&cal, 0, (0, 89), 3);
        // Mondays to Thursdays of weeks 2 to 4, so two-day trips stay in
        // the week.
        let days: Vec<usize> = [10, 17, 24]
            .iter()
            .flat_map(|&monday| monday..monday + 4)
            .collect();
        for seed in 0..150 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let trips: Vec<Candidate> = (0..rng.gen_range(1..=5))
                .map(|_| {
                    let mut starts: Vec<usize> = (0..rng.gen_range(1..=4))
                        .map(|_| days[rng.gen_range(0..days.len())])
                        .collect();
                    starts.sort_unstable();
                    starts.dedup();
                    trip(rng.gen_range(1..=3), rng.gen_range(1..=2), &starts)
                })
                .collect();
            let limits = Limits {
                field_days_per_week: rng.gen_range(1..=3),
                visits_per_week: rng.gen_bool(0.5).then(|| rng.gen_range(2..=6)),
                nights_per_month: rng.gen_bool(0.5).then(|| rng.gen_range(0..=2)),
                penalty_nok: if rng.gen_bool(0.5) { 300.0 } else { 0.0 },
            };
            let rules = Rules {
                chunk: (0, 89),
                limits,
                weights: &weights,
                booked: &[],
                preferred: &[],
            };
            let refs: Vec<&Candidate> = trips.iter().collect();
            let target = targets(&refs, &rules);
            let total: f64 = trips.iter().map(|c| c.visits.len() as f64).sum();
            let feasible = |placed: &[Option<usize>]| {
                let mut day = BTreeMap::new();
                let mut field = BTreeMap::new();
                let mut visits = BTreeMap::new();
                let mut nights = BTreeMap::new();
                for (c, p) in trips.iter().zip(placed) {
                    let Some(s) = *p else { continue };
                    if !c.start_days.contains(&s) {
                        return false;
                    }
                    for d in s..s + c.shape.days as usize {
                        *day.entry(d).or_insert(0) += 1;
                        *field.entry(week_of(&cal, d)).or_insert(0) += 1;
                    }
                    for d in s..s + c.shape.nights as usize {
                        *nights.entry(balance::month_of(&cal, d)).or_insert(0) += 1;
                    }
                    *visits.entry(week_of(&cal, s)).or_insert(0) += c.visits.len() as u32;
                }
                day.values().all(|&n| n <= 1)
                    && field.values().all(|&n| n <= limits.field_days_per_week)
                    && limits
                        .visits_per_week
                        .map_or(true, |l| visits.values().all(|&n| n <= l))
                    && limits
                        .nights_per_month
                        .map_or(true, |l| nights.values().all(|&n| n <= l))
            };
            let objective = |placed: &[Option<usize>]| {
                let mut value = 0.0;
                let mut load: BTreeMap<Week, f64> = BTreeMap::new();
                for (t, p) in placed.iter().enumerate() {
                    match *p {
                        Some(s) => {
                            value += (s as f64 - target[t]).abs();
                            *load.entry(week_of(&cal, s)).or_default() +=
                                trips[t].visits.len() as f64;
                        }
                        None => value += 100_000.0 + limits.penalty_nok * total,
                    }
                }
                if limits.penalty_nok > 0.0 {
                    for (week, w) in &weights {
                        let over = load.get(week).copied().unwrap_or(0.0) - total * w;
                        value += limits.penalty_nok * over.max(0.0);
                    }
                }
                value
            };
            // Every assignment: each trip on one of its days or on none.
            let mut best = f64::INFINITY;
            let mut placed = vec![None; trips.len()];
            let mut choice = vec![0usize; trips.len()];
            loop {
                for (t, c) in trips.iter().enumerate() {
                    placed[t] = c.start_days.get(choice[t]).copied();
                }
                if feasible(&placed) {
                    best = best.min(objective(&placed));
                }
                let Some(t) = (0..trips.len()).find(|&t| choice[t] < trips[t].start_days.len())
                else {
                    break;
                };
                choice[t] += 1;
                for c in &mut choice[..t] {
                    *c = 0;
                }
            }
            let none = vec![None; trips.len()];
            let exact = assign_days_exactly(&refs, &cal, &rules, &none);
            assert!(feasible(&exact), "seed {seed}: {exact:?} breaks a rule");
            assert!(
                objective(&exact) <= best + 1e-6,
                "seed {seed}: {} against {best} ({exact:?})",
                objective(&exact)
            );
        }
    }

    #[test]
    fn a_week_takes_no_more_visits_than_its_limit() {
        let trips = vec![
            trip(3, 1, &WEEK_2),
            trip(3, 1, &WEEK_2),
            trip(3, 1, &WEEK_2),
        ];
        let free = place(&trips, limits(None, None, 0.0), &[]);
        assert!(free.iter().all(Option::is_some), "three field days fit");
        let capped = place(&trips, limits(Some(6), None, 0.0), &[]);
        assert_eq!(
            capped.iter().filter(|p| p.is_some()).count(),
            2,
            "{capped:?}"
        );
        // A trip of the chunk before (Monday of week 2, 4 visits) counts too.
        let before = [Booking {
            start: 10,
            days: 1,
            visits: 4,
            nights: 0,
        }];
        let trips = vec![trip(3, 1, &WEEK_2[1..]), trip(2, 1, &WEEK_2[1..])];
        let placed = place(&trips, limits(Some(6), None, 0.0), &before);
        assert_eq!(
            placed.iter().filter(|p| p.is_some()).count(),
            1,
            "{placed:?}"
        );
        assert_eq!(placed[1].map(|d| d > 10), Some(true));
    }

    #[test]
    fn a_month_takes_no_more_hotel_nights_than_its_limit() {
        let trips = vec![trip(2, 2, &WEEK_2[..4]), trip(2, 2, &WEEK_3[..4])];
        let free = place(&trips, limits(None, None, 0.0), &[]);
        assert!(free.iter().all(Option::is_some));
        let capped = place(&trips, limits(None, Some(1), 0.0), &[]);
        assert_eq!(
            capped.iter().filter(|p| p.is_some()).count(),
            1,
            "{capped:?}"
        );
    }

    #[test]
    fn the_uneven_week_penalty_spreads_the_visits_over_the_weeks() {
        let both: Vec<usize> = WEEK_2.iter().chain(&WEEK_3).copied().collect();
        let trips: Vec<Candidate> = (0..4).map(|_| trip(2, 1, &both)).collect();
        let per_week = |placed: &[Option<usize>]| {
            let in_week_2 = placed.iter().filter(|p| p.is_some_and(|d| d <= 14)).count();
            (in_week_2, placed.len() - in_week_2)
        };
        // By distance alone, the targets spread over the quarter pull three
        // trips to the end of week 3.
        let by_distance = place(&trips, limits(None, None, 0.0), &[]);
        assert!(by_distance.iter().all(Option::is_some));
        assert_eq!(per_week(&by_distance), (1, 3));
        let balanced = place(&trips, limits(None, None, 500.0), &[]);
        assert!(balanced.iter().all(Option::is_some));
        assert_eq!(per_week(&balanced), (2, 2));
    }
}
