//! End-to-end tests over tiny named fixture folders (`tests/fixtures/*`, each
//! with a README line saying what it exercises), the bundled Trondheim
//! dataset, and random small datasets. Every plan written here must pass the
//! project's own checker.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tilsyn::check::check_plan;
use tilsyn::input::load_dataset;

mod common;
use common::{root, tilsyn};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Plans `data` for `quarter` with the CLI into a temp folder, checks the plan
/// with the library checker, and returns the folder.
fn plan_and_check(data: &Path, quarter: &str) -> tempfile::TempDir {
    plan_span_and_check(data, &["--quarter", quarter])
}

/// As [`plan_and_check`], for the horizon the arguments name.
fn plan_span_and_check(data: &Path, horizon: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let mut args = vec!["plan", "--data", data.to_str().unwrap()];
    args.extend_from_slice(horizon);
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    let o = tilsyn(&args);
    assert!(
        o.status.success(),
        "plan failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let dataset = load_dataset(data, None).unwrap();
    let report = check_plan(&dataset, &out);
    assert!(
        report.is_ok(),
        "check failed:\n{}",
        report
            .violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    tmp
}

fn rows(dir: &Path, file: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(dir.join("plan").join(file)).unwrap();
    r.records().map(Result::unwrap).collect()
}

/// `plan --data <data> --quarter 2027Q1 --out <out>`.
fn plan_args<'a>(data: &'a Path, out: &'a Path) -> Vec<&'a str> {
    vec![
        "plan",
        "--data",
        data.to_str().unwrap(),
        "--quarter",
        "2027Q1",
        "--out",
        out.to_str().unwrap(),
    ]
}

/// Plans 2027Q1 of `data` into `out`, expecting bad input: exit code 2;
/// returns what it printed on stderr.
fn plan_fails_on_input(data: &Path, out: &Path) -> String {
    let o = tilsyn(&plan_args(data, out));
    assert_eq!(o.status.code(), Some(2));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// offices.csv with the one Trondheim office, for hand-made datasets.
fn write_office(dir: &Path) {
    fs::write(
        dir.join("offices.csv"),
        "office_id,name,lat,lon\nvestre-rosten,Avdeling oppfølging,63.3615,10.3803\n",
    )
    .unwrap();
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("plan/summary.json")).unwrap()).unwrap()
}

#[test]
fn one_child_gets_one_day_trip_by_car() {
    let t = plan_and_check(&fixture("one_child"), "2027Q1");
    let trips = rows(t.path(), "trips.csv");
    assert_eq!(trips.len(), 1);
    assert_eq!(&trips[0][4], "car");
    assert_eq!(&trips[0][7], "0", "no hotel night for Melhus");
    assert_eq!(rows(t.path(), "visits.csv").len(), 1);
    assert_eq!(summary(t.path())["visits_unmet"], 0);
    // The team's calendar holds the same event (same UID), with the trip's
    // legs for the caseworker to read.
    let dir = t.path().join("plan");
    let own =
        fs::read_to_string(dir.join("calendars").join(format!("{}.ics", &trips[0][1]))).unwrap();
    let teams: Vec<PathBuf> = fs::read_dir(dir.join("team_calendars"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(teams.len(), 1);
    let team = fs::read_to_string(&teams[0]).unwrap();
    let uid = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("UID:"))
            .map(str::to_string)
    };
    assert_eq!(uid(&own), uid(&team));
    assert!(own.replace("\r\n ", "").contains("Reiserute:"), "{own}");
}

/// A child is never visited before its placement: placed in the middle of
/// the quarter, the visit comes after; placed after the quarter, the visit
/// the quarter requires is unmet as `not_placed_yet`, over the quarter's
/// window.
#[test]
fn no_visit_before_the_child_is_placed() {
    let data = copy_with_settings(&fixture("one_child"), "");
    let children = fs::read_to_string(data.path().join("children.csv")).unwrap();
    for (placed, visited) in [("2027-03-10", true), ("2027-05-01", false)] {
        let text = children.replace("2023-05-02", placed);
        assert_ne!(text, children);
        fs::write(data.path().join("children.csv"), text).unwrap();
        let t = plan_and_check(data.path(), "2027Q1");
        let visits = rows(t.path(), "visits.csv");
        let unmet = rows(t.path(), "unmet.csv");
        if visited {
            assert_eq!(visits.len(), 1);
            assert!(
                &visits[0][3] >= placed,
                "visited {} before {placed}",
                &visits[0][3]
            );
        } else {
            assert!(visits.is_empty());
            assert_eq!(unmet.len(), 1);
            assert_eq!(
                (&unmet[0][2], &unmet[0][3], &unmet[0][4]),
                ("2027-01-01", "2027-03-31", "not_placed_yet")
            );
            assert_eq!(summary(t.path())["visits_required"], 1);
            // A calendar per caseworker, as the contract asks, with no
            // visit in it.
            let calendar = fs::read_to_string(t.path().join("plan/calendars/S01.ics")).unwrap();
            assert!(calendar.starts_with("BEGIN:VCALENDAR") && !calendar.contains("BEGIN:VEVENT"));
        }
    }
    // A last visit recorded after the quarter (inconsistent, but accepted)
    // leaves its window empty: the row gives the quarter's own window, not
    // one that ends before it starts.
    let text = children.replace("2026-11-10", "2027-04-10");
    fs::write(data.path().join("children.csv"), text).unwrap();
    let t = plan_and_check(data.path(), "2027Q1");
    let unmet = rows(t.path(), "unmet.csv");
    assert_eq!(
        (&unmet[0][2], &unmet[0][3], &unmet[0][4]),
        ("2027-01-01", "2027-03-31", "min_gap_conflict")
    );
}

/// A half-year planned in one run: when the caseworker is away all of its
/// second quarter, the child on 2 visits a year is visited in the first
/// (its last chance), not left unmet as `caseworker_absent`.
#[test]
fn a_half_year_visit_is_made_before_an_absence_that_fills_its_last_quarter() {
    let data = copy_with_settings(&fixture("one_child"), "");
    let children = fs::read_to_string(data.path().join("children.csv")).unwrap();
    let twice = children.replace(",4,2023-05-02,2026-11-10", ",2,2023-05-02,2026-10-01");
    assert_ne!(twice, children);
    fs::write(data.path().join("children.csv"), twice).unwrap();
    fs::write(
        data.path().join("absences.csv"),
        "caseworker_id,from,to,reason\nS01,2027-04-01,2027-06-30,permisjon\n",
    )
    .unwrap();
    let t = plan_span_and_check(data.path(), &["--half", "2027H1"]);
    assert!(rows(t.path(), "unmet.csv").is_empty());
    let visits = rows(t.path(), "visits.csv");
    assert_eq!(visits.len(), 1);
    assert!(&visits[0][3] < "2027-04-01", "{}", &visits[0][3]);
}

#[test]
fn an_absent_caseworker_leaves_the_visit_unmet_with_the_reason() {
    let t = plan_and_check(&fixture("absent_caseworker"), "2027Q1");
    let unmet = rows(t.path(), "unmet.csv");
    assert_eq!(unmet.len(), 1);
    assert_eq!((&unmet[0][0], &unmet[0][4]), ("B0002", "caseworker_absent"));
    let visits = rows(t.path(), "visits.csv");
    assert_eq!(visits.len(), 1);
    assert!(
        &visits[0][3] >= "2027-02-01",
        "S01 is away in January: {}",
        &visits[0][3]
    );
    // The naive plan makes the same one visit: one round trip, the plan's
    // own trip here, so no saving is claimed for the visit left unmet.
    let s = summary(t.path());
    assert_eq!(s["naive_cost_nok"], s["cost_nok"], "{s}");
    assert_eq!(s["saving_percent"], 0.0);
}

#[test]
fn cover_absence_lets_a_teammate_make_the_absent_caseworkers_visit() {
    let tmp = copy_with_settings(
        &fixture("absent_caseworker"),
        "[planning]\ncontinuity = \"cover_absence\"\n",
    );
    let t = plan_and_check(tmp.path(), "2027Q1");
    assert!(rows(t.path(), "unmet.csv").is_empty());
    let visits = rows(t.path(), "visits.csv");
    let b2 = visits
        .iter()
        .find(|v| &v[0] == "B0002")
        .expect("B0002 visited");
    assert_eq!(&b2[1], "S01", "S02 is on leave all quarter; S01 covers");
}

/// The Trondheim office and two caseworkers of team barn, S01 and S02,
/// neither away.
fn write_team_of_two(dir: &Path) {
    write_office(dir);
    fs::write(
        dir.join("caseworkers.csv"),
        "caseworker_id,name,team,office_id,fte\nS01,Kari Testesen,barn,vestre-rosten,1.0\nS02,Ola Prøvesen,barn,vestre-rosten,1.0\n",
    )
    .unwrap();
    fs::write(dir.join("absences.csv"), "caseworker_id,from,to,reason\n").unwrap();
}

/// Two caseworkers of one team each have a child in Namsos, 3 hours' drive
/// away: under `preferred` one of them makes both visits on one trip.
fn namsos_pair(dir: &Path, continuity: &str) {
    write_team_of_two(dir);
    fs::write(
        dir.join("children.csv"),
        "child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit\n\
         B0001,barn,S01,fosterhjem,Namsos,64.46610,11.49510,4,2022-01-10,2026-11-20\n\
         B0002,barn,S02,fosterhjem,Namsos,64.47320,11.52210,4,2021-08-16,2026-11-25\n",
    )
    .unwrap();
    fs::write(
        dir.join("settings.toml"),
        format!("[planning]\ncontinuity = \"{continuity}\"\n"),
    )
    .unwrap();
}

#[test]
fn preferred_continuity_lets_one_trip_cover_two_caseworkers_children() {
    let strict = tempfile::tempdir().unwrap();
    namsos_pair(strict.path(), "strict");
    let s = plan_and_check(strict.path(), "2027Q1");
    assert_eq!(rows(s.path(), "trips.csv").len(), 2, "one trip each");
    assert_eq!(summary(s.path())["visits_by_colleague"], 0);

    let pooled = tempfile::tempdir().unwrap();
    namsos_pair(pooled.path(), "preferred");
    let p = plan_and_check(pooled.path(), "2027Q1");
    assert_eq!(rows(p.path(), "trips.csv").len(), 1, "one trip for both");
    assert_eq!(summary(p.path())["visits_by_colleague"], 1);
    let cost = |t: &tempfile::TempDir| summary(t.path())["cost_nok"].as_f64().unwrap();
    assert!(cost(&p) + 1000.0 < cost(&s), "saves more than the penalty");
    // Two visits: column generation closes, and the plan is optimal.
    let bound = summary(p.path())["lower_bound_nok"].as_f64().unwrap();
    let objective = summary(p.path())["objective_nok"].as_f64().unwrap();
    assert!(bound <= objective + 0.01, "{bound} > {objective}");
    assert!(summary(p.path())["gap_percent"].as_f64().unwrap() < 0.01);
}

/// `planning.bound_seconds = 0` leaves out the pooled bound and nothing
/// else: the same trips, no `lower_bound_nok`.
#[test]
fn no_time_for_the_bound_gives_the_same_plan_without_one() {
    let with = tempfile::tempdir().unwrap();
    namsos_pair(with.path(), "preferred");
    let without = tempfile::tempdir().unwrap();
    namsos_pair(without.path(), "preferred");
    fs::write(
        without.path().join("settings.toml"),
        "[planning]\ncontinuity = \"preferred\"\nbound_seconds = 0\n",
    )
    .unwrap();
    let a = plan_and_check(with.path(), "2027Q1");
    let b = plan_and_check(without.path(), "2027Q1");
    assert_eq!(rows(a.path(), "trips.csv"), rows(b.path(), "trips.csv"));
    assert_eq!(
        summary(a.path())["objective_nok"],
        summary(b.path())["objective_nok"]
    );
    assert!(summary(a.path())["lower_bound_nok"].is_number());
    assert!(summary(b.path())["lower_bound_nok"].is_null());
    assert!(summary(b.path())["gap_percent"].is_null());
}

/// A small department (40 children, 4 caseworkers in 2 teams at one
/// office) from the real postcodes: pooled plans are accepted, cost no more
/// than the strict plan, and carry a bound within 2 %.
#[test]
fn pooled_continuity_beats_strict_and_proves_its_gap_on_a_small_department() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("small");
    let postcodes = root().join("data/geodata/postnummer_bolstad.tsv");
    let o = tilsyn(&[
        "generate",
        "norway",
        "--postcodes",
        postcodes.to_str().unwrap(),
        "--children",
        "40",
        "--caseworkers",
        "4",
        "--offices",
        "1",
        "--seed",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut objective = Vec::new();
    for continuity in ["strict", "team", "preferred"] {
        fs::write(
            dir.join("settings.toml"),
            format!("[planning]\ncontinuity = \"{continuity}\"\nchange_penalty_nok = 500\n"),
        )
        .unwrap();
        let t = plan_and_check(&dir, "2027Q1");
        let s = summary(t.path());
        let value = s["objective_nok"].as_f64().unwrap();
        let bound = s["lower_bound_nok"].as_f64().unwrap();
        assert!(
            bound <= value + 0.01,
            "{continuity}: bound {bound} > {value}"
        );
        assert!(
            s["gap_percent"].as_f64().unwrap() <= 2.0,
            "{continuity}: {s}"
        );
        objective.push(value);
    }
    assert!(objective[1] <= objective[0] + 0.01, "team {objective:?}");
    assert!(
        objective[2] <= objective[0] + 0.01,
        "preferred {objective:?}"
    );
}

#[test]
fn island_homes_are_reached_by_a_longer_coastal_road() {
    let t = plan_and_check(&fixture("island"), "2027Q1");
    let trips = rows(t.path(), "trips.csv");
    assert_eq!(trips.len(), 1, "both islands in one trip");
    let km: f64 = trips[0][5].parse().unwrap();
    // Great-circle round trip office-Hitra-Frøya-office is about 170 km; the
    // inland factor would give about 240 km, the coastal one about 300 km.
    assert!(km > 270.0, "{km} km");
}

#[test]
fn tromso_is_reached_by_plane_and_rental_car() {
    let t = plan_and_check(&fixture("tromso_flight"), "2027Q1");
    let trips = rows(t.path(), "trips.csv");
    assert_eq!(&trips[0][4], "flight+car");
    let stops = rows(t.path(), "trip_stops.csv");
    let airports: Vec<&str> = stops
        .iter()
        .filter(|s| &s[2] == "airport")
        .map(|s| s.get(3).unwrap())
        .collect();
    assert_eq!(airports, ["TRD", "TOS", "TOS", "TRD"]);
    // routes.geojson: the trip through every stop, without a road engine
    // in straight lines, and the office and the home as points.
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.path().join("plan/routes.geojson")).unwrap())
            .unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap();
    let trip = features
        .iter()
        .find(|f| f["properties"]["kind"] == "trip")
        .unwrap();
    assert_eq!(trip["geometry"]["type"], "LineString");
    assert_eq!(trip["properties"]["road_geometry"], false);
    let line = trip["geometry"]["coordinates"].as_array().unwrap();
    let distinct: std::collections::BTreeSet<String> = stops
        .iter()
        .map(|s| format!("{},{}", &s[5], &s[4]))
        .collect();
    assert_eq!(
        line.len(),
        stops.len(),
        "office, TRD, TOS, home, TOS, TRD, office"
    );
    for p in line {
        let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        assert!(distinct.iter().any(|d| {
            let (x, y) = d.split_once(',').unwrap();
            (x.parse::<f64>().unwrap() - lon).abs() < 1e-6
                && (y.parse::<f64>().unwrap() - lat).abs() < 1e-6
        }));
    }
    let kinds: Vec<&str> = features
        .iter()
        .filter_map(|f| f["properties"]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["trip", "child", "office"]);
    let child = &features[1]["properties"];
    assert_eq!(child["status"], "planned");
    assert_eq!(child["visits"], 1);
}

