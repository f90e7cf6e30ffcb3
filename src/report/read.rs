//! A written plan folder read back into a [`Plan`], for `tilsyn report` and `tilsyn replan`.
//!
//! The checker's reader (`check::read`) reads the contract's columns for
//! its rules; the report needs more (stop coordinates, the optional
//! `period`, `kind` and cost-by-kind columns, `due_from`, the summary's
//! extras, the road geometry in `routes.geojson`), so it has this reader.
//! Every problem is collected, each with file, line and column, and the
//! plan is only returned when there are none. A folder written before
//! trips.csv had its cost by kind gets the parts worked out from the
//! settings (hotel nights, allowance, travel time and air fares; the car
//! is the rest), which is exact when the settings are those of the plan.

use crate::contract::{
    STOP_COLUMNS, SUMMARY, TRIPS, TRIP_COLUMNS, TRIP_COST_COLUMNS, TRIP_STOPS, UNMET,
    UNMET_COLUMNS, VISITS, VISIT_COLUMNS,
};
use crate::demand::{Horizon, Period};
use crate::diagnostics::{Problem, Problems};
use crate::model::{CaseworkerId, ChildId, Dataset, LatLon};
use crate::plan::{
    CostParts, Plan, PlannedStop, PlannedTrip, PlannedVisit, StopKindOut, Unmet, UnmetReason,
};
use crate::tr;
use crate::units::{Metres, Minutes, Ore};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const LOCAL_TIME: &str = "%Y-%m-%dT%H:%M";

/// One CSV file's header and records.
struct Csv {
    file: &'static str,
    header: HashMap<String, usize>,
    records: Vec<csv::StringRecord>,
}

/// The text of `file` in `dir` without a byte-order mark.
fn read_text(dir: &Path, file: &str, problems: &mut Problems) -> Option<String> {
    match crate::diagnostics::read_user_file(&dir.join(file)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text.trim_start_matches('\u{feff}').to_string()),
            Err(_) => {
                problems.push(Problem::new(file, "unreadable_file", "not UTF-8 text"));
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.push(
                Problem::new(
                    file,
                    "missing_file",
                    tr!(
                        "the plan folder has no such file",
                        "planmappen har ikke denne filen"
                    ),
                )
                .hint(tr!(
                    "give the folder a tilsyn plan wrote (--plan)",
                    "oppgi en mappe som tilsyn plan har skrevet (--plan)"
                )),
            );
            None
        }
        Err(e) => {
            problems.push(Problem::new(file, "unreadable_file", e.to_string()));
            None
        }
    }
}

fn read_csv(
    dir: &Path,
    file: &'static str,
    required: &[&str],
    problems: &mut Problems,
) -> Option<Csv> {
    let text = read_text(dir, file, problems)?;
    let first = text.lines().next().unwrap_or("");
    let separator = if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: HashMap<String, usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, c)| (c.trim().to_string(), i))
            .collect(),
        Err(e) => {
            problems.push(Problem::new(file, "unreadable_file", e.to_string()).at_line(1));
            return None;
        }
    };
    let missing: Vec<&&str> = required
        .iter()
        .filter(|c| !header.contains_key(**c))
        .collect();
    for column in &missing {
        problems.push(
            Problem::new(
                file,
                "missing_column",
                tr!(
                    "the header has no column {column}",
                    "overskriftslinjen har ingen kolonne {column}"
                ),
            )
            .at_line(1),
        );
    }
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => records.push(r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem::new(file, "unreadable_record", e.to_string()).at_line(line));
            }
        }
    }
    missing.is_empty().then_some(Csv {
        file,
        header,
        records,
    })
}

/// One record's fields by column name; each bad field becomes a problem.
struct Fields<'a> {
    csv: &'a Csv,
    record: &'a csv::StringRecord,
    problems: &'a mut Problems,
    ok: bool,
}

