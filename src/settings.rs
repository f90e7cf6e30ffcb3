//! Planner settings: working hours, visit rules, travel model and cost rates.
//!
//! Every key has a default, so `settings.toml` is optional and may set only
//! what differs. Defaults are the 2026 figures from the state travel rules
//! (see README, "Settings"). Unknown keys are errors, so a typo never passes
//! silently. Money is given in NOK (decimal) and kept as øre inside.

use crate::diagnostics::{io_error, Problem};
use crate::tr;
use crate::units::{Minutes, Ore};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How strictly a child keeps its own caseworker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Continuity {
    /// Only the child's own caseworker visits (the default).
    Strict,
    /// The own caseworker visits whenever it can; a visit the own caseworker
    /// cannot make (away, or no room left) goes to a colleague in the same team.
    CoverAbsence,
    /// As `cover_absence`, and a colleague in the same team may also make a
    /// visit when that saves more than `planning.change_penalty_nok`.
    Preferred,
    /// As `preferred` with no penalty: the team shares its children's visits.
    Team,
}

/// How early visits (taken where a trip passes by) enter the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EarlyVisitMethod {
    /// `joint` up to `EarlyVisitMethod::AUTO_JOINT_MAX_CASEWORKERS`
    /// caseworkers in the dataset, `insert` above.
    Auto,
    /// Chosen with the required visits in one model (proven optimal where
    /// the trips are all enumerated).
    Joint,
    /// Added to the trips of the required visits afterwards, where that
    /// costs less than they are worth: much faster for large departments,
    /// with no proven bound for caseworkers who have early visits.
    Insert,
}

impl EarlyVisitMethod {
    /// Largest department `auto` plans jointly.
    pub const AUTO_JOINT_MAX_CASEWORKERS: usize = 200;

    /// Whether early visits are inserted after the required ones, for a
    /// dataset of `caseworkers` caseworkers.
    pub fn inserts(self, caseworkers: usize) -> bool {
        match self {
            EarlyVisitMethod::Auto => caseworkers > Self::AUTO_JOINT_MAX_CASEWORKERS,
            EarlyVisitMethod::Joint => false,
            EarlyVisitMethod::Insert => true,
        }
    }
}

