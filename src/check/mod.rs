//! An independent checker of a written plan folder.
//!
//! The checker reads the files the planner wrote (`visits.csv`, `trips.csv`,
//! `trip_stops.csv`, `unmet.csv`, `summary.json`, `calendars/*.ics`) and
//! re-derives every rule from them and the dataset alone: the legal demand
//! (through [`crate::demand::requirements`]), working days, absences, visiting
//! hours, route shape and the summary figures. It never looks at the
//! planner's internals, so a planner bug cannot hide itself. Every problem is
//! collected with a stable code; a malformed file is a violation, never a
//! panic. It backs `tilsyn check` and the tests.
//!
//! Codes: `missing_file`, `missing_column` (also a missing summary key),
//! `bad_value` (unparsable field); `summary_mismatch`, `required_mismatch`;
//! `required_visit_missing`, `visit_outside_window`, `unmet_not_required`,
//! `unmet_row` (caseworker, reason or detail of an unmet row), `min_gap`;
//! `unknown_ref`, `continuity`, `visit_length`, `not_working_day`,
//! `caseworker_absent`, `visiting_hours`, `trip_mismatch`, `stop_mismatch`;
//! `duplicate_id`, `overlap`, `route`, `time_order`, `trip_totals`,
//! `day_too_long`; `field_days_per_week`, and when `[balance]` sets them
//! `visits_per_day`, `visits_per_week`, `hotel_nights_per_month`;
//! `calendar`, `privacy`; `permissions`.

mod balance;
mod coverage;
pub(crate) mod ics;
pub(crate) mod read;
mod summary;
pub(crate) mod summary_json;
mod trips;
mod visits;

#[cfg(test)]
pub(crate) mod fixture;

use crate::demand::{self, Horizon, Requirement};
use crate::model::Dataset;
use read::{PlanFiles, StopRow, TripRow};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// One broken rule, pinned to a plan file and (when it has one) a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Stable short code, e.g. `min_gap`; the module docs list them all.
    pub code: &'static str,
    /// Path inside the plan folder, e.g. `visits.csv` or `calendars/K1.ics`.
    pub file: String,
    /// 1-based physical line, when the problem has one.
    pub line: Option<u64>,
    pub message: String,
}

impl Violation {
    pub(crate) fn new(code: &'static str, file: &str, line: Option<u64>, message: String) -> Self {
        Self {
            code,
            file: file.to_string(),
            line,
            message,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}: {}", self.code, self.message)
    }
}

/// Everything the checker found, with the plan's headline counts.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub violations: Vec<Violation>,
    /// Data rows in `visits.csv`.
    pub visits: usize,
    /// Data rows in `trips.csv`.
    pub trips: usize,
    /// Data rows in `unmet.csv`.
    pub unmet: usize,
    /// Required visits re-derived from the dataset and the summary's horizon.
    pub required: usize,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }

    /// The codes found, in order (handy in tests and scripts).
    pub fn codes(&self) -> Vec<&'static str> {
        self.violations.iter().map(|v| v.code).collect()
    }
}

/// Reads the plan folder and checks it against the dataset and the contract.
pub fn check_plan(data: &Dataset, plan_dir: &Path) -> CheckReport {
    check_plan_with(data, plan_dir, None)
}

