//! `routes.geojson` (RFC 7946): each trip as a LineString along its road
//! legs (the engine's road geometry where a road engine gave it, straight
//! otherwise; flights straight), the offices as Points, and every child of
//! the dataset as a Point with its `status` (`planned`, `unmet` or
//! `not_due`, see [`crate::report::Status`]), `placement` and own
//! `caseworker_id` — ids only, never a name or address — so the plan opens
//! in QGIS or geojson.io. Positions are `[longitude, latitude]` in WGS 84
//! with 6 decimals (about 0.1 m).

use crate::model::LatLon;
use crate::plan::{Plan, PlannedTrip, StopKindOut};
use crate::report::{statuses, ReportInput, Status};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn position(p: LatLon) -> Value {
    let r = |x: f64| (x * 1e6).round() / 1e6;
    json!([r(p.lon), r(p.lat)])
}

/// The trip's line: every stop, with each road leg's geometry in between.
fn line(trip: &PlannedTrip) -> (Vec<LatLon>, bool) {
    let mut out: Vec<LatLon> = Vec::new();
    let mut all_road = true;
    for (i, stop) in trip.stops.iter().enumerate() {
        let here = LatLon::new(stop.lat, stop.lon);
        match trip.leg_shapes.get(i).and_then(|s| s.as_ref()) {
            Some(shape) if i > 0 => out.extend(shape.iter().copied()),
            _ => {
                if i > 0 && stop.mode_in != Some("flight") {
                    all_road = false;
                }
            }
        }
        if out.last() != Some(&here) {
            out.push(here);
        }
    }
    if out.len() < 2 {
        // A LineString needs two positions, even for a trip that goes nowhere.
        out.push(out.first().copied().unwrap_or(LatLon::new(0.0, 0.0)));
    }
    (out, all_road)
}

pub fn routes(plan: &Plan, input: &ReportInput) -> Vec<u8> {
    let mut features: Vec<Value> = Vec::new();
    let mut points: BTreeMap<(&'static str, String), (LatLon, usize)> = BTreeMap::new();
    for trip in &plan.trips {
        let (coords, road) = line(trip);
        features.push(json!({
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": coords.iter().map(|p| position(*p)).collect::<Vec<_>>(),
            },
            "properties": {
                "kind": "trip",
                "trip_id": trip.id,
                "caseworker_id": trip.caseworker.as_str(),
                "modes": trip.modes(),
                "depart": trip.depart.format("%Y-%m-%dT%H:%M").to_string(),
                "return": trip.ret.format("%Y-%m-%dT%H:%M").to_string(),
                "km_car": (trip.km_car.0 as f64 / 100.0).round() / 10.0,
                "flight_legs": trip.flight_legs,
                "nights": trip.nights,
                "cost_nok": trip.cost.nok(),
                "road_geometry": road,
            },
        }));
        for stop in &trip.stops {
            let kind = match stop.kind {
                StopKindOut::Office => "office",
                StopKindOut::Child => "child",
                _ => continue,
            };
            let entry = points
                .entry((kind, stop.reference.clone()))
                .or_insert((LatLon::new(stop.lat, stop.lon), 0));
            if kind == "child" {
                entry.1 += 1;
            }
        }
    }
    // Offices no trip left from, and children not visited (unmet or not due).
    for office in &input.offices {
        points
            .entry(("office", office.id.clone()))
            .or_insert((office.location, 0));
    }
    for child in &input.children {
        points
            .entry(("child", child.id.clone()))
            .or_insert((child.location, 0));
    }
    let status = statuses(plan, input);
    let known: BTreeMap<&str, &crate::report::ChildPoint> =
        input.children.iter().map(|c| (c.id.as_str(), c)).collect();
    for ((kind, reference), (at, visits)) in points {
        let properties = if kind == "office" {
            json!({"kind": "office", "office_id": reference})
        } else {
            let s = status.get(&reference).copied().unwrap_or(Status::Planned);
            let mut p = json!({
                "kind": "child",
                "child_id": reference,
                "visits": visits,
                "status": s.code(),
            });
            if let Some(c) = known.get(reference.as_str()) {
                p["placement"] = json!(c.placement);
                p["caseworker_id"] = json!(c.caseworker);
            }
            p
        };
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": position(at)},
            "properties": properties,
        }));
    }
    let doc = json!({"type": "FeatureCollection", "features": features});
    let mut bytes = serde_json::to_vec(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