impl Fields<'_> {
    fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// The trimmed field, or `None` when the column is absent.
    fn optional(&self, column: &str) -> Option<&str> {
        let i = *self.csv.header.get(column)?;
        Some(self.record.get(i).unwrap_or("").trim())
    }

    fn bad(&mut self, column: &str, code: &'static str, message: String, hint: &str) {
        let col = self.csv.header.get(column).map_or(0, |i| *i as u64 + 1);
        let line = self.line();
        self.problems.push(
            Problem::new(self.csv.file, code, message)
                .at(line, col)
                .hint(hint),
        );
        self.ok = false;
    }

    fn text(&mut self, column: &str) -> String {
        self.optional(column).unwrap_or("").to_string()
    }

    fn id(&mut self, column: &str) -> String {
        let s = self.text(column);
        if s.is_empty() {
            self.bad(
                column,
                "empty_value",
                tr!("{column} is empty", "{column} er tom"),
                &tr!("write the id", "skriv id-en"),
            );
        }
        s
    }

    fn parse<T>(
        &mut self,
        column: &str,
        code: &'static str,
        hint: &str,
        f: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let raw = self.text(column);
        let value = f(&raw);
        if value.is_none() {
            self.bad(
                column,
                code,
                tr!(
                    "{column} \"{raw}\" is not valid",
                    "{column} «{raw}» er ikke gyldig"
                ),
                hint,
            );
        }
        value
    }

    fn time(&mut self, column: &str) -> Option<NaiveDateTime> {
        let hint = tr!("write YYYY-MM-DDTHH:MM", "skriv ÅÅÅÅ-MM-DDTtt:mm");
        self.parse(column, "invalid_date", &hint, |s| {
            NaiveDateTime::parse_from_str(s, LOCAL_TIME).ok()
        })
    }

    fn optional_time(&mut self, column: &str) -> Option<Option<NaiveDateTime>> {
        self.parse(
            column,
            "invalid_date",
            &tr!(
                "write YYYY-MM-DDTHH:MM or nothing",
                "skriv ÅÅÅÅ-MM-DDTtt:mm eller ingenting"
            ),
            |s| {
                if s.is_empty() {
                    Some(None)
                } else {
                    NaiveDateTime::parse_from_str(s, LOCAL_TIME).ok().map(Some)
                }
            },
        )
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let hint = tr!("write YYYY-MM-DD", "skriv ÅÅÅÅ-MM-DD");
        self.parse(column, "invalid_date", &hint, |s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        })
    }

    fn number(&mut self, column: &str) -> Option<f64> {
        self.parse(
            column,
            "invalid_number",
            &tr!(
                "write a decimal number such as 12.5",
                "skriv et desimaltall som 12.5"
            ),
            |s| {
                s.replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
            },
        )
    }

    fn count(&mut self, column: &str) -> Option<u32> {
        let hint = tr!("write a whole number >= 0", "skriv et helt tall >= 0");
        self.parse(column, "invalid_number", &hint, |s| s.parse().ok())
    }
}

/// Runs `parse` over every record of `csv`; rows with a problem are left out.
fn rows<T>(
    csv: Option<&Csv>,
    problems: &mut Problems,
    mut parse: impl FnMut(&mut Fields) -> Option<T>,
) -> Vec<T> {
    let Some(csv) = csv else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for record in &csv.records {
        let mut f = Fields {
            csv,
            record,
            problems,
            ok: true,
        };
        if let Some(row) = parse(&mut f) {
            if f.ok {
                out.push(row);
            }
        }
    }
    out
}

/// The summary's figures the report shows that the CSV files do not hold.
struct SummaryExtras {
    horizon: Option<Horizon>,
    children: Option<usize>,
    visits_required: Option<usize>,
    naive_cost_nok: f64,
    lower_bound_nok: Option<f64>,
    models_proven: usize,
    models: usize,
    visits_by_colleague: usize,
    uneven_week_penalty_nok: f64,
    change_penalty_nok: f64,
    seed: u64,
    solve_seconds: f64,
}

