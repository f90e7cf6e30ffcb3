//! One caseworker's chunk: from the visits they owe to trips on days.
//!
//! Up to `GROUP_MAX` due visits are planned as one problem: candidate trips,
//! the set-partitioning MILP, then days. A larger caseload (an overloaded
//! department) is cut into groups of neighbouring homes by bearing from the
//! office, and the groups are planned one after another, each with the field
//! days the groups before it left. That keeps every MILP small enough to
//! solve exactly; the price is that no trip mixes two groups.
//!
//! With an uneven-week penalty (`balance.uneven_week_penalty_nok`), the trip
//! choice adds to each trip the least penalty it brings whatever its week
//! ([`balance::least_trip_penalty`]), so it prefers smaller trips where they
//! cost little more, and its bound stays a bound on cost plus penalty.

use super::balance::{self, Booking, Limits, Week};
use super::candidates::{self, Candidate, DueVisit, Generator};
use super::context::Context;
use super::{schedule, select, CaseworkerResult};
use crate::calendar::WorkCalendar;
use crate::demand::Requirement;
use crate::plan::UnmetReason;
use crate::units::Ore;
use chrono::Datelike;
use std::collections::BTreeMap;

/// How many times a group's choice is made again after a trip found no day.
const MAX_RESELECT: usize = 10;
/// Most due visits planned as one problem.
const GROUP_MAX: usize = 28;

/// Weekly field-day limit of a caseworker: the full-time limit scaled by fte.
pub fn weekly_limit(ctx: &Context, caseworker: usize) -> u32 {
    let fte = ctx.data.caseworkers[caseworker].fte;
    ctx.settings.work.field_days_per_week(fte)
}

/// The days of a chunk, and what earlier chunks booked.
#[derive(Debug, Clone, Copy)]
pub struct ChunkDays<'a> {
    /// First and last day (calendar indices), inclusive.
    pub span: (usize, usize),
    /// Per caseworker: their trips of earlier chunks that share a week or a
    /// month with this one, so weekly and monthly limits hold across the
    /// boundary.
    pub earlier: &'a [Vec<Booking>],
}

/// Plans the given visits for one caseworker in one chunk: early visits
/// with the required ones, or, under `planning.early_visit_method`
/// `insert`, added to the required visits' trips afterwards.
pub fn plan_visits(
    ctx: &Context,
    cal: &WorkCalendar,
    chunk: ChunkDays,
    cw: usize,
    requirements: Vec<Requirement>,
) -> Result<CaseworkerResult, String> {
    let method = ctx.settings.planning.early_visit_method;
    if !method.inserts(ctx.data.caseworkers.len()) || requirements.iter().all(|r| r.required) {
        return plan_jointly(ctx, cal, chunk, cw, requirements);
    }
    let (required, early): (Vec<Requirement>, Vec<Requirement>) =
        requirements.into_iter().partition(|r| r.required);
    let mut result = plan_jointly(ctx, cal, chunk, cw, required)?;
    insert_early(ctx, cal, chunk.span, &mut result, early);
    // The model had no early visits, so its bound is not one on this plan.
    result.bound = None;
    Ok(result)
}

/// Farthest an early visit may be from a home a trip visits to join it.
const INSERT_NEAR_MINUTES: i64 = 60;

