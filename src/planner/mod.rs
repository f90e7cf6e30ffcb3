//! The planner: from a validated dataset and a horizon to a [`Plan`].
//!
//! The horizon is cut at quarter boundaries and planned chunk by chunk, so
//! every child meets at most one period per chunk and a visit planned in one
//! chunk becomes the `last_visit` of the next (the spacing rule holds across
//! chunks). Within a chunk each caseworker is planned on their own (strict
//! continuity): candidate trips are generated ([`candidates`]), the cheapest
//! set covering every required visit is chosen by MILP ([`select`]), and the
//! chosen trips are put on days by a second MILP ([`schedule`]). A trip no
//! day can take is dropped from the candidates and the choice is made again.
//! The workload limits and the uneven-week penalty of `[balance]` live in
//! [`balance`]; each chunk sees the trips of the one before it, so a week
//! that straddles two quarters keeps its weekly limits.

pub mod balance;
pub mod candidates;
mod caseworker;
pub mod context;
pub mod master;
pub mod mip;
mod output;
pub mod pooled;
pub mod schedule;
pub mod select;
pub mod trip;

use crate::calendar::WorkCalendar;
use crate::demand::{self, Horizon, Requirement};
use crate::model::Dataset;
use crate::plan::{Plan, UnmetReason};
use crate::settings::Continuity;
use crate::travel::{Sites, TravelMatrix};
use balance::Booking;
use candidates::{Candidate, DueVisit};
use caseworker::{plan_visits, ChunkDays};
use chrono::{Datelike, NaiveDate};
use context::Context;
use std::time::Instant;

/// Most time pooled continuity's bound may take, from the start of its
/// column generation (the trip choice does not wait for the clock), with
/// `planning.bound_seconds` (each team's own limit) on top.
const POOLED_BOUND_BUDGET: std::time::Duration = std::time::Duration::from_secs(60);

/// Plans the horizon. `progress(done, total)` is called after each caseworker.
pub fn plan(
    data: &Dataset,
    horizon: Horizon,
    sites: &Sites,
    matrix: &dyn TravelMatrix,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Plan, String> {
    plan_with(data, horizon, sites, matrix, &Fixed::default(), progress)
}

/// What a re-plan keeps from the plan before it: visits that stand and the
/// trips that carry them.
#[derive(Debug, Clone, Default)]
pub struct Fixed {
    /// Per child (empty or one list per child): visit dates on or after the
    /// horizon start that stand whatever is planned (done, or locked), sorted.
    /// A period holding one needs no visit, and planned visits keep their
    /// spacing from them.
    pub visits: Vec<Vec<NaiveDate>>,
    /// Kept trips: their days are taken from their caseworker and they count
    /// towards the weekly and monthly limits.
    pub trips: Vec<FixedTrip>,
    /// Per child (or empty): the day of its visit in the plan before, which
    /// a trip holding the visit aims for (a re-plan moves no more than it must).
    pub previous_day: Vec<Option<NaiveDate>>,
}

/// A kept trip, as far as days and limits are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedTrip {
    pub caseworker: usize,
    pub first: NaiveDate,
    pub days: u32,
    pub visits: u32,
    pub nights: u32,
}

