//! summary.json: the contract's totals, computed from the plan's rows, plus
//! unmet counts by reason, the naive plan's cost for comparison and the
//! notes the terminal printed (ids only, as the other files).

use crate::plan::Plan;
use serde_json::{json, Map, Value};

pub fn summary_json(plan: &Plan) -> String {
    let t = plan.totals();
    let weekly = plan.weekly_visits();
    let mut reasons = Map::new();
    for u in &plan.unmet {
        let n = reasons
            .get(u.reason.code())
            .and_then(Value::as_u64)
            .unwrap_or(0);
        reasons.insert(u.reason.code().to_string(), json!(n + 1));
    }
    let cost = round2(t.cost.nok());
    let naive = round2(plan.naive_cost.nok());
    let saving = if naive > 0.0 {
        round2((naive - cost) / naive * 100.0)
    } else {
        0.0
    };
    let v = json!({
        "horizon_start": plan.horizon.start.format("%Y-%m-%d").to_string(),
        "horizon_end": plan.horizon.end.format("%Y-%m-%d").to_string(),
        "children": plan.children,
        "visits_required": plan.visits_required,
        "visits_planned": t.visits_planned,
        "visits_early": t.visits_early,
        "visits_unmet": t.visits_unmet,
        "unmet_by_reason": reasons,
        "trips": plan.trips.len(),
        "km_car": (t.km_car * 10.0).round() / 10.0,
        "flight_legs": t.flight_legs,
        "hotel_nights": t.hotel_nights,
        "travel_hours": round2(t.travel_minutes as f64 / 60.0),
        "cost_nok": cost,
        "naive_cost_nok": naive,
        "saving_percent": saving,
        "weekly_visits_max": weekly.most,
        "weekly_visits_sd": round2(weekly.sd),
        "uneven_week_penalty_nok": round2(plan.uneven_week_penalty_nok),
        "change_penalty_nok": round2(plan.change_penalty_nok),
        "objective_nok": round2(plan.objective_nok()),
        "lower_bound_nok": plan.lower_bound_nok.map(round2),
        "gap_percent": plan.gap_percent().map(round2),
        "models_proven": plan.models_proven,
        "models": plan.models,
        "visits_by_colleague": plan.visits_by_colleague,
        "notes": plan.notes,
        "seed": plan.seed,
        "solve_seconds": (plan.solve_seconds * 1000.0).round() / 1000.0,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::travel::car::GreatCircleCar;
    use crate::travel::Sites;

    #[test]
    fn the_summary_carries_the_notes_the_terminal_printed() {
        let data = crate::check::fixture::dataset();
        let sites = Sites::new(&data);
        let matrix = GreatCircleCar::new(&sites, &data.settings.car);
        let horizon = crate::demand::Horizon::quarter("2027Q1").unwrap();
        let mut plan = crate::planner::plan(&data, horizon, &sites, &matrix, &|_, _| {}).unwrap();
        let notes = |plan: &Plan| -> Value {
            let v: Value = serde_json::from_str(&summary_json(plan)).unwrap();
            v["notes"].clone()
        };
        assert_eq!(notes(&plan), json!([]));
        plan.notes.push("trip K1-20270105 of K1 is not kept".into());
        assert_eq!(notes(&plan), json!(["trip K1-20270105 of K1 is not kept"]));
    }
}
