//! Whole-folder tests of `load_dataset`: a good folder loads, the Excel
//! dialect loads, and each problem code comes from a tiny bad input at the
//! right file, line and column. Each test writes a folder with `tempfile`.

use super::load_dataset;
use crate::diagnostics::{Problem, Problems};
use crate::i18n::{with_lang, Lang};
use crate::model::{Dataset, Frequency, Placement};
use chrono::NaiveDate;
use std::path::Path;
use tempfile::TempDir;

const OFFICES: &str = "\
office_id,name,lat,lon
K1,Trondheim,63.4305,10.3951
K2,Steinkjer,64.0149,11.4954
";
const CASEWORKERS: &str = "\
caseworker_id,name,team,office_id,fte
S01,Saksbehandler 1,barn,K1,1
S02,Saksbehandler 2,ungdom,K1,0.8
S03,Saksbehandler 3,barn,K2,1
";
const ABSENCES: &str = "\
caseworker_id,from,to,reason
S02,2027-07-05,2027-07-23,ferie
";
const CHILDREN: &str = "\
child_id,team,caseworker_id,placement,place,lat,lon,visits_per_year,placed_since,last_visit
B0001,barn,S01,fosterhjem,Orkanger,63.3000,9.8500,4,2024-05-01,2026-11-20
B0002,ungdom,S02,institusjon,Levanger,63.7460,11.2990,4,2025-01-15,
B0003,barn,S03,hybel,Namsos,64.4660,11.4950,2,2023-08-10,2026-09-02
";

/// A folder holding the good dataset with `changes` applied: `Some(text)`
/// replaces a file, `None` removes it.
fn folder(changes: &[(&str, Option<&str>)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("offices.csv", OFFICES),
        ("caseworkers.csv", CASEWORKERS),
        ("absences.csv", ABSENCES),
        ("children.csv", CHILDREN),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    for (name, change) in changes {
        let path = dir.path().join(name);
        match change {
            Some(text) => std::fs::write(path, text).unwrap(),
            None => std::fs::remove_file(path).unwrap(),
        }
    }
    dir
}

fn load(changes: &[(&str, Option<&str>)]) -> Result<Dataset, Problems> {
    let dir = folder(changes);
    load_dataset(dir.path(), None)
}

/// Loads with one file replaced and returns the single problem found.
fn only_problem(file: &str, text: &str) -> Problem {
    let problems = load(&[(file, Some(text))]).expect_err("should fail");
    assert_eq!(problems.len(), 1, "{problems}");
    problems.0[0].clone()
}

fn assert_at(p: &Problem, code: &str, file: &str, line: u64, column: u64) {
    assert_eq!(
        (p.code, p.file.as_str(), p.line, p.column),
        (code, file, Some(line), Some(column)),
        "{p}"
    );
    assert!(p.hint.is_some(), "{p} has no hint");
}

/// The good children file with one row replaced (`row` 1 is line 2).
fn children_with(row: usize, text: &str) -> String {
    let mut lines: Vec<&str> = CHILDREN.lines().collect();
    lines[row] = text;
    lines.join("\n") + "\n"
}

#[test]
fn good_folder_loads_with_references_resolved_in_file_order() {
    let d = load(&[]).unwrap();
    assert_eq!((d.offices.len(), d.caseworkers.len()), (2, 3));
    assert_eq!(d.caseworkers[2].office, 1);
    assert_eq!(d.caseworkers[1].fte, 0.8);
    assert_eq!(d.absences[0].caseworker, 1);
    assert_eq!(d.absences[0].reason, "ferie");
    let ids: Vec<&str> = d.children.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["B0001", "B0002", "B0003"]);
    assert_eq!(d.children[2].caseworker, 2);
    assert_eq!(d.children[2].frequency, Frequency::HalfYearly);
    assert_eq!(d.children[1].placement, Placement::Institusjon);
    assert_eq!(d.children[1].last_visit, None);
    assert_eq!(d.children[0].location.lat, 63.3);
    assert_eq!(d.settings.visits.minutes, 90);
}

