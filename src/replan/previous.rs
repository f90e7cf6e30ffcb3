//! The plan folder a re-plan starts from, read back into plan rows (by the
//! report's reader): its visits, trips with their stops, unmet rows and
//! horizon; and from its calendars each visit's SEQUENCE and the events
//! already cancelled. Anything unreadable or not matching the dataset is a problem
//! at its file and line: a re-plan never guesses at the plan it changes.

use crate::check::ics::read_events;
use crate::check::read;
use crate::demand::{Horizon, Period};
use crate::diagnostics::{Problem, Problems};
use crate::model::Dataset;
use crate::plan::{CancelledVisit, PlannedTrip, PlannedVisit, Unmet};
use crate::units::Ore;
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::path::Path;

/// The plan before a re-plan.
#[derive(Debug, Clone)]
pub struct Previous {
    pub horizon: Horizon,
    /// With each visit's SEQUENCE from its calendar.
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
    /// Each trip's visits, by trip id.
    pub fn visits_by_trip(&self) -> HashMap<&str, Vec<&PlannedVisit>> {
        let mut out: HashMap<&str, Vec<&PlannedVisit>> = HashMap::new();
        for v in &self.visits {
            out.entry(v.trip_id.as_str()).or_default().push(v);
        }
        out
    }

    /// The ids of the trips at `indices`.
    pub fn trip_ids(&self, indices: &[usize]) -> std::collections::HashSet<&str> {
        indices.iter().map(|&t| self.trips[t].id.as_str()).collect()
    }

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

/// Reads the plan folder `dir` against `data`: its files with the
/// report's reader ([`crate::report::read::read_plan`]: the contract's
/// columns and the optional ones, stop coordinates, cost by kind, road
/// geometry), then its calendars.
pub fn read_previous(data: &Dataset, dir: &Path) -> Result<Previous, Problems> {
    let shown = |p: Problem| Problem {
        file: dir.join(&p.file).display().to_string(),
        ..p
    };
    let plan = crate::report::read::read_plan(dir, data)
        .map_err(|p| Problems(p.0.into_iter().map(shown).collect()))?;
    let mut problems = Problems::default();
    for t in plan.trips.iter().filter(|t| t.stops.len() < 2) {
        let id = &t.id;
        problems.push(shown(Problem::new(
            read::TRIPS,
            "bad_value",
            crate::tr!(
                "trip {id} has no route in trip_stops.csv",
                "reise {id} har ingen rute i trip_stops.csv"
            ),
        )));
    }
    let events = calendar_events(dir, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut sequences: HashMap<(String, Period), u32> = HashMap::new();
    for e in events.values().flatten() {
        let s = sequences.entry(e.key.clone()).or_default();
        *s = (*s).max(e.sequence);
    }
    let mut visits = plan.visits;
    for v in &mut visits {
        let key = (v.child.to_string(), v.period);
        v.sequence = events
            .get(v.caseworker.as_str())
            .and_then(|list| list.iter().find(|e| !e.cancelled && e.key == key))
            .map_or(0, |e| e.sequence);
    }
    let children = data.child_ids();
    let caseworkers = data.caseworker_ids();
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
    Ok(Previous {
        horizon: plan.horizon,
        visits,
        trips: plan.trips,
        unmet: plan.unmet,
        naive_cost: Some(plan.naive_cost).filter(|c| c.0 > 0),
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
        let text = match crate::diagnostics::read_user_text(&path) {
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
    let (child, period) = uid.strip_suffix("@tilsyn")?.rsplit_once('-')?;
    (!child.is_empty()).then_some((child.to_string(), Period::parse(period)?))
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
                "unknown_child",
                "child_id C9 is not in the dataset".to_string(),
                "give the dataset the plan was made from (--data)".to_string()
            )
        );
        assert_eq!(
            unknown(Lang::Nb),
            (
                "unknown_child",
                "child_id C9 finnes ikke i datasettet".to_string(),
                "oppgi datasettet planen ble laget fra (--data)".to_string()
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
