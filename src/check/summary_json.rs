//! Reading `summary.json` into a typed [`Summary`].
//!
//! The summary is a JSON object with at least the keys the contract names;
//! other keys are ignored. A missing key is a `missing_column` (it plays the
//! part of a column), a key of the wrong type a `bad_value`; either way the
//! field is `None` and the summary rules skip it.

use super::read::{read_text, SUMMARY};
use super::Violation;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::path::Path;

/// `summary.json`; a key that is missing or of the wrong type is `None`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub horizon_start: Option<NaiveDate>,
    pub horizon_end: Option<NaiveDate>,
    pub children: Option<f64>,
    pub visits_required: Option<f64>,
    pub visits_planned: Option<f64>,
    pub visits_unmet: Option<f64>,
    pub km_car: Option<f64>,
    pub flight_legs: Option<f64>,
    pub hotel_nights: Option<f64>,
    pub travel_hours: Option<f64>,
    pub cost_nok: Option<f64>,
    pub solve_seconds: Option<f64>,
    /// Extras, not in the contract (absent or `null`: `None`): the plan's
    /// objective and the proven bound on it.
    pub objective_nok: Option<f64>,
    pub lower_bound_nok: Option<f64>,
}

pub fn read(dir: &Path, out: &mut Vec<Violation>) -> Option<Summary> {
    let text = read_text(dir, SUMMARY, out)?;
    let object: Map<String, Value> = match serde_json::from_str(&text) {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            out.push(Violation::new(
                "bad_value",
                SUMMARY,
                None,
                crate::tr!("not a JSON object", "ikke et JSON-objekt"),
            ));
            return None;
        }
        Err(e) => {
            out.push(Violation::new(
                "bad_value",
                SUMMARY,
                Some(e.line() as u64),
                e.to_string(),
            ));
            return None;
        }
    };
    let date = |v: &Value| {
        v.as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let mut summary = Summary {
        horizon_start: key(&object, "horizon_start", a_date, date, out),
        horizon_end: key(&object, "horizon_end", a_date, date, out),
        ..Summary::default()
    };
    for name in NUMBER_KEYS {
        *summary.number_mut(name) = key(&object, name, a_number, Value::as_f64, out);
    }
    summary.objective_nok = object.get("objective_nok").and_then(Value::as_f64);
    summary.lower_bound_nok = object.get("lower_bound_nok").and_then(Value::as_f64);
    Some(summary)
}

const NUMBER_KEYS: [&str; 10] = [
    "children",
    "visits_required",
    "visits_planned",
    "visits_unmet",
    "km_car",
    "flight_legs",
    "hotel_nights",
    "travel_hours",
    "cost_nok",
    "solve_seconds",
];

impl Summary {
    fn number_mut(&mut self, key: &str) -> &mut Option<f64> {
        match key {
            "children" => &mut self.children,
            "visits_required" => &mut self.visits_required,
            "visits_planned" => &mut self.visits_planned,
            "visits_unmet" => &mut self.visits_unmet,
            "km_car" => &mut self.km_car,
            "flight_legs" => &mut self.flight_legs,
            "hotel_nights" => &mut self.hotel_nights,
            "travel_hours" => &mut self.travel_hours,
            "cost_nok" => &mut self.cost_nok,
            _ => &mut self.solve_seconds,
        }
    }
}

/// One summary key: a missing key is a `missing_column`, a value of the
/// wrong type a `bad_value`.
/// What a date key must be, for messages.
fn a_date() -> String {
    crate::tr!("a date YYYY-MM-DD", "en dato ÅÅÅÅ-MM-DD")
}

/// What a number key must be, for messages.
fn a_number() -> String {
    crate::tr!("a number", "et tall")
}

fn key<T>(
    object: &Map<String, Value>,
    name: &str,
    what: fn() -> String,
    parse: impl Fn(&Value) -> Option<T>,
    out: &mut Vec<Violation>,
) -> Option<T> {
    let Some(value) = object.get(name) else {
        let message = crate::tr!(
            "the summary has no key {name}",
            "sammendraget har ikke nøkkelen {name}"
        );
        out.push(Violation::new("missing_column", SUMMARY, None, message));
        return None;
    };
    let parsed = parse(value);
    if parsed.is_none() {
        let what = what();
        let message = crate::tr!(
            "{name} {value} is not {what}",
            "{name} {value} er ikke {what}"
        );
        out.push(Violation::new("bad_value", SUMMARY, None, message));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{run, valid_plan};

    #[test]
    fn a_summary_key_of_the_wrong_type_is_a_bad_value() {
        let mut plan = valid_plan();
        let summary = plan["summary.json"].replace("\"km_car\": 190.5", "\"km_car\": \"lots\"");
        plan.insert("summary.json", summary);
        assert!(run(&plan).codes().contains(&"bad_value"));
        let mut plan = valid_plan();
        plan.insert("summary.json", "{ not json".into());
        assert!(run(&plan).codes().contains(&"bad_value"));
    }
}