#[test]
fn excel_dialect_with_semicolons_decimal_commas_and_bom_loads() {
    let offices = "\u{feff}Office_ID ; Name ; Lat ; Lon ; note\r\n\
                   K1;Trondheim;63,4305;10,3951;hovedkontor\r\n\
                   K2;Steinkjer;64,0149;11,4954;\r\n";
    let caseworkers = "\u{feff}caseworker_id;name;team;office_id;fte\r\n\
                       S01;Saksbehandler 1;barn;K1;1\r\n\r\n\
                       S02;\"Hansen; Kari\";ungdom;K1;0,8\r\nS03;S3;barn;K2;1\r\n";
    let d = load(&[
        ("offices.csv", Some(offices)),
        ("caseworkers.csv", Some(caseworkers)),
    ])
    .unwrap();
    assert_eq!(d.offices[0].location.lat, 63.4305);
    assert_eq!(d.offices[1].location.lon, 11.4954);
    assert_eq!(d.caseworkers[1].name, "Hansen; Kari");
    assert_eq!(d.caseworkers[1].fte, 0.8);
}

#[test]
fn absences_may_be_empty_but_must_exist() {
    assert!(load(&[("absences.csv", Some(""))])
        .unwrap()
        .absences
        .is_empty());
    assert!(load(&[("absences.csv", Some("caseworker_id,from,to,reason\n"))]).is_ok());
    let p = load(&[("absences.csv", None)]).unwrap_err();
    assert_eq!(p.codes(), vec!["missing_file"]);
    assert_eq!(p.0[0].file, "absences.csv");
}

#[test]
fn a_department_may_have_no_children() {
    assert!(load(&[("children.csv", Some(""))])
        .unwrap()
        .children
        .is_empty());
    let header = CHILDREN.lines().next().unwrap();
    assert!(load(&[("children.csv", Some(header))]).is_ok());
}

#[test]
fn last_visit_before_placement_and_empty_reason_are_fine() {
    let row = "B0001,barn,S01,fosterhjem,Orkanger,63.3,9.85,4,2024-05-01,2023-01-01";
    let absences = "caseworker_id,from,to,reason\nS01,2027-01-04,2027-01-04,\n";
    let d = load(&[
        ("children.csv", Some(&children_with(1, row))),
        ("absences.csv", Some(absences)),
    ])
    .unwrap();
    assert_eq!(
        d.children[0].last_visit,
        NaiveDate::from_ymd_opt(2023, 1, 1)
    );
    assert_eq!(d.absences[0].reason, "");
}

#[test]
fn missing_file_and_unreadable_file() {
    let p = load(&[("offices.csv", None)]).unwrap_err();
    assert_eq!(p.codes(), vec!["missing_file"]);
    let dir = folder(&[]);
    std::fs::write(dir.path().join("children.csv"), b"child_id\nB\xf8\n").unwrap();
    let p = load_dataset(dir.path(), None).unwrap_err();
    assert_eq!(p.codes(), vec!["unreadable_file"]);
    assert_eq!(
        (p.0[0].file.as_str(), p.0[0].line),
        ("children.csv", Some(2))
    );
}

#[test]
fn missing_column_is_on_the_header_line() {
    let p = only_problem("offices.csv", "office_id,name,lat\nK1,T,63.4\nK2,S,64.0\n");
    assert_eq!(
        (p.code, p.line, p.column),
        ("missing_column", Some(1), None)
    );
    assert!(p.message.contains("lon"));
}

#[test]
fn wrong_field_count_row_is_reported_not_parsed() {
    let text = CASEWORKERS.replace(
        "S03,Saksbehandler 3,barn,K2,1",
        "S03,Saksbehandler 3,barn,K2",
    );
    assert_at(
        &only_problem("caseworkers.csv", &text),
        "wrong_field_count",
        "caseworkers.csv",
        4,
        5,
    );
}

