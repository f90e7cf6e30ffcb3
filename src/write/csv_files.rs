//! The plan's CSV files, columns exactly as the data contract names them
//! (visits.csv adds the optional `period` and `kind` columns, trips.csv the
//! cost by kind, [`TRIP_COST_COLUMNS`]).

use crate::contract::{
    STOP_COLUMNS, TRIP_COLUMNS, TRIP_COST_COLUMNS, UNMET_COLUMNS, VISIT_COLUMNS,
};
use crate::plan::{round_km, Plan};
use chrono::{NaiveDate, NaiveDateTime};

fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn finish(w: csv::Writer<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

pub fn visits(plan: &Plan) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(VISIT_COLUMNS.iter().chain(&["period", "kind"]))?;
    for v in &plan.visits {
        let kind = if v.required { "required" } else { "early" };
        w.write_record([
            v.child.as_str(),
            v.caseworker.as_str(),
            &v.trip_id,
            &time(v.start),
            &time(v.end),
            &v.period.to_string(),
            kind,
        ])?;
    }
    finish(w)
}

pub fn trips(plan: &Plan) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(TRIP_COLUMNS.iter().chain(TRIP_COST_COLUMNS))?;
    for t in &plan.trips {
        let p = &t.cost_parts;
        let nok = |o: crate::units::Ore| format!("{:.2}", o.nok());
        w.write_record([
            t.id.clone(),
            t.caseworker.to_string(),
            time(t.depart),
            time(t.ret),
            t.modes().to_string(),
            format!("{:.1}", round_km(t.km_car)),
            t.flight_legs.to_string(),
            t.nights.to_string(),
            t.travel.0.to_string(),
            format!("{:.2}", t.cost.nok()),
            nok(p.car),
            nok(p.flight),
            nok(p.hotel),
            nok(p.allowance),
            nok(p.time),
        ])?;
    }
    finish(w)
}

pub fn trip_stops(plan: &Plan) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(STOP_COLUMNS)?;
    for t in &plan.trips {
        for (seq, s) in t.stops.iter().enumerate() {
            w.write_record([
                t.id.clone(),
                seq.to_string(),
                s.kind.as_str().to_string(),
                s.reference.clone(),
                format!("{:.5}", s.lat),
                format!("{:.5}", s.lon),
                s.arrive.map(time).unwrap_or_default(),
                s.depart.map(time).unwrap_or_default(),
                s.mode_in.unwrap_or_default().to_string(),
            ])?;
        }
    }
    finish(w)
}

pub fn unmet(plan: &Plan) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(UNMET_COLUMNS)?;
    for u in &plan.unmet {
        w.write_record([
            u.child.as_str(),
            u.caseworker.as_str(),
            &date(u.due_from),
            &date(u.due_by),
            u.reason.code(),
            &u.detail,
        ])?;
    }
    finish(w)
}

/// A re-plan's `changes.csv`: per caseworker, each visit done, locked,
/// kept, moved, cancelled or added, with its old and new start and
/// caseworker.
pub fn changes(changes: &[crate::replan::Change]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "caseworker_id",
        "child_id",
        "period",
        "change",
        "old_start",
        "new_start",
        "old_caseworker_id",
        "new_caseworker_id",
    ])?;
    let part = |side: &Option<(NaiveDateTime, crate::model::CaseworkerId)>| {
        side.as_ref()
            .map_or((String::new(), String::new()), |(t, c)| {
                (time(*t), c.to_string())
            })
    };
    for c in changes {
        let (old_start, old_cw) = part(&c.old);
        let (new_start, new_cw) = part(&c.new);
        w.write_record([
            c.caseworker.as_str(),
            c.child.as_str(),
            &c.period.to_string(),
            c.kind.code(),
            &old_start,
            &new_start,
            &old_cw,
            &new_cw,
        ])?;
    }
    finish(w)
}