fn read_summary(dir: &Path, problems: &mut Problems) -> Option<SummaryExtras> {
    let text = read_text(dir, SUMMARY, problems)?;
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v @ serde_json::Value::Object(_)) => v,
        Ok(_) => {
            problems.push(Problem::new(SUMMARY, "invalid_value", "not a JSON object"));
            return None;
        }
        Err(e) => {
            problems.push(
                Problem::new(SUMMARY, "invalid_value", e.to_string())
                    .at(e.line() as u64, e.column() as u64),
            );
            return None;
        }
    };
    let mut date = |key: &str| {
        let d = json[key]
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        if d.is_none() {
            problems.push(
                Problem::new(
                    SUMMARY,
                    "invalid_date",
                    tr!(
                        "{key} is missing or not a date",
                        "{key} mangler eller er ikke en dato"
                    ),
                )
                .hint(tr!("write YYYY-MM-DD", "skriv ÅÅÅÅ-MM-DD")),
            );
        }
        d
    };
    let (start, end) = (date("horizon_start"), date("horizon_end"));
    let horizon = match (start, end) {
        (Some(s), Some(e)) => {
            let h = Horizon::new(s, e);
            if h.is_none() {
                problems.push(Problem::new(
                    SUMMARY,
                    "invalid_date",
                    tr!(
                        "horizon_start {s} is after horizon_end {e}",
                        "horizon_start {s} er etter horizon_end {e}"
                    ),
                ));
            }
            h
        }
        _ => None,
    };
    let count = |key: &str| json[key].as_u64().map(|n| n as usize);
    Some(SummaryExtras {
        horizon,
        children: count("children"),
        visits_required: count("visits_required"),
        naive_cost_nok: json["naive_cost_nok"].as_f64().unwrap_or(0.0),
        lower_bound_nok: json["lower_bound_nok"].as_f64(),
        models_proven: count("models_proven").unwrap_or(0),
        models: count("models").unwrap_or(0),
        visits_by_colleague: count("visits_by_colleague").unwrap_or(0),
        uneven_week_penalty_nok: json["uneven_week_penalty_nok"].as_f64().unwrap_or(0.0),
        change_penalty_nok: json["change_penalty_nok"].as_f64().unwrap_or(0.0),
        seed: json["seed"].as_u64().unwrap_or(0),
        solve_seconds: json["solve_seconds"].as_f64().unwrap_or(0.0),
    })
}