/// Line, column, expected code, and the row written on that line of
/// children.csv (each case changes one row of the good file).
const CHILD_CASES: &str = "
2  4 empty_value             B0001,barn,S01,,Orkanger,63.3,9.85,4,2024-05-01,
3  6 invalid_number          B0002,ungdom,S02,hybel,Skogn,63.7x,11.3,4,2025-01-15,
4  6 lat_out_of_range        B0003,barn,S03,hybel,Namsos,164.4,11.5,2,2023-08-10,
4  7 lon_out_of_range        B0003,barn,S03,hybel,Namsos,64.4,-181,2,2023-08-10,
2  8 invalid_visits_per_year B0001,barn,S01,hybel,Lund,63.3,9.85,3,2024-05-01,
2  8 invalid_number          B0001,barn,S01,hybel,Lund,63.3,9.85,fire,2024-05-01,
3 10 invalid_date            B0002,ungdom,S02,hybel,Skogn,63.7,11.3,4,2025-01-15,2026-13-01
4  1 duplicate_id            B0001,barn,S03,hybel,Namsos,64.4,11.5,2,2023-08-10,
3  3 unknown_caseworker      B0002,ungdom,S99,hybel,Skogn,63.7,11.3,4,2025-01-15,
3  2 unknown_team            B0002,voksen,S02,hybel,Skogn,63.7,11.3,4,2025-01-15,
3  2 team_mismatch           B0002,barn,S02,hybel,Skogn,63.7,11.3,4,2025-01-15,
";

#[test]
fn value_problems_point_at_line_and_field() {
    for case in CHILD_CASES.lines().filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = case.split_whitespace().collect();
        let [line, column, code, text] = parts.as_slice() else {
            panic!("bad case {case}");
        };
        let (line, column): (u64, u64) = (line.parse().unwrap(), column.parse().unwrap());
        let p = only_problem("children.csv", &children_with(line as usize - 1, text));
        assert_at(&p, code, "children.csv", line, column);
    }
}

#[test]
fn invalid_date_hint_gives_the_strict_form() {
    let row = "B0001,barn,S01,fosterhjem,Orkanger,63.3,9.85,4,15.03.2027,";
    let p = only_problem("children.csv", &children_with(1, row));
    assert_at(&p, "invalid_date", "children.csv", 2, 9);
    assert_eq!(p.hint.as_deref(), Some("write 2027-03-15"));
}

#[test]
fn office_and_caseworker_problems() {
    let offices = "office_id,name,lat,lon\nK1,Trondheim,63.43,10.39\nK2,Steinkjer,64.01,191.5\n";
    assert_at(
        &only_problem("offices.csv", offices),
        "lon_out_of_range",
        "offices.csv",
        3,
        4,
    );
    let text = CASEWORKERS.replace("S02,Saksbehandler 2,ungdom,K1,0.8", "S02,S2,ungdom,K9,0.8");
    assert_at(
        &only_problem("caseworkers.csv", &text),
        "unknown_office",
        "caseworkers.csv",
        3,
        4,
    );
    let text = CASEWORKERS.replace("0.8", "80");
    let p = only_problem("caseworkers.csv", &text);
    assert_at(&p, "fte_out_of_range", "caseworkers.csv", 3, 5);
    assert!(p.hint.as_deref().unwrap().contains("0.8"), "{p}");
    let text = CASEWORKERS.replace("0.8", "0");
    assert_at(
        &only_problem("caseworkers.csv", &text),
        "fte_out_of_range",
        "caseworkers.csv",
        3,
        5,
    );
}

#[test]
fn absence_problems() {
    let backwards = "caseworker_id,from,to,reason\nS02,2027-07-23,2027-07-05,ferie\n";
    let p = only_problem("absences.csv", backwards);
    assert_at(&p, "absence_ends_before_start", "absences.csv", 2, 3);
    let unknown = "caseworker_id,from,to,reason\n\nS22,2027-07-05,2027-07-23,ferie\n";
    assert_at(
        &only_problem("absences.csv", unknown),
        "unknown_caseworker",
        "absences.csv",
        3,
        1,
    );
}

