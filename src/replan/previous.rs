//! The plan folder a re-plan starts from, read back into plan rows: its
//! visits, trips with their stops, unmet rows and horizon, and from its
//! calendars each visit's UID and SEQUENCE and the events already
//! cancelled. Anything unreadable or not matching the dataset is a problem
//! at its file and line: a re-plan never guesses at the plan it changes.

use crate::check::ics::read_events;
use crate::check::read::{self, Mode, StopKind};
use crate::check::Violation;
use crate::demand::{Horizon, Period, PeriodKind};
use crate::diagnostics::{Problem, Problems};
use crate::model::Dataset;
use crate::plan::{
    CancelledVisit, PlannedStop, PlannedTrip, PlannedVisit, StopKindOut, Unmet, UnmetReason,
};
use crate::units::{Metres, Minutes, Ore};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::path::Path;

/// The plan before a re-plan.
#[derive(Debug, Clone)]
pub struct Previous {
    pub horizon: Horizon,
    /// With each visit's period from its calendar UID and its SEQUENCE.
    pub visits: Vec<PlannedVisit>,
    pub trips: Vec<PlannedTrip>,
    pub unmet: Vec<Unmet>,
    /// `naive_cost_nok` of its summary, when given.
    pub naive_cost: Option<Ore>,
    /// Cancelled events in its calendars.
    pub cancelled: Vec<CancelledVisit>,
    /// Per UID (child id, period): the highest SEQUENCE in any calendar.
    sequences: HashMap<(String, Period), u32>,
}

impl Previous {
    /// The highest SEQUENCE any event with this UID had.
    pub fn highest_sequence(&self, key: &(String, Period)) -> Option<u32> {
        self.sequences.get(key).copied()
    }
}

/// An event of the old calendars.
struct OldEvent {
    key: (String, Period),
    start: NaiveDateTime,
    end: NaiveDateTime,
    sequence: u32,
    cancelled: bool,
}

