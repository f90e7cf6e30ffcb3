//! `tilsyn compliance` on a fixture whose figures were computed by hand
//! (`tests/fixtures/compliance`, five children over 2027):
//!
//! | child | visits a year | region | visits in 2027 | periods not met |
//! | --- | --- | --- | --- | --- |
//! | K1 | 4, foster home | Trondheim | Feb 10, May 5, Aug 20 | Q4 |
//! | K2 | 4, foster home | Steinkjer | Mar 1, Jun 15, Sep 10, Nov 30 | none |
//! | K3 | 2, institution | Oslo | Apr 1 | H2 |
//! | K4 | 4, foster home, placed May 10 | Trondheim | Jun 1, Oct 10 | Q3 |
//! | K5 | 2, lodging | Namsos | Dec 1 | H1 |
//!
//! Q1: K1 and K2 due (K4 not yet placed), both met. Q2: the three
//! quarterly children and both half-yearly ones due, K5 not met. Q3: the
//! three quarterly ones, K4 not met. Q4: all five, K1 and K3 not met.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compliance")
}

fn run(visits: &str, out: &Path, span: &[&str]) -> std::process::Output {
    let data = fixture();
    let visits = data.join(visits);
    let mut args = vec![
        "compliance",
        "--data",
        data.to_str().unwrap(),
        "--visits",
        visits.to_str().unwrap(),
        "--as-of",
        "2028-01-31",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(span);
    Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args(&args)
        .output()
        .unwrap()
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// (period, kind, group) -> (due, met, not met, share).
fn figure(table: &[Vec<String>], period: &str, kind: &str, group: &str) -> (u32, u32, u32, String) {
    let r = table
        .iter()
        .find(|r| r[0] == period && r[1] == kind && r[2] == group)
        .unwrap_or_else(|| panic!("no row {period} {kind} {group}"));
    (
        r[3].parse().unwrap(),
        r[4].parse().unwrap(),
        r[5].parse().unwrap(),
        r[6].clone(),
    )
}

#[test]
fn a_year_of_history_gives_the_hand_computed_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    let o = run("visits_done.csv", &out, &["--year", "2027"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = rows(&out.join("compliance.csv"));
    assert_eq!(figure(&t, "2027Q1", "all", ""), (2, 2, 0, "0.0".into()));
    assert_eq!(figure(&t, "2027Q2", "all", ""), (5, 4, 1, "20.0".into()));
    assert_eq!(figure(&t, "2027Q3", "all", ""), (3, 2, 1, "33.3".into()));
    assert_eq!(figure(&t, "2027Q4", "all", ""), (5, 3, 2, "40.0".into()));
    // The year: a child counts as met only with every period met (K2).
    assert_eq!(figure(&t, "2027", "all", ""), (5, 1, 4, "80.0".into()));
    // Breakdowns: region from the office's municipality and county.
    assert_eq!(figure(&t, "2027Q4", "region", "Trondheim").0, 2);
    assert_eq!(figure(&t, "2027Q4", "region", "Trondheim").1, 1);
    assert_eq!(figure(&t, "2027Q4", "region", "Trøndelag ellers").1, 2);
    assert_eq!(
        figure(&t, "2027Q4", "region", "Norge ellers"),
        (1, 0, 1, "100.0".into())
    );
    assert_eq!(
        figure(&t, "2027Q2", "team", "barn"),
        (3, 2, 1, "33.3".into())
    );
    assert_eq!(
        figure(&t, "2027Q3", "team", "ungdom"),
        (1, 0, 1, "100.0".into())
    );
    assert_eq!(
        figure(&t, "2027Q2", "placement", "hybel"),
        (1, 0, 1, "100.0".into())
    );
    assert_eq!(figure(&t, "2027Q4", "placement", "institusjon").2, 1);
    // Each child not met, with its last visit and days overdue (to the
    // next visit, or to --as-of).
    let n = rows(&out.join("not_met.csv"));
    let quarters: Vec<(&str, &str, &str, &str, &str)> = n
        .iter()
        .filter(|r| r[0].contains('Q'))
        .map(|r| {
            (
                r[0].as_str(),
                r[1].as_str(),
                r[6].as_str(),
                r[8].as_str(),
                r[9].as_str(),
            )
        })
        .collect();
    assert_eq!(
        quarters,
        [
            ("2027Q2", "K5", "2027H1", "", "154"),
            ("2027Q3", "K4", "2027Q3", "2027-06-01", "10"),
            ("2027Q4", "K1", "2027Q4", "2027-08-20", "31"),
            ("2027Q4", "K3", "2027H2", "2027-04-01", "31"),
        ]
    );
    // The county governor's half-year figures: children in foster homes,
    // and of those without every required visit.
    let g = rows(&out.join("county_governor.csv"));
    assert_eq!(g, [["2027H1", "3", "0"], ["2027H2", "3", "2"]]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compliance.json")).unwrap())
            .unwrap();
    assert_eq!(json["periods"].as_array().unwrap().len(), 5);
    let terminal = String::from_utf8_lossy(&o.stdout);
    assert!(
        terminal.contains("2027Q2")
            && terminal.contains("20,0 %")
            && terminal.contains("statsforvalteren"),
        "{terminal}"
    );
}

#[test]
fn a_half_year_reports_its_quarters_and_the_half() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    let o = run("visits_done.csv", &out, &["--half", "2027H2"]);
    assert!(o.status.success());
    let t = rows(&out.join("compliance.csv"));
    assert_eq!(figure(&t, "2027Q3", "all", ""), (3, 2, 1, "33.3".into()));
    assert_eq!(figure(&t, "2027H2", "all", ""), (5, 2, 3, "60.0".into()));
    let g = rows(&out.join("county_governor.csv"));
    assert_eq!(g, [["2027H2", "3", "2"]]);
}

#[test]
fn a_bad_visits_file_names_every_problem_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    let o = run("visits_bad.csv", &out, &["--year", "2027"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("visits_bad.csv:2:2: invalid_date"), "{err}");
    assert!(err.contains("visits_bad.csv:3:1: unknown_child"), "{err}");
    assert!(
        err.contains("visits_bad.csv:4:3: unknown_caseworker"),
        "{err}"
    );
    assert!(!out.exists());
}

/// A dataset in `dir/data`: the fixture's office and caseworkers, and
/// children whose ids are the register fixture's case numbers.
fn register_dataset(dir: &Path, children: &str) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["offices.csv", "caseworkers.csv", "absences.csv"] {
        std::fs::copy(fixture().join(f), data.join(f)).unwrap();
    }
    let header =
        "child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit\n";
    std::fs::write(data.join("children.csv"), format!("{header}{children}")).unwrap();
    data
}

/// The register's XML (`tests/fixtures/register/valid.xml`): visits and a
/// frequency reduced from 4 to 2 a year on 1 July 2027 (TEST-0002), for a
/// dataset whose child ids are the register's case numbers.
#[test]
fn the_register_xml_gives_visits_and_frequency_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = register_dataset(
        tmp.path(),
        "TEST-0001,barn,S1,fosterhjem,Trondheim,63.43,10.39,4,2026-05-02,\n\
         TEST-0002,barn,S1,fosterhjem,Trondheim,63.42,10.40,4,2025-11-20,\n\
         TEST-0003,ungdom,S2,fosterhjem,Trondheim,63.41,10.41,4,2027-01-15,\n",
    );
    let register =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register/valid.xml");
    let out = tmp.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args(["compliance", "--data", data.to_str().unwrap(), "--visits"])
        .arg(&register)
        .args([
            "--year",
            "2027",
            "--as-of",
            "2028-01-31",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = rows(&out.join("compliance.csv"));
    // TEST-0001 visited every quarter; TEST-0002 in Q1, Q2 and (now on 2 a
    // year) in H2, so it owes nothing in Q3; TEST-0003 never.
    assert_eq!(figure(&t, "2027Q1", "all", "").0, 3);
    assert_eq!(figure(&t, "2027Q1", "all", "").1, 2);
    assert_eq!(figure(&t, "2027Q3", "all", ""), (2, 1, 1, "50.0".into()));
    assert_eq!(figure(&t, "2027Q4", "all", ""), (3, 2, 1, "33.3".into()));
    assert_eq!(figure(&t, "2027", "all", ""), (3, 2, 1, "33.3".into()));
    // A register file with problems: exit 2, its line named.
    let bad =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register/bad_frequency.xml");
    let o = Command::new(env!("CARGO_BIN_EXE_tilsyn"))
        .args(["compliance", "--data", data.to_str().unwrap(), "--visits"])
        .arg(&bad)
        .args([
            "--year",
            "2027",
            "--out",
            tmp.path().join("bad").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad_frequency.xml:14:"), "{err}");
    assert!(!tmp.path().join("bad").exists());
}

/// `plan --visits`: the register's frequency in force replaces
/// `visits_per_year` (TEST-0002 is on 2 a year from July 2027, so owes
/// nothing in 2028Q1), and its last visit replaces `last_visit`.
#[test]
fn plan_starts_from_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let data = register_dataset(
        tmp.path(),
        "TEST-0001,barn,S1,fosterhjem,Trondheim,63.43,10.39,4,2026-05-02,2026-01-01\n\
         TEST-0002,barn,S1,fosterhjem,Trondheim,63.42,10.40,4,2025-11-20,2026-01-01\n",
    );
    let register =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register/valid.xml");
    let plan = |extra: &[&std::ffi::OsStr]| {
        let out = tmp.path().join("plan");
        let o = Command::new(env!("CARGO_BIN_EXE_tilsyn"))
            .args([
                "plan",
                "--data",
                data.to_str().unwrap(),
                "--quarter",
                "2028Q1",
            ])
            .args(["--out", out.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        summary["visits_required"].as_u64().unwrap()
    };
    assert_eq!(plan(&[]), 2);
    assert_eq!(plan(&["--visits".as_ref(), register.as_os_str()]), 1);
}