#[test]
fn offices_and_caseworkers_need_rows() {
    let p = only_problem("offices.csv", "office_id,name,lat,lon\n");
    assert_eq!((p.code, p.file.as_str()), ("no_offices", "offices.csv"));
    let p = only_problem("caseworkers.csv", "");
    assert_eq!(
        (p.code, p.file.as_str()),
        ("no_caseworkers", "caseworkers.csv")
    );
}

#[test]
fn decimal_comma_is_refused_in_comma_files() {
    let offices = "office_id,name,lat,lon\nK1,Trondheim,\"63,43\",10.39\nK2,S,64.0,11.5\n";
    let p = only_problem("offices.csv", offices);
    assert_at(&p, "invalid_number", "offices.csv", 2, 3);
    assert!(p.hint.as_deref().unwrap().contains("63.43"));
}

#[test]
fn references_are_not_checked_for_rows_with_bad_values() {
    // Unknown caseworker S99, but the row's lat is bad too: one problem only.
    let row = "B0002,ungdom,S99,hybel,Levanger,x,11.3,4,2025-01-15,";
    let p = only_problem("children.csv", &children_with(2, row));
    assert_eq!(p.code, "invalid_number");
    // A caseworker with a bad fte still exists for its children.
    let text = CASEWORKERS.replace("0.8", "1.5");
    assert_eq!(
        only_problem("caseworkers.csv", &text).code,
        "fte_out_of_range"
    );
}

#[test]
fn several_problems_in_several_files_are_all_reported_in_order() {
    let offices = "office_id,name,lat,lon\nK1,Trondheim,63.43,10.39\nK1,Steinkjer,64.01,11.49\n";
    let children = children_with(3, "B0003,barn,S03,hybel,,64.4,x,2,2023-8-10,");
    let problems = load(&[
        ("offices.csv", Some(offices)),
        ("children.csv", Some(&children)),
        ("absences.csv", None),
    ])
    .unwrap_err();
    let expected = [
        "absences.csv:-:- missing_file",
        "caseworkers.csv:4:4 unknown_office",
        "children.csv:4:5 empty_value",
        "children.csv:4:7 invalid_number",
        "children.csv:4:9 invalid_date",
        "offices.csv:3:1 duplicate_id",
    ];
    assert_eq!(located(&problems), expected);
}

/// Each problem as `file:line:column code`, `-` where there is no line or column.
fn located(problems: &Problems) -> Vec<String> {
    let show = |n: Option<u64>| n.map_or("-".to_string(), |n| n.to_string());
    let each = problems.0.iter();
    each.map(|p| format!("{}:{}:{} {}", p.file, show(p.line), show(p.column), p.code))
        .collect()
}

#[test]
fn settings_file_is_optional_checked_and_overridable() {
    let dir = folder(&[]);
    std::fs::write(
        dir.path().join("settings.toml"),
        "[visits]\nminutes = 120\n",
    )
    .unwrap();
    assert_eq!(
        load_dataset(dir.path(), None)
            .unwrap()
            .settings
            .visits
            .minutes,
        120
    );
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "[visits]\nminutes = 60\n").unwrap();
    let d = load_dataset(dir.path(), Some(&other)).unwrap();
    assert_eq!(d.settings.visits.minutes, 60);
    std::fs::write(dir.path().join("settings.toml"), "[visits]\nminuter = 1\n").unwrap();
    let p = load_dataset(dir.path(), None).unwrap_err();
    assert_eq!(
        (p.0[0].file.as_str(), p.0[0].code),
        ("settings.toml", "invalid_setting")
    );
    let p = load_dataset(dir.path(), Some(Path::new("/nonexistent/x.toml"))).unwrap_err();
    assert_eq!(p.codes(), vec!["missing_file"]);
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn semicolon_excel_fixture_loads() {
    let d = load_dataset(&fixture("semicolon_excel"), None).unwrap();
    assert_eq!(d.offices[0].location.lat, 63.3615);
    assert_eq!(d.offices[0].location.lon, 10.3803);
    assert_eq!((d.caseworkers.len(), d.children.len()), (2, 3));
    assert_eq!(d.caseworkers[1].fte, 0.8);
    assert_eq!(d.children[1].place, "Stjørdal");
}

