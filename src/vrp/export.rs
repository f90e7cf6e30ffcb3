//! From a dataset and a quarter to the routing core ([`Instance`]).
//!
//! Clients are the quarter's required visits (no early visits) that a car
//! day trip from the caseworker's office can make: out, a visit inside the
//! visiting hours, and back within the working-day window and the cap. A
//! required visit whose window is empty, whose caseworker has no working
//! day in it, or that no day trip reaches is listed in `excluded` with the
//! reason. Vehicles are the working days (weekdays, not public holidays,
//! not absent) of every caseworker who has a client.
//!
//! Each client has one exact start window per working day of its caseworker
//! in its window, `[slot + earliest, slot + latest - service]`, and their
//! `hull`, one window from the first to the last. The hull also admits
//! starts outside the visiting hours on the days between; it still gives the
//! same feasible routes when `day_start <= earliest` and
//! `earliest + max_day_minutes <= min(latest, day_end)`: a route that fits
//! the cap can then always be moved to start its first visit at `earliest`
//! (or as soon as it gets there) and end before `latest`. `rules.hull_is_exact`
//! records whether that holds, so a solver that takes one window per client
//! knows whether the hull is the same problem.

use super::{slot_start, Client, Excluded, Instance, Location, Rules, Units, Vehicle, FORMAT};
use crate::calendar::WorkCalendar;
use crate::demand::{self, Horizon};
use crate::model::Dataset;
use crate::planner::context::Context;
use crate::travel::{Sites, TravelMatrix};
use crate::units::Ore;

/// The working rules of `data`'s settings, as the instance states them.
fn rules(data: &Dataset) -> Rules {
    let s = &data.settings;
    let (start, end, cap) = (s.work.day_start.0, s.work.day_end.0, s.work.max_day_minutes);
    let (earliest, latest) = (s.visits.earliest.0, s.visits.latest.0);
    Rules {
        day_start: start,
        day_end: end,
        max_day_minutes: cap,
        visit_minutes: s.visits.minutes,
        visit_earliest: earliest,
        visit_latest: latest,
        km_rate_nok: s.costs.km_rate_nok,
        staff_hour_nok: s.costs.staff_hour_nok,
        hull_is_exact: start <= earliest && earliest + cap <= latest.min(end),
    }
}

/// Whether a day trip office -> home -> office fits the rules: leave at
/// `day_start` or later, start the visit inside the visiting hours, be back
/// by `day_end`, and work at most `max_day_minutes` (leaving as late as the
/// visit allows, so there is no waiting).
pub fn day_trip_fits(r: &Rules, out: i64, back: i64, service: i64) -> bool {
    let start = r.visit_earliest.max(r.day_start + out);
    start + service <= r.visit_latest
        && start + service + back <= r.day_end
        && out + service + back <= r.max_day_minutes
}

/// Arc cost in øre: kilometres at the km rate plus minutes at the staff rate.
pub fn arc_cost(r: &Rules, metres: i64, minutes: i64) -> i64 {
    Ore::from_nok(metres as f64 / 1000.0 * r.km_rate_nok + minutes as f64 / 60.0 * r.staff_hour_nok)
        .0
}

/// A required visit the core keeps: the child and its first and last day.
struct Kept {
    child: usize,
    days: (usize, usize),
}

/// The routing core of `quarter` for `data`, with the planner's car matrix.
pub fn export(
    data: &Dataset,
    quarter: Horizon,
    matrix: &dyn TravelMatrix,
    sites: &Sites,
    name: &str,
) -> Instance {
    let ctx = Context::new(data, sites, matrix);
    let cal = WorkCalendar::new(data, quarter.start, quarter.end);
    let rules = rules(data);
    let (kept, excluded) = required_visits(&ctx, &cal, quarter, &rules);
    // Caseworkers with a client, in dataset order, and their offices (the depots).
    let mut cws: Vec<usize> = kept
        .iter()
        .map(|k| data.children[k.child].caseworker)
        .collect();
    cws.sort_unstable();
    cws.dedup();
    let mut offices: Vec<usize> = cws.iter().map(|&c| data.caseworkers[c].office).collect();
    offices.sort_unstable();
    offices.dedup();
    let mut locations: Vec<Location> = offices
        .iter()
        .map(|&o| Location {
            id: data.offices[o].id.0.clone(),
            kind: "office".into(),
        })
        .collect();
    let mut site_of: Vec<usize> = offices.iter().map(|&o| sites.office(o)).collect();
    let depots: Vec<usize> = cws
        .iter()
        .map(|&c| {
            offices
                .binary_search(&data.caseworkers[c].office)
                .unwrap_or(0)
        })
        .collect();
    let vehicles = vehicles(&cal, &cws, &depots, &rules);
    let mut clients = Vec::new();
    for k in &kept {
        let c = data.children[k.child].caseworker;
        let id = data.children[k.child].id.0.clone();
        let index = cws.binary_search(&c).unwrap_or(0);
        clients.push(client(
            &cal,
            (c, index),
            k,
            id.clone(),
            locations.len(),
            &rules,
        ));
        locations.push(Location {
            id,
            kind: "child".into(),
        });
        site_of.push(sites.child(k.child));
    }
    let (duration, distance, cost) = matrices(&ctx, &site_of, &rules);
    Instance {
        format: FORMAT.into(),
        name: name.into(),
        first_date: quarter.start.to_string(),
        days: cal.len(),
        units: Units::default(),
        rules,
        caseworkers: cws
            .iter()
            .map(|&c| data.caseworkers[c].id.0.clone())
            .collect(),
        locations,
        vehicles,
        clients,
        excluded,
        duration,
        distance,
        cost,
    }
}