/// Reads the plan folder `dir`, made from `data`.
pub fn read_plan(dir: &Path, data: &Dataset) -> Result<Plan, Problems> {
    let mut problems = Problems::default();
    let summary = read_summary(dir, &mut problems);
    let visits_csv = read_csv(dir, VISITS, VISIT_COLUMNS, &mut problems);
    let trips_csv = read_csv(dir, TRIPS, TRIP_COLUMNS, &mut problems);
    let stops_csv = read_csv(dir, TRIP_STOPS, STOP_COLUMNS, &mut problems);
    let unmet_csv = read_csv(dir, UNMET, UNMET_COLUMNS, &mut problems);
    let children = data.child_ids();
    let caseworkers = data.caseworker_ids();

    let visits = rows(visits_csv.as_ref(), &mut problems, |f| {
        let child_id = f.id("child_id");
        let caseworker_id = f.id("caseworker_id");
        let trip_id = f.id("trip_id");
        let (start, end) = (f.time("start"), f.time("end"));
        let child = known(f, "child_id", &child_id, &children, "unknown_child");
        known(
            f,
            "caseworker_id",
            &caseworker_id,
            &caseworkers,
            "unknown_caseworker",
        );
        let period_text = f.optional("period").unwrap_or("").to_string();
        let period = if period_text.is_empty() {
            None
        } else {
            f.parse(
                "period",
                "invalid_value",
                &tr!(
                    "write e.g. 2027Q1 or 2027H1",
                    "skriv f.eks. 2027Q1 eller 2027H1"
                ),
                Period::parse,
            )
        };
        let required = f.optional("kind") != Some("early");
        let (child, start, end) = (&data.children[child?], start?, end?);
        Some(PlannedVisit {
            child: ChildId(child_id),
            caseworker: CaseworkerId(caseworker_id),
            trip_id,
            start,
            end,
            period: period.unwrap_or_else(|| Period::containing(child.frequency, start.date())),
            required,
            placement: child.placement.as_str().to_string(),
            place: child.place.clone(),
            team: child.team.clone(),
            // The calendars' SEQUENCE; the report does not show it.
            sequence: 0,
        })
    });

    let mut stops: BTreeMap<String, Vec<(u32, PlannedStop)>> = BTreeMap::new();
    for (trip, seq, stop) in rows(stops_csv.as_ref(), &mut problems, parse_stop) {
        stops.entry(trip).or_default().push((seq, stop));
    }
    let has_parts = trips_csv
        .as_ref()
        .is_some_and(|c| TRIP_COST_COLUMNS.iter().all(|k| c.header.contains_key(*k)));
    let mut trips = rows(trips_csv.as_ref(), &mut problems, |f| {
        let id = f.id("trip_id");
        let caseworker_id = f.id("caseworker_id");
        known(
            f,
            "caseworker_id",
            &caseworker_id,
            &caseworkers,
            "unknown_caseworker",
        );
        let (depart, ret) = (f.time("depart"), f.time("return"));
        let km = f.number("km_car");
        let (flight_legs, nights) = (f.count("flight_legs"), f.count("nights"));
        let (travel, cost) = (f.number("travel_minutes"), f.number("cost_nok"));
        let parts = if has_parts {
            let mut part = |c: &str| f.number(c).map(Ore::from_nok);
            let (car, flight, hotel) = (
                part("cost_car_nok"),
                part("cost_flight_nok"),
                part("cost_hotel_nok"),
            );
            let (allowance, time) = (part("cost_allowance_nok"), part("cost_time_nok"));
            Some(CostParts {
                car: car?,
                flight: flight?,
                hotel: hotel?,
                allowance: allowance?,
                time: time?,
            })
        } else {
            None
        };
        Some(PlannedTrip {
            id,
            caseworker: CaseworkerId(caseworker_id),
            depart: depart?,
            ret: ret?,
            stops: Vec::new(),
            km_car: Metres((km? * 1000.0).round() as i64),
            flight_legs: flight_legs?,
            nights: nights?,
            travel: Minutes(travel?.round() as i64),
            cost: Ore::from_nok(cost?),
            cost_parts: parts.unwrap_or_default(),
            leg_shapes: Vec::new(),
        })
    });
    for trip in &mut trips {
        let mut list = stops.remove(&trip.id).unwrap_or_default();
        list.sort_by_key(|(seq, _)| *seq);
        trip.stops = list.into_iter().map(|(_, s)| s).collect();
        trip.leg_shapes = vec![None; trip.stops.len()];
        if !has_parts {
            trip.cost_parts = estimate_parts(trip, data);
        }
    }
    for trip in stops.keys() {
        problems.push(Problem::new(
            TRIP_STOPS,
            "unknown_trip",
            tr!(
                "trip_id {trip} has stops but no row in trips.csv",
                "trip_id {trip} har stopp, men ingen rad i trips.csv"
            ),
        ));
    }
    attach_shapes(dir, &mut trips);

    let unmet = rows(unmet_csv.as_ref(), &mut problems, |f| {
        let child_id = f.id("child_id");
        let caseworker_id = f.id("caseworker_id");
        known(f, "child_id", &child_id, &children, "unknown_child");
        known(
            f,
            "caseworker_id",
            &caseworker_id,
            &caseworkers,
            "unknown_caseworker",
        );
        let (due_from, due_by) = (f.date("due_from"), f.date("due_by"));
        let reason = f.parse(
            "reason",
            "invalid_value",
            &tr!(
                "write a reason code of the contract, e.g. no_capacity",
                "skriv en årsakskode fra kontrakten, f.eks. no_capacity"
            ),
            UnmetReason::from_code,
        );
        Some(Unmet {
            child: ChildId(child_id),
            caseworker: CaseworkerId(caseworker_id),
            due_from: due_from?,
            due_by: due_by?,
            reason: reason?,
            detail: f.text("detail"),
        })
    });

    let summary = match summary {
        Some(SummaryExtras {
            horizon: Some(_), ..
        }) if problems.is_empty() => summary,
        _ => None,
    };
    let Some(s) = summary else {
        return Err(problems);
    };
    let horizon = s.horizon.ok_or_else(|| problems.clone())?;
    let required_planned = visits.iter().filter(|v| v.required).count();
    Ok(Plan {
        horizon,
        children: s.children.unwrap_or(data.children.len()),
        caseworkers: data.caseworkers.len(),
        visits_required: s.visits_required.unwrap_or(required_planned + unmet.len()),
        visits,
        trips,
        unmet,
        solve_seconds: s.solve_seconds,
        seed: s.seed,
        naive_cost: Ore::from_nok(s.naive_cost_nok),
        early_value_nok: data.settings.visits.early_visit_value_nok,
        lower_bound_nok: s.lower_bound_nok,
        models_proven: s.models_proven,
        models: s.models,
        visits_by_colleague: s.visits_by_colleague,
        uneven_week_penalty_nok: s.uneven_week_penalty_nok,
        change_penalty_nok: s.change_penalty_nok,
        // Re-plan bookkeeping the report does not show.
        cancelled: Vec::new(),
        issued: horizon.start,
        changes: None,
        notes: Vec::new(),
    })
}