impl Continuity {
    /// Whether a colleague in the child's team may make its visits.
    pub fn pools(self) -> bool {
        !matches!(self, Continuity::Strict)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Work {
    /// Earliest time a working day starts (leaving the office or the hotel).
    #[serde(deserialize_with = "clock")]
    pub day_start: Minutes,
    /// Latest time a working day ends (back at the office or the hotel).
    #[serde(deserialize_with = "clock")]
    pub day_end: Minutes,
    /// Longest working day in minutes, travel and visits included (flexitime cap).
    pub max_day_minutes: i64,
    /// Field days per week for a full position; scaled by `fte`, at least 1.
    pub max_field_days_per_week: u32,
}

impl Work {
    /// The weekly field-day limit of a caseworker with this `fte`: the
    /// full-time limit times `fte`, rounded, at least 1.
    pub fn field_days_per_week(&self, fte: f64) -> u32 {
        scale(self.max_field_days_per_week, fte).max(1)
    }
}

impl Default for Work {
    fn default() -> Self {
        Self {
            day_start: Minutes(7 * 60 + 30),
            day_end: Minutes(21 * 60),
            max_day_minutes: 10 * 60,
            max_field_days_per_week: 3,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Visits {
    /// Length of one home visit with conversation, minutes.
    pub minutes: i64,
    /// Earliest start of a visit in the home.
    #[serde(deserialize_with = "clock")]
    pub earliest: Minutes,
    /// Latest end of a visit in the home (evening visits allowed).
    #[serde(deserialize_with = "clock")]
    pub latest: Minutes,
    /// Minimum days between two visits to a child on 4 visits a year.
    pub min_gap_days_quarterly: i64,
    /// Minimum days between two visits to a child on 2 visits a year.
    pub min_gap_days_half_yearly: i64,
    /// Plan visits for periods that end after the horizon when a trip passes by.
    pub early_visits: bool,
    /// What an early visit is worth, NOK: it is taken when it adds less than this.
    pub early_visit_value_nok: f64,
}

impl Default for Visits {
    fn default() -> Self {
        Self {
            minutes: 90,
            earliest: Minutes(9 * 60),
            latest: Minutes(20 * 60),
            min_gap_days_quarterly: 30,
            min_gap_days_half_yearly: 60,
            early_visits: true,
            early_visit_value_nok: 1500.0,
        }
    }
}

/// The least detour factor the settings accept.
pub const MIN_DETOUR_FACTOR: f64 = 1.0;
/// The largest detour factor the settings accept.
pub const MAX_DETOUR_FACTOR: f64 = 10.0;
/// `car.speed_kmh` must lie strictly between these.
pub const SPEED_KMH_BOUNDS: (f64, f64) = (5.0, 200.0);

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Car {
    /// Road distance over great-circle distance, inland and along the E6.
    pub detour_factor: f64,
    /// Road distance over great-circle distance to or from an island.
    pub island_detour_factor: f64,
    /// Average speed over the road distance, km/h.
    pub speed_kmh: f64,
    /// Fixed minutes added to every drive (parking, finding the house).
    pub leg_overhead_minutes: i64,
}

impl Default for Car {
    fn default() -> Self {
        Self {
            detour_factor: 1.40,
            island_detour_factor: 1.75,
            speed_kmh: 70.0,
            leg_overhead_minutes: 5,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Flight {
    /// Consider flying when the one-way drive to a child takes longer than this.
    pub consider_above_drive_minutes: i64,
    /// At the airport before departure (parking, security).
    pub before_departure_minutes: i64,
    /// From landing to driving off in the rental car.
    pub after_arrival_minutes: i64,
    /// Between two flights when changing planes.
    pub connection_minutes: i64,
    /// First departure and last arrival of the day.
    #[serde(deserialize_with = "clock")]
    pub first_departure: Minutes,
    #[serde(deserialize_with = "clock")]
    pub last_arrival: Minutes,
    /// Longest drive from the arrival airport to a child, minutes.
    pub max_rental_drive_minutes: i64,
    /// One-way fare per flight leg: base plus per km, capped.
    pub fare_base_nok: f64,
    pub fare_per_km_nok: f64,
    pub fare_max_nok: f64,
}

impl Default for Flight {
    fn default() -> Self {
        Self {
            consider_above_drive_minutes: 150,
            before_departure_minutes: 60,
            after_arrival_minutes: 25,
            connection_minutes: 60,
            first_departure: Minutes(6 * 60 + 30),
            last_arrival: Minutes(23 * 60),
            max_rental_drive_minutes: 150,
            fare_base_nok: 800.0,
            fare_per_km_nok: 1.6,
            fare_max_nok: 3000.0,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Costs {
    /// Own or leased car, NOK per km (state rate 2026).
    pub km_rate_nok: f64,
    /// Rental car, NOK per started day.
    pub rental_car_day_nok: f64,
    /// Rental car fuel, NOK per km.
    pub rental_car_km_nok: f64,
    /// Staff time while travelling, NOK per hour (salary and social costs).
    pub staff_hour_nok: f64,
    /// Hotel, NOK per night.
    pub hotel_night_nok: f64,
    /// Meal allowance per day on a trip with overnight stay (state rate 2025).
    pub allowance_overnight_day_nok: f64,
    /// Meal allowance for a day trip of 6-12 hours (state rate 2025).
    pub allowance_day_trip_nok: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Self {
            km_rate_nok: 5.30,
            rental_car_day_nok: 900.0,
            rental_car_km_nok: 2.0,
            staff_hour_nok: 550.0,
            hotel_night_nok: 1400.0,
            allowance_overnight_day_nok: 977.0,
            allowance_day_trip_nok: 384.0,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Planning {
    pub continuity: Continuity,
    /// Seed for every random choice (tie-breaking, search order).
    pub seed: u64,
    /// Longest trip in days (nights + 1).
    pub max_trip_days: u32,
    /// Most visits in one trip.
    pub max_visits_per_trip: u32,
    /// Homes within this many minutes' drive of the office are visited on
    /// day trips only, never on trips with hotel nights.
    pub local_visit_minutes: i64,
    /// Under `continuity = "preferred"`: what a visit by another caseworker
    /// than the child's own costs, NOK-equivalent.
    pub change_penalty_nok: f64,
    /// The MILP solver: `microlp` (always built) or `highs` (cargo feature).
    pub solver: crate::planner::mip::Backend,
    /// How early visits enter the plan: `auto`, `joint` or `insert`.
    pub early_visit_method: EarlyVisitMethod,
    /// Under `preferred` and `team`: the most seconds each team's lower
    /// bound may take once its plan is chosen (0: no bound).
    pub bound_seconds: u32,
}

impl Default for Planning {
    fn default() -> Self {
        Self {
            continuity: Continuity::Strict,
            seed: 1,
            max_trip_days: 4,
            max_visits_per_trip: 8,
            local_visit_minutes: 45,
            change_penalty_nok: 1000.0,
            solver: crate::planner::mip::Backend::Microlp,
            early_visit_method: EarlyVisitMethod::Auto,
            bound_seconds: 5,
        }
    }
}

/// Workload limits per caseworker and the soft penalty on uneven weeks
/// (README, "Balance"). Every limit is off and the penalty 0 by default, so
/// a plan only changes when one is set. The weekly and monthly limits are
/// for a full position and scale with `fte`, like
/// `work.max_field_days_per_week`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Balance {
    /// Most visits on one day (a day of a trip); no limit when absent.
    pub max_visits_per_day: Option<u32>,
    /// Most visits in one ISO week (Monday-Sunday), full position.
    pub max_visits_per_week: Option<u32>,
    /// Most hotel nights in one calendar month (a night counts in the month
    /// of its evening), full position; 0 allows day trips only.
    pub max_hotel_nights_per_month: Option<u32>,
    /// NOK per visit a week holds above the caseworker's even share of the
    /// chunk's visits (see [`crate::planner::balance`]); 0 turns it off.
    pub uneven_week_penalty_nok: f64,
}

impl Balance {
    /// The weekly visit limit of a caseworker with this `fte`: the full-time
    /// limit times `fte`, rounded, at least 1.
    pub fn visits_per_week(&self, fte: f64) -> Option<u32> {
        self.max_visits_per_week.map(|n| scale(n, fte).max(1))
    }

    /// The monthly hotel-night limit of a caseworker with this `fte`: the
    /// full-time limit times `fte`, rounded, at least 1 unless the limit is 0.
    pub fn hotel_nights_per_month(&self, fte: f64) -> Option<u32> {
        self.max_hotel_nights_per_month
            .map(|n| scale(n, fte).max(n.min(1)))
    }
}

/// Where road travel comes from (README, "Road engines").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouterKind {
    /// The offline model (`[car]`): great-circle distance times a detour
    /// factor. Spelled `great_circle` or, as on the command line,
    /// `great-circle`.
    #[serde(alias = "great-circle")]
    GreatCircle,
    /// An OSRM server (`table`, `nearest` and `route` services).
    Osrm,
    /// A Valhalla server (`sources_to_targets`, `locate` and `route`).
    Valhalla,
}

impl RouterKind {
    pub fn name(self) -> &'static str {
        match self {
            RouterKind::GreatCircle => "great-circle",
            RouterKind::Osrm => "osrm",
            RouterKind::Valhalla => "valhalla",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Router {
    pub engine: RouterKind,
    /// The engine's base URL, e.g. `http://127.0.0.1:5000`.
    pub url: Option<String>,
    /// The engine's profile: OSRM's is part of the URL (`driving`), Valhalla's
    /// is the costing (`auto`). Empty: that default.
    pub profile: Option<String>,
    /// Seconds before one request is given up (and retried).
    pub timeout_seconds: f64,
    /// Retries of a request that timed out, could not connect or got a 5xx.
    pub retries: u32,
    /// Most locations in one matrix request (OSRM's `max-table-size`
    /// defaults to 100); a larger matrix is fetched in blocks.
    pub max_locations_per_request: usize,
    /// Requests in flight at once.
    pub concurrent_requests: usize,
    /// A home farther than this from any road the engine knows has no road
    /// access (metres).
    pub snap_radius_m: f64,
    /// Folder of the matrix cache; empty: `$XDG_CACHE_HOME/tilsyn` or
    /// `~/.cache/tilsyn`.
    pub cache_dir: Option<std::path::PathBuf>,
}

impl Default for Router {
    fn default() -> Self {
        Self {
            engine: RouterKind::GreatCircle,
            url: None,
            profile: None,
            timeout_seconds: 30.0,
            retries: 3,
            max_locations_per_request: 100,
            concurrent_requests: 4,
            snap_radius_m: 2000.0,
            cache_dir: None,
        }
    }
}

/// A full-time figure scaled by `fte` and rounded to the nearest whole.
fn scale(n: u32, fte: f64) -> u32 {
    (f64::from(n) * fte).round().max(0.0) as u32
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub work: Work,
    pub visits: Visits,
    pub car: Car,
    pub flight: Flight,
    pub costs: Costs,
    pub planning: Planning,
    pub balance: Balance,
    pub router: Router,
}

impl Settings {
    /// Reads `settings.toml`; `display` is the name used in messages.
    pub fn load(path: &Path, display: &str) -> Result<Settings, Vec<Problem>> {
        let text = crate::diagnostics::read_user_text(path)
            .map_err(|e| vec![Problem::new(display, "unreadable_file", io_error(&e))])?;
        Self::parse(text.trim_start_matches('\u{feff}'), display)
    }

    pub fn parse(text: &str, display: &str) -> Result<Settings, Vec<Problem>> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let message = match crate::i18n::current() {
                crate::i18n::Lang::En => e.message().to_string(),
                crate::i18n::Lang::Nb => toml_message_nb(e.message()),
            };
            let hint = tr!(
                "see README, section Settings, for every key and its default",
                "se README, avsnittet «Settings», for alle nøkler og standardverdiene deres"
            );
            let mut p = Problem::new(display, "invalid_setting", message).hint(hint);
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                p = p.at(line, col);
            }
            vec![p]
        })?;
        let problems = settings.check(display, &positions(text));
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(problems)
        }
    }

    /// Range checks that serde cannot express; a problem points at its
    /// key's value where `at` has it.
    fn check(&self, display: &str, at: &HashMap<String, (u64, u64)>) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut need = |ok: bool, key: &str, what: String| {
            if !ok {
                let hint = tr!(
                    "see README, section Settings",
                    "se README, avsnittet «Settings»"
                );
                let mut p =
                    Problem::new(display, "invalid_setting", format!("{key} {what}")).hint(hint);
                if let Some(&(line, column)) = at.get(key) {
                    p = p.at(line, column);
                }
                out.push(p);
            }
        };
        let positive = || tr!("must be positive", "må være større enn 0");
        let between = |low: f64, high: f64| {
            let (low, high) = (crate::i18n::number(low, 0), crate::i18n::number(high, 0));
            tr!(
                "must be between {low} and {high}",
                "må være mellom {low} og {high}"
            )
        };
        let limit = || {
            tr!(
                "must be at least 1 (leave it out for no limit)",
                "må være minst 1 (utelat nøkkelen for ingen grense)"
            )
        };
        let w = &self.work;
        need(
            w.day_start < w.day_end,
            "work.day_start",
            tr!("must be before work.day_end", "må være før work.day_end"),
        );
        // Each number within what a working department could mean: the
        // arithmetic of the plan stays far from overflow, and a slip of the
        // keyboard (a missing comma, an extra zero) is caught here, at its key.
        let mut within = |key: &str, value: f64, low: f64, high: f64| {
            need(
                value.is_finite() && value >= low && value <= high,
                key,
                between(low, high),
            );
        };
        const DAY_MINUTES: f64 = 24.0 * 60.0;
        const MOST_NOK: f64 = 1_000_000.0;
        within(
            "work.max_day_minutes",
            w.max_day_minutes as f64,
            1.0,
            DAY_MINUTES,
        );
        within(
            "work.max_field_days_per_week",
            w.max_field_days_per_week.into(),
            1.0,
            7.0,
        );
        let v = &self.visits;
        within("visits.minutes", v.minutes as f64, 1.0, DAY_MINUTES);
        within(
            "visits.min_gap_days_quarterly",
            v.min_gap_days_quarterly as f64,
            0.0,
            92.0,
        );
        within(
            "visits.min_gap_days_half_yearly",
            v.min_gap_days_half_yearly as f64,
            0.0,
            184.0,
        );
        within(
            "visits.early_visit_value_nok",
            v.early_visit_value_nok,
            0.0,
            MOST_NOK,
        );
        let c = &self.car;
        within(
            "car.detour_factor",
            c.detour_factor,
            MIN_DETOUR_FACTOR,
            MAX_DETOUR_FACTOR,
        );
        within(
            "car.island_detour_factor",
            c.island_detour_factor,
            MIN_DETOUR_FACTOR,
            MAX_DETOUR_FACTOR,
        );
        within(
            "car.leg_overhead_minutes",
            c.leg_overhead_minutes as f64,
            0.0,
            DAY_MINUTES,
        );
        let f = &self.flight;
        for (key, minutes) in [
            (
                "flight.consider_above_drive_minutes",
                f.consider_above_drive_minutes,
            ),
            (
                "flight.before_departure_minutes",
                f.before_departure_minutes,
            ),
            ("flight.after_arrival_minutes", f.after_arrival_minutes),
            ("flight.connection_minutes", f.connection_minutes),
            (
                "flight.max_rental_drive_minutes",
                f.max_rental_drive_minutes,
            ),
        ] {
            within(key, minutes as f64, 0.0, DAY_MINUTES);
        }
        for (key, nok) in [
            ("flight.fare_base_nok", f.fare_base_nok),
            ("flight.fare_per_km_nok", f.fare_per_km_nok),
            ("flight.fare_max_nok", f.fare_max_nok),
        ] {
            within(key, nok, 0.0, MOST_NOK);
        }
        let k = &self.costs;
        for (key, nok) in [
            ("costs.km_rate_nok", k.km_rate_nok),
            ("costs.rental_car_day_nok", k.rental_car_day_nok),
            ("costs.rental_car_km_nok", k.rental_car_km_nok),
            ("costs.staff_hour_nok", k.staff_hour_nok),
            ("costs.hotel_night_nok", k.hotel_night_nok),
            (
                "costs.allowance_overnight_day_nok",
                k.allowance_overnight_day_nok,
            ),
            ("costs.allowance_day_trip_nok", k.allowance_day_trip_nok),
        ] {
            within(key, nok, 0.0, MOST_NOK);
        }
        let p = &self.planning;
        within("planning.max_trip_days", p.max_trip_days.into(), 1.0, 14.0);
        within(
            "planning.max_visits_per_trip",
            p.max_visits_per_trip.into(),
            1.0,
            12.0,
        );
        within(
            "planning.local_visit_minutes",
            p.local_visit_minutes as f64,
            0.0,
            DAY_MINUTES,
        );
        within(
            "planning.change_penalty_nok",
            p.change_penalty_nok,
            0.0,
            MOST_NOK,
        );
        within(
            "planning.bound_seconds",
            p.bound_seconds.into(),
            0.0,
            3600.0,
        );
        let b = &self.balance;
        within(
            "balance.uneven_week_penalty_nok",
            b.uneven_week_penalty_nok,
            0.0,
            MOST_NOK,
        );
        let r = &self.router;
        within(
            "router.concurrent_requests",
            r.concurrent_requests as f64,
            1.0,
            64.0,
        );
        need(
            r.timeout_seconds > 0.0 && r.timeout_seconds.is_finite(),
            "router.timeout_seconds",
            positive(),
        );
        need(
            r.max_locations_per_request >= 2,
            "router.max_locations_per_request",
            tr!("must be at least 2", "må være minst 2"),
        );
        need(
            r.snap_radius_m > 0.0 && r.snap_radius_m.is_finite(),
            "router.snap_radius_m",
            positive(),
        );
        need(
            c.speed_kmh > SPEED_KMH_BOUNDS.0 && c.speed_kmh < SPEED_KMH_BOUNDS.1,
            "car.speed_kmh",
            {
                let (low, high) = SPEED_KMH_BOUNDS;
                tr!(
                    "must be above {low} and below {high} km/h",
                    "må være over {low} og under {high} km/t"
                )
            },
        );
        // One visit fits between visits.earliest and visits.latest (an
        // overlong visit is reported above, at its own key), reported at
        // whichever of the three keys the file sets.
        let room_key = ["visits.minutes", "visits.earliest", "visits.latest"]
            .into_iter()
            .find(|key| at.contains_key(*key))
            .unwrap_or("visits.earliest");
        need(
            v.minutes as f64 > DAY_MINUTES || v.earliest + Minutes(v.minutes) <= v.latest,
            room_key,
            tr!(
                "leaves no room for one visit: visits.earliest + visits.minutes must be no later than visits.latest",
                "gir ikke plass til ett besøk: visits.earliest + visits.minutes må være senest visits.latest"
            ),
        );
        need(
            f.first_departure < f.last_arrival,
            "flight.first_departure",
            tr!(
                "must be before flight.last_arrival",
                "må være før flight.last_arrival"
            ),
        );
        need(
            self.planning.solver.available(),
            "planning.solver",
            tr!(
                "= \"highs\" needs a build with `--features highs`; use \"microlp\" here",
                "«highs» krever en versjon bygget med `--features highs`; bruk «microlp» her"
            ),
        );
        need(
            b.max_visits_per_day != Some(0),
            "balance.max_visits_per_day",
            limit(),
        );
        need(
            b.max_visits_per_week != Some(0),
            "balance.max_visits_per_week",
            limit(),
        );
        out
    }

    pub fn visit_length(&self) -> Minutes {
        Minutes(self.visits.minutes)
    }

    pub fn ore(nok: f64) -> Ore {
        Ore::from_nok(nok)
    }
}

/// Where the value of each `section.key` starts in `text` (line, column).
/// Empty unless the file is sections of keys, as settings files are.
fn positions(text: &str) -> HashMap<String, (u64, u64)> {
    type Sections = BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>;
    let Ok(sections) = toml::from_str::<Sections>(text) else {
        return Default::default();
    };
    sections
        .into_iter()
        .flat_map(|(section, keys)| {
            keys.into_iter().map(move |(key, value)| {
                (
                    format!("{section}.{key}"),
                    line_col(text, value.span().start),
                )
            })
        })
        .collect()
}

fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, col)
}

/// Parses `HH:MM` into minutes after midnight.
pub fn parse_clock(s: &str) -> Option<Minutes> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 24 * 60)
        .then_some(Minutes(h * 60 + m))
}

fn clock<'de, D: Deserializer<'de>>(d: D) -> Result<Minutes, D::Error> {
    let s = String::deserialize(d)?;
    parse_clock(&s).ok_or_else(|| {
        serde::de::Error::custom(tr!(
            "\"{s}\" is not a time of day (HH:MM)",
            "«{s}» er ikke et klokkeslett (TT:MM)"
        ))
    })
}

/// The TOML reader's complaint (English, from `toml` and `serde`) in
/// bokmål, line by line; a line of a form not known here stays as it is.
fn toml_message_nb(message: &str) -> String {
    message
        .lines()
        .map(toml_line_nb)
        .collect::<Vec<_>>()
        .join("\n")
}

fn toml_line_nb(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("unknown field ") {
        if let Some(field) = rest.strip_suffix(", there are no fields") {
            return format!("ukjent nøkkel {field}; her finnes ingen nøkler");
        }
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return match expected_nb(expected) {
            Some(known) => format!("ukjent nøkkel {field}; gyldige nøkler her: {known}"),
            None => format!("ukjent nøkkel {field}"),
        };
    }
    if let Some(rest) = line.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let value = value.trim_matches('`');
        return match expected_nb(expected) {
            Some(known) => format!("ukjent verdi «{value}»; gyldige verdier: {known}"),
            None => format!("ukjent verdi «{value}»"),
        };
    }
    for (prefix, nb) in [
        ("invalid type: ", "feil type"),
        ("invalid value: ", "ugyldig verdi"),
    ] {
        if let Some(rest) = line.strip_prefix(prefix) {
            let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
            let found = found_nb(found);
            let expected = expected_nb(expected).unwrap_or_else(|| expected.to_string());
            return format!("{nb}: {found}, forventet {expected}");
        }
    }
    if let Some(rest) = line.strip_prefix("duplicate key ") {
        if let Some((key, table)) = rest.split_once(" in table ") {
            return format!("nøkkelen {key} står mer enn én gang i tabellen {table}");
        }
        if let Some((key, _)) = rest.split_once(" in document root") {
            return format!("nøkkelen {key} står mer enn én gang øverst i filen");
        }
        return format!("nøkkelen {rest} står mer enn én gang");
    }
    if let Some(rest) = line.strip_prefix("expected ") {
        let rest = rest.replace("newline", "linjeskift");
        return format!("forventet {}", rest.replace(" or ", " eller "));
    }
    let known = match line {
        "wanted string or table" => "forventet tekst eller en tabell",
        "number too large to fit in target type" => "tallet er for stort",
        "number too small to fit in target type" => "tallet er for lite",
        "invalid table header" => "ugyldig tabelloverskrift",
        "invalid array header" => "ugyldig overskrift for tabelliste",
        "invalid key" => "ugyldig nøkkel",
        "invalid string" => "ugyldig tekstverdi",
        "invalid basic string" | "invalid literal string" => "ugyldig tekstverdi",
        "invalid multiline basic string" | "invalid multiline literal string" => {
            "ugyldig tekstverdi over flere linjer"
        }
        "invalid integer" => "ugyldig heltall",
        "invalid floating-point number" => "ugyldig desimaltall",
        "invalid array" => "ugyldig liste",
        "invalid inline table" => "ugyldig tabell på én linje",
        "unclosed array" => "listen er ikke lukket",
        "unclosed table" => "tabellen er ikke lukket",
        "invalid date-time" => "ugyldig dato og tid",
        "missing key" => "nøkkel mangler",
        _ => return line.to_string(),
    };
    known.to_string()
}

/// What serde found, e.g. `integer \`7\``, `string "90"`, `sequence`.
fn found_nb(found: &str) -> String {
    let kinds = [
        ("integer ", "heltallet "),
        ("floating point ", "desimaltallet "),
        ("string ", "teksten "),
        ("boolean ", "sannhetsverdien "),
    ];
    for (en, nb) in kinds {
        if let Some(value) = found.strip_prefix(en) {
            let value = value.trim_matches(|c| c == '`' || c == '"');
            return format!("{nb}«{value}»");
        }
    }
    match found {
        "sequence" => "en liste".to_string(),
        "map" => "en tabell".to_string(),
        other => other.to_string(),
    }
}

/// What serde expected, e.g. "one of `a`, `b`", "`a` or `b`", "a string",
/// "i64"; `None` when empty or not known.
fn expected_nb(expected: &str) -> Option<String> {
    if let Some(list) = expected.strip_prefix("one of ") {
        return Some(list.to_string());
    }
    if expected.starts_with('`') {
        return Some(expected.replace("` or `", "` eller `"));
    }
    let nb = match expected {
        "a string" | "a borrowed string" => "tekst",
        "path string" => "en sti som tekst",
        "a boolean" => "true eller false",
        "i8" | "i16" | "i32" | "i64" | "isize" => "et heltall",
        "u8" | "u16" | "u32" | "u64" | "usize" => "et heltall som ikke er negativt",
        "f32" | "f64" => "et tall",
        "a sequence" => "en liste",
        _ if expected.starts_with("struct ") => "en tabell",
        _ if expected.starts_with("enum ") => "en av de gyldige verdiene",
        _ => return None,
    };
    Some(nb.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};

    #[test]
    fn the_offline_router_is_spelled_as_on_the_command_line_too() {
        for name in ["great_circle", "great-circle"] {
            let s = Settings::parse(&format!("[router]\nengine = \"{name}\"\n"), "s").unwrap();
            assert_eq!(s.router.engine, RouterKind::GreatCircle);
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        let s = Settings::parse("", "settings.toml").unwrap();
        assert_eq!(s.costs.km_rate_nok, 5.30);
        assert_eq!(s.visits.min_gap_days_quarterly, 30);
        assert_eq!(s.planning.continuity, Continuity::Strict);
    }

    #[test]
    fn partial_file_overrides_only_its_keys() {
        let s = Settings::parse("[visits]\nminutes = 120\nlatest = \"21:30\"\n", "s").unwrap();
        assert_eq!(s.visits.minutes, 120);
        assert_eq!(s.visits.latest, Minutes(21 * 60 + 30));
        assert_eq!(s.visits.earliest, Minutes(9 * 60));
    }

    #[test]
    fn early_visit_method_is_joint_for_small_departments_by_default() {
        let s = Settings::parse("", "s").unwrap();
        assert_eq!(s.planning.early_visit_method, EarlyVisitMethod::Auto);
        assert!(!s.planning.early_visit_method.inserts(200));
        assert!(s.planning.early_visit_method.inserts(201));
        let s = Settings::parse("[planning]\nearly_visit_method = \"insert\"\n", "s").unwrap();
        assert!(s.planning.early_visit_method.inserts(1));
        let s = Settings::parse("[planning]\nearly_visit_method = \"joint\"\n", "s").unwrap();
        assert!(!s.planning.early_visit_method.inserts(10_000));
        let err = Settings::parse("[planning]\nearly_visit_method = \"later\"\n", "s").unwrap_err();
        assert_eq!((err[0].line, err[0].column), (Some(2), Some(22)));
    }

    #[test]
    fn unknown_key_is_reported_with_line_and_column() {
        let err = Settings::parse("[costs]\nkm_rate = 5\n", "settings.toml").unwrap_err();
        assert_eq!(err[0].code, "invalid_setting");
        assert_eq!(err[0].line, Some(2));
        assert_eq!(err[0].column, Some(1));
    }

    #[test]
    fn bad_clock_and_ranges_are_reported() {
        assert!(Settings::parse("[work]\nday_start = \"25:00\"\n", "s").is_err());
        let err = Settings::parse("[planning]\nmax_trip_days = 0\n", "s").unwrap_err();
        assert!(err[0].message.contains("max_trip_days"));
        let err = Settings::parse("[planning]\nbound_seconds = 3601\n", "s").unwrap_err();
        assert!(err[0].message.contains("bound_seconds"));
        assert_eq!((err[0].line, err[0].column), (Some(2), Some(17)));
        // A visit too long for the visiting hours is reported at the key
        // the file sets: the key its message starts with, and where.
        let blamed = |text: &str| {
            let err = &Settings::parse(text, "s").unwrap_err()[0];
            let key = err.message.split(' ').next().unwrap_or("").to_string();
            (key, err.line, err.column)
        };
        assert_eq!(
            blamed("[visits]\nminutes = 700\n"),
            ("visits.minutes".into(), Some(2), Some(11))
        );
        assert_eq!(
            blamed("[visits]\nlatest = \"10:00\"\n"),
            ("visits.latest".into(), Some(2), Some(10))
        );
        let ok = Settings::parse("[planning]\nbound_seconds = 0\n", "s").unwrap();
        assert_eq!(ok.planning.bound_seconds, 0);
        assert_eq!(parse_clock("07:30"), Some(Minutes(450)));
        assert_eq!(parse_clock("7:5x"), None);
    }

    #[test]
    fn balance_limits_are_off_by_default_and_scale_with_fte() {
        let s = Settings::parse("", "s").unwrap();
        assert_eq!(s.balance.max_visits_per_day, None);
        assert_eq!(s.balance.visits_per_week(1.0), None);
        assert_eq!(s.balance.hotel_nights_per_month(1.0), None);
        assert_eq!(s.balance.uneven_week_penalty_nok, 0.0);
        let text = "[balance]\nmax_visits_per_day = 3\nmax_visits_per_week = 8\n\
                    max_hotel_nights_per_month = 6\nuneven_week_penalty_nok = 500\n";
        let s = Settings::parse(text, "s").unwrap();
        assert_eq!(s.balance.max_visits_per_day, Some(3));
        assert_eq!(s.balance.visits_per_week(1.0), Some(8));
        assert_eq!(s.balance.visits_per_week(0.6), Some(5), "4.8 rounds to 5");
        assert_eq!(s.balance.visits_per_week(0.01), Some(1), "at least 1");
        assert_eq!(s.balance.hotel_nights_per_month(0.8), Some(5));
        let s = Settings::parse("[balance]\nmax_hotel_nights_per_month = 0\n", "s").unwrap();
        assert_eq!(
            s.balance.hotel_nights_per_month(1.0),
            Some(0),
            "day trips only"
        );
        let s = Settings::parse("[balance]\nmax_hotel_nights_per_month = 1\n", "s").unwrap();
        assert_eq!(s.balance.hotel_nights_per_month(0.2), Some(1));
    }

    #[test]
    fn bad_balance_settings_name_their_key() {
        for (text, key) in [
            ("max_visits_per_day = 0", "balance.max_visits_per_day"),
            ("max_visits_per_week = 0", "balance.max_visits_per_week"),
            (
                "uneven_week_penalty_nok = -1",
                "balance.uneven_week_penalty_nok",
            ),
        ] {
            let err = Settings::parse(&format!("[balance]\n{text}\n"), "s").unwrap_err();
            assert!(err[0].message.contains(key), "{text}: {}", err[0].message);
        }
        // Negative counts and unknown keys are caught by the parser, with a position.
        let err = Settings::parse("[balance]\nmax_visits_per_week = -2\n", "s").unwrap_err();
        assert_eq!((err[0].code, err[0].line), ("invalid_setting", Some(2)));
        let err = Settings::parse("[balance]\nmax_visits = 2\n", "s").unwrap_err();
        assert_eq!((err[0].code, err[0].line), ("invalid_setting", Some(2)));
        // Range checks point at the key's value; a key left at its default
        // has no place in the file.
        let text = "[work]\nday_end = \"07:00\"\n\n[planning]\n  change_penalty_nok = -5\n";
        let err = Settings::parse(text, "s").unwrap_err();
        let at: Vec<_> = err.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, vec![(None, None), (Some(5), Some(24))], "{err:?}");
    }

    /// Numbers out of any sensible range (infinite, not a number, absurdly
    /// large) are errors at their own key and place, not a panic or a
    /// failed plan later.
    #[test]
    fn numbers_out_of_range_name_their_own_key_and_place() {
        for (section, text, key) in [
            ("car", "detour_factor = inf", "car.detour_factor"),
            (
                "car",
                "island_detour_factor = 1e300",
                "car.island_detour_factor",
            ),
            (
                "car",
                "leg_overhead_minutes = 9223372036854775807",
                "car.leg_overhead_minutes",
            ),
            ("visits", "minutes = 100000", "visits.minutes"),
            (
                "visits",
                "early_visit_value_nok = inf",
                "visits.early_visit_value_nok",
            ),
            (
                "visits",
                "min_gap_days_quarterly = 1000",
                "visits.min_gap_days_quarterly",
            ),
            ("costs", "km_rate_nok = 1e300", "costs.km_rate_nok"),
            ("costs", "staff_hour_nok = nan", "costs.staff_hour_nok"),
            ("flight", "fare_max_nok = -1", "flight.fare_max_nok"),
            (
                "work",
                "max_field_days_per_week = 100",
                "work.max_field_days_per_week",
            ),
            (
                "planning",
                "local_visit_minutes = 100000",
                "planning.local_visit_minutes",
            ),
        ] {
            let err = Settings::parse(&format!("[{section}]\n{text}\n"), "s").unwrap_err();
            assert_eq!(err.len(), 1, "{text}: {err:?}");
            assert!(
                err[0].message.starts_with(key),
                "{text}: {}",
                err[0].message
            );
            assert_eq!(
                (err[0].line, err[0].column.is_some()),
                (Some(2), true),
                "{text}"
            );
        }
        let err = Settings::parse("[car]\nspeed_kmh = 5\n", "s").unwrap_err();
        assert!(err[0].message.contains("above 5"), "{}", err[0].message);
    }

    /// The first problem of each text, as printed.
    fn first_problems(texts: &[&str]) -> Vec<String> {
        let first = |t: &&str| Settings::parse(t, "settings.toml").unwrap_err()[0].to_string();
        texts.iter().map(first).collect()
    }

    const BAD: &[&str] = &[
        "[costs]\nkm_rate = 5\n",
        "[planning]\nmax_trip_days = 0\n",
        "[work]\nday_start = \"25:00\"\n",
        "[visits]\nminutes = \"90\"\n",
        "[planning]\nearly_visit_method = \"later\"\n",
        "[visits\n",
        "[balance]\nmax_visits_per_week = 0\n",
    ];

    #[test]
    fn settings_errors_in_bokmal() {
        let p = with_lang(Lang::Nb, || first_problems(BAD));
        let see =
            "(tips: se README, avsnittet «Settings», for alle nøkler og standardverdiene deres)";
        assert_eq!(
            p[0],
            format!(
                "settings.toml:2:1: invalid_setting: ukjent nøkkel `km_rate`; gyldige nøkler her: \
                 `km_rate_nok`, `rental_car_day_nok`, `rental_car_km_nok`, `staff_hour_nok`, \
                 `hotel_night_nok`, `allowance_overnight_day_nok`, `allowance_day_trip_nok` {see}"
            )
        );
        assert_eq!(
            p[1],
            "settings.toml:2:17: invalid_setting: planning.max_trip_days må være mellom 1 og 14 \
             (tips: se README, avsnittet «Settings»)"
        );
        assert!(
            p[2].contains(": invalid_setting: «25:00» er ikke et klokkeslett (TT:MM) (tips: se"),
            "{}",
            p[2]
        );
        assert!(
            p[3].contains(": feil type: teksten «90», forventet et heltall (tips:"),
            "{}",
            p[3]
        );
        assert!(
            p[4].contains(": ukjent verdi «later»; gyldige verdier: `auto`, `joint`, `insert` ("),
            "{}",
            p[4]
        );
        assert!(
            p[5].contains(": ugyldig tabelloverskrift\nforventet `.`, `]` (tips:"),
            "{}",
            p[5]
        );
        assert!(
            p[6].ends_with(
                "balance.max_visits_per_week må være minst 1 (utelat nøkkelen for ingen grense) \
                 (tips: se README, avsnittet «Settings»)"
            ),
            "{}",
            p[6]
        );
    }

    #[test]
    fn settings_errors_in_english() {
        let p = with_lang(Lang::En, || first_problems(BAD));
        assert!(
            p[0].starts_with(
                "settings.toml:2:1: invalid_setting: unknown field `km_rate`, expected one of \
                 `km_rate_nok`, "
            ),
            "{}",
            p[0]
        );
        assert!(
            p[0].ends_with("(hint: see README, section Settings, for every key and its default)")
        );
        assert_eq!(
            p[1],
            "settings.toml:2:17: invalid_setting: planning.max_trip_days must be between 1 and 14 \
             (hint: see README, section Settings)"
        );
        assert!(
            p[2].contains("\"25:00\" is not a time of day (HH:MM)"),
            "{}",
            p[2]
        );
        assert!(
            p[3].contains("invalid type: string \"90\", expected i64"),
            "{}",
            p[3]
        );
    }

    #[test]
    fn toml_complaints_of_unknown_forms_stay_as_they_are() {
        assert_eq!(toml_message_nb("something new"), "something new");
        assert_eq!(
            toml_message_nb("invalid value: integer `-2`, expected u32"),
            "ugyldig verdi: heltallet «-2», forventet et heltall som ikke er negativt"
        );
        assert_eq!(
            toml_message_nb("duplicate key `minutes` in table `visits`"),
            "nøkkelen `minutes` står mer enn én gang i tabellen `visits`"
        );
    }
}