/// [`check_plan`] for a plan made from a visit history (`plan --visits`,
/// `replan`): the history's last visit before the horizon stands for
/// `last_visit` and its frequency then for `visits_per_year` (as
/// [`crate::history::History::apply_before`] gives them), and its visits
/// inside the horizon meet requirements as planned visits do.
pub fn check_plan_with(
    data: &Dataset,
    plan_dir: &Path,
    history: Option<&crate::history::History>,
) -> CheckReport {
    let mut out = Vec::new();
    let files = read::read_plan(plan_dir, &mut out);
    let horizon = files
        .summary
        .as_ref()
        .and_then(|s| Horizon::new(s.horizon_start?, s.horizon_end?));
    let mut with_history;
    let mut data = data;
    if let (Some(h), Some(horizon)) = (history, horizon) {
        with_history = data.clone();
        h.apply_before(&mut with_history, horizon.start);
        data = &with_history;
    }
    let mut ctx = Context::new(data, &files);
    if let (Some(h), Some(horizon)) = (history, horizon) {
        ctx.history = (0..data.children.len())
            .map(|c| {
                let list = h.visits.get(c).map_or(&[][..], Vec::as_slice);
                list.iter()
                    .copied()
                    .filter(|d| horizon.contains(*d))
                    .collect()
            })
            .collect();
    }
    let ctx = ctx;
    summary::check(&ctx, &mut out);
    coverage::check(&ctx, &mut out);
    visits::check(&ctx, &mut out);
    trips::check(&ctx, &mut out);
    balance::check(&ctx, &mut out);
    ics::check(&ctx, plan_dir, &mut out);
    check_permissions(plan_dir, &mut out);
    CheckReport {
        violations: out,
        visits: files.visits.records,
        trips: files.trips.records,
        unmet: files.unmet.records,
        required: ctx.required_count(),
    }
}

/// The plan's rows with the lookups every rule needs, built once.
pub(crate) struct Context<'a> {
    pub data: &'a Dataset,
    pub files: &'a PlanFiles,
    pub children: HashMap<&'a str, usize>,
    pub caseworkers: HashMap<&'a str, usize>,
    /// First row of each trip id (duplicates are reported by the trip rules).
    pub trips: HashMap<&'a str, &'a TripRow>,
    /// Stops of each trip, sorted by `seq`.
    pub stops: HashMap<&'a str, Vec<&'a StopRow>>,
    /// Re-derived demand; `None` when the summary gives no usable horizon.
    pub requirements: Option<Vec<Requirement>>,
    /// Per child (or empty): visits done inside the horizon, from a history.
    pub history: Vec<Vec<chrono::NaiveDate>>,
}

impl<'a> Context<'a> {
    fn new(data: &'a Dataset, files: &'a PlanFiles) -> Self {
        let children = data.child_ids();
        let caseworkers = data.caseworker_ids();
        let mut trips = HashMap::new();
        for t in &files.trips.rows {
            trips.entry(t.trip_id.as_str()).or_insert(t);
        }
        let mut stops: HashMap<&str, Vec<&StopRow>> = HashMap::new();
        for s in &files.stops.rows {
            stops.entry(s.trip_id.as_str()).or_default().push(s);
        }
        for list in stops.values_mut() {
            list.sort_by_key(|s| (s.seq, s.line));
        }
        let horizon = files
            .summary
            .as_ref()
            .and_then(|s| Horizon::new(s.horizon_start?, s.horizon_end?));
        let requirements = horizon.map(|h| demand::requirements(data, h));
        Self {
            data,
            files,
            children,
            caseworkers,
            trips,
            stops,
            requirements,
            history: Vec::new(),
        }
    }

    fn required_count(&self) -> usize {
        self.requirements
            .as_ref()
            .map_or(0, |r| r.iter().filter(|q| q.required).count())
    }

    /// The caseworker's absence covering `date`, if any.
    pub fn absent_on(&self, caseworker: usize, date: chrono::NaiveDate) -> bool {
        self.data
            .absences_of(caseworker)
            .any(|a| a.from <= date && date <= a.to)
    }
}

/// Plan files hold visit times of named caseworkers: only the owner may read
/// them. Every file under the folder must have no group or other bits.
#[cfg(unix)]
fn check_permissions(plan_dir: &Path, out: &mut Vec<Violation>) {
    use std::os::unix::fs::PermissionsExt;
    let mut pending = vec![plan_dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                pending.push(path);
            } else if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
                let name = path.strip_prefix(plan_dir).unwrap_or(&path);
                out.push(Violation::new(
                    "permissions",
                    &name.to_string_lossy(),
                    None,
                    {
                        let mode = meta.permissions().mode() & 0o777;
                        crate::tr!(
                            "mode {mode:o} lets group or others read it; expected 600",
                            "modus {mode:o} lar gruppen eller andre lese filen; forventet 600"
                        )
                    },
                ));
            }
        }
    }
}