/// [`plan`], keeping what `fixed` says stands.
pub fn plan_with(
    data: &Dataset,
    horizon: Horizon,
    sites: &Sites,
    matrix: &dyn TravelMatrix,
    fixed: &Fixed,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Plan, String> {
    let started = Instant::now();
    let mut ctx = Context::new(data, sites, matrix);
    if fixed.visits.len() == data.children.len() {
        ctx.fixed_visits.clone_from(&fixed.visits);
        for list in &mut ctx.fixed_visits {
            list.sort_unstable();
        }
    }
    if fixed.previous_day.len() == data.children.len() {
        ctx.previous_day.clone_from(&fixed.previous_day);
    }
    // The calendar starts with the week and the month of the horizon's
    // first day, so kept trips before it count towards their limits.
    let week_start = horizon.start
        - chrono::Duration::days(horizon.start.weekday().num_days_from_monday().into());
    let month_start = horizon.start.with_day(1).unwrap_or(horizon.start);
    let cal_start = week_start.min(month_start);
    let mut cal = WorkCalendar::new(data, cal_start, horizon.end);
    let mut kept: Vec<Vec<Booking>> = vec![Vec::new(); data.caseworkers.len()];
    for t in &fixed.trips {
        let (Some(start), Some(list)) = (cal.day(t.first), kept.get_mut(t.caseworker)) else {
            continue;
        };
        for d in start..(start + t.days as usize).min(cal.len()) {
            cal.set_away(t.caseworker, d);
        }
        list.push(Booking {
            start,
            days: t.days,
            visits: t.visits,
            nights: t.nights,
        });
    }
    let (ctx, cal) = (ctx, cal);
    let horizon_reqs = demand::requirements(data, horizon);
    let mut out = output::Builder::new(&ctx, &cal, horizon, &horizon_reqs);
    let mut last_visit: Vec<Option<NaiveDate>> =
        data.children.iter().map(|c| c.last_visit).collect();
    let chunks = horizon.quarter_chunks();
    let total = chunks.len() * data.caseworkers.len();
    // Per caseworker: trips of the chunk before, for weeks that straddle,
    // and kept trips.
    let mut earlier: Vec<Vec<Booking>> = kept.clone();
    for (k, chunk) in chunks.iter().enumerate() {
        let days = ChunkDays {
            span: (
                cal.day(chunk.start).unwrap_or(0),
                cal.day(chunk.end).unwrap_or(0),
            ),
            earlier: &earlier,
        };
        let results = plan_caseworkers(&ctx, &cal, *chunk, days, &last_visit, &|cw| {
            progress(k * data.caseworkers.len() + cw + 1, total)
        })?;
        let mut results = results;
        let continuity = data.settings.planning.continuity;
        let mut pooled_bound = None;
        if continuity.pools() {
            cover_for_colleagues(&ctx, &cal, days, &mut results)?;
            if matches!(continuity, Continuity::Preferred | Continuity::Team) {
                // A bound for one chunk only: across chunks none adds up
                // (below), so there is no time for one.
                let budget = if chunks.len() == 1 {
                    POOLED_BOUND_BUDGET
                        + std::time::Duration::from_secs(
                            data.settings.planning.bound_seconds.into(),
                        )
                } else {
                    std::time::Duration::ZERO
                };
                let deadline = Instant::now() + budget;
                let mut notes = Vec::new();
                pooled_bound =
                    pooled::plan_pooled(&ctx, &cal, days, &mut results, deadline, &mut notes)?;
                out.add_notes(notes);
            }
            // Colleagues' plans now depend on each other.
            out.forget_bound();
        }
        let mut next: Vec<Vec<Booking>> = kept.clone();
        for result in results {
            let cw = result.caseworker;
            out.add_penalty(result.penalty_nok);
            // Only the last week of the chunk can share a week with the
            // next; months never straddle quarters.
            next[cw].extend(
                result
                    .trips
                    .iter()
                    .filter(|(_, day)| days.span.1 < day + 7)
                    .map(|(c, day)| Booking::of(c, *day)),
            );
            out.add(result, &mut last_visit);
        }
        if let Some(b) = pooled_bound {
            out.set_bound(Some(b.nok));
        }
        earlier = next;
    }
    if chunks.len() > 1 {
        // A later quarter's demand depends on the earlier quarter's visits,
        // so the quarters' bounds do not add up to a bound on the whole.
        out.forget_bound();
    }
    Ok(out.finish(started.elapsed().as_secs_f64()))
}

/// What one caseworker's chunk came to.
pub struct CaseworkerResult {
    pub caseworker: usize,
    pub due: Vec<DueVisit>,
    pub requirements: Vec<Requirement>,
    /// Chosen trips with their start day.
    pub trips: Vec<(Candidate, usize)>,
    /// Required visits left unmet: index into `due`/`requirements`, and why.
    pub unmet: Vec<(usize, UnmetReason)>,
    /// A lower bound on this caseworker's objective in the chunk, when all
    /// their feasible trips were enumerated.
    pub bound: Option<caseworker::Bound>,
    /// The uneven-week penalty of the trips, NOK (0 unless set).
    pub penalty_nok: f64,
}

impl CaseworkerResult {
    /// Drops due visit `v`, on no trip of this caseworker and no longer
    /// unmet, because a colleague took it: so that it is no one's twice
    /// (pooled continuity would plan it again). Later indices move down.
    fn hand_over(&mut self, v: usize) {
        self.due.remove(v);
        self.requirements.remove(v);
        let later = |u: &mut usize| {
            if *u > v {
                *u -= 1;
            }
        };
        for (c, _) in &mut self.trips {
            c.visits.iter_mut().for_each(later);
        }
        for (u, _) in &mut self.unmet {
            later(u);
        }
    }
}

fn plan_caseworkers(
    ctx: &Context,
    cal: &WorkCalendar,
    chunk: Horizon,
    days: ChunkDays,
    last_visit: &[Option<NaiveDate>],
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<CaseworkerResult>, String> {
    let n = ctx.data.caseworkers.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .clamp(1, 8);
    let mut results: Vec<Option<Result<CaseworkerResult, String>>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..n)
                        .step_by(threads)
                        .map(|cw| {
                            let r = plan_one(ctx, cal, chunk, days, last_visit, cw);
                            done(cw);
                            (cw, r)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            if let Ok(list) = h.join() {
                for (cw, r) in list {
                    results[cw] = Some(r);
                }
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("a planning thread stopped".to_string())))
        .collect()
}

/// The visits a caseworker's own children need (or may take early) in a chunk.
/// A period that holds a fixed visit needs none, the fixed visits up to the
/// chunk's end count as the last visit, and a window closes `min_gap` days
/// before the next fixed visit after the chunk. A period that ends inside the
/// horizon but after the chunk is needed in this chunk when the caseworker
/// cannot work any day of it after the chunk (a half-year whose second
/// quarter they are away): this chunk is its last chance.
fn own_requirements(
    ctx: &Context,
    cal: &WorkCalendar,
    chunk: Horizon,
    last_visit: &[Option<NaiveDate>],
    cw: usize,
) -> Vec<Requirement> {
    let s = ctx.settings;
    let last_chance = |r: &Requirement| {
        let (Some(after), Some(end)) = (
            cal.day(chunk.end + chrono::Duration::days(1)),
            cal.day(r.period.end()),
        ) else {
            return false;
        };
        !(after..=end).any(|d| cal.can_work(cw, d))
    };
    let mut out = Vec::new();
    for (i, child) in ctx
        .data
        .children
        .iter()
        .enumerate()
        .filter(|(_, c)| c.caseworker == cw)
    {
        let fixed = &ctx.fixed_visits[i];
        let last = fixed
            .iter()
            .copied()
            .filter(|d| *d <= chunk.end)
            .chain(last_visit[i])
            .max();
        let next = fixed.iter().copied().find(|d| *d > chunk.end);
        let gap = demand::min_gap_days(s, child.frequency);
        for mut r in demand::child_requirements(i, child, last, chunk, s) {
            if fixed.iter().any(|d| r.period.contains(*d)) {
                continue;
            }
            if let Some(next) = next {
                r.due_by = r.due_by.min(next - chrono::Duration::days(gap));
            }
            if !r.required && !r.window_is_empty() && last_chance(&r) {
                r.required = true;
            }
            if r.required || (s.visits.early_visits && !r.window_is_empty()) {
                out.push(r);
            }
        }
    }
    out
}

fn plan_one(
    ctx: &Context,
    cal: &WorkCalendar,
    chunk: Horizon,
    days: ChunkDays,
    last_visit: &[Option<NaiveDate>],
    cw: usize,
) -> Result<CaseworkerResult, String> {
    plan_visits(
        ctx,
        cal,
        days,
        cw,
        own_requirements(ctx, cal, chunk, last_visit, cw),
    )
}

/// Under `continuity = "cover_absence"`: a required visit the own caseworker
/// cannot make (away, no room, no trip) goes to the least busy colleague in
/// the same team who can take it without leaving any of their own visits
/// unmet.
fn cover_for_colleagues(
    ctx: &Context,
    cal: &WorkCalendar,
    days: ChunkDays,
    results: &mut [CaseworkerResult],
) -> Result<(), String> {
    let coverable = |r: UnmetReason| {
        matches!(
            r,
            UnmetReason::CaseworkerAbsent | UnmetReason::NoCapacity | UnmetReason::NoFeasibleTrip
        )
    };
    for owner in 0..results.len() {
        let mut k = 0;
        while k < results[owner].unmet.len() {
            let (v, reason) = results[owner].unmet[k];
            let req = results[owner].requirements[v].clone();
            if !coverable(reason) || !try_colleagues(ctx, cal, days, results, owner, &req)? {
                k += 1;
                continue;
            }
            results[owner].unmet.remove(k);
            results[owner].hand_over(v);
        }
    }
    Ok(())
}

fn try_colleagues(
    ctx: &Context,
    cal: &WorkCalendar,
    days: ChunkDays,
    results: &mut [CaseworkerResult],
    owner: usize,
    req: &Requirement,
) -> Result<bool, String> {
    let team = &ctx.data.caseworkers[owner].team;
    let mut colleagues: Vec<usize> = (0..results.len())
        .filter(|&c| c != owner && ctx.data.caseworkers[c].team == *team)
        .collect();
    colleagues.sort_by_key(|&c| (results[c].trips.len(), c));
    for c in colleagues {
        let mut reqs = results[c].requirements.clone();
        reqs.push(req.clone());
        let extra = reqs.len() - 1;
        let trial = plan_visits(ctx, cal, days, c, reqs)?;
        if !trial.unmet.iter().any(|(u, _)| *u == extra)
            && trial.unmet.len() <= results[c].unmet.len()
        {
            results[c] = trial;
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Child, LatLon};
    use crate::plan::UnmetReason;
    use crate::travel::car::GreatCircleCar;
    use crate::travel::engine::NO_ROAD;
    use crate::travel::{Drive, SiteKind};

    /// The offline model, except that no road joins the child's home to
    /// the office (nor to anything but an airport, when `airports` is set):
    /// as a road engine sees a home on an island with an airport.
    struct Island<'a> {
        inner: GreatCircleCar,
        sites: &'a Sites,
        home: usize,
        airports: bool,
    }

    impl TravelMatrix for Island<'_> {
        fn drive(&self, from: usize, to: usize) -> Drive {
            if self.reachable(from, to) {
                self.inner.drive(from, to)
            } else {
                NO_ROAD
            }
        }
        fn reachable(&self, from: usize, to: usize) -> bool {
            let other = if from == self.home {
                to
            } else if to == self.home {
                from
            } else {
                return true;
            };
            other == self.home
                || (self.airports && matches!(self.sites.kind(other), SiteKind::Airport(_)))
        }
    }

    fn plan_tromso(airports: bool) -> Plan {
        let mut data = crate::check::fixture::dataset();
        let child: Child = data.children[0].clone();
        data.children = vec![Child {
            location: LatLon::new(69.6496, 18.9560),
            frequency: crate::model::Frequency::Quarterly,
            last_visit: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            ..child
        }];
        let sites = Sites::new(&data);
        let matrix = Island {
            inner: GreatCircleCar::new(&sites, &data.settings.car),
            sites: &sites,
            home: sites.child(0),
            airports,
        };
        let horizon = Horizon::quarter("2027Q1").unwrap();
        let p = plan(&data, horizon, &sites, &matrix, &|_, _| {}).unwrap();
        assert_eq!(p.visits_required, 1);
        p
    }

    #[test]
    fn a_home_no_road_reaches_is_unmet_with_no_road_access() {
        let p = plan_tromso(false);
        assert_eq!(p.visits.len(), 0);
        assert_eq!(p.unmet.len(), 1);
        assert_eq!(p.unmet[0].reason, UnmetReason::NoRoadAccess);
    }

    #[test]
    fn a_home_only_an_airport_reaches_is_visited_by_plane() {
        let p = plan_tromso(true);
        assert!(p.unmet.is_empty(), "{:?}", p.unmet);
        assert_eq!(p.visits.len(), 1);
        assert_eq!(p.trips[0].modes(), "flight+car");
    }
}