/// The fixture's README lists `file:line:column code` in backticks; the
/// loader must report exactly those, in that order.
#[test]
fn bad_many_problems_fixture_reports_what_its_readme_lists() {
    let dir = fixture("bad_many_problems");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let expected: Vec<&str> = readme.split('`').skip(1).step_by(2).collect();
    let problems = load_dataset(&dir, None).unwrap_err();
    assert_eq!(located(&problems), expected);
}

/// Each problem as printed.
fn printed(problems: &Problems) -> Vec<String> {
    problems.0.iter().map(|p| p.to_string()).collect()
}

#[test]
fn bad_many_problems_fixture_reads_in_bokmal() {
    let printed = with_lang(Lang::Nb, || {
        printed(&load_dataset(&fixture("bad_many_problems"), None).unwrap_err())
    });
    assert_eq!(
        printed,
        [
            "absences.csv:2:3: absence_ends_before_start: fraværet slutter (2027-07-05) før det \
             begynner (2027-07-23) (tips: `from` er første fraværsdag og `to` den siste, begge \
             medregnet)",
            "caseworkers.csv:3:4: unknown_office: `office_id` «K3» finnes ikke i offices.csv \
             (tips: bruk en id fra offices.csv (K1, K2); det skilles mellom store og små bokstaver)",
            "caseworkers.csv:4:5: fte_out_of_range: fte «80» er utenfor gyldig område \
             (tips: skriv andelen av en hel stilling: 0.8 for 80 %)",
            "children.csv:2:9: invalid_date: `placed_since` «15.03.2024» er ikke en dato \
             (ÅÅÅÅ-MM-DD) (tips: skriv 2024-03-15)",
            "children.csv:3:8: invalid_visits_per_year: visits_per_year «3» er verken 4 eller 2 \
             (tips: skriv 4 (ett besøk hvert kvartal) eller 2 (hvert halvår))",
            "children.csv:4:2: team_mismatch: team «barn» er ikke teamet til saksbehandler S02 \
             («ungdom») (tips: rett barnets team eller caseworker_id)",
            "children.csv:5:1: duplicate_id: barn `B0001` finnes mer enn én gang \
             (tips: id-en er allerede brukt på linje 2; hver id må være unik)",
            "offices.csv:3:4: lon_out_of_range: lon «191.4954» er utenfor gyldig område \
             (tips: lengdegraden ligger mellom -180 og 180 (Norge: 4 til 32))",
        ]
    );
}

#[test]
fn bad_many_problems_fixture_reads_in_english() {
    let printed = with_lang(Lang::En, || {
        printed(&load_dataset(&fixture("bad_many_problems"), None).unwrap_err())
    });
    assert_eq!(
        printed[2],
        "caseworkers.csv:4:5: fte_out_of_range: fte 80 is out of range \
         (hint: write the share of a full position: 0.8 for 80 %)"
    );
    assert_eq!(
        printed[3],
        "children.csv:2:9: invalid_date: `placed_since` \"15.03.2024\" is not a date \
         (YYYY-MM-DD) (hint: write 2024-03-15)"
    );
    assert_eq!(
        printed[5],
        "children.csv:4:2: team_mismatch: team \"barn\" differs from caseworker S02's team \
         \"ungdom\" (hint: fix the child's team or its caseworker_id)"
    );
}

