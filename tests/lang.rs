//! The language of what the binary prints: Norwegian bokmål by default,
//! English with `--lang en` or `TILSYN_LANG=en`, an unknown language refused
//! (exit code 2). Input problems, the terminal summary and the calendars'
//! event titles are checked in both.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with `args`, and `TILSYN_LANG` set to `lang` or removed.
fn tilsyn(args: &[&str], lang: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tilsyn"));
    command.args(args);
    match lang {
        Some(lang) => command.env("TILSYN_LANG", lang),
        None => command.env_remove("TILSYN_LANG"),
    };
    command.output().expect("the binary runs")
}

/// Everything the run printed, stdout then stderr.
fn printed(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Plans `tests/fixtures/bad_many_problems` for 2027Q1 with `extra`
/// arguments; returns the exit code and what was printed.
fn plan_bad(extra: &[&str], lang: Option<&str>) -> (Option<i32>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let data = root().join("tests/fixtures/bad_many_problems");
    let out = tmp.path().join("plan");
    let mut args = vec![
        "plan",
        "--data",
        data.to_str().unwrap(),
        "--quarter",
        "2027Q1",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = tilsyn(&args, lang);
    assert!(!out.exists(), "nothing is written for bad input");
    (o.status.code(), printed(&o))
}

#[test]
fn input_problems_are_in_bokmal_by_default() {
    let (code, text) = plan_bad(&[], None);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("(tips: "), "{text}");
    assert!(!text.contains("(hint: "), "{text}");
    assert!(
        text.contains(
            "children.csv:2:9: invalid_date: `placed_since` «15.03.2024» er ikke en dato \
             (ÅÅÅÅ-MM-DD) (tips: skriv 2024-03-15)"
        ),
        "{text}"
    );
    assert!(
        text.contains("`office_id` «K3» finnes ikke i offices.csv"),
        "{text}"
    );
    assert!(text.contains("8 problemer funnet"), "{text}");
}

#[test]
fn input_problems_are_in_english_with_lang_en() {
    let (code, text) = plan_bad(&["--lang", "en"], None);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("(hint: "), "{text}");
    assert!(!text.contains("(tips: "), "{text}");
    assert!(
        text.contains(
            "children.csv:2:9: invalid_date: `placed_since` \"15.03.2024\" is not a date \
             (YYYY-MM-DD) (hint: write 2024-03-15)"
        ),
        "{text}"
    );
}

#[test]
fn input_problems_are_in_english_with_tilsyn_lang_en() {
    let (code, text) = plan_bad(&[], Some("en"));
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("(hint: "), "{text}");
    assert!(
        text.contains("`office_id` \"K3\" is not in offices.csv"),
        "{text}"
    );
    assert!(!text.contains("(tips: "), "{text}");
}

#[test]
fn an_unknown_language_is_refused() {
    let (code, text) = plan_bad(&["--lang", "xx"], None);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("xx"), "{text}");
    let (code, text) = plan_bad(&[], Some("xx"));
    assert_eq!(code, Some(2), "{text}");
}

/// Plans `data/trondheim` for 2027Q1 into a temp folder; returns the folder
/// and what was printed.
fn plan_trondheim(extra: &[&str]) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let data = root().join("data/trondheim");
    let out = tmp.path().join("plan");
    let mut args = vec![
        "plan",
        "--data",
        data.to_str().unwrap(),
        "--quarter",
        "2027Q1",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = tilsyn(&args, None);
    let text = printed(&o);
    assert!(o.status.success(), "plan failed: {text}");
    (tmp, text)
}

/// The SUMMARY lines of every calendar the plan wrote.
fn summaries(plan: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for folder in ["calendars", "team_calendars"] {
        for entry in fs::read_dir(plan.join(folder)).unwrap() {
            let text = fs::read_to_string(entry.unwrap().path()).unwrap();
            let lines = text.lines().filter(|l| l.starts_with("SUMMARY:"));
            out.extend(lines.map(str::to_string));
        }
    }
    assert!(!out.is_empty(), "the calendars hold events");
    out
}

#[test]
fn the_summary_and_calendars_are_in_bokmal_by_default() {
    let (tmp, text) = plan_trondheim(&[]);
    assert!(text.contains("påkrevde besøk"), "{text}");
    assert!(text.contains("\u{a0}kr"), "{text}");
    assert!(!text.contains("visits required"), "{text}");
    assert!(!text.contains("NOK"), "{text}");
    for summary in summaries(&tmp.path().join("plan")) {
        assert!(summary.starts_with("SUMMARY:Oppfølgingsbesøk"), "{summary}");
    }
}

#[test]
fn the_summary_and_calendars_are_in_english_with_lang_en() {
    let (tmp, text) = plan_trondheim(&["--lang", "en"]);
    assert!(text.contains("visits required"), "{text}");
    assert!(text.contains("NOK"), "{text}");
    assert!(!text.contains("påkrevde besøk"), "{text}");
    for summary in summaries(&tmp.path().join("plan")) {
        assert!(summary.starts_with("SUMMARY:Follow-up visit"), "{summary}");
    }
}
