//! The report's text parts: the headline figures, the visits not planned
//! with their reasons, and a table of trips per caseworker. Ids only: child
//! ids, caseworker ids and teams, IATA codes and hotel towns.

use super::html::{esc, token};
use super::text::{self, Text};
use super::ReportInput;
use crate::lang::Lang;
use crate::plan::{round_km, Plan, PlannedTrip};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The headline figures as cards.
pub fn headline(plan: &Plan, lang: Lang, t: &Text) -> String {
    let totals = plan.totals();
    let cost = totals.cost.nok();
    let naive = plan.naive_cost.nok();
    let mut s = format!(
        r#"<section id="headline" aria-label="{}"><div class="cards">"#,
        esc(t.headline)
    );
    let mut card = |label: &str, value: String, sub: String, class: &str| {
        let _ = write!(
            s,
            r#"<div class="card {class}"><div class="label">{}</div><div class="value">{}</div><div class="sub">{}</div></div>"#,
            esc(label),
            esc(&value),
            esc(&sub)
        );
    };
    card(
        t.children,
        lang.integer(plan.children as i64),
        String::new(),
        "",
    );
    card(
        t.visits_required,
        lang.integer(plan.visits_required as i64),
        String::new(),
        "",
    );
    let early = if totals.visits_early > 0 {
        format!(
            "{} {}",
            lang.integer(totals.visits_early as i64),
            t.of_them_early
        )
    } else {
        String::new()
    };
    card(
        t.visits_planned,
        lang.integer(totals.visits_planned as i64),
        early,
        "good",
    );
    card(
        t.visits_unmet,
        lang.integer(totals.visits_unmet as i64),
        String::new(),
        if totals.visits_unmet > 0 {
            "bad"
        } else {
            "good"
        },
    );
    card(t.cost, lang.money(cost, 0), String::new(), "key");
    let saving = if naive > 0.0 {
        lang.percent((naive - cost) / naive * 100.0, 1)
    } else {
        "-".to_string()
    };
    card(
        t.saving,
        saving,
        format!("{} {}", t.naive_plan, lang.money(naive, 0)),
        "",
    );
    card(
        t.km_car,
        format!("{} km", lang.number(totals.km_car, 0)),
        String::new(),
        "",
    );
    card(
        t.flight_legs,
        lang.integer(i64::from(totals.flight_legs)),
        String::new(),
        "",
    );
    card(
        t.hotel_nights,
        lang.integer(i64::from(totals.hotel_nights)),
        String::new(),
        "",
    );
    card(
        t.travel_hours,
        lang.number(totals.travel_minutes as f64 / 60.0, 1),
        String::new(),
        "",
    );
    card(
        t.trips,
        lang.integer(plan.trips.len() as i64),
        String::new(),
        "",
    );
    match (plan.lower_bound_nok, plan.gap_percent()) {
        (Some(bound), Some(gap)) => card(
            t.bound,
            lang.percent(gap, 2),
            format!("{}; {} {}", t.gap, t.lower_bound, lang.money(bound, 0)),
            "",
        ),
        _ => card(t.bound, "-".to_string(), t.no_bound.to_string(), ""),
    }
    s.push_str("</div></section>");
    s
}