/// Adds `early` to the caseworker's due list, and each early visit to a
/// planned trip where that costs less than the visit is worth and keeps the
/// trip's day, length and nights (so its place on the calendar stays
/// right): per trip, the best such visit in turn until none pays. With a
/// weekly visit limit or an uneven-week penalty set nothing is inserted, as
/// either would need the days re-checked.
fn insert_early(
    ctx: &Context,
    cal: &WorkCalendar,
    days: (usize, usize),
    r: &mut CaseworkerResult,
    early: Vec<Requirement>,
) {
    let first = r.due.len();
    for e in early {
        r.due.push(due_visit(cal, &e));
        r.requirements.push(e);
    }
    let limits = Limits::of(ctx, r.caseworker);
    if limits.visits_per_week.is_some() || limits.penalty_nok > 0.0 {
        return;
    }
    let due = r.due.clone();
    let mut generator = Generator::new(
        ctx,
        cal,
        r.caseworker,
        &due,
        days,
        limits.field_days_per_week,
    );
    let worth = ctx.settings.visits.early_visit_value_nok;
    let most = ctx.settings.planning.max_visits_per_trip as usize;
    let site = |v: usize| ctx.sites.child(due[v].child);
    let mut open: Vec<usize> = (first..due.len()).collect();
    for (trip, day) in r.trips.iter_mut() {
        while trip.visits.len() < most {
            let mut best: Option<(f64, usize, Candidate)> = None;
            for &v in &open {
                let near = trip
                    .visits
                    .iter()
                    .any(|&w| ctx.drive(site(w), site(v)).minutes.0 <= INSERT_NEAR_MINUTES);
                if !near {
                    continue;
                }
                let mut set = trip.visits.clone();
                set.push(v);
                set.sort_unstable();
                let Some(c) = generator.best_trip(&set) else {
                    continue;
                };
                let same_place = c.shape.days == trip.shape.days
                    && c.shape.nights == trip.shape.nights
                    && c.start_days.contains(day);
                let gain = worth - (c.shape.cost.nok() - trip.shape.cost.nok());
                if same_place && gain > 1e-6 && best.as_ref().map_or(true, |b| gain > b.0) {
                    best = Some((gain, v, c));
                }
            }
            let Some((_, v, c)) = best else {
                break;
            };
            *trip = c;
            open.retain(|&x| x != v);
        }
    }
}

/// A requirement's window as calendar days (empty when it lies outside).
fn due_visit(cal: &WorkCalendar, r: &Requirement) -> DueVisit {
    DueVisit {
        child: r.child,
        required: r.required,
        first_day: cal.day(r.due_from).unwrap_or(usize::MAX),
        last_day: cal.day(r.due_by).unwrap_or(0),
    }
}

/// Plans the given visits, early ones included, for one caseworker in one
/// chunk, as one model.
fn plan_jointly(
    ctx: &Context,
    cal: &WorkCalendar,
    chunk: ChunkDays,
    cw: usize,
    mut requirements: Vec<Requirement>,
) -> Result<CaseworkerResult, String> {
    // Required visits first: candidate search grows trips from them.
    requirements.sort_by_key(|r| !r.required);
    let due: Vec<DueVisit> = requirements.iter().map(|r| due_visit(cal, r)).collect();
    let mut unmet = Vec::new();
    for (v, r) in requirements.iter().enumerate() {
        let placed = ctx.data.children[r.child].placed_since;
        if let Some(reason) = window_problem(cal, cw, r, &due[v], placed) {
            if r.required {
                unmet.push((v, reason));
            }
        }
    }
    let mut planner = GroupPlanner::new(ctx, cal, chunk, cw);
    let limits = planner.limits;
    let mut trips = Vec::new();
    let groups = groups(ctx, cw, &due);
    let required = |g: &[usize]| g.iter().filter(|&&v| due[v].required).count();
    let mut required_left: usize = groups.iter().map(|g| required(g)).sum();
    let mut bound = None;
    for group in &groups {
        // Each group may use its share of the field days still free, by its
        // number of required visits, so the first group cannot take them all.
        let share = if groups.len() == 1 {
            1.0
        } else {
            required(group) as f64 / required_left.max(1) as f64
        };
        required_left -= required(group);
        let result = planner.plan_group(&due, group, share)?;
        // Groups share the field days, so no one group's bound holds for
        // the caseworker: a bound only when the caseload is one group.
        if groups.len() == 1 {
            bound = result.bound;
        }
        trips.extend(result.trips);
        for (v, reason) in result.unmet {
            if !unmet.iter().any(|(u, _)| *u == v) {
                unmet.push((v, reason));
            }
        }
    }
    unmet.sort();
    let penalty_nok = balance::penalty_of_trips(cal, &planner.weights, &trips, limits.penalty_nok);
    Ok(CaseworkerResult {
        caseworker: cw,
        due,
        requirements,
        trips,
        unmet,
        bound,
        penalty_nok,
    })
}