/// The index of `id` in `ids`, or a problem with `code`.
fn known(
    f: &mut Fields,
    column: &str,
    id: &str,
    ids: &HashMap<&str, usize>,
    code: &'static str,
) -> Option<usize> {
    if id.is_empty() {
        return None;
    }
    let found = ids.get(id).copied();
    if found.is_none() {
        f.bad(
            column,
            code,
            tr!(
                "{column} {id} is not in the dataset",
                "{column} {id} finnes ikke i datasettet"
            ),
            &tr!(
                "give the dataset the plan was made from (--data)",
                "oppgi datasettet planen ble laget fra (--data)"
            ),
        );
    }
    found
}

fn parse_stop(f: &mut Fields) -> Option<(String, u32, PlannedStop)> {
    let trip = f.id("trip_id");
    let seq = f.count("seq");
    let kind = f.parse(
        "kind",
        "invalid_value",
        "write office, child, airport or hotel",
        |s| match s {
            "office" => Some(StopKindOut::Office),
            "child" => Some(StopKindOut::Child),
            "airport" => Some(StopKindOut::Airport),
            "hotel" => Some(StopKindOut::Hotel),
            _ => None,
        },
    );
    let reference = f.id("ref");
    let (lat, lon) = (f.number("lat"), f.number("lon"));
    let (arrive, depart) = (f.optional_time("arrive"), f.optional_time("depart"));
    let mode_in = f.parse(
        "mode_in",
        "invalid_value",
        "write car, flight, ferry or nothing",
        |s| match s {
            "" => Some(None),
            "car" => Some(Some("car")),
            "flight" => Some(Some("flight")),
            "ferry" => Some(Some("ferry")),
            _ => None,
        },
    );
    let (lat, lon) = (lat?, lon?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        f.bad(
            "lat",
            "lat_out_of_range",
            tr!(
                "{lat}, {lon} is not a position",
                "{lat}, {lon} er ikke en posisjon"
            ),
            &tr!("write WGS84 degrees", "skriv WGS84-grader"),
        );
    }
    Some((
        trip,
        seq?,
        PlannedStop {
            kind: kind?,
            reference,
            lat,
            lon,
            arrive: arrive?,
            depart: depart?,
            mode_in: mode_in?,
        },
    ))
}

