//! The routing core (`export-vrp`) and `tilsyn`'s own solver for it
//! (`solve-vrp`), end to end through the binary: the windows encode the
//! right caseworker and days, files are owner-only, the bundled dataset's
//! core is solved to proven optimality, and the bench's independent checker
//! (`benches/compare/check.py`, standard library only) accepts the solution.

use chrono::{Datelike, NaiveDate, Weekday};
use std::path::Path;
use std::process::Command;
use tilsyn::vrp::{check_solution, Instance, Solution, SLOT_MINUTES};

mod common;
use common::{root, tilsyn};

fn export(data: &Path, quarter: &str, out: &Path) {
    let o = tilsyn(&[
        "export-vrp",
        "--data",
        data.to_str().unwrap(),
        "--quarter",
        quarter,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// S01 is away in January and S02 all quarter (fixture `absent_caseworker`):
/// B0002 is excluded with `no_working_day`, S02 gets no vehicle, and
/// B0001's windows are exactly S01's working days from 1 February, each in
/// S01's slot of the time axis and inside the visiting hours.
#[test]
fn windows_encode_the_caseworker_and_the_working_days() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("core.json");
    export(
        &root().join("tests/fixtures/absent_caseworker"),
        "2027Q1",
        &path,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let inst = Instance::load(&path).unwrap();
    assert_eq!(inst.caseworkers, ["S01"]);
    assert_eq!(inst.excluded.len(), 1);
    assert_eq!(
        (
            inst.excluded[0].child.as_str(),
            inst.excluded[0].reason.as_str()
        ),
        ("B0002", "no_working_day")
    );
    // February's 20 weekdays and March's 23 less Maundy Thursday, Good Friday and Easter Monday.
    assert_eq!(inst.vehicles.len(), 40);
    let client = &inst.clients[0];
    assert_eq!(client.id, "B0001");
    assert_eq!(client.time_windows.len(), 40);
    let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    for (w, v) in client.time_windows.iter().zip(&inst.vehicles) {
        let slot = w[0].div_euclid(SLOT_MINUTES);
        let (caseworker, day) = (slot as usize / inst.days, slot as usize % inst.days);
        let date = first + chrono::Duration::days(day as i64);
        assert_eq!((caseworker, day), (0, v.day));
        assert!(date >= NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
        assert!(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun));
        let start = slot * SLOT_MINUTES;
        assert_eq!([w[0] - start, w[1] - start], [9 * 60, 20 * 60 - 90]);
        assert!(v.tw[0] == start + 450 && v.tw[1] == start + 1260);
    }
    assert_eq!(
        client.hull,
        [client.time_windows[0][0], client.time_windows[39][1]]
    );
}

/// The bundled dataset's core: every client served, the solution passes the
/// library's check and the bench's Python checker, and it is proven optimal.
#[test]
fn the_bundled_core_is_solved_to_proven_optimality_and_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let (inst_path, sol_path) = (tmp.path().join("core.json"), tmp.path().join("tilsyn.json"));
    export(&root().join("data/trondheim"), "2027Q1", &inst_path);
    let o = tilsyn(&[
        "solve-vrp",
        inst_path.to_str().unwrap(),
        "--out",
        sol_path.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "solve-vrp failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let inst = Instance::load(&inst_path).unwrap();
    let sol: Solution = serde_json::from_str(&std::fs::read_to_string(&sol_path).unwrap()).unwrap();
    assert!(check_solution(&inst, &sol).is_empty());
    assert!(sol.unassigned.is_empty());
    assert_eq!(sol.lower_bound, Some(sol.cost), "proven optimal");
    assert!(inst.excluded.iter().all(|e| e.reason == "no_day_trip"));
    match Command::new("python3")
        .arg(root().join("benches/compare/check.py"))
        .args([&inst_path, &sol_path])
        .output()
    {
        Ok(o) => assert!(
            o.status.success(),
            "check.py: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => eprintln!("python3 not found ({e}); the Python checker was not run"),
    }
}

/// A file that is not an instance, and a bad quarter: exit code 2 and a
/// message with a code, no panic.
#[test]
fn bad_input_is_refused_with_a_code() {
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("junk.json");
    std::fs::write(&junk, "{\"format\": 1}").unwrap();
    let o = tilsyn(&[
        "solve-vrp",
        junk.to_str().unwrap(),
        "--out",
        tmp.path().join("s.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid_json"));
    let o = tilsyn(&[
        "export-vrp",
        "--data",
        root().join("data/trondheim").to_str().unwrap(),
        "--quarter",
        "2027Q7",
        "--out",
        tmp.path().join("x.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("x.json").exists());
}
