//! Re-planning mid-horizon: `tilsyn replan`.
//!
//! A plan is made for a quarter (or a half-year, a year); then visits get
//! done, agreed, moved, and caseworkers fall ill. A re-plan reads the plan
//! folder as it was written, the visit history (`visits_done.csv`, whose
//! optional `status` column marks a row `done` or `confirmed`), the dataset
//! as it is now (sick leave added to `absences.csv`) and a first day
//! `from`, and plans again:
//!
//! - **Kept as they are (locked):** every trip that leaves before `from`
//!   (it is under way or over), and every trip holding a visit that is done
//!   or confirmed (a `visits_done.csv` row with the visit's child and day).
//!   A trip before `from` whose caseworker is now away on one of its days,
//!   and none of whose visits is reported done, did not happen: it is not
//!   kept. Nor is a confirmed trip the caseworker can no longer make.
//! - **Planned again at least cost:** everything else, from `from` to the
//!   end of the old horizon. Kept trips take their caseworker's days and
//!   count towards the weekly and monthly limits; visits done and kept
//!   count as the children's visits (a period holding one needs no other,
//!   and new visits keep their spacing from them).
//!
//! The result is one plan for the whole old horizon: the kept trips with
//! their old ids and times, and the new ones. Its calendars keep every
//! visit's UID (child and period); a visit that moves gets the next
//! `SEQUENCE`, and a visit dropped from a calendar (cancelled, or moved to a
//! colleague) is written there as a `STATUS:CANCELLED` event, so that a
//! re-import updates calendars instead of doubling them. Cancelled events
//! of earlier re-plans are carried on. `changes.csv` lists, per caseworker,
//! each visit done, locked, kept, moved (old → new), cancelled or added.

mod previous;

pub use previous::{read_previous, Previous};

use crate::demand::{self, Horizon, Period};
use crate::diagnostics::{Problem, Problems};
use crate::history::{History, VisitStatus};
use crate::model::{CaseworkerId, ChildId, Dataset};
use crate::plan::{CancelledVisit, Plan, PlannedTrip, PlannedVisit, Unmet};
use crate::planner::{Fixed, FixedTrip};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What happened to one visit between the old plan and the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Kept as planned, and reported done.
    Done,
    /// Kept as planned: before `from`, or confirmed (not reported done).
    Locked,
    /// Planned again on the same day and time, by the same caseworker.
    Kept,
    /// Planned again at another time or by another caseworker.
    Moved,
    /// In the old plan, not in the new.
    Cancelled,
    /// In the new plan, not in the old.
    Added,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::Done,
        ChangeKind::Locked,
        ChangeKind::Kept,
        ChangeKind::Moved,
        ChangeKind::Cancelled,
        ChangeKind::Added,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Done => "done",
            ChangeKind::Locked => "locked",
            ChangeKind::Kept => "kept",
            ChangeKind::Moved => "moved",
            ChangeKind::Cancelled => "cancelled",
            ChangeKind::Added => "added",
        }
    }
}

/// One row of `changes.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Whose list it is on: the new caseworker, or for a cancelled visit
    /// the old one.
    pub caseworker: CaseworkerId,
    pub child: ChildId,
    pub period: Period,
    pub kind: ChangeKind,
    /// Start and caseworker in the old plan, and in the new.
    pub old: Option<(NaiveDateTime, CaseworkerId)>,
    pub new: Option<(NaiveDateTime, CaseworkerId)>,
}

/// What the planner is asked for, and what the merge needs to know.
pub struct Prepared {
    /// The dataset to plan with: `last_visit` and frequencies as the history
    /// and the kept visits give them on `from`.
    pub data: Dataset,
    /// From `from` (or the old start, if later) to the old end.
    pub horizon: Horizon,
    pub fixed: Fixed,
    /// Indices into `Previous::trips` of the trips kept.
    pub kept_trips: Vec<usize>,
    /// (child index, day) of the visits reported done.
    done: HashSet<(usize, NaiveDate)>,
    /// Per child, the visits done and kept, sorted (for old unmet rows).
    standing: Vec<Vec<NaiveDate>>,
    /// Notes for the terminal.
    pub notes: Vec<String>,
}

