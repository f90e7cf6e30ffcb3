//! Each planned visit on its own: who, when, and on which trip.
//!
//! A visit names a known child and caseworker; the caseworker keeps
//! continuity (the child's own under `strict`, one of the child's team under
//! `cover_absence`); it lasts at least `visits.minutes` inside visiting hours
//! on a working day the caseworker is not away; and its trip exists, belongs
//! to the same caseworker and stops at the child for the whole visit.

use super::read::{show, StopKind, VisitRow, VISITS};
use super::{Context, Violation};
use crate::calendar::is_office_day;
use chrono::Timelike;

pub fn check(ctx: &Context, out: &mut Vec<Violation>) {
    for v in &ctx.files.visits.rows {
        let mut report = |code, message: String| {
            out.push(Violation::new(code, VISITS, Some(v.line), message));
        };
        let child = ctx.children.get(v.child_id.as_str()).copied();
        let caseworker = ctx.caseworkers.get(v.caseworker_id.as_str()).copied();
        let (child_id, caseworker_id) = (&v.child_id, &v.caseworker_id);
        if child.is_none() {
            report(
                "unknown_ref",
                crate::tr!(
                    "child {child_id} is not in children.csv",
                    "barn {child_id} finnes ikke i children.csv"
                ),
            );
        }
        match caseworker {
            None => report(
                "unknown_ref",
                crate::tr!(
                    "caseworker {caseworker_id} is not in caseworkers.csv",
                    "saksbehandler {caseworker_id} finnes ikke i caseworkers.csv"
                ),
            ),
            Some(k) => check_day(ctx, v, k, &mut report),
        }
        if let (Some(c), Some(k)) = (child, caseworker) {
            check_continuity(ctx, c, k, &mut report);
        }
        check_length_and_hours(ctx, v, &mut report);
        check_trip(ctx, v, &mut report);
    }
}