/// The due visits cut into groups of at most `GROUP_MAX`, by bearing from
/// the office; each group lists its required visits first.
fn groups(ctx: &Context, cw: usize, due: &[DueVisit]) -> Vec<Vec<usize>> {
    if due.len() <= GROUP_MAX {
        return vec![(0..due.len()).collect()];
    }
    let office = ctx.sites.location(ctx.office_site_of_caseworker(cw));
    let bearing = |v: usize| {
        let home = ctx.data.children[due[v].child].location;
        let east = (home.lon - office.lon) * office.lat.to_radians().cos();
        (home.lat - office.lat).atan2(east)
    };
    let mut order: Vec<usize> = (0..due.len()).collect();
    order.sort_by(|a, b| bearing(*a).total_cmp(&bearing(*b)).then(a.cmp(b)));
    let n = due.len().div_ceil(GROUP_MAX);
    let size = due.len().div_ceil(n);
    order
        .chunks(size)
        .map(|c| {
            let mut g = c.to_vec();
            g.sort_by_key(|&v| (!due[v].required, v));
            g
        })
        .collect()
}

/// A lower bound on a group's objective (trip costs less the worth of early
/// visits), NOK, and whether the solver closed the gap on it.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub nok: f64,
    pub proven: bool,
}

struct GroupResult {
    trips: Vec<(Candidate, usize)>,
    unmet: Vec<(usize, UnmetReason)>,
    /// Only when the group's trips were all enumerated.
    bound: Option<Bound>,
}

struct GroupPlanner<'a> {
    ctx: &'a Context<'a>,
    cal: &'a WorkCalendar,
    days: (usize, usize),
    cw: usize,
    /// Field days a week (also in `limits`).
    limit: u32,
    limits: Limits,
    /// Each week's part of the chunk's visits, for the uneven-week penalty.
    weights: BTreeMap<Week, f64>,
    /// Trips of earlier groups and earlier chunks.
    booked: Vec<Booking>,
}

impl<'a> GroupPlanner<'a> {
    fn new(ctx: &'a Context<'a>, cal: &'a WorkCalendar, chunk: ChunkDays, cw: usize) -> Self {
        let limits = Limits::of(ctx, cw);
        GroupPlanner {
            ctx,
            cal,
            days: chunk.span,
            cw,
            limit: limits.field_days_per_week,
            limits,
            weights: balance::week_weights(cal, cw, chunk.span, limits.field_days_per_week),
            booked: chunk.earlier.get(cw).cloned().unwrap_or_default(),
        }
    }

