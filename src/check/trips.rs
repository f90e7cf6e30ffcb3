//! Trips and their routes: ids, days, overlap, route shape, time order,
//! totals and the length of each working day.
//!
//! A trip leaves the caseworker's office and comes back to it; every day it
//! spans is a working day the caseworker is not away. Its stops run
//! `seq = 0..n` and time never goes backwards along them. The trip row's
//! totals (depart, return, nights, flight legs, modes) must agree with the
//! stops. A working day runs from a departure at the office or a hotel to
//! the next arrival at a hotel or the office; the days that start on one
//! date together may last at most `work.max_day_minutes`.

use super::read::{show, show_opt, Mode, StopKind, StopRow, TripRow, STOPS, TRIPS};
use super::{Context, Violation};
use crate::calendar::is_office_day;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};

pub fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let mut first_line: HashMap<&str, u64> = HashMap::new();
    for t in &ctx.files.trips.rows {
        if let Some(first) = first_line.insert(&t.trip_id, t.line) {
            let id = &t.trip_id;
            let message = crate::tr!(
                "trip {id} is also on line {first}",
                "reise {id} står også på linje {first}"
            );
            out.push(Violation::new("duplicate_id", TRIPS, Some(t.line), message));
            continue;
        }
        check_row(ctx, t, out);
        let stops = ctx
            .stops
            .get(t.trip_id.as_str())
            .map_or(&[][..], Vec::as_slice);
        check_route(ctx, t, stops, out);
        check_stop_times(stops, out);
        check_totals(t, stops, out);
        check_day_lengths(ctx, t, stops, out);
    }
    check_overlap(ctx, out);
    // A trip row that did not parse is reported already; do not repeat it per stop.
    if !ctx.files.trips.complete {
        return;
    }
    for s in &ctx.files.stops.rows {
        if !ctx.trips.contains_key(s.trip_id.as_str()) {
            let id = &s.trip_id;
            let message = crate::tr!(
                "trip {id} is not in trips.csv",
                "reise {id} finnes ikke i trips.csv"
            );
            out.push(Violation::new("unknown_ref", STOPS, Some(s.line), message));
        }
    }
}

/// The trip row on its own: caseworker, time order, days, and sane totals.
fn check_row(ctx: &Context, t: &TripRow, out: &mut Vec<Violation>) {
    let mut report = |code, message: String| {
        out.push(Violation::new(code, TRIPS, Some(t.line), message));
    };
    let id = &t.trip_id;
    if t.depart >= t.back {
        let (back, depart) = (show(t.back), show(t.depart));
        report(
            "time_order",
            crate::tr!(
                "trip {id} returns at {back} but departs at {depart}",
                "reise {id} har retur {back}, men avreise {depart}"
            ),
        );
    }
    let duration = (t.back - t.depart).num_minutes() as f64;
    if t.km_car < 0.0 || t.cost_nok < 0.0 {
        report(
            "trip_totals",
            crate::tr!(
                "trip {id} has negative km_car or cost_nok",
                "reise {id} har negativ km_car eller cost_nok"
            ),
        );
    }
    // A trip that returns before it departs has no length to compare with.
    if t.travel_minutes < 0.0 || (duration > 0.0 && t.travel_minutes > duration) {
        let minutes = t.travel_minutes;
        let message = crate::tr!(
            "trip {id} has travel_minutes {minutes} outside 0..={duration} (its length)",
            "reise {id} har travel_minutes {minutes} utenfor 0..={duration} (reisens lengde)"
        );
        report("trip_totals", message);
    }
    let Some(&caseworker) = ctx.caseworkers.get(t.caseworker_id.as_str()) else {
        report("unknown_ref", {
            let who = &t.caseworker_id;
            crate::tr!(
                "caseworker {who} is not in caseworkers.csv",
                "saksbehandler {who} finnes ikke i caseworkers.csv"
            )
        });
        return;
    };
    let mut day = t.depart.date();
    while day <= t.back.date() {
        if !is_office_day(day) {
            report(
                "not_working_day",
                crate::tr!(
                    "trip {id} spans {day}, a weekend day or public holiday",
                    "reise {id} omfatter {day}, som er en helgedag eller helligdag"
                ),
            );
        }
        if ctx.absent_on(caseworker, day) {
            report("caseworker_absent", {
                let who = &t.caseworker_id;
                crate::tr!(
                    "trip {id} spans {day}, when {who} is away",
                    "reise {id} omfatter {day}, da {who} er borte"
                )
            });
        }
        day += Duration::days(1);
    }
}