/// Reads the plan folder `dir` against `data`.
pub fn read_previous(data: &Dataset, dir: &Path) -> Result<Previous, Problems> {
    let mut violations: Vec<Violation> = Vec::new();
    let files = read::read_plan(dir, &mut violations);
    let shown = |file: &str| dir.join(file).display().to_string();
    let mut problems = Problems::default();
    for v in &violations {
        let mut p = Problem::new(shown(&v.file), v.code, v.message.clone());
        if let Some(line) = v.line {
            p = p.at_line(line);
        }
        problems.push(p);
    }
    let summary = files.summary.clone().unwrap_or_default();
    let horizon = summary
        .horizon_start
        .zip(summary.horizon_end)
        .and_then(|(s, e)| Horizon::new(s, e));
    let Some(horizon) = horizon else {
        if problems.is_empty() {
            problems.push(Problem::new(
                shown(read::SUMMARY),
                "bad_value",
                crate::tr!(
                    "horizon_start and horizon_end do not give a horizon",
                    "horizon_start og horizon_end gir ingen gyldig planperiode"
                ),
            ));
        }
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let children = data.child_ids();
    let caseworkers = data.caseworker_ids();
    let events = calendar_events(dir, &mut problems);
    // (caseworker, start) -> the period its event's UID names.
    let mut period_at: HashMap<(&str, NaiveDateTime), Period> = HashMap::new();
    let mut sequences: HashMap<(String, Period), u32> = HashMap::new();
    for (caseworker, list) in &events {
        for e in list {
            if !e.cancelled {
                period_at.insert((caseworker.as_str(), e.start), e.key.1);
            }
            let s = sequences.entry(e.key.clone()).or_default();
            *s = (*s).max(e.sequence);
        }
    }
    let unknown = |file: &str, line: u64, child: bool, id: &str| {
        let message = if child {
            crate::tr!(
                "child {id} is not in the dataset",
                "barn {id} finnes ikke i datasettet"
            )
        } else {
            crate::tr!(
                "caseworker {id} is not in the dataset",
                "saksbehandler {id} finnes ikke i datasettet"
            )
        };
        Problem::new(shown(file), "unknown_ref", message)
            .at_line(line)
            .hint(crate::tr!(
                "re-plan with the dataset the plan was made from",
                "planlegg på nytt med datasettet planen ble laget fra"
            ))
    };
    let mut visits = Vec::new();
    for v in &files.visits.rows {
        let Some(&c) = children.get(v.child_id.as_str()) else {
            problems.push(unknown(read::VISITS, v.line, true, &v.child_id));
            continue;
        };
        let Some(&cw) = caseworkers.get(v.caseworker_id.as_str()) else {
            problems.push(unknown(read::VISITS, v.line, false, &v.caseworker_id));
            continue;
        };
        let child = &data.children[c];
        let period = period_at
            .get(&(v.caseworker_id.as_str(), v.start))
            .copied()
            .unwrap_or_else(|| Period::containing(child.frequency, v.start.date()));
        let key = (child.id.to_string(), period);
        let sequence = events
            .get(&v.caseworker_id)
            .and_then(|list| list.iter().find(|e| !e.cancelled && e.key == key))
            .map_or(0, |e| e.sequence);
        visits.push(PlannedVisit {
            child: child.id.clone(),
            caseworker: data.caseworkers[cw].id.clone(),
            trip_id: v.trip_id.clone(),
            start: v.start,
            end: v.end,
            period,
            required: period.end() <= horizon.end,
            placement: child.placement.as_str().to_string(),
            place: child.place.clone(),
            team: child.team.clone(),
            sequence,
        });
    }
    let mut stops: HashMap<&str, Vec<&read::StopRow>> = HashMap::new();
    for s in &files.stops.rows {
        stops.entry(s.trip_id.as_str()).or_default().push(s);
    }
    let mut trips = Vec::new();
    for t in &files.trips.rows {
        let Some(&cw) = caseworkers.get(t.caseworker_id.as_str()) else {
            problems.push(unknown(read::TRIPS, t.line, false, &t.caseworker_id));
            continue;
        };
        let mut list = stops.remove(t.trip_id.as_str()).unwrap_or_default();
        list.sort_by_key(|s| s.seq);
        let stops: Vec<PlannedStop> = list
            .iter()
            .map(|s| PlannedStop {
                kind: match s.kind {
                    StopKind::Office => StopKindOut::Office,
                    StopKind::Child => StopKindOut::Child,
                    StopKind::Airport => StopKindOut::Airport,
                    StopKind::Hotel => StopKindOut::Hotel,
                },
                reference: s.reference.clone(),
                lat: s.lat,
                lon: s.lon,
                arrive: s.arrive,
                depart: s.depart,
                mode_in: s.mode_in.map(|m| match m {
                    Mode::Car => "car",
                    Mode::Flight => "flight",
                    Mode::Ferry => "ferry",
                }),
            })
            .collect();
        if stops.len() < 2 {
            problems.push(
                Problem::new(shown(read::TRIPS), "bad_value", {
                    let id = &t.trip_id;
                    crate::tr!(
                        "trip {id} has no route in trip_stops.csv",
                        "reise {id} har ingen rute i trip_stops.csv"
                    )
                })
                .at_line(t.line),
            );
            continue;
        }
        trips.push(PlannedTrip {
            id: t.trip_id.clone(),
            caseworker: data.caseworkers[cw].id.clone(),
            depart: t.depart,
            ret: t.back,
            leg_shapes: vec![None; stops.len()],
            stops,
            km_car: Metres((t.km_car * 1000.0).round() as i64),
            flight_legs: t.flight_legs,
            nights: t.nights,
            travel: Minutes(t.travel_minutes.round() as i64),
            cost: Ore::from_nok(t.cost_nok),
            cost_parts: Default::default(),
        });
        // The cost by kind from the settings (the car takes the rest).
        if let Some(trip) = trips.last_mut() {
            trip.cost_parts = crate::report::read::estimate_parts(trip, data);
        }
    }
    let mut unmet = Vec::new();
    for u in &files.unmet.rows {
        let Some(&c) = children.get(u.child_id.as_str()) else {
            problems.push(unknown(read::UNMET, u.line, true, &u.child_id));
            continue;
        };
        let Some(reason) = UnmetReason::from_code(&u.reason) else {
            problems.push(
                Problem::new(shown(read::UNMET), "bad_value", {
                    let reason = &u.reason;
                    crate::tr!(
                        "reason \"{reason}\" is not one tilsyn writes",
                        "reason «{reason}» er ikke en verdi tilsyn skriver"
                    )
                })
                .at_line(u.line),
            );
            continue;
        };
        let child = &data.children[c];
        unmet.push(Unmet {
            child: child.id.clone(),
            caseworker: data.caseworkers[child.caseworker].id.clone(),
            due_from: u.due_from,
            due_by: u.due_by,
            reason,
            detail: u.detail.clone(),
        });
    }
    let mut cancelled = Vec::new();
    for (caseworker, list) in &events {
        let Some(&cw) = caseworkers.get(caseworker.as_str()) else {
            continue;
        };
        for e in list.iter().filter(|e| e.cancelled) {
            let Some(&c) = children.get(e.key.0.as_str()) else {
                continue;
            };
            let child = &data.children[c];
            cancelled.push(CancelledVisit {
                child: child.id.clone(),
                caseworker: data.caseworkers[cw].id.clone(),
                team: child.team.clone(),
                period: e.key.1,
                start: e.start,
                end: e.end,
                sequence: e.sequence,
                placement: child.placement.as_str().to_string(),
                place: child.place.clone(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let naive_cost = read_naive_cost(dir);
    Ok(Previous {
        horizon,
        visits,
        trips,
        unmet,
        naive_cost,
        cancelled,
        sequences,
    })
}

/// The events of `calendars/*.ics`, per caseworker (file stem). An event
/// whose UID is not one tilsyn writes is skipped; an unreadable file is a
/// problem.
fn calendar_events(dir: &Path, problems: &mut Problems) -> HashMap<String, Vec<OldEvent>> {
    let mut out = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir.join("calendars")) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".ics"))
        else {
            continue;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::new(
                    path.display().to_string(),
                    "unreadable_file",
                    e.to_string(),
                ));
                continue;
            }
        };
        let list: Vec<OldEvent> = read_events(&text)
            .into_iter()
            .filter_map(|e| {
                Some(OldEvent {
                    key: parse_uid(e.uid.as_deref()?)?,
                    start: e.start?.ok()?,
                    end: e.end?.ok()?,
                    sequence: e.sequence.unwrap_or(0),
                    cancelled: e.cancelled,
                })
            })
            .collect();
        out.insert(stem.to_string(), list);
    }
    out
}

