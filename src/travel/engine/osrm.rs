//! OSRM's HTTP API (v1): `nearest` to snap a place to the road network,
//! `table` for durations (seconds) and distances (metres), `route` for the
//! road geometry (`polyline6`). Coordinates go as `lon,lat`.

use super::cache::Road;
use super::http::{snippet, Answer, Http};
use super::{polyline, Engine, EngineError, Route};
use crate::model::LatLon;
use serde_json::Value;
use std::time::Duration;

/// OSRM's profile name in URLs for the car profile.
pub const DEFAULT_PROFILE: &str = "driving";

pub struct Osrm {
    http: Http,
    profile: String,
}

impl Osrm {
    pub fn new(
        url: &str,
        profile: &str,
        timeout: Duration,
        retries: u32,
    ) -> Result<Self, EngineError> {
        Ok(Self {
            http: Http::new("osrm", url, timeout, retries)?,
            profile: profile.to_string(),
        })
    }

    fn garbage(&self, what: &str, detail: impl Into<String>) -> EngineError {
        self.http.garbage(what, detail)
    }

    /// The answer's JSON with `code` "Ok", or the error it stands for; the
    /// codes in `soft` come back as `Err(Ok(code))` for the caller to handle.
    fn parse(
        &self,
        answer: Answer,
        what: &str,
        soft: &[&str],
    ) -> Result<Result<Value, String>, EngineError> {
        let json: Value = serde_json::from_str(&answer.body).map_err(|_| {
            self.garbage(
                what,
                format!("HTTP {}: {}", answer.status, snippet(&answer.body)),
            )
        })?;
        let code = json.get("code").and_then(Value::as_str).unwrap_or("");
        if code == "Ok" && answer.status == 200 {
            return Ok(Ok(json));
        }
        if soft.contains(&code) {
            return Ok(Err(code.to_string()));
        }
        if code.is_empty() {
            return Err(self.garbage(
                what,
                format!(
                    "HTTP {}: no \"code\": {}",
                    answer.status,
                    snippet(&answer.body)
                ),
            ));
        }
        let message = json.get("message").and_then(Value::as_str).unwrap_or("");
        Err(self
            .http
            .failed(what, format!("HTTP {} {code}: {message}", answer.status)))
    }
}

fn coordinates(points: &[LatLon]) -> String {
    points
        .iter()
        .map(|p| format!("{:.6},{:.6}", p.lon, p.lat))
        .collect::<Vec<_>>()
        .join(";")
}

fn radiuses(n: usize, radius_m: f64) -> String {
    vec![format!("{radius_m:.0}"); n].join(";")
}

/// A number in an OSRM matrix row: `None` for `null` (no route).
fn cell(v: &Value) -> Result<Option<f64>, ()> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(Some)
            .ok_or(()),
        _ => Err(()),
    }
}

/// An `rows` x `cols` matrix of numbers or nulls under `key`.
fn matrix(json: &Value, key: &str, rows: usize, cols: usize) -> Option<Vec<Vec<Option<f64>>>> {
    let m = json.get(key)?.as_array()?;
    if m.len() != rows {
        return None;
    }
    m.iter()
        .map(|row| {
            let row = row.as_array()?;
            if row.len() != cols {
                return None;
            }
            row.iter().map(|v| cell(v).ok()).collect()
        })
        .collect()
}

impl Engine for Osrm {
    fn name(&self) -> &'static str {
        "osrm"
    }
    fn url(&self) -> &str {
        &self.http.base
    }
    fn profile(&self) -> &str {
        &self.profile
    }

    fn snap(&self, points: &[LatLon], radius_m: f64) -> Result<Vec<bool>, EngineError> {
        points
            .iter()
            .map(|p| {
                let path = format!(
                    "nearest/v1/{}/{}?number=1&radiuses={radius_m:.0}",
                    self.profile,
                    coordinates(&[*p])
                );
                let answer = self.http.get(&path, "nearest")?;
                match self.parse(answer, "nearest", &["NoSegment"])? {
                    Err(_) => Ok(false),
                    Ok(json) => {
                        let d = json
                            .get("waypoints")
                            .and_then(|w| w.get(0))
                            .and_then(|w| w.get("distance"))
                            .and_then(Value::as_f64)
                            .ok_or_else(|| self.garbage("nearest", "no waypoint distance"))?;
                        Ok(d <= radius_m)
                    }
                }
            })
            .collect()
    }

    fn table(
        &self,
        sources: &[LatLon],
        targets: &[LatLon],
        radius_m: f64,
    ) -> Result<Vec<Vec<Road>>, EngineError> {
        let mut all = sources.to_vec();
        all.extend_from_slice(targets);
        let list = |range: std::ops::Range<usize>| {
            range.map(|i| i.to_string()).collect::<Vec<_>>().join(";")
        };
        let path = format!(
            "table/v1/{}/{}?sources={}&destinations={}&annotations=duration,distance&radiuses={}",
            self.profile,
            coordinates(&all),
            list(0..sources.len()),
            list(sources.len()..all.len()),
            radiuses(all.len(), radius_m)
        );
        let answer = self.http.get(&path, "table")?;
        let json = match self.parse(answer, "table", &[])? {
            Ok(json) => json,
            Err(code) => return Err(self.garbage("table", code)),
        };
        let (n, m) = (sources.len(), targets.len());
        let durations = matrix(&json, "durations", n, m)
            .ok_or_else(|| self.garbage("table", format!("no {n} x {m} \"durations\"")))?;
        let distances = matrix(&json, "distances", n, m)
            .ok_or_else(|| self.garbage("table", format!("no {n} x {m} \"distances\"")))?;
        Ok(durations
            .iter()
            .zip(&distances)
            .map(|(dr, ds)| {
                dr.iter()
                    .zip(ds)
                    .map(|(t, d)| match (t, d) {
                        (Some(t), Some(d)) => Some((d.round() as u32, t.round() as u32)),
                        _ => None,
                    })
                    .collect()
            })
            .collect())
    }

    fn route(&self, points: &[LatLon], radius_m: f64) -> Result<Route, EngineError> {
        let path = format!(
            "route/v1/{}/{}?overview=full&geometries=polyline6&steps=true&radiuses={}",
            self.profile,
            coordinates(points),
            radiuses(points.len(), radius_m)
        );
        let answer = self.http.get(&path, "route")?;
        let json = match self.parse(answer, "route", &[])? {
            Ok(json) => json,
            Err(code) => return Err(self.garbage("route", code)),
        };
        let route = json
            .get("routes")
            .and_then(|r| r.get(0))
            .ok_or_else(|| self.garbage("route", "no routes"))?;
        let number = |k: &str| route.get(k).and_then(Value::as_f64);
        let geometry = route
            .get("geometry")
            .and_then(Value::as_str)
            .and_then(|g| polyline::decode(g, 6))
            .ok_or_else(|| self.garbage("route", "no polyline6 geometry"))?;
        // Steps say how each part is travelled; OSRM's profiles call a
        // crossing "ferry".
        let ferry = route
            .get("legs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|leg| leg.get("steps").and_then(Value::as_array))
            .flatten()
            .any(|step| step.get("mode").and_then(Value::as_str) == Some("ferry"));
        Ok(Route {
            ferry,
            metres: number("distance").ok_or_else(|| self.garbage("route", "no distance"))?,
            seconds: number("duration").ok_or_else(|| self.garbage("route", "no duration"))?,
            geometry,
        })
    }
}
