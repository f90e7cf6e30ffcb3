//! A finished plan: the rows every writer reads, with ids and local times,
//! and the totals computed from those rows so files can never disagree.

use crate::demand::{Horizon, Period};
use crate::model::{CaseworkerId, ChildId, LatLon};
use crate::units::{Metres, Minutes, Ore};
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVisit {
    pub child: ChildId,
    pub caseworker: CaseworkerId,
    pub trip_id: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// The period the visit answers for: part of the calendar UID.
    pub period: Period,
    /// False for an early visit (its period ends after the horizon).
    pub required: bool,
    /// For calendar text: placement kind and place name (never an address).
    pub placement: String,
    pub place: String,
    /// The child's team, for the team calendars.
    pub team: String,
    /// The calendar event's SEQUENCE: 0 when first planned, one more each
    /// time a re-plan moves it.
    pub sequence: u32,
}

/// A visit a re-plan dropped from someone's calendar: written as a
/// `STATUS:CANCELLED` event with the visit's UID, so a re-import removes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CancelledVisit {
    pub child: ChildId,
    /// Whose calendar it leaves.
    pub caseworker: CaseworkerId,
    pub team: String,
    pub period: Period,
    /// When it was planned.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub sequence: u32,
    pub placement: String,
    pub place: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKindOut {
    Office,
    Child,
    Airport,
    Hotel,
}

impl StopKindOut {
    pub fn as_str(self) -> &'static str {
        match self {
            StopKindOut::Office => "office",
            StopKindOut::Child => "child",
            StopKindOut::Airport => "airport",
            StopKindOut::Hotel => "hotel",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedStop {
    pub kind: StopKindOut,
    /// office_id, child_id, IATA code or hotel label.
    pub reference: String,
    pub lat: f64,
    pub lon: f64,
    pub arrive: Option<NaiveDateTime>,
    pub depart: Option<NaiveDateTime>,
    /// `car`, `flight` or `ferry`; `None` on the first stop.
    pub mode_in: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTrip {
    pub id: String,
    pub caseworker: CaseworkerId,
    pub depart: NaiveDateTime,
    pub ret: NaiveDateTime,
    pub stops: Vec<PlannedStop>,
    pub km_car: Metres,
    pub flight_legs: u32,
    pub nights: u32,
    pub travel: Minutes,
    pub cost: Ore,
    /// What `cost` is made of; the parts sum to `cost`.
    pub cost_parts: CostParts,
    /// Per stop: the road geometry of the leg into it, as a road engine
    /// gave it; `None` on the first stop, for flights, and without an engine.
    pub leg_shapes: Vec<Option<Vec<LatLon>>>,
}

/// A trip's cost by kind, as the planner adds it up (`planner::trip`);
/// the parts sum to the trip's cost exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CostParts {
    /// Own car per km, and a rental car's days and km.
    pub car: Ore,
    /// Air fares.
    pub flight: Ore,
    pub hotel: Ore,
    /// Meal allowance.
    pub allowance: Ore,
    /// Staff time while travelling.
    pub time: Ore,
}

impl CostParts {
    pub fn total(&self) -> Ore {
        self.car + self.flight + self.hotel + self.allowance + self.time
    }
}

impl std::ops::AddAssign for CostParts {
    fn add_assign(&mut self, o: Self) {
        self.car += o.car;
        self.flight += o.flight;
        self.hotel += o.hotel;
        self.allowance += o.allowance;
        self.time += o.time;
    }
}

impl PlannedTrip {
    pub fn modes(&self) -> &'static str {
        if self.flight_legs > 0 {
            "flight+car"
        } else {
            "car"
        }
    }
}

/// Why a required visit is not in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnmetReason {
    /// The caseworker is away on every working day of the window.
    CaseworkerAbsent,
    /// The window has no working day at all.
    NoWorkingDay,
    /// The spacing rule leaves no day in the window.
    MinGapConflict,
    /// No trip can reach the child within the day and trip limits.
    NoFeasibleTrip,
    /// The road engine knows no road to the home (an island without a
    /// ferry, a place off the network), and no flight with a rental car
    /// reaches it.
    NoRoadAccess,
    /// Trips exist, but the caseworker's field days are taken.
    NoCapacity,
    /// The child is placed (`placed_since`) after the visit's window ends.
    NotPlacedYet,
}

impl UnmetReason {
    pub const ALL: [UnmetReason; 7] = [
        UnmetReason::CaseworkerAbsent,
        UnmetReason::NoWorkingDay,
        UnmetReason::MinGapConflict,
        UnmetReason::NoFeasibleTrip,
        UnmetReason::NoRoadAccess,
        UnmetReason::NoCapacity,
        UnmetReason::NotPlacedYet,
    ];

