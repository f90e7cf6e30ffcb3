//! `summary.json` against the CSV files and the dataset.
//!
//! The contract says every figure in the summary equals the sum over the CSV
//! files, so the summary is recomputed here from the rows as written. Sums are
//! compared with a tolerance that covers the rounding a writer may apply
//! (0.05 km, 0.01 h, 0.5 NOK); counts must match exactly. The required count
//! comes from the demand re-derived for the summary's own horizon.

use super::read::{TripRow, SUMMARY};
use super::summary_json::Summary;
use super::{Context, Violation};

pub fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(summary) = &ctx.files.summary else {
        return;
    };
    if let (Some(start), Some(end)) = (summary.horizon_start, summary.horizon_end) {
        if start > end {
            let message = crate::tr!(
                "horizon_start {start} is after horizon_end {end}",
                "horizon_start {start} er etter horizon_end {end}"
            );
            out.push(Violation::new("summary_mismatch", SUMMARY, None, message));
        }
    }
    let files = ctx.files;
    // A missing file is reported already; its row count would only repeat it.
    let counts = [
        ("children", summary.children, ctx.data.children.len(), true),
        (
            "visits_planned",
            summary.visits_planned,
            files.visits.records,
            files.visits.present,
        ),
        (
            "visits_unmet",
            summary.visits_unmet,
            files.unmet.records,
            files.unmet.present,
        ),
    ];
    for (key, written, expected, _) in counts.into_iter().filter(|c| c.3) {
        compare(key, written, expected as f64, 0.0, "summary_mismatch", out);
    }
    if let Some(required) = &ctx.requirements {
        let expected = required.iter().filter(|r| r.required).count() as f64;
        let written = summary.visits_required;
        compare(
            "visits_required",
            written,
            expected,
            0.0,
            "required_mismatch",
            out,
        );
    }
    if let (Some(objective), Some(bound)) = (summary.objective_nok, summary.lower_bound_nok) {
        if bound > objective + 0.5 {
            let message = crate::tr!(
                "lower_bound_nok {bound} is above objective_nok {objective}: no plan is cheaper than its own lower bound",
                "lower_bound_nok {bound} er over objective_nok {objective}: ingen plan er billigere enn sin egen nedre grense"
            );
            out.push(Violation::new("summary_mismatch", SUMMARY, None, message));
        }
    }
    // A trip row that did not parse would spoil every sum; it is reported already.
    if files.trips.complete {
        check_sums(summary, &files.trips.rows, out);
    }
}

/// Distance, flights, nights, hours and money against the sums over trips.csv.
fn check_sums(summary: &Summary, trips: &[TripRow], out: &mut Vec<Violation>) {
    let sum = |f: fn(&TripRow) -> f64| trips.iter().map(f).sum::<f64>();
    let sums = [
        ("km_car", summary.km_car, sum(|t| t.km_car), 0.05),
        (
            "flight_legs",
            summary.flight_legs,
            sum(|t| f64::from(t.flight_legs)),
            0.0,
        ),
        (
            "hotel_nights",
            summary.hotel_nights,
            sum(|t| f64::from(t.nights)),
            0.0,
        ),
        (
            "travel_hours",
            summary.travel_hours,
            sum(|t| t.travel_minutes) / 60.0,
            0.01,
        ),
        ("cost_nok", summary.cost_nok, sum(|t| t.cost_nok), 0.5),
    ];
    for (key, written, expected, tolerance) in sums {
        compare(key, written, expected, tolerance, "summary_mismatch", out);
    }
}

/// A missing key was reported when reading; only a present one is compared.
fn compare(
    key: &str,
    written: Option<f64>,
    expected: f64,
    tolerance: f64,
    code: &'static str,
    out: &mut Vec<Violation>,
) {
    let Some(written) = written else {
        return;
    };
    // The epsilon absorbs binary rounding of decimal sums such as 0.1 + 0.2.
    if (written - expected).abs() > tolerance + 1e-9 {
        let message = crate::tr!(
            "{key} is {written} but the plan files give {expected}",
            "{key} er {written}, men planfilene gir {expected}"
        );
        out.push(Violation::new(code, SUMMARY, None, message));
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{run, valid_plan, with};

    #[test]
    fn a_rounded_sum_passes_but_a_wrong_one_does_not() {
        // 520 travel minutes are 8.6667 h; 8.67 is within the tolerance.
        let plan = with(
            valid_plan(),
            "summary.json",
            "\"travel_hours\": 8.67",
            "\"travel_hours\": 8.7",
        );
        assert_eq!(run(&plan).codes(), vec!["summary_mismatch"]);
        let plan = with(
            valid_plan(),
            "summary.json",
            "\"cost_nok\": 10526.65",
            "\"cost_nok\": 10527.0",
        );
        assert!(run(&plan).is_ok());
    }

    #[test]
    fn a_bound_above_the_objective_is_a_mismatch() {
        let with_bound = |bound: &str| {
            let extras = format!(
                "\"cost_nok\": 10526.65, \"objective_nok\": 10526.65, \"lower_bound_nok\": {bound}"
            );
            run(&with(
                valid_plan(),
                "summary.json",
                "\"cost_nok\": 10526.65",
                &extras,
            ))
        };
        assert_eq!(with_bound("10600.0").codes(), vec!["summary_mismatch"]);
        assert!(with_bound("10400.0").is_ok());
        assert!(with_bound("null").is_ok());
    }

    #[test]
    fn counts_and_the_horizon_order_are_checked() {
        let plan = with(
            valid_plan(),
            "summary.json",
            "\"visits_planned\": 2",
            "\"visits_planned\": 3",
        );
        assert_eq!(run(&plan).codes(), vec!["summary_mismatch"]);
        let plan = with(
            valid_plan(),
            "summary.json",
            "\"children\": 3",
            "\"children\": 4",
        );
        assert_eq!(run(&plan).codes(), vec!["summary_mismatch"]);
        // With the horizon reversed there is no demand to re-derive.
        let plan = with(
            valid_plan(),
            "summary.json",
            "\"horizon_end\": \"2027-03-31\"",
            "\"horizon_end\": \"2026-12-31\"",
        );
        assert_eq!(run(&plan).codes(), vec!["summary_mismatch"]);
    }

    #[test]
    fn the_required_count_is_re_derived() {
        let plan = with(
            valid_plan(),
            "summary.json",
            "\"visits_required\": 2",
            "\"visits_required\": 1",
        );
        assert_eq!(run(&plan).codes(), vec!["required_mismatch"]);
    }

    #[test]
    fn a_missing_key_is_a_missing_column() {
        let plan = with(valid_plan(), "summary.json", "\"solve_seconds\": 0.4,", "");
        assert_eq!(run(&plan).codes(), vec!["missing_column"]);
    }
}