/// The visits not planned, grouped by reason, most common reason first.
pub fn unmet(plan: &Plan, input: &ReportInput, lang: Lang, t: &Text) -> String {
    let mut s = format!(
        r#"<section id="unmet"><h2>{} <span class="count">({})</span></h2>"#,
        esc(t.unmet_heading),
        plan.unmet.len()
    );
    if plan.unmet.is_empty() {
        let _ = write!(s, r#"<p class="ok">{}</p></section>"#, esc(t.unmet_none));
        return s;
    }
    let placement: BTreeMap<&str, &str> = input
        .children
        .iter()
        .map(|c| (c.id.as_str(), c.placement.as_str()))
        .collect();
    let mut by_reason: BTreeMap<&str, Vec<&crate::plan::Unmet>> = BTreeMap::new();
    for u in &plan.unmet {
        by_reason.entry(u.reason.code()).or_default().push(u);
    }
    let mut reasons: Vec<_> = by_reason.into_iter().collect();
    reasons.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let _ = write!(s, r#"<p>{}</p><ul class="reasons">"#, esc(t.unmet_intro));
    for (code, list) in &reasons {
        let (label, sentence) = text::reason(lang, code);
        let _ = write!(
            s,
            r#"<li><strong>{}</strong>: {} <span class="muted">{}</span></li>"#,
            esc(&label),
            list.len(),
            esc(&sentence)
        );
    }
    let _ = write!(
        s,
        r#"</ul><table class="unmet"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        esc(t.child),
        esc(t.caseworker),
        esc(t.team),
        esc(t.placement),
        esc(t.due),
        esc(t.reason),
        esc(t.explanation)
    );
    for (code, list) in &reasons {
        let (label, sentence) = text::reason(lang, code);
        let mut list = list.clone();
        list.sort_by(|a, b| a.due_by.cmp(&b.due_by).then(a.child.cmp(&b.child)));
        for u in list {
            let cw = u.caseworker.as_str();
            let team = input.teams.get(cw).map_or("", String::as_str);
            let kind = placement
                .get(u.child.as_str())
                .map(|p| text::placement(lang, p))
                .unwrap_or_default();
            // The planner's own sentence is English; under other languages
            // the reason's sentence stands in for it.
            let detail = if lang == Lang::En && !u.detail.is_empty() {
                u.detail.as_str()
            } else {
                sentence.as_str()
            };
            let _ = write!(
                s,
                r#"<tr data-cw="{}"><td class="id">{}</td><td class="id">{}</td><td>{}</td><td>{}</td><td class="nowrap">{} – {}</td><td><span class="reason">{}</span></td><td>{}</td></tr>"#,
                esc(&token(cw)),
                esc(u.child.as_str()),
                esc(cw),
                esc(team),
                esc(&kind),
                esc(&lang.date(u.due_from)),
                esc(&lang.date(u.due_by)),
                esc(&label),
                esc(detail)
            );
        }
    }
    s.push_str("</tbody></table></section>");
    s
}

/// A trip's route as ids: office, children, airports and hotels, with the
/// way each leg is travelled (`→` by road, `✈` by air, `⛴` by ferry).
pub fn route(trip: &PlannedTrip) -> String {
    let mut out = String::new();
    for (i, stop) in trip.stops.iter().enumerate() {
        if i > 0 {
            out.push_str(match stop.mode_in {
                Some("flight") => " ✈ ",
                Some("ferry") => " ⛴ ",
                _ => " → ",
            });
        }
        out.push_str(&stop.reference);
    }
    out
}

/// One section per caseworker with trips or unmet visits: a table of trips.
pub fn caseworkers(
    plan: &Plan,
    input: &ReportInput,
    colours: &BTreeMap<String, String>,
    lang: Lang,
    t: &Text,
) -> String {
    let mut trips: BTreeMap<&str, Vec<&PlannedTrip>> = BTreeMap::new();
    for trip in &plan.trips {
        trips
            .entry(trip.caseworker.as_str())
            .or_default()
            .push(trip);
    }
    let mut s = format!(
        r#"<section id="caseworkers"><h2>{}</h2>"#,
        esc(t.trips_heading)
    );
    for caseworker in colours.keys() {
        let list = trips.get(caseworker.as_str()).cloned().unwrap_or_default();
        let visits = plan
            .visits
            .iter()
            .filter(|v| v.caseworker.as_str() == caseworker)
            .count();
        let km: f64 = list.iter().map(|t| round_km(t.km_car)).sum();
        let cost: f64 = list.iter().map(|t| t.cost.nok()).sum();
        let team = input.teams.get(caseworker).map_or("", String::as_str);
        let colour = colours.get(caseworker).map_or("#555", String::as_str);
        let _ = write!(
            s,
            r#"<div class="cw" data-cw="{}"><h3><span class="swatch" style="background:{colour}"></span>{} <span class="muted">{} {}</span></h3><p class="cw-sum">{} {} · {} {} · {} km · {}</p>"#,
            esc(&token(caseworker)),
            esc(caseworker),
            esc(t.team),
            esc(team),
            lang.integer(list.len() as i64),
            esc(&t.trips.to_lowercase()),
            lang.integer(visits as i64),
            esc(t.visits),
            esc(&lang.number(km, 0)),
            esc(&lang.money(cost, 0)),
        );
        if list.is_empty() {
            let _ = write!(s, r#"<p class="muted">{}</p></div>"#, esc(t.no_trips));
            continue;
        }
        let _ = write!(
            s,
            r#"<table class="trips"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class="num">{}</th><th class="num">{}</th><th class="num">{}</th></tr></thead><tbody>"#,
            esc(t.trip),
            esc(t.depart),
            esc(t.back),
            esc(t.modes),
            esc(t.route),
            esc(t.km),
            esc(t.nights),
            esc(t.cost)
        );
        for trip in list {
            let modes = if trip.flight_legs > 0 {
                t.mode_flight
            } else {
                t.mode_car
            };
            let _ = write!(
                s,
                r#"<tr><td class="id nowrap">{}</td><td class="nowrap">{}</td><td class="nowrap">{}</td><td>{}</td><td class="route">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num nowrap">{}</td></tr>"#,
                esc(&trip.id),
                esc(&lang.date_time(trip.depart)),
                esc(&lang.date_time(trip.ret)),
                esc(modes),
                esc(&route(trip)),
                esc(&lang.number(round_km(trip.km_car), 0)),
                trip.nights,
                esc(&lang.money(trip.cost.nok(), 0)),
            );
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");
    s
}
