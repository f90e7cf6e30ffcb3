//! Valhalla's HTTP API: `locate` to snap places to the road network,
//! `sources_to_targets` for times (seconds) and distances (asked in
//! kilometres), `route` for the road geometry (precision-6 polylines).
//! Every location carries `search_cutoff`, the snapping radius in metres:
//! beyond it Valhalla answers error 171 ("No suitable edges near location").

use super::cache::Road;
use super::http::{snippet, Answer, Http};
use super::{polyline, Engine, EngineError, Route};
use crate::model::LatLon;
use serde_json::{json, Value};
use std::time::Duration;

/// Valhalla's costing for cars.
pub const DEFAULT_COSTING: &str = "auto";

pub struct Valhalla {
    http: Http,
    costing: String,
}

impl Valhalla {
    pub fn new(
        url: &str,
        costing: &str,
        timeout: Duration,
        retries: u32,
    ) -> Result<Self, EngineError> {
        Ok(Self {
            http: Http::new("valhalla", url, timeout, retries)?,
            costing: costing.to_string(),
        })
    }

    fn garbage(&self, what: &str, detail: impl Into<String>) -> EngineError {
        self.http.garbage(what, detail)
    }

    /// The answer's JSON if it is a success; Valhalla's own error code and
    /// text otherwise, as an error unless `soft` lists the code (then
    /// `Err(Ok(code))`).
    fn parse(
        &self,
        answer: Answer,
        what: &str,
        soft: &[i64],
    ) -> Result<Result<Value, i64>, EngineError> {
        let json: Value = serde_json::from_str(&answer.body).map_err(|_| {
            self.garbage(
                what,
                format!("HTTP {}: {}", answer.status, snippet(&answer.body)),
            )
        })?;
        if answer.status == 200 && json.get("error_code").is_none() {
            return Ok(Ok(json));
        }
        let code = json.get("error_code").and_then(Value::as_i64);
        match code {
            Some(c) if soft.contains(&c) => Ok(Err(c)),
            Some(c) => Err(self.http.failed(
                what,
                format!(
                    "HTTP {} error {c}: {}{}",
                    answer.status,
                    json.get("error").and_then(Value::as_str).unwrap_or(""),
                    match c {
                        TOO_FAR => {
                            let costing = &self.costing;
                            crate::tr!(
                                " (hint: raise service_limits.{costing}.max_matrix_distance in the Valhalla configuration; the default is 400 km)",
                                " (tips: øk service_limits.{costing}.max_matrix_distance i Valhalla-oppsettet; standard er 400 km)"
                            )
                        }
                        TOO_MANY => {
                            let costing = &self.costing;
                            crate::tr!(
                                " (hint: lower router.max_locations_per_request, or raise service_limits.{costing}.max_matrix_location_pairs)",
                                " (tips: senk router.max_locations_per_request, eller øk service_limits.{costing}.max_matrix_location_pairs)"
                            )
                        }
                        _ => String::new(),
                    }
                ),
            )),
            None => Err(self.garbage(
                what,
                format!("HTTP {}: {}", answer.status, snippet(&answer.body)),
            )),
        }
    }

    /// The table of `sources` to `targets` asked in two halves (by the
    /// longer side), after Valhalla refused it with `code`. A single pair
    /// still refused has no road when its places are unconnected (170);
    /// beyond the server's matrix distance limit (154) it is asked of
    /// `route`, whose limit is far higher.
    fn split_table(
        &self,
        sources: &[LatLon],
        targets: &[LatLon],
        radius_m: f64,
        code: i64,
    ) -> Result<Vec<Vec<Road>>, EngineError> {
        if sources.len() >= targets.len() && sources.len() > 1 {
            let (a, b) = sources.split_at(sources.len() / 2);
            let mut rows = self.table(a, targets, radius_m)?;
            rows.extend(self.table(b, targets, radius_m)?);
            Ok(rows)
        } else if targets.len() > 1 {
            let (a, b) = targets.split_at(targets.len() / 2);
            let left = self.table(sources, a, radius_m)?;
            let right = self.table(sources, b, radius_m)?;
            Ok(left
                .into_iter()
                .zip(right)
                .map(|(mut l, r)| {
                    l.extend(r);
                    l
                })
                .collect())
        } else if code == TOO_FAR && sources.len() == 1 && targets.len() == 1 {
            Ok(vec![vec![
                self.pair_by_route(sources[0], targets[0], radius_m)?
            ]])
        } else {
            Ok(vec![vec![None; targets.len()]; sources.len()])
        }
    }

    /// The road from `a` to `b` by the `route` service: `None` when there is
    /// no path (442) or a place is off the network (170, 171).
    fn pair_by_route(&self, a: LatLon, b: LatLon, radius_m: f64) -> Result<Road, EngineError> {
        let body = json!({
            "locations": Self::locations(&[a, b], radius_m),
            "costing": self.costing,
            "units": "kilometers",
        });
        let answer = self.http.post("route", &body, "route")?;
        let json = match self.parse(answer, "route", &[UNCONNECTED, NO_SUITABLE_EDGES, NO_PATH])? {
            Ok(json) => json,
            Err(_) => return Ok(None),
        };
        let summary = json
            .get("trip")
            .and_then(|t| t.get("summary"))
            .ok_or_else(|| self.garbage("route", "no trip summary"))?;
        let number = |k: &str| {
            summary
                .get(k)
                .and_then(Value::as_f64)
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| self.garbage("route", format!("no {k}")))
        };
        Ok(Some((
            (number("length")? * 1000.0).round() as u32,
            number("time")?.round() as u32,
        )))
    }

    fn locations(points: &[LatLon], radius_m: f64) -> Vec<Value> {
        points
            .iter()
            .map(|p| json!({"lat": p.lat, "lon": p.lon, "search_cutoff": radius_m.round()}))
            .collect()
    }
}