#[test]
fn numbers_columns_and_references_in_bokmal() {
    with_lang(Lang::Nb, || {
        let row = "B0002,ungdom,S02,hybel,Skogn,63.7x,11.3,4,2025-01-15,";
        let p = only_problem("children.csv", &children_with(2, row));
        assert_eq!(p.message, "`lat` «63.7x» er ikke et tall");
        assert_eq!(p.hint.as_deref(), Some("skriv et desimaltall som 63.43"));
        let p = only_problem("offices.csv", "office_id,name,lat\nK1,T,63.4\n");
        assert_eq!(p.message, "kolonnen `lon` mangler i overskriftsraden");
        let unknown = "caseworker_id,from,to,reason\n\nS22,2027-07-05,2027-07-23,ferie\n";
        let p = only_problem("absences.csv", unknown);
        assert_eq!(
            p.to_string(),
            "absences.csv:3:1: unknown_caseworker: `caseworker_id` «S22» finnes ikke i \
             caseworkers.csv (tips: bruk en id fra caseworkers.csv (S01, S02, S03); det skilles \
             mellom store og små bokstaver)"
        );
        let row = "B0002,voksen,S02,hybel,Skogn,63.7,11.3,4,2025-01-15,";
        let p = only_problem("children.csv", &children_with(2, row));
        assert_eq!(
            p.message,
            "team «voksen» er ikke teamet til noen saksbehandler"
        );
        let p = only_problem("caseworkers.csv", "");
        assert_eq!(
            p.to_string(),
            "caseworkers.csv: no_caseworkers: caseworkers.csv har ingen saksbehandlere \
             (tips: legg til minst én saksbehandler, én per rad under overskriftsraden)"
        );
        let p = only_problem("offices.csv", "office_id,name,lat,lon\n");
        assert_eq!(
            p.hint.as_deref(),
            Some("legg til minst ett kontor, ett per rad under overskriftsraden")
        );
    });
}

#[test]
fn excel_files_get_hints_with_a_decimal_comma_in_bokmal() {
    with_lang(Lang::Nb, || {
        let offices = "office_id;name;lat;lon\nK1;Trondheim;63,43;10,39\nK2;S;64,01;191,5\n";
        let p = only_problem("offices.csv", offices);
        assert_eq!(p.message, "lon «191,5» er utenfor gyldig område");
        let text = "caseworker_id;name;team;office_id;fte\nS01;A;barn;K1;1\n\
                    S02;B;ungdom;K1;80\nS03;C;barn;K2;1\n";
        let p = only_problem("caseworkers.csv", text);
        assert_eq!(
            p.hint.as_deref(),
            Some("skriv andelen av en hel stilling: 0,8 for 80 %")
        );
    });
}

#[test]
fn a_missing_settings_file_in_bokmal_and_english() {
    let dir = folder(&[]);
    let missing = Path::new("/nonexistent/x.toml");
    let first = || load_dataset(dir.path(), Some(missing)).unwrap_err().0[0].to_string();
    assert_eq!(
        with_lang(Lang::Nb, first),
        "/nonexistent/x.toml: missing_file: fant ikke /nonexistent/x.toml \
         (tips: sjekk stien som er oppgitt til innstillingsfilen)"
    );
    assert_eq!(
        with_lang(Lang::En, first),
        "/nonexistent/x.toml: missing_file: /nonexistent/x.toml was not found \
         (hint: check the path given for the settings file)"
    );
}

/// The problems of a visits file with an unknown child, a bad date, an
/// unknown caseworker and a bad status, as printed with the folder cut off.
fn visit_problems() -> Vec<String> {
    let dir = folder(&[]);
    let data = load_dataset(dir.path(), None).unwrap();
    let path = dir.path().join("visits_done.csv");
    let text = "child_id,date,caseworker_id,status\n\
                B0009,2027-01-10,S01,\n\
                B0001,10.01.2027,S09,kanskje\n";
    std::fs::write(&path, text).unwrap();
    let problems = super::visits_done(&path, &data).unwrap_err();
    let prefix = format!("{}:", path.display());
    let each = printed(&problems).into_iter();
    each.map(|p| p.replacen(&prefix, "visits_done.csv:", 1))
        .collect()
}

