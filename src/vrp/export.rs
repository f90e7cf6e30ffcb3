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
    let days = cal.len();
    let rules = rules(data);
    let service = rules.visit_minutes;
    // (requirement's child, first day, last day) of every client, and the excluded.
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    let mut excluded = Vec::new();
    for r in demand::requirements(data, quarter)
        .into_iter()
        .filter(|r| r.required)
    {
        let child = &data.children[r.child];
        let reason = if r.window_is_empty() {
            Some("empty_window")
        } else {
            let (d1, d2) = (
                cal.day(r.due_from).unwrap_or(0),
                cal.day(r.due_by).unwrap_or(0),
            );
            let office = ctx.office_site_of_caseworker(child.caseworker);
            let home = sites.child(r.child);
            let (out, back) = (
                ctx.drive(office, home).minutes.0,
                ctx.drive(home, office).minutes.0,
            );
            if !(d1..=d2).any(|d| cal.can_work(child.caseworker, d)) {
                Some("no_working_day")
            } else if !day_trip_fits(&rules, out, back, service) {
                Some("no_day_trip")
            } else {
                kept.push((r.child, d1, d2));
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
    // Caseworkers with a client, in dataset order, and their offices.
    let mut cws: Vec<usize> = kept
        .iter()
        .map(|&(c, _, _)| data.children[c].caseworker)
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
    let cw_index = |c: usize| cws.binary_search(&c).unwrap_or(0);
    let depot_of = |c: usize| {
        offices
            .binary_search(&data.caseworkers[c].office)
            .unwrap_or(0)
    };
    let mut vehicles = Vec::new();
    for (k, &c) in cws.iter().enumerate() {
        for d in (0..days).filter(|&d| cal.can_work(c, d)) {
            let slot = slot_start(days, k, d);
            vehicles.push(Vehicle {
                caseworker: k,
                day: d,
                date: cal.date(d).to_string(),
                depot: depot_of(c),
                tw: [slot + rules.day_start, slot + rules.day_end],
                max_duration: rules.max_day_minutes,
            });
        }
    }
    let mut clients = Vec::new();
    for &(child, d1, d2) in &kept {
        let c = data.children[child].caseworker;
        let k = cw_index(c);
        let time_windows: Vec<[i64; 2]> = (d1..=d2)
            .filter(|&d| cal.can_work(c, d))
            .map(|d| {
                let slot = slot_start(days, k, d);
                [
                    slot + rules.visit_earliest,
                    slot + rules.visit_latest - service,
                ]
            })
            .collect();
        let hull = [time_windows[0][0], time_windows[time_windows.len() - 1][1]];
        clients.push(Client {
            id: data.children[child].id.0.clone(),
            location: locations.len(),
            caseworker: k,
            service,
            days: [d1, d2],
            time_windows,
            hull,
        });
        locations.push(Location {
            id: data.children[child].id.0.clone(),
            kind: "child".into(),
        });
        site_of.push(sites.child(child));
    }
    let n = site_of.len();
    let drive = |a: usize, b: usize| ctx.drive(site_of[a], site_of[b]);
    let duration = (0..n)
        .map(|a| (0..n).map(|b| drive(a, b).minutes.0).collect())
        .collect();
    let distance = (0..n)
        .map(|a| (0..n).map(|b| drive(a, b).metres.0).collect())
        .collect();
    let cost = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    let d = drive(a, b);
                    arc_cost(&rules, d.metres.0, d.minutes.0)
                })
                .collect()
        })
        .collect();
    Instance {
        format: FORMAT.into(),
        name: name.into(),
        first_date: quarter.start.to_string(),
        days,
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