    /// The rules trips go on days by, for no target days of their own.
    fn rules(&self) -> schedule::Rules<'_> {
        schedule::Rules {
            chunk: self.days,
            limits: self.limits,
            weights: &self.weights,
            booked: &self.booked,
            preferred: &[],
        }
    }

    /// Plans one group; returns its trips and unmet visits, both in indices
    /// of the caseworker's whole due list.
    fn plan_group(
        &mut self,
        all: &[DueVisit],
        group: &[usize],
        share: f64,
    ) -> Result<GroupResult, String> {
        let (ctx, cal, cw) = (self.ctx, self.cal, self.cw);
        let due: Vec<DueVisit> = group.iter().map(|&v| all[v].clone()).collect();
        let clock = std::time::Instant::now();
        let found = Generator::new(ctx, cal, cw, &due, self.days, self.limit).run();
        if std::env::var_os("TILSYN_TRACE").is_some() {
            eprintln!(
                "candidates: {} visits, {} trips, complete {}, {:.2} s",
                due.len(),
                found.trips.len(),
                found.complete,
                clock.elapsed().as_secs_f64()
            );
        }
        let mut candidates = found.trips;
        let complete = found.complete;
        let mut unmet: Vec<(usize, UnmetReason)> = (0..due.len())
            .filter(|&v| due[v].required && !candidates.iter().any(|c| c.visits.contains(&v)))
            .map(|v| {
                let reason = if ctx.no_road_access(due[v].child) {
                    UnmetReason::NoRoadAccess
                } else {
                    UnmetReason::NoFeasibleTrip
                };
                (v, reason)
            })
            .collect();
        let taken = self.taken_days();
        let free = field_days(cal, cw, self.days.0, self.days.1, self.limit, &taken);
        let mut budget = (free as f64 * share).ceil() as u32;
        let early = ctx.settings.visits.early_visit_value_nok;
        let capacity = |from: usize, budget: u32| {
            field_days(cal, cw, from, self.days.1, self.limit, &taken).min(budget)
        };
        if capacity_is_plentiful(&candidates, &due, &|d| capacity(d, budget)) {
            candidates = candidates::prune_dominated(candidates, &due, Ore::from_nok(early));
        }
        shuffle_ties(&mut candidates, ctx.settings.planning.seed, cw, self.days.0);
        let rules = self.rules();
        let mut attempt = 0;
        let mut bound = None;
        let mut first_unmet = 0;
        let trips = loop {
            attempt += 1;
            let selection = self.select(&candidates, &due, all.len(), &|d| capacity(d, budget))?;
            if attempt == 1 {
                first_unmet = selection.unmet.len();
                // The first model holds every feasible trip and only relaxes
                // the days (Hall rows), so its bound holds for any plan.
                bound = complete.then_some(Bound {
                    nok: selection.model_bound
                        - select::UNMET_PENALTY_NOK * selection.unmet.len() as f64,
                    proven: selection.proven,
                });
            }
            let chosen: Vec<&Candidate> = selection.trips.iter().map(|&t| &candidates[t]).collect();
            let preferred = previous_days(ctx, cal, &chosen, &due);
            let rules = schedule::Rules {
                preferred: &preferred,
                ..rules
            };
            let placed = schedule::assign_days(&chosen, cal, &rules);
            if placed.iter().all(Option::is_some) || attempt == MAX_RESELECT {
                // After the last attempt, the visits of trips no day could
                // take are unmet for want of field days.
                let mut trips = Vec::new();
                let mut short = selection.unmet.clone();
                for (&t, day) in selection.trips.iter().zip(placed) {
                    match day {
                        Some(day) => trips.push((candidates[t].clone(), day)),
                        None => {
                            short.extend(candidates[t].visits.iter().filter(|&&v| due[v].required))
                        }
                    }
                }
                unmet.extend(short.into_iter().map(|v| (v, UnmetReason::NoCapacity)));
                break trips;
            }
            // Drop the trips no day could take and choose again; in a group
            // with a share of the days, count their days as lost, so the
            // choice does not keep overfilling the share.
            let drop: Vec<usize> = selection
                .trips
                .iter()
                .zip(&placed)
                .filter(|(_, p)| p.is_none())
                .map(|(&t, _)| t)
                .collect();
            let lost: u32 = drop.iter().map(|&t| candidates[t].shape.days).sum();
            budget = budget
                .min(
                    selection
                        .trips
                        .iter()
                        .map(|&t| candidates[t].shape.days)
                        .sum::<u32>(),
                )
                .saturating_sub(lost);
            candidates = candidates
                .into_iter()
                .enumerate()
                .filter(|(t, _)| !drop.contains(t))
                .map(|(_, c)| c)
                .collect();
        };
        // The bound is on plans that leave as few visits unmet as the first
        // choice; a trip that then found no day leaves more unmet, and a
        // cheaper plan that serves fewer children is no comparison.
        let mut left: Vec<usize> = unmet.iter().map(|(v, _)| *v).collect();
        left.sort_unstable();
        left.dedup();
        if left.len() > first_unmet {
            bound = None;
        }
        self.booked
            .extend(trips.iter().map(|(c, day)| Booking::of(c, *day)));
        // Back to indices of the whole due list.
        let trips = trips
            .into_iter()
            .map(|(mut c, day)| {
                c.visits = c.visits.iter().map(|&v| group[v]).collect();
                c.visits.sort_unstable();
                (c, day)
            })
            .collect();
        Ok(GroupResult {
            trips,
            unmet: unmet.into_iter().map(|(v, r)| (group[v], r)).collect(),
            bound,
        })
    }

    /// The trip choice; with an uneven-week penalty, each trip carries the
    /// least penalty it brings in a chunk of at most `most_visits` visits.
    fn select(
        &self,
        candidates: &[Candidate],
        due: &[DueVisit],
        most_visits: usize,
        capacity: &dyn Fn(usize) -> u32,
    ) -> Result<select::Selection, String> {
        let settings = self.ctx.settings;
        let (early, solver) = (
            settings.visits.early_visit_value_nok,
            settings.planning.solver,
        );
        let penalty = self.limits.penalty_nok;
        if penalty <= 0.0 {
            return select::select(candidates, due, early, capacity, solver);
        }
        let surcharge: Vec<f64> = candidates
            .iter()
            .map(|c| {
                balance::least_trip_penalty(&self.weights, most_visits, c.visits.len(), penalty)
            })
            .collect();
        select::select_with_surcharge(candidates, due, early, &surcharge, capacity, solver)
    }

    fn taken_days(&self) -> Vec<bool> {
        let mut taken = vec![false; self.cal.len()];
        for b in &self.booked {
            for d in b.start..(b.start + b.days as usize).min(taken.len()) {
                taken[d] = true;
            }
        }
        taken
    }
}