#[test]
fn visits_file_problems_in_bokmal() {
    assert_eq!(
        with_lang(Lang::Nb, visit_problems),
        [
            "visits_done.csv:2:1: unknown_child: `child_id` «B0009» finnes ikke i children.csv \
             (tips: et besøk telles bare for barn i datasettet; sjekk id-en)",
            "visits_done.csv:3:2: invalid_date: `date` «10.01.2027» er ikke en dato (ÅÅÅÅ-MM-DD) \
             (tips: skriv 2027-01-10)",
            "visits_done.csv:3:4: bad_value: `status` «kanskje» er verken done eller confirmed \
             (tips: la feltet stå tomt eller skriv done (eller utført) for et gjennomført besøk, \
             confirmed (eller bekreftet) for et planlagt besøk som er avtalt med hjemmet)",
            "visits_done.csv:3:3: unknown_caseworker: `caseworker_id` «S09» finnes ikke i \
             caseworkers.csv (tips: la feltet stå tomt hvis besøket ble gjort av noen utenfor \
             avdelingen)",
        ]
    );
}

#[test]
fn visits_file_problems_in_english() {
    assert_eq!(
        with_lang(Lang::En, visit_problems),
        [
            "visits_done.csv:2:1: unknown_child: `child_id` \"B0009\" is not in children.csv \
             (hint: a visit is counted for a child of the dataset; check the id)",
            "visits_done.csv:3:2: invalid_date: `date` \"10.01.2027\" is not a date (YYYY-MM-DD) \
             (hint: write 2027-01-10)",
            "visits_done.csv:3:4: bad_value: `status` \"kanskje\" is neither done nor confirmed \
             (hint: leave it empty or write done for a visit made, confirmed for a planned visit \
             agreed with the home)",
            "visits_done.csv:3:3: unknown_caseworker: `caseworker_id` \"S09\" is not in \
             caseworkers.csv (hint: leave it empty if the visit was made by someone outside the \
             department)",
        ]
    );
}

/// An id names a calendar file and lands in every output: one that would
/// lead out of the plan's folder, or holds a control character, is refused
/// where it stands.
#[test]
fn ids_that_could_not_name_a_file_are_refused_at_their_place() {
    let text = CASEWORKERS.replace("S02,Saksbehandler 2", "../../S02,Saksbehandler 2");
    let problems = load(&[("caseworkers.csv", Some(&text))]).expect_err("should fail");
    assert_at(invalid_id(&problems), "invalid_id", "caseworkers.csv", 3, 1);
    let text = children_with(
        2,
        &CHILDREN
            .lines()
            .nth(2)
            .unwrap()
            .replace("B0002", "B00\u{0}2"),
    );
    assert_at(
        &only_problem("children.csv", &text),
        "invalid_id",
        "children.csv",
        3,
        1,
    );
    let text = OFFICES.replace("K2,Steinkjer", "..,Steinkjer");
    let problems = load(&[("offices.csv", Some(&text))]).expect_err("should fail");
    assert_at(invalid_id(&problems), "invalid_id", "offices.csv", 3, 1);
    let long = "S".repeat(crate::input::fields::MAX_ID_CHARS + 1);
    let text = CASEWORKERS.replace("S01,", &format!("{long},"));
    let problems = load(&[("caseworkers.csv", Some(&text))]).expect_err("should fail");
    assert_at(invalid_id(&problems), "invalid_id", "caseworkers.csv", 2, 1);
    // 64 characters, but 256 bytes: no file can be named after it.
    let wide = "\u{1F600}".repeat(crate::input::fields::MAX_ID_CHARS);
    let text = CASEWORKERS.replace("S01,", &format!("{wide},"));
    let problems = load(&[("caseworkers.csv", Some(&text))]).expect_err("should fail");
    assert_at(invalid_id(&problems), "invalid_id", "caseworkers.csv", 2, 1);
    // 64 Norwegian letters (128 bytes) are an id.
    let norwegian = "Ø".repeat(crate::input::fields::MAX_ID_CHARS);
    let text = CASEWORKERS
        .replace("S01,", &format!("{norwegian},"))
        .replace(",S01,", &format!(",{norwegian},"));
    let children = CHILDREN.replace(",S01,", &format!(",{norwegian},"));
    assert!(load(&[
        ("caseworkers.csv", Some(&text)),
        ("children.csv", Some(&children))
    ])
    .is_ok());
    // Letters beyond ASCII, spaces and dots inside are ids like any other.
    let text = CASEWORKERS
        .replace("S01,", "Ø 1.a,")
        .replace(",S01,", ",Ø 1.a,");
    let children = CHILDREN.replace(",S01,", ",Ø 1.a,");
    assert!(load(&[
        ("caseworkers.csv", Some(&text)),
        ("children.csv", Some(&children))
    ])
    .is_ok());
}