#[test]
fn a_half_year_not_yet_due_requires_nothing_in_the_first_quarter() {
    let t = plan_and_check(&fixture("half_year_not_due"), "2027Q1");
    let s = summary(t.path());
    assert_eq!(
        (s["visits_required"].as_u64(), s["visits_unmet"].as_u64()),
        (Some(0), Some(0))
    );
    let t2 = plan_and_check(&fixture("half_year_not_due"), "2027Q2");
    let s2 = summary(t2.path());
    assert_eq!(
        (
            s2["visits_required"].as_u64(),
            s2["visits_planned"].as_u64()
        ),
        (Some(1), Some(1))
    );
}

#[test]
fn excel_files_with_semicolons_decimal_commas_and_a_bom_plan() {
    plan_and_check(&fixture("semicolon_excel"), "2027Q1");
}

#[test]
fn bad_input_reports_every_problem_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let data = fixture("bad_many_problems");
    let err = plan_fails_on_input(&data, &out);
    let problems = err.lines().filter(|l| l.contains(".csv:")).count();
    assert!(problems >= 6, "{err}");
    assert!(!out.exists(), "nothing may be written on bad input");
    let v = tilsyn(&["validate", "--data", data.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(2));
}

#[test]
fn bad_arguments_exit_with_code_2() {
    let o = tilsyn(&["plan", "--data", "x", "--quarter", "2027Q7", "--out", "y"]);
    assert_eq!(o.status.code(), Some(2));
    let o = tilsyn(&[
        "plan",
        "--data",
        "x",
        "--from",
        "2027-02-30",
        "--to",
        "2027-03-01",
        "--out",
        "y",
    ]);
    assert_eq!(o.status.code(), Some(2));
    for span in [
        &["--half", "2027H3"][..],
        &["--year", "20x7"],
        &["--year", "2027", "--quarter", "2027Q1"],
        &[
            "--half",
            "2027H1",
            "--from",
            "2027-01-01",
            "--to",
            "2027-02-01",
        ],
    ] {
        let mut args = vec!["plan", "--data", "x", "--out", "y"];
        args.extend_from_slice(span);
        let o = tilsyn(&args);
        assert_eq!(o.status.code(), Some(2), "{span:?}");
    }
}