#[cfg(not(unix))]
fn check_permissions(_plan_dir: &Path, _out: &mut Vec<Violation>) {}

#[cfg(test)]
mod tests {
    use super::fixture::{run, valid_plan};
    use super::*;

    #[test]
    fn the_valid_plan_passes_with_its_counts() {
        let report = run(&valid_plan());
        assert!(report.is_ok(), "{:#?}", report.violations);
        assert_eq!(
            (report.visits, report.trips, report.unmet, report.required),
            (2, 2, 1, 2)
        );
    }

    #[test]
    fn violation_prints_file_line_code_and_message() {
        let v = Violation::new("min_gap", "visits.csv", Some(3), "too close".into());
        assert_eq!(v.to_string(), "visits.csv:3: min_gap: too close");
        let v = Violation::new("missing_file", "unmet.csv", None, "not found".into());
        assert_eq!(v.to_string(), "unmet.csv: missing_file: not found");
    }

    /// The message of the only violation with `code`, in `lang`.
    fn message_in(
        lang: crate::i18n::Lang,
        plan: &std::collections::BTreeMap<&'static str, String>,
        code: &str,
    ) -> String {
        let report = crate::i18n::with_lang(lang, || run(plan));
        let found: Vec<&Violation> = report
            .violations
            .iter()
            .filter(|v| v.code == code)
            .collect();
        assert_eq!(found.len(), 1, "{:#?}", report.violations);
        found[0].to_string()
    }

    #[test]
    fn violations_are_written_in_the_language_asked_for() {
        use super::fixture::with;
        use crate::i18n::Lang;
        let short = with(
            valid_plan(),
            "visits.csv",
            "2027-01-13T11:00",
            "2027-01-13T10:30",
        );
        assert_eq!(
            message_in(Lang::En, &short, "visit_length"),
            "visits.csv:2: visit_length: the visit lasts 60 minutes; at least 90 are required"
        );
        assert_eq!(
            message_in(Lang::Nb, &short, "visit_length"),
            "visits.csv:2: visit_length: besøket varer 60 minutter; minst 90 kreves"
        );
        let mut no_unmet = valid_plan();
        no_unmet.remove("unmet.csv");
        assert_eq!(
            message_in(Lang::En, &no_unmet, "missing_file"),
            "unmet.csv: missing_file: the plan has no such file"
        );
        assert_eq!(
            message_in(Lang::Nb, &no_unmet, "missing_file"),
            "unmet.csv: missing_file: planen har ingen slik fil"
        );
        let bad = with(valid_plan(), "trips.csv", "80.5", "80.5x");
        assert_eq!(
            message_in(Lang::En, &bad, "bad_value"),
            "trips.csv:2: bad_value: km_car \"80.5x\" is not a number"
        );
        assert_eq!(
            message_in(Lang::Nb, &bad, "bad_value"),
            "trips.csv:2: bad_value: km_car «80.5x» er ikke et tall"
        );
        let unknown = with(valid_plan(), "visits.csv", "C1,K1,T1", "C1,K1,T7");
        assert_eq!(
            message_in(Lang::Nb, &unknown, "trip_mismatch"),
            "visits.csv:2: trip_mismatch: reise T7 finnes ikke i trips.csv"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_file_is_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = super::fixture::write(&valid_plan());
        let path = dir.path().join("calendars/K1.ics");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let report = check_plan(&super::fixture::dataset(), dir.path());
        assert_eq!(report.codes(), vec!["permissions"]);
        assert_eq!(report.violations[0].file, "calendars/K1.ics");
    }
}
