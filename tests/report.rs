//! `report.html` end to end: written with every plan and by `tilsyn
//! report`, self-contained, with the map, the charts and the visits not
//! planned first, in Norwegian bokmål and English, naming no one.
//! (`tests/report/check_report.py` renders it in Chromium; `.ci/run` runs that.)

use std::fs;
use std::path::Path;
use std::process::Output;

mod common;
use common::{root, tilsyn};

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "tilsyn failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Plans `data` for `quarter` (and any extra arguments) into `<tmp>/plan`.
fn plan(data: &Path, quarter: &str, extra: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let mut args = vec![
        "plan",
        "--data",
        data.to_str().unwrap(),
        "--quarter",
        quarter,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(tilsyn(&args));
    tmp
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

/// The page asks for nothing outside itself.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "<script src",
        "<link",
        "src=\"http",
        "src=\"//",
        "href=\"http",
        "href=\"//",
        "url(",
        "@import",
    ] {
        assert!(!lower.contains(bad), "report.html has {bad}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
}

/// The part of `html` from `start` to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("summary.json"))).unwrap()
}

#[test]
fn trondheim_report_has_the_map_the_charts_and_no_names_in_both_languages() {
    let data = root().join("data/trondheim");
    let t = plan(&data, "2027Q1", &[]);
    let dir = t.path().join("plan");
    let path = dir.join("report.html");
    let html = read(&path);
    assert_self_contained(&html);
    assert!(html.len() < 1_500_000, "{} bytes", html.len());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "report.html is {mode:o}");
    }
    let s = summary(&dir);

    // Norwegian by default: headings, dates and money in Norwegian style.
    assert!(html.contains(r#"<html lang="nb">"#));
    for heading in [
        "Besøksplan 2027Q1",
        "Besøk som ikke er planlagt",
        "Kostnad etter art",
        "Besøk per uke",
        "Besøk per saksbehandler og uke",
        "Reiser per saksbehandler",
    ] {
        assert!(html.contains(heading), "no heading {heading}");
    }
    assert!(html.contains("01.01.2027 – 31.03.2027"));
    assert!(html.contains("\u{a0}kr<"), "money as 1 234 kr");

    // The map: Norway's outline (embedded, drawn in both panels), a dot
    // per child of the dataset and a line per trip in the detail panel.
    let outline = between(&html, r#"<path id="norway-outline" d=""#, "/>");
    assert!(outline.len() > 10_000, "the outline is drawn");
    assert_eq!(html.matches(r##"<use href="#norway-outline""##).count(), 2);
    let zoom = between(&html, r#"<svg id="map-zoom""#, "</svg>");
    assert_eq!(
        zoom.matches(r#"<circle class="dot "#).count() as u64,
        s["children"].as_u64().unwrap()
    );
    assert_eq!(
        zoom.matches(r#"<g class="trip""#).count() as u64,
        s["trips"].as_u64().unwrap()
    );
    assert!(
        zoom.contains(r#"class="dot not_due""#),
        "half-yearly children are not due in Q1"
    );
    assert!(zoom.contains(r#"class="air""#), "flights are drawn as arcs");
    assert!(zoom.contains(r#"class="office""#));
    for id in ["chart-cost", "chart-weeks", "chart-workload", "cw-select"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "no #{id}");
    }
    assert!(
        !html.contains(r#"id="chart-compliance""#),
        "no history given"
    );

    // The visits not planned come first, right after the headline.
    let order: Vec<usize> = [
        r#"id="headline""#,
        r#"id="unmet""#,
        r#"id="map""#,
        r#"id="charts""#,
    ]
    .iter()
    .map(|id| html.find(id).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    // Caseworkers by id and team, never by name.
    let mut names = csv::Reader::from_path(data.join("caseworkers.csv")).unwrap();
    for row in names.records() {
        let row = row.unwrap();
        let (id, name) = (&row[0], &row[1]);
        assert!(html.contains(id));
        assert!(!html.contains(name), "{name} appears in the report");
        for part in name.split_whitespace().filter(|p| p.len() > 3) {
            assert!(
                !html.contains(part),
                "{part} of {name} appears in the report"
            );
        }
    }

    // English from the written folder, next to it.
    let en = dir.join("report.en.html");
    let o = ok(tilsyn(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--plan",
        dir.to_str().unwrap(),
        "--lang",
        "en",
        "--out",
        en.to_str().unwrap(),
    ]));
    assert!(String::from_utf8_lossy(&o.stdout).contains("report.en.html"));
    let english = read(&en);
    assert_self_contained(&english);
    assert!(english.contains(r#"<html lang="en">"#));
    for heading in [
        "Visit plan 2027Q1",
        "Visits not planned",
        "Cost by kind",
        "Visits per week",
        "Trips per caseworker",
        "2027-01-01 – 2027-03-31",
    ] {
        assert!(english.contains(heading), "no {heading}");
    }
    assert!(english.contains(">NOK "));
    assert!(!english.contains("Besøk som ikke er planlagt"));

    // Read back from the folder, the Norwegian report is the one the plan
    // wrote: the reader loses nothing the page shows.
    ok(tilsyn(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--plan",
        dir.to_str().unwrap(),
    ]));
    assert_eq!(read(&path), html);
}

#[test]
fn unmet_visits_are_listed_first_with_their_reason_in_each_language() {
    let data = root().join("tests/fixtures/absent_caseworker");
    let t = plan(&data, "2027Q1", &[]);
    let html = read(&t.path().join("plan/report.html"));
    let unmet = between(&html, r#"<section id="unmet">"#, "</section>");
    assert!(unmet.contains("B0002") && unmet.contains("S02"), "{unmet}");
    assert!(unmet.contains("Saksbehandler borte"), "{unmet}");
    assert!(unmet.contains("01.01.2027 – 31.03.2027"), "{unmet}");
    let zoom = between(&html, r#"<svg id="map-zoom""#, "</svg>");
    assert_eq!(zoom.matches(r#"class="dot unmet""#).count(), 1);

    let t = plan(&data, "2027Q1", &["--lang", "en"]);
    let html = read(&t.path().join("plan/report.html"));
    let unmet = between(&html, r#"<section id="unmet">"#, "</section>");
    assert!(unmet.contains("Caseworker away"), "{unmet}");
    assert!(unmet.contains("2027-01-01 – 2027-03-31"), "{unmet}");

    // routes.geojson: every child a Point with its status.
    let doc: serde_json::Value =
        serde_json::from_str(&read(&t.path().join("plan/routes.geojson"))).unwrap();
    let status: Vec<(String, String)> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "child")
        .map(|f| {
            let p = &f["properties"];
            assert_eq!(p["placement"], "fosterhjem");
            assert!(p["caseworker_id"].is_string());
            (
                p["child_id"].as_str().unwrap().to_string(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("B0001".to_string(), "planned".to_string()),
            ("B0002".to_string(), "unmet".to_string())
        ]
    );
}

#[test]
fn a_visit_history_adds_compliance_per_quarter() {
    let data = root().join("tests/fixtures/compliance");
    let visits = data.join("visits_done.csv");
    let t = plan(&data, "2028Q1", &["--visits", visits.to_str().unwrap()]);
    let dir = t.path().join("plan");
    let html = read(&dir.join("report.html"));
    let chart = between(&html, r#"id="chart-compliance""#, "</svg>");
    for quarter in ["2027Q1", "2027Q2", "2027Q3", "2027Q4"] {
        assert!(chart.contains(quarter), "no {quarter} in {chart}");
    }
    assert!(html.contains("Andel barn uten påkrevd besøk per kvartal"));

    // The same from the folder, in English.
    let out = t.path().join("r.html");
    ok(tilsyn(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--plan",
        dir.to_str().unwrap(),
        "--visits",
        visits.to_str().unwrap(),
        "--lang",
        "en",
        "--out",
        out.to_str().unwrap(),
    ]));
    let english = read(&out);
    assert!(english.contains("Share of children without a required visit, per quarter"));
    assert!(english.contains(r#"id="chart-compliance""#));
}

#[test]
fn a_damaged_plan_folder_is_bad_input_named_by_file_and_line() {
    let data = root().join("tests/fixtures/one_child");
    let t = plan(&data, "2027Q1", &[]);
    let dir = t.path().join("plan");
    let trips = read(&dir.join("trips.csv"));
    let mut lines: Vec<String> = trips.lines().map(str::to_string).collect();
    // km_car, the sixth column, of the first trip.
    let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    fields[5] = "12x".into();
    lines[1] = fields.join(",");
    fs::write(dir.join("trips.csv"), lines.join("\n") + "\n").unwrap();
    fs::remove_file(dir.join("unmet.csv")).unwrap();
    let out = t.path().join("report.html");
    let o = tilsyn(&[
        "report",
        "--data",
        data.to_str().unwrap(),
        "--plan",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("trips.csv:2:6: invalid_number"), "{err}");
    assert!(err.contains("unmet.csv: missing_file"), "{err}");
    assert!(!out.exists(), "nothing is written");

    for args in [vec!["--lang", "nn"], vec!["--plan", "/nonexistent/plan"]] {
        let mut all = vec!["report", "--data", data.to_str().unwrap()];
        if args[0] != "--plan" {
            all.extend(["--plan", dir.to_str().unwrap()]);
        }
        all.extend(args.iter().copied());
        let o = tilsyn(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
    }
    let o = tilsyn(&[
        "plan",
        "--data",
        data.to_str().unwrap(),
        "--quarter",
        "2027Q1",
        "--lang",
        "de",
        "--out",
        t.path().join("p2").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nb"));
}