/// Valhalla's error for a place with no road within `search_cutoff`.
pub const NO_SUITABLE_EDGES: i64 = 171;
/// Valhalla's error for a matrix over places in unconnected road regions.
pub const UNCONNECTED: i64 = 170;
/// Valhalla's errors for a matrix beyond the server's distance and size limits.
const TOO_FAR: i64 = 154;
/// Valhalla's error for a route with no path between its places.
const NO_PATH: i64 = 442;
const TOO_MANY: i64 = 150;

impl Engine for Valhalla {
    fn name(&self) -> &'static str {
        "valhalla"
    }
    fn url(&self) -> &str {
        &self.http.base
    }
    fn profile(&self) -> &str {
        &self.costing
    }

    fn snap(&self, points: &[LatLon], radius_m: f64) -> Result<Vec<bool>, EngineError> {
        let body = json!({
            "locations": Self::locations(points, radius_m),
            "costing": self.costing,
            "verbose": false,
        });
        let answer = self.http.post("locate", &body, "locate")?;
        let json = match self.parse(answer, "locate", &[NO_SUITABLE_EDGES])? {
            Ok(json) => json,
            // Only said when every location fails.
            Err(_) => return Ok(vec![false; points.len()]),
        };
        let list = json
            .as_array()
            .filter(|l| l.len() == points.len())
            .ok_or_else(|| {
                self.garbage(
                    "locate",
                    format!("not a list of {} locations", points.len()),
                )
            })?;
        Ok(list
            .iter()
            .map(|l| {
                l.get("edges")
                    .and_then(Value::as_array)
                    .is_some_and(|e| !e.is_empty())
            })
            .collect())
    }

    fn table(
        &self,
        sources: &[LatLon],
        targets: &[LatLon],
        radius_m: f64,
    ) -> Result<Vec<Vec<Road>>, EngineError> {
        let body = json!({
            "sources": Self::locations(sources, radius_m),
            "targets": Self::locations(targets, radius_m),
            "costing": self.costing,
            "units": "kilometers",
        });
        let answer = self
            .http
            .post("sources_to_targets", &body, "sources_to_targets")?;
        let json = match self.parse(answer, "sources_to_targets", &[UNCONNECTED, TOO_FAR])? {
            Ok(json) => json,
            // Some place lies in a region no road joins to the others (an
            // island without a ferry), or some pair is beyond the server's
            // matrix distance limit: halve the block until those pairs
            // stand alone.
            Err(code) => return self.split_table(sources, targets, radius_m, code),
        };
        let (n, m) = (sources.len(), targets.len());
        let bad = || {
            self.garbage(
                "sources_to_targets",
                format!("no {n} x {m} \"sources_to_targets\""),
            )
        };
        let rows = json
            .get("sources_to_targets")
            .and_then(Value::as_array)
            .filter(|r| r.len() == n)
            .ok_or_else(bad)?;
        rows.iter()
            .map(|row| {
                let row = row.as_array().filter(|r| r.len() == m).ok_or_else(bad)?;
                row.iter()
                    .map(|c| {
                        let km = c.get("distance").ok_or_else(bad)?;
                        let s = c.get("time").ok_or_else(bad)?;
                        Ok(match (km.as_f64(), s.as_f64()) {
                            (Some(km), Some(s)) if km >= 0.0 && s >= 0.0 => {
                                Some(((km * 1000.0).round() as u32, s.round() as u32))
                            }
                            _ if km.is_null() || s.is_null() => None,
                            _ => return Err(bad()),
                        })
                    })
                    .collect()
            })
            .collect()
    }

    fn route(&self, points: &[LatLon], radius_m: f64) -> Result<Route, EngineError> {
        let body = json!({
            "locations": Self::locations(points, radius_m),
            "costing": self.costing,
            "units": "kilometers",
        });
        let answer = self.http.post("route", &body, "route")?;
        let json = match self.parse(answer, "route", &[])? {
            Ok(json) => json,
            Err(code) => return Err(self.garbage("route", format!("error {code}"))),
        };
        let trip = json
            .get("trip")
            .ok_or_else(|| self.garbage("route", "no trip"))?;
        let summary = trip
            .get("summary")
            .ok_or_else(|| self.garbage("route", "no summary"))?;
        let mut geometry = Vec::new();
        let mut ferry = false;
        for leg in trip
            .get("legs")
            .and_then(Value::as_array)
            .ok_or_else(|| self.garbage("route", "no legs"))?
        {
            let shape = leg
                .get("shape")
                .and_then(Value::as_str)
                .and_then(|s| polyline::decode(s, 6))
                .ok_or_else(|| self.garbage("route", "a leg without a shape"))?;
            // Maneuver types 28 and 29: onto and off a ferry.
            ferry |= leg
                .get("maneuvers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|m| matches!(m.get("type").and_then(Value::as_i64), Some(28 | 29)));
            // Each leg starts where the one before ended.
            let skip = usize::from(!geometry.is_empty());
            geometry.extend(shape.into_iter().skip(skip));
        }
        Ok(Route {
            ferry,
            metres: summary
                .get("length")
                .and_then(Value::as_f64)
                .ok_or_else(|| self.garbage("route", "no length"))?
                * 1000.0,
            seconds: summary
                .get("time")
                .and_then(Value::as_f64)
                .ok_or_else(|| self.garbage("route", "no time"))?,
            geometry,
        })
    }
}