/// Puts the candidates in an order drawn from the seed. Among trips of equal
/// cost the solver keeps the first it meets, so the seed picks between
/// equally good plans; the same seed always picks the same one.
fn shuffle_ties(candidates: &mut [Candidate], seed: u64, cw: usize, first_day: usize) {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    let stream = seed ^ ((cw as u64) << 32) ^ first_day as u64;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(stream);
    candidates.shuffle(&mut rng);
}

/// Whether every required visit could have a trip of its own and still fit
/// the field days from each visit's first day on: then capacity never binds
/// and cost dominance may thin out the candidates.
fn capacity_is_plentiful(
    candidates: &[Candidate],
    due: &[DueVisit],
    capacity: &dyn Fn(usize) -> u32,
) -> bool {
    let single_days = |v: usize| {
        candidates
            .iter()
            .find(|c| c.visits == [v])
            .map_or(0, |c| c.shape.days)
    };
    let mut firsts: Vec<usize> = due
        .iter()
        .filter(|d| d.required)
        .map(|d| d.first_day)
        .collect();
    firsts.sort_unstable();
    firsts.dedup();
    firsts.into_iter().all(|d| {
        let need: u32 = (0..due.len())
            .filter(|&v| due[v].required && due[v].first_day >= d)
            .map(single_days)
            .sum();
        need <= capacity(d)
    })
}

/// Why a requirement cannot be met whatever the trips, if it cannot.
fn window_problem(
    cal: &WorkCalendar,
    cw: usize,
    r: &Requirement,
    d: &DueVisit,
    placed_since: chrono::NaiveDate,
) -> Option<UnmetReason> {
    if placed_since > r.due_by {
        return Some(UnmetReason::NotPlacedYet);
    }
    if r.window_is_empty() || d.first_day > d.last_day {
        return Some(UnmetReason::MinGapConflict);
    }
    let days = d.first_day..=d.last_day;
    if !days.clone().any(|day| cal.is_office_day(day)) {
        return Some(UnmetReason::NoWorkingDay);
    }
    if !days.into_iter().any(|day| cal.can_work(cw, day)) {
        return Some(UnmetReason::CaseworkerAbsent);
    }
    None
}