/// Seq runs 0..n; the first and last stop are the caseworker's office;
/// every later stop says how it was reached; child stops name known children.
fn check_route(ctx: &Context, t: &TripRow, stops: &[&StopRow], out: &mut Vec<Violation>) {
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        let id = &t.trip_id;
        let message = crate::tr!(
            "trip {id} has no stops in trip_stops.csv",
            "reise {id} har ingen stopp i trip_stops.csv"
        );
        out.push(Violation::new("route", TRIPS, Some(t.line), message));
        return;
    };
    for (i, s) in stops.iter().enumerate() {
        if s.seq as usize != i {
            let (id, seq) = (&t.trip_id, s.seq);
            let message = crate::tr!(
                "trip {id} has seq {seq} where {i} was expected",
                "reise {id} har seq {seq} der {i} var ventet"
            );
            out.push(Violation::new("route", STOPS, Some(s.line), message));
        }
        if i > 0 && s.mode_in.is_none() {
            let (id, seq) = (&t.trip_id, s.seq);
            let message = crate::tr!(
                "stop {seq} of trip {id} has no mode_in",
                "stopp {seq} på reise {id} har ingen mode_in"
            );
            out.push(Violation::new("route", STOPS, Some(s.line), message));
        }
        if s.kind == StopKind::Child && !ctx.children.contains_key(s.reference.as_str()) {
            let child = &s.reference;
            let message = crate::tr!(
                "child {child} is not in children.csv",
                "barn {child} finnes ikke i children.csv"
            );
            out.push(Violation::new("unknown_ref", STOPS, Some(s.line), message));
        }
    }
    let office = ctx
        .caseworkers
        .get(t.caseworker_id.as_str())
        .map(|&k| ctx.data.offices[ctx.data.caseworkers[k].office].id.as_str());
    for (first, s) in [(true, first), (false, last)] {
        let at_office = s.kind == StopKind::Office && office.map_or(true, |o| o == s.reference);
        if !at_office {
            let (id, kind, reference) = (&t.trip_id, s.kind.as_str(), &s.reference);
            let office = office.unwrap_or("?");
            let message = if first {
                crate::tr!(
                    "the first stop of trip {id} is {kind} {reference}, not the office {office}",
                    "det første stoppet på reise {id} er {kind} {reference}, ikke kontoret {office}"
                )
            } else {
                crate::tr!(
                    "the last stop of trip {id} is {kind} {reference}, not the office {office}",
                    "det siste stoppet på reise {id} er {kind} {reference}, ikke kontoret {office}"
                )
            };
            out.push(Violation::new("route", STOPS, Some(s.line), message));
        }
    }
}

/// Time never goes backwards: depart >= arrive at a stop, and the next
/// arrival is not before the previous departure.
fn check_stop_times(stops: &[&StopRow], out: &mut Vec<Violation>) {
    let n = stops.len();
    for (i, s) in stops.iter().enumerate() {
        let mut report = |message: String| {
            out.push(Violation::new("time_order", STOPS, Some(s.line), message));
        };
        let (seq, id) = (s.seq, &s.trip_id);
        if i > 0 && s.arrive.is_none() {
            report(crate::tr!(
                "stop {seq} of trip {id} has no arrive time",
                "stopp {seq} på reise {id} har ikke noe arrive-tidspunkt"
            ));
        }
        if i + 1 < n && s.depart.is_none() {
            report(crate::tr!(
                "stop {seq} of trip {id} has no depart time",
                "stopp {seq} på reise {id} har ikke noe depart-tidspunkt"
            ));
        }
        if let (Some(a), Some(d)) = (s.arrive, s.depart) {
            if d < a {
                let (d, a) = (show(d), show(a));
                report(crate::tr!(
                    "stop {seq} of trip {id} departs at {d} before arriving at {a}",
                    "stopp {seq} på reise {id} har avreise {d} før ankomst {a}"
                ));
            }
        }
        let previous = i.checked_sub(1).and_then(|p| stops[p].depart);
        if let (Some(p), Some(a)) = (previous, s.arrive) {
            if a < p {
                let (a, p) = (show(a), show(p));
                report(crate::tr!(
                    "stop {seq} of trip {id} is reached at {a}, before the previous stop is left at {p}",
                    "stopp {seq} på reise {id} nås {a}, før forrige stopp forlates {p}"
                ));
            }
        }
    }
}