fn check_continuity(
    ctx: &Context,
    child: usize,
    caseworker: usize,
    report: &mut impl FnMut(&'static str, String),
) {
    let child = &ctx.data.children[child];
    let own = &ctx.data.caseworkers[child.caseworker];
    let visitor = &ctx.data.caseworkers[caseworker];
    let allowed = caseworker == child.caseworker
        || (ctx.data.settings.planning.continuity.pools() && visitor.team == child.team);
    if !allowed {
        let (visitor, id, own, team) = (&visitor.id, &child.id, &own.id, &child.team);
        let continuity = &ctx.data.settings.planning.continuity;
        report(
            "continuity",
            crate::tr!(
                "{visitor} visits {id} whose own caseworker is {own} (team {team}) under continuity {continuity:?}",
                "{visitor} besøker {id}, som har {own} som egen saksbehandler (team {team}), med continuity {continuity:?}"
            ),
        );
    }
}

fn check_day(
    ctx: &Context,
    v: &VisitRow,
    caseworker: usize,
    report: &mut impl FnMut(&'static str, String),
) {
    let date = v.start.date();
    if !is_office_day(date) {
        report(
            "not_working_day",
            crate::tr!(
                "{date} is a weekend day or a public holiday",
                "{date} er en helgedag eller en helligdag"
            ),
        );
    }
    if ctx.absent_on(caseworker, date) {
        let who = &v.caseworker_id;
        report(
            "caseworker_absent",
            crate::tr!("{who} is away on {date}", "{who} er borte den {date}"),
        );
    }
}

fn check_length_and_hours(
    ctx: &Context,
    v: &VisitRow,
    report: &mut impl FnMut(&'static str, String),
) {
    let visits = &ctx.data.settings.visits;
    let minutes = (v.end - v.start).num_minutes();
    if v.start >= v.end || minutes < visits.minutes {
        let least = visits.minutes;
        report(
            "visit_length",
            crate::tr!(
                "the visit lasts {minutes} minutes; at least {least} are required",
                "besøket varer {minutes} minutter; minst {least} kreves"
            ),
        );
    }
    let clock = |t: chrono::NaiveDateTime| i64::from(t.hour() * 60 + t.minute());
    let hhmm = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
    if v.start.date() != v.end.date() {
        let (first, last) = (v.start.date(), v.end.date());
        report(
            "visiting_hours",
            crate::tr!(
                "the visit runs from {first} into {last}",
                "besøket strekker seg fra {first} inn i {last}"
            ),
        );
    } else if clock(v.start) < visits.earliest.0 || clock(v.end) > visits.latest.0 {
        let (start, end) = (v.start.time().format("%H:%M"), v.end.time().format("%H:%M"));
        let (earliest, latest) = (hhmm(visits.earliest.0), hhmm(visits.latest.0));
        report(
            "visiting_hours",
            crate::tr!(
                "{start}-{end} is outside visiting hours {earliest}-{latest}",
                "{start}-{end} er utenfor besøkstiden {earliest}-{latest}"
            ),
        );
    }
}

fn check_trip(ctx: &Context, v: &VisitRow, report: &mut impl FnMut(&'static str, String)) {
    let id = &v.trip_id;
    let Some(trip) = ctx.trips.get(v.trip_id.as_str()) else {
        // A trip row that did not parse is reported already; do not repeat it.
        if !ctx.files.trips.complete {
            return;
        }
        report(
            "trip_mismatch",
            crate::tr!(
                "trip {id} is not in trips.csv",
                "reise {id} finnes ikke i trips.csv"
            ),
        );
        return;
    };
    if trip.caseworker_id != v.caseworker_id {
        let (owner, visitor) = (&trip.caseworker_id, &v.caseworker_id);
        report(
            "trip_mismatch",
            crate::tr!(
                "trip {id} belongs to {owner}, not {visitor}",
                "reise {id} tilhører {owner}, ikke {visitor}"
            ),
        );
    }
    let stops = ctx
        .stops
        .get(v.trip_id.as_str())
        .map_or(&[][..], Vec::as_slice);
    let covered = stops.iter().any(|s| {
        s.kind == StopKind::Child
            && s.reference == v.child_id
            && s.arrive.is_some_and(|a| a <= v.start)
            && s.depart.is_some_and(|d| d >= v.end)
    });
    if !covered {
        let (child, start, end) = (&v.child_id, show(v.start), v.end.format("%H:%M"));
        report(
            "stop_mismatch",
            crate::tr!(
                "trip {id} has no stop at child {child} from {start} to {end}",
                "reise {id} har ikke noe stopp hos barn {child} fra {start} til {end}"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{dataset, run, run_with, valid_plan, with};
    use crate::model::ChildId;
    use crate::settings::Continuity;

    #[test]
    fn an_unknown_child_is_an_unknown_ref() {
        let plan = with(valid_plan(), "visits.csv", "C1,K1,T1", "C9,K1,T1");
        assert!(run(&plan).codes().contains(&"unknown_ref"));
    }

    #[test]
    fn another_caseworker_breaks_strict_continuity_but_not_cover_absence() {
        // C2 (team ungdom, own caseworker K2) is given to K1 on K2's trip.
        let plan = with(valid_plan(), "visits.csv", "C2,K2,T2", "C2,K1,T2");
        let codes = run(&plan).codes();
        assert!(
            codes.contains(&"continuity") && codes.contains(&"trip_mismatch"),
            "{codes:?}"
        );
        let mut data = dataset();
        data.settings.planning.continuity = Continuity::CoverAbsence;
        data.children[1].team = "barn".into();
        assert!(!run_with(&data, &plan).codes().contains(&"continuity"));
        assert_eq!(data.children[1].id, ChildId("C2".into()));
    }

    #[test]
    fn a_short_visit_and_one_outside_visiting_hours_are_reported() {
        let plan = with(
            valid_plan(),
            "visits.csv",
            "2027-01-13T11:00",
            "2027-01-13T10:30",
        );
        assert_eq!(run(&plan).codes(), vec!["visit_length", "calendar"]);
        let plan = with(
            valid_plan(),
            "visits.csv",
            "2027-01-13T09:30",
            "2027-01-13T08:30",
        );
        let codes = run(&plan).codes();
        assert!(
            codes.contains(&"visiting_hours") && codes.contains(&"stop_mismatch"),
            "{codes:?}"
        );
    }

    #[test]
    fn a_visit_on_a_holiday_or_an_absence_is_reported() {
        // 2027-01-01 is New Year's Day; K2 is away 2027-02-01..2027-02-05.
        let mut data = dataset();
        data.absences[0].from = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        data.absences[0].to = chrono::NaiveDate::from_ymd_opt(2027, 2, 5).unwrap();
        let codes = run_with(&data, &valid_plan()).codes();
        assert!(codes.contains(&"caseworker_absent"), "{codes:?}");
        let plan = with(
            valid_plan(),
            "visits.csv",
            "C1,K1,T1,2027-01-13T09:30,2027-01-13",
            "C1,K1,T1,2027-01-01T09:30,2027-01-01",
        );
        assert!(run(&plan).codes().contains(&"not_working_day"));
    }

    #[test]
    fn a_visit_on_an_unknown_trip_or_off_its_stops_is_reported() {
        let plan = with(valid_plan(), "visits.csv", "C1,K1,T1", "C1,K1,T7");
        assert!(run(&plan).codes().contains(&"trip_mismatch"));
        let plan = with(
            valid_plan(),
            "trip_stops.csv",
            "T1,1,child,C1",
            "T1,1,child,C3",
        );
        assert!(run(&plan).codes().contains(&"stop_mismatch"));
    }
}