/// Decides what stays and what is planned again.
pub fn prepare(
    data: &Dataset,
    prev: &Previous,
    history: &History,
    history_file: &str,
    from: NaiveDate,
) -> Result<Prepared, Problems> {
    let old = prev.horizon;
    if from > old.end {
        return Err(Problems(vec![Problem::new("--from", "bad_value", {
            let (from, end) = (crate::i18n::date(from), crate::i18n::date(old.end));
            crate::tr!(
                    "{from} is after the plan's last day {end}: there is nothing left to re-plan",
                    "{from} er etter planens siste dag {end}: det er ingenting igjen å planlegge på nytt"
                )
        })]));
    }
    let start = from.max(old.start);
    let children = data.child_ids();
    let caseworkers = data.caseworker_ids();
    let mut done: HashSet<(usize, NaiveDate)> = HashSet::new();
    let mut confirmed: Vec<(usize, NaiveDate, u64, u64)> = Vec::new();
    for row in &history.rows {
        match row.status {
            VisitStatus::Done => {
                done.insert((row.child, row.date));
            }
            VisitStatus::Confirmed => {
                confirmed.push((row.child, row.date, row.line, row.status_column))
            }
        }
    }
    let away =
        |cw: usize, day: NaiveDate| data.absences_of(cw).any(|a| a.from <= day && day <= a.to);
    let visit_child = |v: &PlannedVisit| children.get(v.child.as_str()).copied();
    let mut problems = Problems::default();
    let mut confirmed_trips: HashSet<usize> = HashSet::new();
    for &(child, day, line, column) in &confirmed {
        let found = prev
            .visits
            .iter()
            .find(|v| visit_child(v) == Some(child) && v.start.date() == day);
        match found.and_then(|v| prev.trips.iter().position(|t| t.id == v.trip_id)) {
            Some(t) => {
                confirmed_trips.insert(t);
            }
            None => problems.push(
                Problem::new(
                    history_file,
                    "unknown_visit",
                    {
                        let (id, day) = (&data.children[child].id, crate::i18n::date(day));
                        crate::tr!(
                            "child {id} is confirmed for {day}, but the plan has no visit of it that day",
                            "barn {id} er bekreftet besøkt {day}, men planen har ikke noe besøk hos barnet den dagen"
                        )
                    },
                )
                .at(line, column)
                .hint(crate::tr!(
                    "confirm a visit of the plan (its child and day), or mark the row done",
                    "bekreft et besøk som står i planen (samme barn og dag), eller merk raden done"
                )),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut notes = Vec::new();
    let mut kept_trips = Vec::new();
    let mut unreported = 0;
    let by_trip = prev.visits_by_trip();
    let no_visits = Vec::new();
    for (t, trip) in prev.trips.iter().enumerate() {
        let Some(cw) = caseworkers.get(trip.caseworker.as_str()).copied() else {
            continue;
        };
        let visits = by_trip.get(trip.id.as_str()).unwrap_or(&no_visits);
        let any_done = visits
            .iter()
            .any(|v| visit_child(v).is_some_and(|c| done.contains(&(c, v.start.date()))));
        let days = trip_days(trip);
        let absent = days.iter().any(|d| away(cw, *d));
        let keep = if any_done {
            true
        } else if trip.depart.date() < start || confirmed_trips.contains(&t) {
            if absent {
                let (id, who) = (&trip.id, &trip.caseworker);
                notes.push(crate::tr!(
                    "trip {id} of {who} is not kept: {who} is away on one of its days",
                    "reise {id} for {who} beholdes ikke: {who} er borte en av reisedagene"
                ));
            }
            !absent
        } else {
            false
        };
        if keep {
            unreported += visits
                .iter()
                .filter(|v| {
                    v.start.date() < start
                        && !visit_child(v).is_some_and(|c| done.contains(&(c, v.start.date())))
                })
                .count();
            kept_trips.push(t);
        }
    }
    if unreported > 0 {
        let first = crate::i18n::date(start);
        notes.push(crate::tr!(
            "{unreported} visits before {first} are not reported done in {history_file}; they stay in the plan as made",
            "{unreported} besøk før {first} er ikke meldt utført i {history_file}; de blir stående i planen slik de ble lagt"
        ));
    }
    // Per child: the visits that stand, done or kept.
    let mut standing: Vec<Vec<NaiveDate>> = history.visits.clone();
    standing.resize(data.children.len(), Vec::new());
    let kept_ids = prev.trip_ids(&kept_trips);
    for id in &kept_ids {
        for v in by_trip.get(id).unwrap_or(&no_visits) {
            if let Some(c) = visit_child(v) {
                standing[c].push(v.start.date());
            }
        }
    }
    for list in &mut standing {
        list.sort_unstable();
        list.dedup();
    }
    let mut planning = data.clone();
    let mut fixed = Fixed {
        visits: vec![Vec::new(); data.children.len()],
        trips: Vec::new(),
        previous_day: vec![None; data.children.len()],
    };
    for v in prev
        .visits
        .iter()
        .filter(|v| !kept_ids.contains(v.trip_id.as_str()))
    {
        if let Some(c) = visit_child(v) {
            fixed.previous_day[c] = Some(v.start.date());
        }
    }
    for (c, list) in standing.iter().enumerate() {
        let child = &mut planning.children[c];
        child.frequency = history.frequency(data, c, start);
        if let Some(last) = list.iter().copied().filter(|d| *d < start).max() {
            child.last_visit = Some(child.last_visit.map_or(last, |l| l.max(last)));
        }
        fixed.visits[c] = list.iter().copied().filter(|d| *d >= start).collect();
    }
    for &t in &kept_trips {
        let trip = &prev.trips[t];
        let Some(cw) = caseworkers.get(trip.caseworker.as_str()).copied() else {
            continue;
        };
        fixed.trips.push(FixedTrip {
            caseworker: cw,
            first: trip.depart.date(),
            days: trip_days(trip).len() as u32,
            visits: by_trip.get(trip.id.as_str()).map_or(0, Vec::len) as u32,
            nights: trip.nights,
        });
    }
    let horizon = Horizon {
        start,
        end: old.end,
    };
    Ok(Prepared {
        data: planning,
        horizon,
        fixed,
        kept_trips,
        done,
        standing,
        notes,
    })
}

/// The days a trip takes, from its departure to its return.
fn trip_days(trip: &PlannedTrip) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut d = trip.depart.date();
    while d <= trip.ret.date() {
        days.push(d);
        d += Duration::days(1);
    }
    days
}

/// The new plan for the whole old horizon: the kept trips and the newly
/// planned ones, with calendar sequences, cancelled events and changes.
///
/// `data` is the dataset with the history applied before the old horizon's
/// start (what `tilsyn check --visits` re-derives the demand from).
pub fn merge(
    data: &Dataset,
    prev: &Previous,
    prepared: &Prepared,
    fresh: Plan,
    from: NaiveDate,
) -> Plan {
    let children = data.child_ids();
    let old = prev.horizon;
    let kept = prev.trip_ids(&prepared.kept_trips);
    // Trips: the kept ones, then the new ones (an id taken by a kept trip
    // gets a suffix).
    let mut trips: Vec<PlannedTrip> = prepared
        .kept_trips
        .iter()
        .map(|&t| prev.trips[t].clone())
        .collect();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for mut t in fresh.trips {
        if kept.contains(t.id.as_str()) {
            let mut k = 2;
            while kept.contains(format!("{}-{k}", t.id).as_str()) {
                k += 1;
            }
            let id = format!("{}-{k}", t.id);
            renamed.insert(t.id.clone(), id.clone());
            t.id = id;
        }
        trips.push(t);
    }
    trips.sort_by(|a, b| (a.depart, &a.caseworker).cmp(&(b.depart, &b.caseworker)));
    let mut visits: Vec<PlannedVisit> = prev
        .visits
        .iter()
        .filter(|v| kept.contains(v.trip_id.as_str()))
        .cloned()
        .collect();
    for mut v in fresh.visits {
        if let Some(id) = renamed.get(&v.trip_id) {
            v.trip_id = id.clone();
        }
        visits.push(v);
    }
    for v in &mut visits {
        v.required = v.period.end() <= old.end;
    }
    visits.sort_by(|a, b| (a.start, &a.caseworker).cmp(&(b.start, &b.caseworker)));

    // Unmet: the new ones, and old ones of periods over before `from` that
    // nothing done or kept has met since.
    let horizon_reqs = demand::requirements(data, old);
    let mut unmet: Vec<Unmet> = fresh.unmet;
    for u in &prev.unmet {
        if u.due_by >= prepared.horizon.start {
            continue;
        }
        let Some(&c) = children.get(u.child.as_str()) else {
            continue;
        };
        let met = prepared.standing[c]
            .iter()
            .any(|d| u.due_from <= *d && *d <= u.due_by);
        if !met {
            unmet.push(u.clone());
        }
    }
    unmet.sort_by(|a, b| (a.due_by, &a.child).cmp(&(b.due_by, &b.child)));

    let (changes, cancelled) = calendar_changes(data, prev, prepared, &mut visits);
    let naive_cost = prev.naive_cost.unwrap_or(fresh.naive_cost);
    Plan {
        horizon: old,
        children: data.children.len(),
        caseworkers: data.caseworkers.len(),
        visits_required: horizon_reqs.iter().filter(|r| r.required).count(),
        visits,
        trips,
        unmet,
        solve_seconds: fresh.solve_seconds,
        seed: fresh.seed,
        naive_cost,
        early_value_nok: fresh.early_value_nok,
        // The kept trips were chosen before; no bound covers the whole.
        lower_bound_nok: None,
        models_proven: fresh.models_proven,
        models: fresh.models,
        visits_by_colleague: fresh.visits_by_colleague,
        uneven_week_penalty_nok: fresh.uneven_week_penalty_nok,
        change_penalty_nok: fresh.change_penalty_nok,
        cancelled,
        issued: from,
        changes: Some(changes),
        // What the re-plan kept or not, then what the planner said.
        notes: prepared.notes.iter().chain(&fresh.notes).cloned().collect(),
    }
}

/// A visit's calendar identity: its child and period (the UID).
type Key = (String, Period);

/// Compares old and new visits: sets each new visit's SEQUENCE, lists the
/// changes, and gives the cancelled events the calendars must carry.
fn calendar_changes(
    data: &Dataset,
    prev: &Previous,
    prepared: &Prepared,
    visits: &mut [PlannedVisit],
) -> (Vec<Change>, Vec<CancelledVisit>) {
    let children = data.child_ids();
    let old: HashMap<Key, &PlannedVisit> = prev
        .visits
        .iter()
        .map(|v| ((v.child.to_string(), v.period), v))
        .collect();
    let kept = prev.trip_ids(&prepared.kept_trips);
    let mut changes = Vec::new();
    let mut cancelled = Vec::new();
    let mut active: HashSet<Key> = HashSet::new();
    for v in visits.iter_mut() {
        let key = (v.child.to_string(), v.period);
        active.insert(key.clone());
        let before = old.get(&key).copied();
        let kind = match before {
            Some(o) if kept.contains(o.trip_id.as_str()) && o.start == v.start => {
                let c = children.get(v.child.as_str()).copied();
                if c.is_some_and(|c| prepared.done.contains(&(c, v.start.date()))) {
                    ChangeKind::Done
                } else {
                    ChangeKind::Locked
                }
            }
            Some(o) if o.start == v.start && o.end == v.end && o.caseworker == v.caseworker => {
                ChangeKind::Kept
            }
            Some(_) => ChangeKind::Moved,
            None => ChangeKind::Added,
        };
        v.sequence = match kind {
            ChangeKind::Done | ChangeKind::Locked | ChangeKind::Kept => {
                before.map_or(0, |o| o.sequence)
            }
            // One more than any event with this UID had.
            _ => prev.highest_sequence(&key).map_or(0, |s| s + 1),
        };
        if let Some(o) = before {
            if o.caseworker != v.caseworker {
                cancelled.push(cancel(o, prev.highest_sequence(&key).map_or(1, |s| s + 1)));
            }
        }
        changes.push(Change {
            caseworker: v.caseworker.clone(),
            child: v.child.clone(),
            period: v.period,
            kind,
            old: before.map(|o| (o.start, o.caseworker.clone())),
            new: Some((v.start, v.caseworker.clone())),
        });
    }
    for o in &prev.visits {
        let key = (o.child.to_string(), o.period);
        if active.contains(&key) {
            continue;
        }
        cancelled.push(cancel(o, prev.highest_sequence(&key).map_or(1, |s| s + 1)));
        changes.push(Change {
            caseworker: o.caseworker.clone(),
            child: o.child.clone(),
            period: o.period,
            kind: ChangeKind::Cancelled,
            old: Some((o.start, o.caseworker.clone())),
            new: None,
        });
    }
    // Cancellations of earlier re-plans stay, so a calendar that missed
    // them still learns; unless the visit is back in that calendar.
    for c in &prev.cancelled {
        let key = (c.child.to_string(), c.period);
        let back = visits
            .iter()
            .any(|v| v.caseworker == c.caseworker && (v.child.to_string(), v.period) == key);
        let again = cancelled.iter().any(|n: &CancelledVisit| {
            n.caseworker == c.caseworker && n.child == c.child && n.period == c.period
        });
        if !back && !again {
            cancelled.push(c.clone());
        }
    }
    changes.sort_by(|a, b| {
        (&a.caseworker, a.kind, &a.child, a.period).cmp(&(
            &b.caseworker,
            b.kind,
            &b.child,
            b.period,
        ))
    });
    cancelled.sort_by(|a, b| (&a.caseworker, a.start).cmp(&(&b.caseworker, b.start)));
    (changes, cancelled)
}

fn cancel(v: &PlannedVisit, sequence: u32) -> CancelledVisit {
    CancelledVisit {
        child: v.child.clone(),
        caseworker: v.caseworker.clone(),
        team: v.team.clone(),
        period: v.period,
        start: v.start,
        end: v.end,
        sequence,
        placement: v.placement.clone(),
        place: v.place.clone(),
    }
}

/// Per caseworker, how many visits of each kind (in [`ChangeKind::ALL`]
/// order), and last how many of theirs moved to a colleague.
pub fn counts(changes: &[Change]) -> BTreeMap<String, [usize; 7]> {
    let mut out: BTreeMap<String, [usize; 7]> = BTreeMap::new();
    for c in changes {
        let row = out.entry(c.caseworker.to_string()).or_default();
        let k = ChangeKind::ALL
            .iter()
            .position(|k| *k == c.kind)
            .unwrap_or(0);
        row[k] += 1;
        if let (Some((_, from)), Some((_, to))) = (&c.old, &c.new) {
            if from != to {
                out.entry(from.to_string()).or_default()[6] += 1;
            }
        }
    }
    out
}