/// The trip row agrees with its stops.
fn check_totals(t: &TripRow, stops: &[&StopRow], out: &mut Vec<Violation>) {
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        return;
    };
    let mut problems = Vec::new();
    if first.depart != Some(t.depart) {
        let (trip, stop) = (show(t.depart), show_opt(first.depart));
        problems.push(crate::tr!(
            "depart {trip} differs from the first stop's depart {stop}",
            "depart {trip} avviker fra depart {stop} for det første stoppet"
        ));
    }
    if last.arrive != Some(t.back) {
        let (trip, stop) = (show(t.back), show_opt(last.arrive));
        problems.push(crate::tr!(
            "return {trip} differs from the last stop's arrive {stop}",
            "return {trip} avviker fra arrive {stop} for det siste stoppet"
        ));
    }
    let hotels = stops.iter().filter(|s| s.kind == StopKind::Hotel).count();
    if t.nights as usize != hotels {
        let nights = t.nights;
        problems.push(crate::tr!(
            "nights {nights} but {hotels} hotel stops",
            "nights {nights}, men {hotels} hotellstopp"
        ));
    }
    let flights = stops
        .iter()
        .filter(|s| s.mode_in == Some(Mode::Flight))
        .count();
    if t.flight_legs as usize != flights {
        let legs = t.flight_legs;
        problems.push(crate::tr!(
            "flight_legs {legs} but {flights} stops reached by flight",
            "flight_legs {legs}, men {flights} stopp nås med fly"
        ));
    }
    let modes = if flights > 0 { "flight+car" } else { "car" };
    if t.modes != modes {
        let written = &t.modes;
        problems.push(crate::tr!(
            "modes {written} but the stops say {modes}",
            "modes {written}, men stoppene gir {modes}"
        ));
    }
    for p in problems {
        out.push(Violation::new("trip_totals", TRIPS, Some(t.line), {
            let id = &t.trip_id;
            crate::tr!("trip {id}: {p}", "reise {id}: {p}")
        }));
    }
}

/// Working days: from leaving the office or a hotel to the next arrival at a
/// hotel or the office, grouped by the date they start on.
fn check_day_lengths(ctx: &Context, t: &TripRow, stops: &[&StopRow], out: &mut Vec<Violation>) {
    let base = |s: &StopRow| matches!(s.kind, StopKind::Office | StopKind::Hotel);
    let mut days: BTreeMap<NaiveDate, (NaiveDateTime, NaiveDateTime)> = BTreeMap::new();
    let mut leaving: Option<NaiveDateTime> = None;
    for s in stops.iter().filter(|s| base(s)) {
        if let (Some(start), Some(end)) = (leaving, s.arrive) {
            let day = days.entry(start.date()).or_insert((start, end));
            *day = (day.0.min(start), day.1.max(end));
        }
        leaving = s.depart;
    }
    let max = ctx.data.settings.work.max_day_minutes;
    for (date, (start, end)) in days {
        let minutes = (end - start).num_minutes();
        if minutes > max {
            let (id, start, end) = (
                &t.trip_id,
                start.format("%H:%M"),
                end.format("%Y-%m-%dT%H:%M"),
            );
            let message = crate::tr!(
                "trip {id} works {minutes} minutes on {date} ({start} to {end}); at most {max} are allowed",
                "reise {id} gir en arbeidsdag på {minutes} minutter den {date} ({start} til {end}); høyst {max} er tillatt"
            );
            out.push(Violation::new("day_too_long", TRIPS, Some(t.line), message));
        }
    }
}