/// The `invalid_id` problem among `problems` (references to the refused id
/// are reported too).
fn invalid_id(problems: &Problems) -> &Problem {
    let found = problems.0.iter().find(|p| p.code == "invalid_id");
    found.unwrap_or_else(|| panic!("no invalid_id in {problems}"))
}

/// Dates outside the planner's calendar are refused where they stand, so
/// no output ever carries a year it cannot write.
#[test]
fn dates_outside_the_planners_years_are_refused() {
    let text = CHILDREN.replace("2026-11-20", "9999-12-31");
    let p = only_problem("children.csv", &text);
    assert_at(&p, "invalid_date", "children.csv", 2, 10);
    assert!(p.hint.as_deref().unwrap().contains("2200"), "{p}");
    let text = CHILDREN.replace("2024-05-01", "1899-12-31");
    assert_at(
        &only_problem("children.csv", &text),
        "invalid_date",
        "children.csv",
        2,
        9,
    );
}

/// An unclosed quote takes the rest of caseworkers.csv with it: that broken
/// row is the one problem reported, not every child and absence naming a
/// caseworker whose row it swallowed.
#[test]
fn a_broken_row_is_not_buried_under_the_references_it_breaks() {
    let text = CASEWORKERS.replace("S01,Saksbehandler 1", "S01,\"Saksbehandler 1");
    let problems = load(&[("caseworkers.csv", Some(&text))]).expect_err("should fail");
    assert_eq!(problems.codes(), vec!["wrong_field_count"], "{problems}");
    assert_eq!(problems.0[0].line, Some(2), "{problems}");
}

/// A pipe in place of a file is refused at once, not read until it ends
/// (which, with no writer, is never).
#[cfg(unix)]
#[test]
fn a_pipe_in_place_of_a_file_is_unreadable_not_waited_for() {
    let dir = folder(&[("children.csv", None)]);
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("children.csv"))
        .status()
        .unwrap();
    assert!(made.success());
    let problems = load_dataset(dir.path(), None).expect_err("should fail");
    assert_eq!(problems.codes(), vec!["unreadable_file"], "{problems}");
    assert_eq!(problems.0[0].file, "children.csv");
    // The same for a settings file given on the command line.
    let dir = folder(&[]);
    let settings = dir.path().join("s.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&settings)
        .status()
        .unwrap();
    assert!(made.success());
    let problems = load_dataset(dir.path(), Some(&settings)).expect_err("should fail");
    assert_eq!(problems.codes(), vec!["unreadable_file"], "{problems}");
}

/// A folder that is not there is one problem, at the folder, not one per
/// file it should hold.
#[test]
fn a_missing_dataset_folder_is_one_problem_at_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("nope");
    let problems = load_dataset(&gone, None).expect_err("should fail");
    assert_eq!(problems.codes(), vec!["missing_file"], "{problems}");
    assert_eq!(problems.0[0].file, gone.display().to_string());
}
