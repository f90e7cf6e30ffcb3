//! A tiny dataset and a valid plan for it, shared by the checker's tests.
//!
//! One office (O1, Tiller), two caseworkers (K1 team barn, K2 team ungdom),
//! three children and one absence (K2 away 18-22 January 2027). The horizon
//! is 2027Q1. C1 (twice a year, K1) is not due yet and gets an early visit on
//! a day trip; C2 (quarterly, K2) is visited on a two-day trip by air with a
//! hotel night in Bodø; C3 (quarterly, K1) is listed as unmet. Tests change
//! one string of the plan with [`with`] and look for the code it must raise.

use super::{check_plan, CheckReport};
use crate::model::{
    Absence, Caseworker, CaseworkerId, Child, ChildId, Dataset, Frequency, LatLon, Office,
    OfficeId, Placement,
};
use crate::settings::Settings;
use chrono::NaiveDate;
use std::collections::BTreeMap;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn caseworker(id: &str, name: &str, team: &str) -> Caseworker {
    let (id, name, team) = (CaseworkerId(id.into()), name.into(), team.into());
    Caseworker {
        id,
        name,
        team,
        office: 0,
        fte: 1.0,
    }
}

fn child(
    id: &str,
    team: &str,
    caseworker: usize,
    loc: (f64, f64),
    frequency: Frequency,
    last: NaiveDate,
) -> Child {
    Child {
        id: ChildId(id.into()),
        team: team.into(),
        caseworker,
        placement: Placement::Fosterhjem,
        place: "Et sted".into(),
        location: LatLon::new(loc.0, loc.1),
        frequency,
        placed_since: date(2020, 1, 1),
        last_visit: Some(last),
    }
}

pub fn dataset() -> Dataset {
    Dataset {
        offices: vec![Office {
            id: OfficeId("O1".into()),
            name: "Avdeling oppfølging".into(),
            location: LatLon::new(63.3615, 10.3803),
        }],
        caseworkers: vec![
            caseworker("K1", "Kari Nordmann", "barn"),
            caseworker("K2", "Per Hansen", "ungdom"),
        ],
        absences: vec![Absence {
            caseworker: 1,
            from: date(2027, 1, 18),
            to: date(2027, 1, 22),
            reason: "ferie".into(),
        }],
        children: vec![
            child(
                "C1",
                "barn",
                0,
                (63.0100, 10.0200),
                Frequency::HalfYearly,
                date(2026, 10, 1),
            ),
            child(
                "C2",
                "ungdom",
                1,
                (67.2800, 14.4000),
                Frequency::Quarterly,
                date(2026, 12, 15),
            ),
            child(
                "C3",
                "barn",
                0,
                (63.5000, 9.5000),
                Frequency::Quarterly,
                date(2026, 12, 20),
            ),
        ],
        settings: Settings::default(),
    }
}

const VISITS: &str = "child_id,caseworker_id,trip_id,start,end
C1,K1,T1,2027-01-13T09:30,2027-01-13T11:00
C2,K2,T2,2027-02-03T11:00,2027-02-03T12:30
";

const TRIPS: &str =
    "trip_id,caseworker_id,depart,return,modes,km_car,flight_legs,nights,travel_minutes,cost_nok
T1,K1,2027-01-13T08:30,2027-01-13T12:00,car,80.5,0,0,120,1526.65
T2,K2,2027-02-03T07:00,2027-02-04T11:45,flight+car,110.0,2,1,400,9000.00
";