/// `<child_id>-<period>@tilsyn` into its child id and period.
pub fn parse_uid(uid: &str) -> Option<(String, Period)> {
    let body = uid.strip_suffix("@tilsyn")?;
    let (child, period) = body.rsplit_once('-')?;
    let (year, rest) = period.split_at(period.find(['Q', 'H'])?);
    let year: i32 = year.parse().ok()?;
    let index: u32 = rest[1..].parse().ok()?;
    let (kind, count) = match &rest[..1] {
        "Q" => (PeriodKind::Quarter, 4),
        _ => (PeriodKind::Half, 2),
    };
    ((1..=count).contains(&index) && !child.is_empty())
        .then(|| (child.to_string(), Period { year, kind, index }))
}

fn read_naive_cost(dir: &Path) -> Option<Ore> {
    let text = std::fs::read_to_string(dir.join(read::SUMMARY)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value
        .get("naive_cost_nok")
        .and_then(|v| v.as_f64())
        .map(Ore::from_nok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_written_in_the_language_asked_for() {
        use crate::check::fixture::{dataset, valid_plan, with, write};
        use crate::i18n::{with_lang, Lang};
        let data = dataset();
        // A re-plan from after the plan's last day has nothing to do.
        let dir = write(&valid_plan());
        let prev = read_previous(&data, dir.path()).unwrap();
        let history = crate::history::History::new(&data, &[]);
        let after = chrono::NaiveDate::from_ymd_opt(2027, 4, 5).unwrap();
        let too_late = |lang| {
            with_lang(lang, || {
                let problems = crate::replan::prepare(&data, &prev, &history, "v.csv", after)
                    .err()
                    .unwrap();
                problems.0[0].to_string()
            })
        };
        assert!(
            too_late(Lang::En).ends_with(
                "2027-04-05 is after the plan's last day 2027-03-31: there is nothing left to re-plan"
            ),
            "{}",
            too_late(Lang::En)
        );
        assert!(
            too_late(Lang::Nb).ends_with(
                "05.04.2027 er etter planens siste dag 31.03.2027: det er ingenting igjen å planlegge på nytt"
            ),
            "{}",
            too_late(Lang::Nb)
        );
        // A child the dataset no longer has.
        let dir = write(&with(valid_plan(), "visits.csv", "C1,K1,T1", "C9,K1,T1"));
        let unknown = |lang| {
            with_lang(lang, || {
                let problems = read_previous(&data, dir.path()).err().unwrap();
                let p = &problems.0[0];
                (
                    p.code,
                    p.message.clone(),
                    p.hint.clone().unwrap_or_default(),
                )
            })
        };
        assert_eq!(
            unknown(Lang::En),
            (
                "unknown_ref",
                "child C9 is not in the dataset".to_string(),
                "re-plan with the dataset the plan was made from".to_string()
            )
        );
        assert_eq!(
            unknown(Lang::Nb),
            (
                "unknown_ref",
                "barn C9 finnes ikke i datasettet".to_string(),
                "planlegg på nytt med datasettet planen ble laget fra".to_string()
            )
        );
    }

    #[test]
    fn uids_give_child_and_period() {
        let (child, p) = parse_uid("B-017-2027Q1@tilsyn").unwrap();
        assert_eq!(child, "B-017");
        assert_eq!(p.to_string(), "2027Q1");
        let (_, p) = parse_uid("C9-2027H2@tilsyn").unwrap();
        assert_eq!(p.to_string(), "2027H2");
        assert!(parse_uid("C9-2027Q5@tilsyn").is_none());
        assert!(parse_uid("C9-2027Q1@elsewhere").is_none());
        assert!(parse_uid("-2027Q1@tilsyn").is_none());
        assert!(parse_uid("C9@tilsyn").is_none());
    }
}