/// A trip's cost by kind from the settings, for folders written without
/// the cost columns: the car takes the rest, so the parts sum to the cost.
pub fn estimate_parts(trip: &PlannedTrip, data: &Dataset) -> CostParts {
    let k = &data.settings.costs;
    let airports = crate::geodata::airports();
    let index = |iata: &str| airports.iter().position(|a| a.iata == iata);
    let mut flight = Ore(0);
    for pair in trip.stops.windows(2) {
        if pair[1].mode_in == Some("flight") {
            if let (Some(a), Some(b)) = (index(&pair[0].reference), index(&pair[1].reference)) {
                flight += crate::travel::flights::fare(a, b, &data.settings.flight);
            }
        }
    }
    let minutes = (trip.ret - trip.depart).num_minutes();
    let mut parts = CostParts {
        car: Ore(0),
        flight,
        hotel: Ore::from_nok(f64::from(trip.nights) * k.hotel_night_nok),
        allowance: crate::planner::trip::allowance(minutes, trip.nights, k),
        time: Ore::from_nok(trip.travel.0 as f64 / 60.0 * k.staff_hour_nok),
    };
    let rest = trip.cost - parts.total();
    if rest.0 >= 0 {
        parts.car = rest;
    } else {
        parts.time += rest;
    }
    parts
}

/// Splits each trip's line in `routes.geojson` (when the file is there and
/// reads) at its stops, giving the road legs their geometry back. Anything
/// unexpected leaves the legs straight: the geometry is only for the map.
fn attach_shapes(dir: &Path, trips: &mut [PlannedTrip]) {
    let Ok(text) = std::fs::read_to_string(dir.join(crate::write::ROUTES)) else {
        return;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    let mut lines: HashMap<&str, Vec<LatLon>> = HashMap::new();
    for f in json["features"].as_array().into_iter().flatten() {
        let (Some(id), Some(coords)) = (
            f["properties"]["trip_id"].as_str(),
            f["geometry"]["coordinates"].as_array(),
        ) else {
            continue;
        };
        if f["properties"]["road_geometry"] != serde_json::Value::Bool(true) {
            continue;
        }
        let line = coords
            .iter()
            .filter_map(|p| Some(LatLon::new(p[1].as_f64()?, p[0].as_f64()?)))
            .collect();
        lines.insert(id, line);
    }
    for trip in trips.iter_mut() {
        if let Some(line) = lines.get(trip.id.as_str()) {
            trip.leg_shapes = split_at_stops(line, &trip.stops);
        }
    }
}

/// The pieces of `line` between consecutive stops; `None` for a leg with
/// no points between its stops, or whose stop the line does not pass.
fn split_at_stops(line: &[LatLon], stops: &[PlannedStop]) -> Vec<Option<Vec<LatLon>>> {
    // trip_stops.csv has 5 decimals, routes.geojson 6: about a metre apart.
    let near =
        |a: &LatLon, s: &PlannedStop| (a.lat - s.lat).abs() < 2e-5 && (a.lon - s.lon).abs() < 2e-5;
    let mut out = vec![None; stops.len()];
    let Some(first) = stops.first() else {
        return out;
    };
    let mut at = match line.iter().position(|p| near(p, first)) {
        Some(i) => i,
        None => return out,
    };
    for (i, stop) in stops.iter().enumerate().skip(1) {
        let Some(j) = line[at + 1..]
            .iter()
            .position(|p| near(p, stop))
            .map(|j| at + 1 + j)
        else {
            continue;
        };
        if j > at + 1 && stop.mode_in != Some("flight") {
            out[i] = Some(line[at + 1..j].to_vec());
        }
        at = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_splits_at_its_stops() {
        let stop = |lat: f64, lon: f64, mode: Option<&'static str>| PlannedStop {
            kind: StopKindOut::Child,
            reference: "x".into(),
            lat,
            lon,
            arrive: None,
            depart: None,
            mode_in: mode,
        };
        let stops = [
            stop(63.0, 10.0, None),
            stop(63.1, 10.1, Some("car")),
            stop(63.0, 10.0, Some("car")),
        ];
        let line = [
            LatLon::new(63.0, 10.0),
            LatLon::new(63.05, 10.02),
            LatLon::new(63.08, 10.06),
            LatLon::new(63.1, 10.1),
            LatLon::new(63.0, 10.0),
        ];
        let legs = split_at_stops(&line, &stops);
        assert_eq!(legs[0], None);
        assert_eq!(legs[1].as_ref().map(Vec::len), Some(2));
        assert_eq!(legs[2], None, "straight home");
    }
}