const STOPS: &str = "trip_id,seq,kind,ref,lat,lon,arrive,depart,mode_in
T1,0,office,O1,63.3615,10.3803,,2027-01-13T08:30,
T1,1,child,C1,63.0100,10.0200,2027-01-13T09:30,2027-01-13T11:00,car
T1,2,office,O1,63.3615,10.3803,2027-01-13T12:00,,car
T2,0,office,O1,63.3615,10.3803,,2027-02-03T07:00,
T2,1,airport,TRD,63.4578,10.9240,2027-02-03T07:40,2027-02-03T08:40,car
T2,2,airport,BOO,67.2692,14.3653,2027-02-03T09:50,2027-02-03T10:15,flight
T2,3,child,C2,67.2800,14.4000,2027-02-03T11:00,2027-02-03T12:30,car
T2,4,hotel,Bodø sentrum,67.2830,14.3800,2027-02-03T13:00,2027-02-04T08:00,car
T2,5,airport,BOO,67.2692,14.3653,2027-02-04T08:30,2027-02-04T09:30,car
T2,6,airport,TRD,63.4578,10.9240,2027-02-04T10:40,2027-02-04T11:05,flight
T2,7,office,O1,63.3615,10.3803,2027-02-04T11:45,,car
";

const UNMET: &str = "child_id,caseworker_id,due_from,due_by,reason,detail
C3,K1,2027-01-19,2027-03-31,no_capacity,Ingen ledig reisedag.
";

// travel_hours: 520 minutes = 8.667 h; cost: 1526.65 + 9000.00.
const SUMMARY: &str = r#"{
  "horizon_start": "2027-01-01",
  "horizon_end": "2027-03-31",
  "children": 3,
  "visits_required": 2,
  "visits_planned": 2,
  "visits_unmet": 1,
  "solve_seconds": 0.4,
  "km_car": 190.5,
  "flight_legs": 2,
  "hotel_nights": 1,
  "travel_hours": 8.67,
  "cost_nok": 10526.65
}"#;

const K1_ICS: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tilsyn//plan//NO
BEGIN:VTIMEZONE
TZID:Europe/Oslo
END:VTIMEZONE
BEGIN:VEVENT
UID:C1-2027H1@tilsyn
DTSTART;TZID=Europe/Oslo:20270113T093000
DTEND;TZID=Europe/Oslo:20270113T110000
SUMMARY:Besøk C1
END:VEVENT
END:VCALENDAR
";

// 11:00-12:30 in Oslo (CET, UTC+1) written in UTC.
const K2_ICS: &str = "BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//tilsyn//plan//NO\r
BEGIN:VEVENT\r
UID:C2-2027Q1@tilsyn\r
DTSTART:20270203T100000Z\r
DTEND:20270203T113000Z\r
SUMMARY:Besøk C2\r
END:VEVENT\r
END:VCALENDAR\r
";

/// Relative path -> content of every file of the valid plan.
pub fn valid_plan() -> BTreeMap<&'static str, String> {
    [
        ("visits.csv", VISITS),
        ("trips.csv", TRIPS),
        ("trip_stops.csv", STOPS),
        ("unmet.csv", UNMET),
        ("summary.json", SUMMARY),
        ("calendars/K1.ics", K1_ICS),
        ("calendars/K2.ics", K2_ICS),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

/// The plan with the first `from` in `file` replaced by `to`; panics when
/// `from` is absent, so a test cannot silently break nothing.
pub fn with(
    mut plan: BTreeMap<&'static str, String>,
    file: &str,
    from: &str,
    to: &str,
) -> BTreeMap<&'static str, String> {
    let text = plan.get_mut(file).expect("the fixture has this file");
    assert!(text.contains(from), "{file} does not contain {from:?}");
    *text = text.replacen(from, to, 1);
    plan
}

/// Writes the files owner-only (as the planner must) into a fresh folder.
pub fn write(plan: &BTreeMap<&'static str, String>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("calendars")).unwrap();
    for (name, text) in plan {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    dir
}

pub fn run_with(data: &Dataset, plan: &BTreeMap<&'static str, String>) -> CheckReport {
    let dir = write(plan);
    check_plan(data, dir.path())
}

pub fn run(plan: &BTreeMap<&'static str, String>) -> CheckReport {
    run_with(&dataset(), plan)
}