/// Free field days from `from` to `last`: working days not `taken`, and per
/// week no more than `limit` counting the taken ones.
fn field_days(
    cal: &WorkCalendar,
    cw: usize,
    from: usize,
    last: usize,
    limit: u32,
    taken: &[bool],
) -> u32 {
    let mut free: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    let mut used: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    for (d, &is_taken) in taken.iter().enumerate().take(last + 1) {
        let w = cal.date(d).iso_week();
        let week = (w.year(), w.week());
        if is_taken {
            *used.entry(week).or_default() += 1;
        } else if d >= from && cal.can_work(cw, d) {
            *free.entry(week).or_default() += 1;
        }
    }
    free.iter()
        .map(|(w, n)| (*n).min(limit.saturating_sub(used.get(w).copied().unwrap_or(0))))
        .sum()
}

/// Per trip: the first day its visits had in the plan before a re-plan
/// (where a trip of several days started), when any had one.
fn previous_days(
    ctx: &Context,
    cal: &WorkCalendar,
    trips: &[&Candidate],
    due: &[DueVisit],
) -> Vec<Option<f64>> {
    if ctx.previous_day.is_empty() {
        return Vec::new();
    }
    trips
        .iter()
        .map(|c| {
            c.visits
                .iter()
                .filter_map(|&v| ctx.previous_day.get(due[v].child).copied().flatten())
                .filter_map(|d| cal.day(d))
                .min()
                .map(|d| d as f64)
        })
        .collect()
}

/// A trip's visits (indices into the requirements), and the order they
/// were found in, if any.
pub struct TripSet {
    pub visits: Vec<usize>,
    pub order: Option<Vec<usize>>,
}

/// What [`place_sets`] came to.
pub enum Placed {
    Done(CaseworkerResult),
    /// The sets (indices into the list given) that found no trip or no day.
    Failed(Vec<usize>),
}

/// Makes each set of visits (indices into `requirements`) one trip of the
/// caseworker (the shortest drive round, or the order given, whichever
/// costs less) and puts the trips on their days, as a trip choice made
/// elsewhere (the pooled planner's) would be. Requirements in no set and
/// `unmet` stay unmet for the reasons given.
pub fn place_sets(
    ctx: &Context,
    cal: &WorkCalendar,
    chunk: ChunkDays,
    cw: usize,
    requirements: Vec<Requirement>,
    sets: &[TripSet],
    unmet: Vec<(usize, UnmetReason)>,
) -> Result<Placed, String> {
    let due: Vec<DueVisit> = requirements.iter().map(|r| due_visit(cal, r)).collect();
    let planner = GroupPlanner::new(ctx, cal, chunk, cw);
    let mut generator = Generator::new(ctx, cal, cw, &due, chunk.span, planner.limit);
    let mut trips: Vec<Candidate> = Vec::new();
    let mut failed = Vec::new();
    for (k, set) in sets.iter().enumerate() {
        match generator.best_trip_with(&set.visits, set.order.as_deref()) {
            Some(c) => trips.push(c),
            None => failed.push(k),
        }
    }
    if !failed.is_empty() {
        return Ok(Placed::Failed(failed));
    }
    let chosen: Vec<&Candidate> = trips.iter().collect();
    let placed = schedule::assign_days(&chosen, cal, &planner.rules());
    let failed: Vec<usize> = (0..sets.len()).filter(|&k| placed[k].is_none()).collect();
    if !failed.is_empty() {
        return Ok(Placed::Failed(failed));
    }
    let trips: Vec<(Candidate, usize)> = trips
        .into_iter()
        .zip(placed)
        .filter_map(|(c, day)| Some((c, day?)))
        .collect();
    let penalty_nok =
        balance::penalty_of_trips(cal, &planner.weights, &trips, planner.limits.penalty_nok);
    Ok(Placed::Done(CaseworkerResult {
        caseworker: cw,
        due,
        requirements,
        trips,
        unmet,
        bound: None,
        penalty_nok,
    }))
}

/// The caseworker's free field days in the chunk (relaxed: weekly limits
/// counted, earlier chunks' trips not), for the pooled trip choice.
pub fn chunk_field_days(ctx: &Context, cal: &WorkCalendar, cw: usize, span: (usize, usize)) -> u32 {
    let taken = vec![false; cal.len()];
    field_days(cal, cw, span.0, span.1, weekly_limit(ctx, cw), &taken)
}
