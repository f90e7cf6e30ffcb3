//! `tilsyn generate norway` end to end through the binary: a generated
//! dataset passes `validate`, can be planned for 2027Q1, and the plan passes
//! `check`; bad arguments exit 2 and write nothing. Also `generate trondheim`.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::tilsyn;

fn postcodes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/geodata/postnummer_bolstad.tsv")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn generate_trondheim(out: &Path) -> Output {
    let postcodes = postcodes();
    let args = [
        "generate",
        "trondheim",
        "--postcodes",
        postcodes.to_str().unwrap(),
    ];
    tilsyn(&[&args[..], &["--out", out.to_str().unwrap()]].concat())
}

fn generate(extra: &[&str], out: &Path) -> Output {
    generate_from(&postcodes(), extra, out)
}

fn generate_from(postcodes: &Path, extra: &[&str], out: &Path) -> Output {
    let mut args = vec![
        "generate",
        "norway",
        "--postcodes",
        postcodes.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tilsyn(&args)
}

/// The size flags and `--seed`.
fn sizes<'a>(
    children: &'a str,
    caseworkers: &'a str,
    offices: &'a str,
    seed: &'a str,
) -> [&'a str; 8] {
    [
        "--children",
        children,
        "--caseworkers",
        caseworkers,
        "--offices",
        offices,
        "--seed",
        seed,
    ]
}

/// 300 children, 20 caseworkers, 3 offices: generate, validate, plan, check.
#[test]
fn generated_dataset_validates_plans_and_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let plan = tmp.path().join("plan");
    let o = generate(&sizes("300", "20", "3", "7"), &data);
    assert!(o.status.success(), "generate: {}", text(&o));
    assert!(text(&o).contains("300 barn, 20 saksbehandlere, 3 kontorer"));

    let data_arg = data.to_str().unwrap();
    let o = tilsyn(&["validate", "--data", data_arg]);
    assert_eq!(o.status.code(), Some(0), "validate: {}", text(&o));
    assert!(
        text(&o).contains("ok (3 kontorer, 20 saksbehandlere"),
        "{}",
        text(&o)
    );

    let plan_arg = plan.to_str().unwrap();
    let o = tilsyn(&[
        "plan",
        "--data",
        data_arg,
        "--quarter",
        "2027Q1",
        "--out",
        plan_arg,
    ]);
    assert_eq!(o.status.code(), Some(0), "plan: {}", text(&o));

    let o = tilsyn(&["check", "--data", data_arg, "--plan", plan_arg]);
    assert_eq!(o.status.code(), Some(0), "check: {}", text(&o));
}

/// Zero children, fewer caseworkers than offices, and more offices than
/// Norway has towns: exit code 2, a message naming the flag, no folder.
#[test]
fn bad_arguments_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--children", "0", "--caseworkers", "5", "--offices", "2"],
            "--children 0",
        ),
        (
            &["--children", "10", "--caseworkers", "2", "--offices", "3"],
            "færre enn --offices 3",
        ),
        (
            &[
                "--children",
                "10",
                "--caseworkers",
                "500",
                "--offices",
                "400",
            ],
            "--offices 400",
        ),
        (
            &["--children", "ten", "--caseworkers", "5", "--offices", "2"],
            "--children",
        ),
    ];
    for (k, (args, message)) in cases.iter().enumerate() {
        let out = tmp.path().join(format!("out{k}"));
        let mut all = args.to_vec();
        all.extend_from_slice(&["--seed", "1"]);
        let o = generate(&all, &out);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(message), "{args:?}: {}", text(&o));
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// A postcode table with two towns cannot hold three offices.
#[test]
fn more_offices_than_towns_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let table = tmp.path().join("two_towns.tsv");
    std::fs::write(
        &table,
        "POSTNR\tPOSTSTAD\tBRUKSOMRÅDE\tFOLKETAL\tKOMMNR\tKOMMUNE\tFYLKE\tLAT\tLON\n\
         5003\tBergen\tGate-/veg-adresse\t3000\t4601\tBergen\tVestland\t60.39\t5.32\n\
         0150\tOslo\tGate-/veg-adresse\t3500\t301\tOslo\tOslo\t59.91\t10.75\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = generate_from(&table, &sizes("10", "3", "3", "1"), &out);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("bare 2 tettsteder"), "{}", text(&o));
    assert!(!out.exists());
}

/// `tilsyn generate trondheim` writes the bundled dataset byte for byte,
/// owner-only, and refuses a folder that holds anything else, writing
/// nothing.
#[test]
fn trondheim_generator_rewrites_the_bundled_dataset_and_refuses_other_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("trondheim");
    let o = generate_trondheim(&out);
    assert!(o.status.success(), "{}", text(&o));
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trondheim");
    for f in [
        "offices.csv",
        "caseworkers.csv",
        "absences.csv",
        "children.csv",
        "README.md",
    ] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(bundled.join(f)).unwrap(),
            "{f}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join(f)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{f} is {mode:o}");
        }
    }
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let o = generate_trondheim(&other);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let left: Vec<_> = std::fs::read_dir(&other).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing written beside notes.txt");
}