/// A caseworker cannot be on two trips at once.
fn check_overlap(ctx: &Context, out: &mut Vec<Violation>) {
    let mut by_caseworker: BTreeMap<&str, Vec<&TripRow>> = BTreeMap::new();
    for t in ctx.trips.values() {
        by_caseworker.entry(&t.caseworker_id).or_default().push(t);
    }
    for trips in by_caseworker.values_mut() {
        trips.sort_by_key(|t| (t.depart, t.line));
        for pair in trips.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.depart < a.back {
                let (later, depart) = (&b.trip_id, show(b.depart));
                let (earlier, who, back) = (&a.trip_id, &a.caseworker_id, show(a.back));
                let message = crate::tr!(
                    "trip {later} departs at {depart} before trip {earlier} of {who} returns at {back}",
                    "reise {later} har avreise {depart}, før reise {earlier} for {who} er tilbake {back}"
                );
                out.push(Violation::new("overlap", TRIPS, Some(b.line), message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{run, valid_plan, with};

    #[test]
    fn a_repeated_trip_id_is_a_duplicate() {
        let plan = with(valid_plan(), "trips.csv", "T2,K2,", "T1,K2,");
        assert!(run(&plan).codes().contains(&"duplicate_id"));
    }

    #[test]
    fn overlapping_trips_of_one_caseworker_are_reported() {
        // A third trip of K2 inside T2 (it has no stops, hence also `route`).
        let mut plan = valid_plan();
        let extra = "T3,K2,2027-02-03T09:00,2027-02-03T10:00,car,0,0,0,0,0\n";
        plan.get_mut("trips.csv").unwrap().push_str(extra);
        assert_eq!(run(&plan).codes(), vec!["route", "overlap"]);
    }

    #[test]
    fn a_route_that_does_not_end_at_the_office_is_reported() {
        let plan = with(
            valid_plan(),
            "trip_stops.csv",
            "T1,2,office,O1",
            "T1,2,hotel,O1",
        );
        let codes = run(&plan).codes();
        assert!(codes.contains(&"route"), "{codes:?}");
        let plan = with(valid_plan(), "trip_stops.csv", "T1,2,office", "T1,3,office");
        assert!(run(&plan).codes().contains(&"route"));
    }

    #[test]
    fn time_going_backwards_along_the_stops_is_reported() {
        let plan = with(
            valid_plan(),
            "trip_stops.csv",
            "2027-02-03T09:50,2027-02-03T10:15",
            "2027-02-03T09:50,2027-02-03T09:40",
        );
        assert!(run(&plan).codes().contains(&"time_order"));
    }

    #[test]
    fn totals_that_disagree_with_the_stops_are_reported() {
        let plan = with(
            valid_plan(),
            "trips.csv",
            "flight+car,110.0,2,1",
            "flight+car,110.0,1,1",
        );
        let plan = with(
            plan,
            "summary.json",
            "\"flight_legs\": 2",
            "\"flight_legs\": 1",
        );
        assert_eq!(run(&plan).codes(), vec!["trip_totals"]);
    }

    #[test]
    fn a_working_day_longer_than_the_cap_is_reported() {
        // T2 leaves at 07:00 and reaches the hotel at 17:30: 630 minutes > 600.
        let plan = with(
            valid_plan(),
            "trip_stops.csv",
            "2027-02-03T13:00,2027-02-04T08:00",
            "2027-02-03T17:30,2027-02-04T08:00",
        );
        assert_eq!(run(&plan).codes(), vec!["day_too_long"]);
    }

    #[test]
    fn a_trip_over_a_weekend_is_reported() {
        let plan = with(
            valid_plan(),
            "trips.csv",
            "2027-01-13T12:00",
            "2027-01-16T12:00",
        );
        let codes = run(&plan).codes();
        assert!(codes.contains(&"not_working_day"), "{codes:?}");
    }
}