/// The quarter's required visits, kept or excluded with the reason.
fn required_visits(
    ctx: &Context,
    cal: &WorkCalendar,
    quarter: Horizon,
    rules: &Rules,
) -> (Vec<Kept>, Vec<Excluded>) {
    let data = ctx.data;
    let mut kept = Vec::new();
    let mut excluded = Vec::new();
    for r in demand::requirements(data, quarter)
        .into_iter()
        .filter(|r| r.required)
    {
        let child = &data.children[r.child];
        let reason = if r.window_is_empty() {
            Some("empty_window")
        } else {
            let days = (
                cal.day(r.due_from).unwrap_or(0),
                cal.day(r.due_by).unwrap_or(0),
            );
            let office = ctx.office_site_of_caseworker(child.caseworker);
            let home = ctx.sites.child(r.child);
            let (out, back) = (
                ctx.drive(office, home).minutes.0,
                ctx.drive(home, office).minutes.0,
            );
            if !(days.0..=days.1).any(|d| cal.can_work(child.caseworker, d)) {
                Some("no_working_day")
            } else if !day_trip_fits(rules, out, back, rules.visit_minutes) {
                Some("no_day_trip")
            } else {
                kept.push(Kept {
                    child: r.child,
                    days,
                });
                None
            }
        };
        if let Some(reason) = reason {
            excluded.push(Excluded {
                child: child.id.0.clone(),
                caseworker: data.caseworkers[child.caseworker].id.0.clone(),
                reason: reason.to_string(),
            });
        }
    }
    (kept, excluded)
}

/// One vehicle per caseworker (instance index `k`, dataset index `cws[k]`)
/// and working day, in the caseworker's slot.
fn vehicles(cal: &WorkCalendar, cws: &[usize], depots: &[usize], rules: &Rules) -> Vec<Vehicle> {
    let days = cal.len();
    let mut out = Vec::new();
    for (k, &c) in cws.iter().enumerate() {
        for d in (0..days).filter(|&d| cal.can_work(c, d)) {
            let slot = slot_start(days, k, d);
            out.push(Vehicle {
                caseworker: k,
                day: d,
                date: cal.date(d).to_string(),
                depot: depots[k],
                tw: [slot + rules.day_start, slot + rules.day_end],
                max_duration: rules.max_day_minutes,
            });
        }
    }
    out
}

/// A kept visit as a client of caseworker `(dataset index, instance index)`:
/// a start window on each of the caseworker's working days in its days.
fn client(
    cal: &WorkCalendar,
    (caseworker, index): (usize, usize),
    kept: &Kept,
    id: String,
    location: usize,
    rules: &Rules,
) -> Client {
    let service = rules.visit_minutes;
    let (d1, d2) = kept.days;
    let time_windows: Vec<[i64; 2]> = (d1..=d2)
        .filter(|&d| cal.can_work(caseworker, d))
        .map(|d| {
            let slot = slot_start(cal.len(), index, d);
            [
                slot + rules.visit_earliest,
                slot + rules.visit_latest - service,
            ]
        })
        .collect();
    let hull = [
        time_windows.first().map_or(0, |w| w[0]),
        time_windows.last().map_or(0, |w| w[1]),
    ];
    Client {
        id,
        location,
        caseworker: index,
        service,
        days: [d1, d2],
        time_windows,
        hull,
    }
}

type Matrix = Vec<Vec<i64>>;

/// Minutes, metres and arc cost between the sites, in the instance's order.
fn matrices(ctx: &Context, site_of: &[usize], rules: &Rules) -> (Matrix, Matrix, Matrix) {
    let n = site_of.len();
    let drive = |a: usize, b: usize| ctx.drive(site_of[a], site_of[b]);
    let table = |f: &dyn Fn(usize, usize) -> i64| -> Matrix {
        (0..n).map(|a| (0..n).map(|b| f(a, b)).collect()).collect()
    };
    (
        table(&|a, b| drive(a, b).minutes.0),
        table(&|a, b| drive(a, b).metres.0),
        table(&|a, b| {
            let d = drive(a, b);
            arc_cost(rules, d.metres.0, d.minutes.0)
        }),
    )
}