    /// The reason a code names, as [`UnmetReason::code`] writes it.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            UnmetReason::CaseworkerAbsent => "caseworker_absent",
            UnmetReason::NoWorkingDay => "no_working_day",
            UnmetReason::MinGapConflict => "min_gap_conflict",
            UnmetReason::NoFeasibleTrip => "no_feasible_trip",
            UnmetReason::NoRoadAccess => "no_road_access",
            UnmetReason::NoCapacity => "no_capacity",
            UnmetReason::NotPlacedYet => "not_placed_yet",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unmet {
    pub child: ChildId,
    pub caseworker: CaseworkerId,
    pub due_from: NaiveDate,
    pub due_by: NaiveDate,
    pub reason: UnmetReason,
    /// One sentence a department leader understands.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub horizon: Horizon,
    pub children: usize,
    /// Caseworkers in the dataset (for the weekly spread, which counts the
    /// weeks of a caseworker with no visit as well).
    pub caseworkers: usize,
    pub visits_required: usize,
    pub visits: Vec<PlannedVisit>,
    pub trips: Vec<PlannedTrip>,
    pub unmet: Vec<Unmet>,
    pub solve_seconds: f64,
    /// The seed the plan was made with.
    pub seed: u64,
    /// Cost of the naive plan: every required visit its own round trip.
    pub naive_cost: Ore,
    /// What an early visit is worth (setting): the plan's objective is its
    /// cost less this for each early visit.
    pub early_value_nok: f64,
    /// A proven lower bound on the objective, NOK, when every caseworker's
    /// feasible trips were all enumerated (see `planner::caseworker`).
    pub lower_bound_nok: Option<f64>,
    /// Trip-selection models solved to proven optimality, of all models.
    pub models_proven: usize,
    pub models: usize,
    /// Visits made by a caseworker other than the child's own.
    pub visits_by_colleague: usize,
    /// The uneven-week penalty of the plan, NOK (`balance.uneven_week_penalty_nok`;
    /// see `planner::balance`): a soft cost in the objective, not money.
    pub uneven_week_penalty_nok: f64,
    /// Under `continuity = "preferred"`: the change penalty of the visits
    /// colleagues make, NOK (0 otherwise).
    pub change_penalty_nok: f64,
    /// Calendar events a re-plan cancelled (empty for a fresh plan).
    pub cancelled: Vec<CancelledVisit>,
    /// When the plan was made, for the calendars' DTSTAMP: the horizon's
    /// first day for a fresh plan, the re-plan's `--from` day for a re-plan.
    pub issued: NaiveDate,
    /// A re-plan's changes against the plan before it (`changes.csv`).
    pub changes: Option<Vec<crate::replan::Change>>,
    /// What the planner could not do as the settings ask, for the terminal
    /// (no file holds them): e.g. a team too large to pool.
    pub notes: Vec<String>,
}

/// Totals over the plan's rows: what summary.json and the terminal report say.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub visits_planned: usize,
    pub visits_early: usize,
    pub visits_unmet: usize,
    pub km_car: f64,
    pub flight_legs: u32,
    pub hotel_nights: u32,
    pub travel_minutes: i64,
    pub cost: Ore,
}

impl Plan {
    /// The quantity the planner minimises: cost less the worth of early
    /// visits, plus the uneven-week penalty (0 unless that is set) and,
    /// under `preferred` continuity, the change penalties.
    pub fn objective_nok(&self) -> f64 {
        let t = self.totals();
        t.cost.nok() - self.early_value_nok * t.visits_early as f64
            + self.uneven_week_penalty_nok
            + self.change_penalty_nok
    }

    /// How far the objective may be above the best possible, in percent of
    /// the objective, when a bound is known.
    pub fn gap_percent(&self) -> Option<f64> {
        let bound = self.lower_bound_nok?;
        let objective = self.objective_nok();
        Some(((objective - bound) / objective.abs().max(1.0) * 100.0).max(0.0))
    }

    pub fn totals(&self) -> Totals {
        Totals {
            visits_planned: self.visits.len(),
            visits_early: self.visits.iter().filter(|v| !v.required).count(),
            visits_unmet: self.unmet.len(),
            // `+ 0.0`: the sum of no trips is -0.0, which would print as "-0.0".
            km_car: self.trips.iter().map(|t| round_km(t.km_car)).sum::<f64>() + 0.0,
            flight_legs: self.trips.iter().map(|t| t.flight_legs).sum(),
            hotel_nights: self.trips.iter().map(|t| t.nights).sum(),
            travel_minutes: self.trips.iter().map(|t| t.travel.0).sum(),
            cost: self.trips.iter().map(|t| t.cost).sum(),
        }
    }
}

/// How the visits spread over caseworker-weeks: every caseworker times every
/// ISO week of the horizon with a weekday that is not a public holiday,
/// empty weeks included (absences are not taken out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeeklyVisits {
    pub most: u32,
    pub mean: f64,
    /// Population standard deviation of the visits per caseworker-week.
    pub sd: f64,
}

impl Plan {
    pub fn weekly_visits(&self) -> WeeklyVisits {
        use chrono::Datelike;
        use std::collections::{BTreeMap, BTreeSet};
        let week = |d: NaiveDate| (d.iso_week().year(), d.iso_week().week());
        let weeks: BTreeSet<(i32, u32)> = self
            .horizon
            .start
            .iter_days()
            .take_while(|d| *d <= self.horizon.end)
            .filter(|d| crate::calendar::is_office_day(*d))
            .map(week)
            .collect();
        let mut load: BTreeMap<(&str, (i32, u32)), u32> = BTreeMap::new();
        for v in &self.visits {
            *load
                .entry((v.caseworker.as_str(), week(v.start.date())))
                .or_default() += 1;
        }
        let cells = (self.caseworkers * weeks.len()).max(1) as f64;
        let mean = self.visits.len() as f64 / cells;
        // Empty caseworker-weeks each add mean^2 to the sum of squares.
        let empty = cells - load.len() as f64;
        let squares: f64 = load
            .values()
            .map(|&n| (f64::from(n) - mean).powi(2))
            .sum::<f64>()
            + empty.max(0.0) * mean * mean;
        WeeklyVisits {
            most: load.values().copied().max().unwrap_or(0),
            mean,
            sd: (squares / cells).sqrt(),
        }
    }
}

/// Kilometres as written to trips.csv (one decimal), so sums match the file.
pub fn round_km(m: Metres) -> f64 {
    (m.0 as f64 / 100.0).round() / 10.0
}