/// An `--out` that names a file is refused before any work, and the file
/// stays as it was; nothing else appears beside it.
#[test]
fn an_out_that_is_a_file_exits_with_code_2_and_leaves_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    fs::write(&out, "mine").unwrap();
    let err = plan_fails_on_input(&fixture("one_child"), &out);
    assert!(err.contains("--out"), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "mine");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
}

/// A `--data` that is no folder is named as such, not as its first file.
#[test]
fn a_data_folder_that_is_not_there_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    for data in [
        tmp.path().join("nope"),
        fixture("one_child").join("children.csv"),
    ] {
        let err = plan_fails_on_input(&data, &out);
        let said = format!("{}: missing_file", data.display());
        assert!(err.starts_with(&said), "{err}");
        assert!(!out.exists());
    }
}

/// A setting no department could mean (an infinite detour factor) is an
/// input error at its key, not a panic.
#[test]
fn an_infinite_setting_exits_with_code_2_at_its_key() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("s.toml");
    fs::write(&settings, "[car]\ndetour_factor = inf\n").unwrap();
    let out = tmp.path().join("plan");
    let data = fixture("one_child");
    let mut args = plan_args(&data, &out);
    args.extend_from_slice(&["--settings", settings.to_str().unwrap()]);
    let o = tilsyn(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("s.toml:2:17") && err.contains("car.detour_factor"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn road_engine_arguments_that_cannot_work_exit_with_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let data = fixture("one_child");
    for (road, says) in [
        (&["--router", "osrm"][..], "router.url"),
        (
            &["--router", "graphhopper", "--router-url", "http://x"],
            "graphhopper",
        ),
        (&["--offline"], "--offline"),
    ] {
        let mut args = plan_args(&data, &out);
        args.extend_from_slice(road);
        let o = tilsyn(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{road:?}: {err}");
        assert!(err.contains(says), "{road:?}: {err}");
        assert!(!out.exists());
    }
    let o = tilsyn(&["calibrate", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

/// A half-year in one run: both quarters planned and the plan accepted by
/// `check`.
#[test]
fn a_half_year_is_planned_in_one_run() {
    let t = plan_span_and_check(&fixture("one_child"), &["--half", "2027H1"]);
    let s = summary(t.path());
    assert_eq!(s["horizon_start"], "2027-01-01");
    assert_eq!(s["horizon_end"], "2027-06-30");
}

/// `early_visit_method = "insert"`: the required visits are planned as
/// before, early visits join their trips afterwards where they pay, the
/// plan passes `check`, and no bound is claimed for a model without them.
#[test]
fn early_visits_inserted_afterwards_make_a_valid_plan_without_a_bound() {
    let data = trondheim_with("[planning]\nearly_visit_method = \"insert\"\n");
    let t = plan_and_check(data.path(), "2027Q1");
    let s = summary(t.path());
    assert_eq!(s["visits_unmet"], 0);
    assert!(s["visits_early"].as_u64().unwrap() > 0, "{s}");
    assert!(s["lower_bound_nok"].is_null(), "{s}");
    // Every early visit rides on a trip that makes a required visit.
    // visits.csv: child_id, caseworker_id, trip_id, start, end, period, kind.
    let visits = rows(t.path(), "visits.csv");
    for v in visits.iter().filter(|v| &v[6] == "early") {
        assert!(
            visits.iter().any(|w| w[2] == v[2] && &w[6] == "required"),
            "{v:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn plan_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let t = plan_and_check(&fixture("one_child"), "2027Q1");
    for entry in walk(&t.path().join("plan")) {
        let mode = fs::metadata(&entry).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", entry.display());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_same_input_gives_byte_identical_files() {
    let a = plan_and_check(&fixture("absent_caseworker"), "2027Q1");
    let b = plan_and_check(&fixture("absent_caseworker"), "2027Q1");
    for f in [
        "visits.csv",
        "trips.csv",
        "trip_stops.csv",
        "unmet.csv",
        "calendars/S01.ics",
    ] {
        assert_eq!(
            fs::read(a.path().join("plan").join(f)).unwrap(),
            fs::read(b.path().join("plan").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn trondheim_first_quarter_plans_every_required_visit() {
    let t = plan_and_check(&root().join("data/trondheim"), "2027Q1");
    let s = summary(t.path());
    assert_eq!(s["children"], 358);
    assert!(s["visits_required"].as_u64().unwrap() > 200);
    assert_eq!(
        s["visits_unmet"], 0,
        "the sample has the capacity for every visit"
    );
    assert!(s["cost_nok"].as_f64().unwrap() < s["naive_cost_nok"].as_f64().unwrap());
    // Strict continuity: every caseworker's trips are enumerated and the
    // choice is proven optimal, so the plan is optimal for the model.
    assert_eq!(s["models_proven"], s["models"]);
    assert_eq!(s["gap_percent"], 0.0);
    assert_eq!(s["lower_bound_nok"], s["objective_nok"]);
    assert_eq!(s["uneven_week_penalty_nok"], 0.0, "no penalty unless set");
    rfc7946(
        &t.path().join("plan/routes.geojson"),
        s["trips"].as_u64().unwrap(),
    );
    // Every child is a Point with its status, placement and own caseworker
    // (ids only): visited, or not due this quarter (half-yearly children
    // seen in the autumn), none unmet.
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.path().join("plan/routes.geojson")).unwrap())
            .unwrap();
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for f in doc["features"].as_array().unwrap() {
        let p = &f["properties"];
        if p["kind"] != "child" {
            continue;
        }
        assert!(
            p["child_id"].is_string() && p["caseworker_id"].is_string(),
            "{p}"
        );
        assert!(p["placement"].is_string() && p["visits"].is_u64(), "{p}");
        let status = p["status"].as_str().unwrap().to_string();
        assert_eq!(
            status == "planned",
            p["visits"].as_u64().unwrap() > 0,
            "{p}"
        );
        *by_status.entry(status).or_default() += 1;
    }
    assert_eq!(by_status.values().sum::<u64>(), 358);
    assert!(by_status["not_due"] > 0, "{by_status:?}");
    assert!(!by_status.contains_key("unmet"), "{by_status:?}");
}

/// `routes.geojson` follows RFC 7946: a FeatureCollection of Features,
/// each with a geometry of a known type and an object of properties;
/// positions are [longitude, latitude] numbers in range, with no third
/// value here; a LineString has two positions or more; no `crs` member
/// (section 4); one LineString per trip of the plan.
fn rfc7946(path: &Path, trips: u64) {
    use serde_json::Value;
    let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    assert!(doc.get("crs").is_none());
    let position = |p: &Value| {
        let p = p.as_array().expect("a position is an array");
        assert_eq!(p.len(), 2, "{p:?}");
        let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        // Norway, mainland and islands: the axis order is longitude first.
        assert!(
            (4.0..=32.0).contains(&lon) && (57.0..=72.0).contains(&lat),
            "{p:?}"
        );
    };
    let mut lines = 0;
    for f in doc["features"].as_array().unwrap() {
        assert_eq!(f["type"], "Feature");
        assert!(f["properties"].is_object());
        let g = &f["geometry"];
        match g["type"].as_str().unwrap() {
            "Point" => position(&g["coordinates"]),
            "LineString" => {
                let c = g["coordinates"].as_array().unwrap();
                assert!(c.len() >= 2);
                c.iter().for_each(position);
                lines += 1;
            }
            other => panic!("unexpected geometry {other}"),
        }
    }
    assert_eq!(lines, trips);
}

/// A copy of `data/trondheim` with `settings` as its settings.toml.
fn trondheim_with(settings: &str) -> tempfile::TempDir {
    copy_with_settings(&root().join("data/trondheim"), settings)
}

/// A copy of the dataset `data` with `settings` as its settings.toml.
fn copy_with_settings(data: &Path, settings: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for f in [
        "offices.csv",
        "caseworkers.csv",
        "absences.csv",
        "children.csv",
    ] {
        fs::copy(data.join(f), tmp.path().join(f)).unwrap();
    }
    fs::write(tmp.path().join("settings.toml"), settings).unwrap();
    tmp
}

/// Workload of a written plan, counted from its CSV files alone: visits per
/// caseworker and date, per caseworker and ISO week, hotel nights per
/// caseworker and month (of the evening).
struct Workload {
    per_day: BTreeMap<(String, String), u32>,
    per_week: BTreeMap<(String, (i32, u32)), u32>,
    nights: BTreeMap<(String, String), u32>,
}

fn workload(dir: &Path) -> Workload {
    use chrono::Datelike;
    let mut w = Workload {
        per_day: BTreeMap::new(),
        per_week: BTreeMap::new(),
        nights: BTreeMap::new(),
    };
    for v in rows(dir, "visits.csv") {
        let date = chrono::NaiveDate::parse_from_str(&v[3][..10], "%Y-%m-%d").unwrap();
        let week = (date.iso_week().year(), date.iso_week().week());
        *w.per_day
            .entry((v[1].to_string(), date.to_string()))
            .or_default() += 1;
        *w.per_week.entry((v[1].to_string(), week)).or_default() += 1;
    }
    let owner: BTreeMap<String, String> = rows(dir, "trips.csv")
        .iter()
        .map(|t| (t[0].to_string(), t[1].to_string()))
        .collect();
    for s in rows(dir, "trip_stops.csv")
        .iter()
        .filter(|s| &s[2] == "hotel")
    {
        let key = (owner[&s[0]].clone(), s[6][..7].to_string());
        *w.nights.entry(key).or_default() += 1;
    }
    w
}

fn most<K>(counts: &BTreeMap<K, u32>) -> u32 {
    counts.values().copied().max().unwrap_or(0)
}

/// The caseworkers' fte, by id.
fn fte_of(data: &Path) -> BTreeMap<String, f64> {
    let mut r = csv::Reader::from_path(data.join("caseworkers.csv")).unwrap();
    r.records()
        .map(|c| {
            let c = c.unwrap();
            (c[0].to_string(), c[4].parse().unwrap())
        })
        .collect()
}

/// Tight limits on the Trondheim sample bind (the default plan breaks each
/// of them), and the plan keeps every one: counted here from the files,
/// independently of the planner and of `tilsyn check`.
#[test]
fn trondheim_keeps_tight_balance_limits() {
    let plain = plan_and_check(&root().join("data/trondheim"), "2027Q1");
    let before = workload(plain.path());
    assert!(most(&before.per_day) > 2 && most(&before.per_week) > 4 && most(&before.nights) > 1);

    let data = trondheim_with(
        "[balance]\nmax_visits_per_day = 2\nmax_visits_per_week = 4\n\
         max_hotel_nights_per_month = 1\nuneven_week_penalty_nok = 500\n",
    );
    let t = plan_and_check(data.path(), "2027Q1");
    let after = workload(t.path());
    let fte = fte_of(data.path());
    // Weekly and monthly limits scale with fte: round(4 * fte), at least 1.
    let scaled = |full: f64, who: &str| ((full * fte[who]).round() as u32).max(1);
    assert!(
        most(&after.per_day) <= 2,
        "visits a day: {}",
        most(&after.per_day)
    );
    for ((who, week), n) in &after.per_week {
        assert!(
            *n <= scaled(4.0, who),
            "{who} has {n} visits in week {week:?}"
        );
    }
    for ((who, month), n) in &after.nights {
        assert!(
            *n <= scaled(1.0, who),
            "{who} has {n} hotel nights in {month}"
        );
    }
    let s = summary(t.path());
    assert!(s["uneven_week_penalty_nok"].as_f64().unwrap() > 0.0);
    assert_eq!(s["weekly_visits_max"], most(&after.per_week));
    assert!(
        s["weekly_visits_sd"].as_f64().unwrap()
            < summary(plain.path())["weekly_visits_sd"].as_f64().unwrap()
    );
    // A bound, where there is one, stays below the objective (penalty included).
    if let Some(bound) = s["lower_bound_nok"].as_f64() {
        assert!(bound <= s["objective_nok"].as_f64().unwrap() + 0.01);
    }
    for u in rows(t.path(), "unmet.csv") {
        assert!(
            ["no_capacity", "no_feasible_trip"].contains(&&u[4]),
            "{:?}",
            u
        );
    }
}

/// The whole of 2027 with a realistic balance setting: four quarters, weeks
/// that straddle two of them, and every limit kept (the checker counts
/// them over the whole year).
#[test]
fn trondheim_year_with_balance_limits_passes_the_checker() {
    let data = trondheim_with(
        "[balance]\nmax_visits_per_day = 3\nmax_visits_per_week = 8\n\
         max_hotel_nights_per_month = 6\nuneven_week_penalty_nok = 500\n",
    );
    let t = plan_span_and_check(data.path(), &["--from", "2027-01-01", "--to", "2027-12-31"]);
    let s = summary(t.path());
    assert_eq!(s["visits_unmet"], 0);
    assert!(
        s["lower_bound_nok"].is_null(),
        "no bound over several quarters"
    );
    assert!(most(&workload(t.path()).per_day) <= 3);
}

/// One caseworker, five homes near Melhus all due by 31 March, planned
/// from 15 March: three weeks with working days, so at most one visit a
/// week leaves two visits unmet for want of capacity, never a broken plan.
#[test]
fn a_weekly_limit_too_tight_leaves_visits_unmet_with_a_reason() {
    let write = |dir: &Path, settings: &str| {
        write_office(dir);
        fs::write(
            dir.join("caseworkers.csv"),
            "caseworker_id,name,team,office_id,fte\nS01,Kari Testesen,barn,vestre-rosten,1.0\n",
        )
        .unwrap();
        fs::write(dir.join("absences.csv"), "caseworker_id,from,to,reason\n").unwrap();
        let mut children = String::from("child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit\n");
        for (i, (lat, lon)) in [
            (63.28, 10.28),
            (63.20, 10.32),
            (63.13, 10.23),
            (63.04, 10.30),
            (63.25, 10.20),
        ]
        .iter()
        .enumerate()
        {
            children.push_str(&format!(
                "B000{i},barn,S01,fosterhjem,Melhus,{lat},{lon},4,2022-01-10,2026-12-01\n"
            ));
        }
        fs::write(dir.join("children.csv"), children).unwrap();
        fs::write(dir.join("settings.toml"), settings).unwrap();
    };
    let span = ["--from", "2027-03-15", "--to", "2027-03-31"];
    let free = tempfile::tempdir().unwrap();
    write(free.path(), "");
    let f = plan_span_and_check(free.path(), &span);
    assert_eq!(summary(f.path())["visits_unmet"], 0, "room for all five");

    let tight = tempfile::tempdir().unwrap();
    write(tight.path(), "[balance]\nmax_visits_per_week = 1\n");
    let t = plan_span_and_check(tight.path(), &span);
    let unmet = rows(t.path(), "unmet.csv");
    assert_eq!(unmet.len(), 2);
    for u in &unmet {
        assert_eq!(&u[4], "no_capacity");
        assert!(u[5].contains("besøk per uke"), "{}", &u[5]);
    }
    let weeks = workload(t.path()).per_week;
    assert_eq!(
        (weeks.len(), most(&weeks)),
        (3, 1),
        "one visit in each week"
    );
}

/// Two caseworkers of one team, S01 and S02, at the Trondheim office, with
/// children south of it in Melhus: the first `of_s02` S02's, the rest S01's.
fn melhus_team(dir: &Path, children: usize, of_s02: usize, settings: &str) {
    write_team_of_two(dir);
    let mut rows = String::from("child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit\n");
    let homes = [
        (63.28, 10.28),
        (63.20, 10.32),
        (63.13, 10.23),
        (63.04, 10.30),
        (63.25, 10.20),
        (63.30, 10.10),
        (63.22, 10.15),
    ];
    for (i, (lat, lon)) in homes.iter().take(children).enumerate() {
        let cw = if i < of_s02 { "S02" } else { "S01" };
        rows.push_str(&format!(
            "B000{i},barn,{cw},fosterhjem,Melhus,{lat},{lon},4,2022-01-10,2026-12-01\n"
        ));
    }
    fs::write(dir.join("children.csv"), rows).unwrap();
    fs::write(dir.join("settings.toml"), settings).unwrap();
}

/// `team` continuity with `solver`, then `rest` (more `[planning]` keys and
/// other sections).
fn team_settings(solver: &str, rest: &str) -> String {
    format!("[planning]\ncontinuity = \"team\"\nsolver = \"{solver}\"\n{rest}")
}

/// One visit a week each: a colleague must take a visit over.
const ONE_A_WEEK: &str = "[balance]\nmax_visits_per_week = 1\n";

/// One visit a trip and one field day a week each.
const ONE_FIELD_DAY_A_WEEK: &str = "max_visits_per_trip = 1\n[work]\nmax_field_days_per_week = 1\n";

/// [`melhus_team`] planned for the last weeks of 2027Q1 and checked.
fn plan_melhus_team(children: usize, of_s02: usize, settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    melhus_team(dir.path(), children, of_s02, settings);
    plan_span_and_check(dir.path(), &["--from", "2027-03-15", "--to", "2027-03-31"])
}

/// One visit a week each over three weeks: S02 has four children, one more
/// than S02 can visit, and S01 two. Under `team` the colleague takes the
/// fourth: the pooled model must then count that visit once, not once per
/// caseworker who held it, or it plans it twice or bounds the plan from
/// above.
#[test]
fn a_visit_a_colleague_took_over_is_planned_once_and_bounded_below() {
    let t = plan_melhus_team(6, 4, &team_settings("microlp", ONE_A_WEEK));
    let visits = rows(t.path(), "visits.csv");
    let mut children: Vec<&str> = visits.iter().map(|v| &v[0]).collect();
    children.sort_unstable();
    assert_eq!(
        children,
        ["B0000", "B0001", "B0002", "B0003", "B0004", "B0005"],
        "each child once"
    );
    let s = summary(t.path());
    let objective = s["objective_nok"].as_f64().unwrap();
    if let Some(bound) = s["lower_bound_nok"].as_f64() {
        assert!(bound <= objective + 0.01, "bound {bound} > {objective}");
    }
}

/// One field day a week each and one visit a trip, over three weeks: seven
/// children, six days. Under `team` the trip choice must be able to leave
/// a visit unmet as the plan does, not fail the whole plan as infeasible.
#[test]
fn a_team_short_of_field_days_leaves_a_visit_unmet_instead_of_failing() {
    let t = plan_melhus_team(7, 5, &team_settings("microlp", ONE_FIELD_DAY_A_WEEK));
    assert_eq!(rows(t.path(), "visits.csv").len(), 6);
    let unmet = rows(t.path(), "unmet.csv");
    assert_eq!(unmet.len(), 1);
    assert_eq!(&unmet[0][4], "no_capacity");
}

/// With `planning.solver = "highs"` the pooled trip choice goes to HiGHS:
/// on these small teams it proves the same choices as microlp, so the
/// plans cost the same, and the unmet visit stays unmet.
#[cfg(feature = "highs")]
#[test]
fn highs_makes_the_pooled_choice_as_microlp_does_on_small_teams() {
    let cases = [(6, 4, ONE_A_WEEK), (7, 5, ONE_FIELD_DAY_A_WEEK)];
    for (children, of_s02, rest) in cases {
        let objective = |solver: &str| {
            let t = plan_melhus_team(children, of_s02, &team_settings(solver, rest));
            let s = summary(t.path());
            let unmet = rows(t.path(), "unmet.csv").len();
            (s["objective_nok"].as_f64().unwrap(), unmet)
        };
        let (microlp, unmet) = objective("microlp");
        let (highs, unmet_highs) = objective("highs");
        assert!(
            (microlp - highs).abs() < 0.5,
            "{children}: {microlp} against {highs}"
        );
        assert_eq!(unmet, unmet_highs);
    }
}

#[test]
fn a_bad_balance_setting_is_named_and_nothing_is_written() {
    let tmp = copy_with_settings(
        &fixture("one_child"),
        "[balance]\nmax_visits_per_day = 0\nuneven_week_penalty_nok = -5\n",
    );
    let out = tmp.path().join("plan");
    let err = plan_fails_on_input(tmp.path(), &out);
    assert!(err.contains("balance.max_visits_per_day"), "{err}");
    assert!(err.contains("balance.uneven_week_penalty_nok"), "{err}");
    assert!(!out.exists(), "nothing may be written on bad settings");
}

mod random_datasets {
    //! On random small datasets every required visit is planned or unmet,
    //! and the written plan passes the checker.
    use super::*;
    use proptest::prelude::*;
    use std::fmt::Write as _;
    use tilsyn::demand::Horizon;
    use tilsyn::travel::{car::GreatCircleCar, Sites};

    #[derive(Debug, Clone)]
    struct Kid {
        lat: f64,
        lon: f64,
        worker: usize,
        twice: bool,
        last: Option<u32>,
    }

    fn kid() -> impl Strategy<Value = Kid> {
        (
            62.0..66.0f64,
            8.5..14.0f64,
            0..3usize,
            any::<bool>(),
            proptest::option::of(0..200u32),
        )
            .prop_map(|(lat, lon, worker, twice, last)| Kid {
                lat,
                lon,
                worker,
                twice,
                last,
            })
    }

    fn write_dataset(dir: &Path, kids: &[Kid], absent: &[(usize, u32, u32)]) {
        fs::write(
            dir.join("offices.csv"),
            "office_id,name,lat,lon\nK1,Kontor,63.3615,10.3803\n",
        )
        .unwrap();
        fs::write(
            dir.join("caseworkers.csv"),
            "caseworker_id,name,team,office_id,fte\nS0,A,barn,K1,1.0\nS1,B,barn,K1,0.6\nS2,C,barn,K1,0.8\n",
        )
        .unwrap();
        let day0 = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let mut abs = String::from("caseworker_id,from,to,reason\n");
        for (w, start, len) in absent {
            let from = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
                + chrono::Duration::days(*start as i64);
            writeln!(
                abs,
                "S{w},{from},{},kurs",
                from + chrono::Duration::days(*len as i64)
            )
            .unwrap();
        }
        fs::write(dir.join("absences.csv"), abs).unwrap();
        let mut ch = String::from("child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit\n");
        for (i, k) in kids.iter().enumerate() {
            let last = k
                .last
                .map(|d| (day0 + chrono::Duration::days(d as i64)).to_string())
                .unwrap_or_default();
            let freq = if k.twice { 2 } else { 4 };
            writeln!(
                ch,
                "B{i:03},barn,S{},fosterhjem,Sted,{:.5},{:.5},{freq},2018-01-01,{last}",
                k.worker, k.lat, k.lon
            )
            .unwrap();
        }
        fs::write(dir.join("children.csv"), ch).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
        #[test]
        fn every_required_visit_is_planned_or_unmet(
            kids in proptest::collection::vec(kid(), 0..7),
            absent in proptest::collection::vec((0..3usize, 0..80u32, 0..40u32), 0..3),
        ) {
            let tmp = tempfile::tempdir().unwrap();
            write_dataset(tmp.path(), &kids, &absent);
            let data = load_dataset(tmp.path(), None).unwrap();
            let horizon = Horizon::quarter("2027Q1").unwrap();
            let sites = Sites::new(&data);
            let matrix = GreatCircleCar::new(&sites, &data.settings.car);
            let plan = tilsyn::planner::plan(&data, horizon, &sites, &matrix, &|_, _| {}).unwrap();
            let required_planned = plan.visits.iter().filter(|v| v.required).count();
            prop_assert_eq!(required_planned + plan.unmet.len(), plan.visits_required);
            if let Some(bound) = plan.lower_bound_nok {
                // Unmet visits weigh in the bound only as a count, never in cost.
                prop_assert!(bound <= plan.objective_nok() + 1e-3, "bound {} above objective {}", bound, plan.objective_nok());
            }
            let out = tmp.path().join("plan");
            let input = tilsyn::report::ReportInput::new(&data, tilsyn::lang::Lang::Nb);
            tilsyn::write::write_plan(&plan, &input, &out).unwrap();
            let report = check_plan(&data, &out);
            prop_assert!(report.is_ok(), "{:?}", report.violations.iter().map(|v| v.to_string()).collect::<Vec<_>>());
        }
    }
}

/// A road engine nobody answers at: exit 3, the error in bokmål by default
/// and in English with `--lang en`, and no plan folder.
#[test]
fn an_unreachable_road_engine_is_said_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let data = root().join("data/trondheim");
    let args = |lang: &'static str| {
        let mut a = plan_args(&data, &out);
        a.extend(["--router", "osrm", "--router-url", "http://127.0.0.1:1"]);
        if !lang.is_empty() {
            a.extend(["--lang", lang]);
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let run = |lang| {
        let a = args(lang);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = tilsyn(&a);
        assert_eq!(o.status.code(), Some(3), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let nb = run("");
    assert!(
        nb.starts_with("feil: ruteberegneren osrm på http://127.0.0.1:1 kan ikke nås")
            && nb.trim_end().ends_with("; ingenting er skrevet."),
        "{nb}"
    );
    let en = run("en");
    assert!(
        en.starts_with("error: the osrm engine at http://127.0.0.1:1 is unreachable")
            && en.trim_end().ends_with("; nothing was written."),
        "{en}"
    );
    assert!(!out.exists());
}
