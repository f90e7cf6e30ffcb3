//! Turns solver results (indices, minutes from a trip's first midnight) into
//! plan rows (ids, local times), with a sentence for every unmet visit.

use super::context::Context;
use super::trip::{evaluate, Access, Mode, StopKind, DAY};
use super::CaseworkerResult;
use crate::calendar::WorkCalendar;
use crate::demand::{Horizon, Requirement};
use crate::geodata;
use crate::plan::{Plan, PlannedStop, PlannedTrip, PlannedVisit, StopKindOut, Unmet, UnmetReason};
use crate::settings::Continuity;
use crate::travel::SiteKind;
use crate::units::Ore;
use chrono::{Duration, NaiveDate, NaiveDateTime};

pub struct Builder<'a> {
    ctx: &'a Context<'a>,
    cal: &'a WorkCalendar,
    horizon: Horizon,
    horizon_reqs: &'a [Requirement],
    plan: Plan,
}

impl<'a> Builder<'a> {
    pub fn new(
        ctx: &'a Context<'a>,
        cal: &'a WorkCalendar,
        horizon: Horizon,
        horizon_reqs: &'a [Requirement],
    ) -> Self {
        let plan = Plan {
            horizon,
            children: ctx.data.children.len(),
            caseworkers: ctx.data.caseworkers.len(),
            visits_required: horizon_reqs.iter().filter(|r| r.required).count(),
            visits: Vec::new(),
            trips: Vec::new(),
            unmet: Vec::new(),
            solve_seconds: 0.0,
            seed: ctx.settings.planning.seed,
            naive_cost: Ore(0),
            early_value_nok: ctx.settings.visits.early_visit_value_nok,
            lower_bound_nok: Some(0.0),
            models_proven: 0,
            models: 0,
            visits_by_colleague: 0,
            uneven_week_penalty_nok: 0.0,
            change_penalty_nok: 0.0,
            cancelled: Vec::new(),
            issued: horizon.start,
            changes: None,
            notes: Vec::new(),
        };
        Self {
            ctx,
            cal,
            horizon,
            horizon_reqs,
            plan,
        }
    }

    /// Counts a caseworker's bound into the plan's; `None` makes the plan's
    /// bound unknown.
    fn add_bound(&mut self, bound: Option<super::caseworker::Bound>) {
        self.plan.models += 1;
        match bound {
            Some(b) => {
                if let Some(sum) = self.plan.lower_bound_nok.as_mut() {
                    *sum += b.nok;
                }
                if b.proven {
                    self.plan.models_proven += 1;
                }
            }
            None => self.plan.lower_bound_nok = None,
        }
    }

    /// Adds one caseworker-chunk's uneven-week penalty, NOK.
    pub fn add_penalty(&mut self, nok: f64) {
        self.plan.uneven_week_penalty_nok += nok;
    }

    /// Adds notes for the terminal, each once.
    pub fn add_notes(&mut self, notes: Vec<String>) {
        for note in notes {
            if !self.plan.notes.contains(&note) {
                self.plan.notes.push(note);
            }
        }
    }

    /// The plan's bound is unknown (several chunks, pooled continuity).
    pub fn forget_bound(&mut self) {
        self.plan.lower_bound_nok = None;
    }

    /// The plan's bound, found for the plan as a whole (pooled continuity).
    pub fn set_bound(&mut self, nok: Option<f64>) {
        self.plan.lower_bound_nok = nok;
    }

    pub fn add(&mut self, r: CaseworkerResult, last_visit: &mut [Option<NaiveDate>]) {
        self.add_bound(r.bound);
        let data = self.ctx.data;
        let cw = &data.caseworkers[r.caseworker];
        for (cand, day) in &r.trips {
            let first = self.cal.date(*day);
            let at = |m: i64| at_time(first, m);
            let id = format!("{}-{}", cw.id, first.format("%Y%m%d"));
            let stops: Vec<PlannedStop> = cand
                .shape
                .stops
                .iter()
                .map(|s| self.stop(s.kind, s.arrive.map(at), s.depart.map(at), s.mode_in))
                .collect();
            for s in &cand.shape.stops {
                let (StopKind::Child(c), Some((start, end))) = (s.kind, s.visit) else {
                    continue;
                };
                let v = cand
                    .visits
                    .iter()
                    .copied()
                    .find(|&v| r.due[v].child == c)
                    .unwrap_or(0);
                let req = &r.requirements[v];
                let child = &data.children[c];
                self.plan.visits.push(PlannedVisit {
                    child: child.id.clone(),
                    caseworker: cw.id.clone(),
                    trip_id: id.clone(),
                    start: at(start),
                    end: at(end),
                    period: req.period,
                    required: req.period.end() <= self.horizon.end,
                    placement: child.placement.as_str().to_string(),
                    place: child.place.clone(),
                    team: child.team.clone(),
                    sequence: 0,
                });
                last_visit[c] = Some(first + Duration::days(start / DAY));
                if child.caseworker != r.caseworker {
                    self.plan.visits_by_colleague += 1;
                    if self.ctx.settings.planning.continuity == Continuity::Preferred {
                        self.plan.change_penalty_nok +=
                            self.ctx.settings.planning.change_penalty_nok;
                    }
                }
            }
            let shape = &cand.shape;
            let leg_shapes = vec![None; stops.len()];
            self.plan.trips.push(PlannedTrip {
                leg_shapes,
                id,
                caseworker: cw.id.clone(),
                depart: at(shape.stops[0].depart.unwrap_or(0)),
                ret: at(shape.stops.last().and_then(|s| s.arrive).unwrap_or(0)),
                stops,
                km_car: shape.km_car,
                flight_legs: shape.flight_legs,
                nights: shape.nights,
                travel: shape.travel,
                cost: shape.cost,
                cost_parts: shape.cost_parts,
            });
        }
        for (v, reason) in &r.unmet {
            let req = &r.requirements[*v];
            let whole = self
                .horizon_reqs
                .iter()
                .find(|h| h.child == req.child && h.period == req.period)
                .unwrap_or(req);
            let child = &data.children[req.child];
            // A period needed in an earlier chunk (its last chance there)
            // and unmet there is named once, with the reason found first.
            if self
                .plan
                .unmet
                .iter()
                .any(|u| u.child == child.id && u.due_by == whole.due_by)
            {
                continue;
            }
            // A child placed after the window, or a last visit too recent
            // for any day of it: the window the law gives, not an empty one
            // (from the placement or the spacing on, after its end).
            let due_from = if whole.window_is_empty() {
                whole.period.start().max(self.plan.horizon.start)
            } else {
                whole.due_from
            };
            self.plan.unmet.push(Unmet {
                child: child.id.clone(),
                caseworker: data.caseworkers[child.caseworker].id.clone(),
                due_from,
                due_by: whole.due_by,
                reason: *reason,
                detail: detail(*reason, self.ctx, req, r.caseworker),
            });
        }
    }

    fn stop(
        &self,
        kind: StopKind,
        arrive: Option<NaiveDateTime>,
        depart: Option<NaiveDateTime>,
        mode: Option<Mode>,
    ) -> PlannedStop {
        let data = self.ctx.data;
        let (k, reference, loc) = match kind {
            StopKind::Office(o) => (
                StopKindOut::Office,
                data.offices[o].id.to_string(),
                data.offices[o].location,
            ),
            StopKind::Child(c) => (
                StopKindOut::Child,
                data.children[c].id.to_string(),
                data.children[c].location,
            ),
            StopKind::Airport(a) => {
                let ap = &geodata::airports()[a];
                (StopKindOut::Airport, ap.iata.clone(), ap.location)
            }
            StopKind::Hotel(site) => {
                let name = match self.ctx.sites.kind(site) {
                    SiteKind::Hotel(h) => geodata::hotel_towns()[h].name.clone(),
                    SiteKind::Child(c) => data.children[c].place.clone(),
                    SiteKind::Airport(a) => geodata::airports()[a].iata.clone(),
                    SiteKind::Office(o) => data.offices[o].name.clone(),
                };
                (
                    StopKindOut::Hotel,
                    format!("hotell {name}"),
                    self.ctx.sites.location(site),
                )
            }
        };
        PlannedStop {
            kind: k,
            reference,
            lat: loc.lat,
            lon: loc.lon,
            arrive,
            depart,
            mode_in: mode.map(|m| match m {
                Mode::Car => "car",
                Mode::Flight => "flight",
            }),
        }
    }

    pub fn finish(mut self, solve_seconds: f64) -> Plan {
        self.plan.solve_seconds = solve_seconds;
        // The naive plan makes the same required visits as the plan, so the
        // saving compares like with like when some are unmet.
        let unmet: std::collections::HashSet<(&str, NaiveDate)> = self
            .plan
            .unmet
            .iter()
            .map(|u| (u.child.as_str(), u.due_by))
            .collect();
        let data = self.ctx.data;
        let met: Vec<Requirement> = self
            .horizon_reqs
            .iter()
            .filter(|r| !unmet.contains(&(data.children[r.child].id.as_str(), r.due_by)))
            .cloned()
            .collect();
        self.plan.naive_cost = naive_cost(self.ctx, &met);
        self.plan
            .trips
            .sort_by(|a, b| (&a.caseworker, a.depart).cmp(&(&b.caseworker, b.depart)));
        self.plan
            .visits
            .sort_by(|a, b| (a.start, &a.child).cmp(&(b.start, &b.child)));
        self.plan
            .unmet
            .sort_by(|a, b| (a.due_by, &a.child).cmp(&(b.due_by, &b.child)));
        self.plan
    }
}

fn at_time(first: NaiveDate, minutes: i64) -> NaiveDateTime {
    let date = first + Duration::days(minutes.div_euclid(DAY));
    let m = minutes.rem_euclid(DAY);
    date.and_hms_opt((m / 60) as u32, (m % 60) as u32, 0)
        .unwrap_or_default()
}

fn detail(reason: UnmetReason, ctx: &Context, r: &Requirement, cw: usize) -> String {
    use crate::tr;
    let who = &ctx.data.caseworkers[cw].id;
    let (from, by) = (crate::i18n::date(r.due_from), crate::i18n::date(r.due_by));
    // Name the workload limits only where they are set, so a plan without
    // them reads as before.
    let b = &ctx.settings.balance;
    let trip_limits = if b.max_visits_per_day.is_some()
        || b.max_visits_per_week.is_some()
        || b.max_hotel_nights_per_month.is_some()
    {
        tr!(
            "the working-day, trip-length and workload (balance) limits",
            "grensene for arbeidsdag, reiselengde og arbeidsmengde (balance)"
        )
    } else {
        tr!(
            "the working-day and trip-length limits",
            "grensene for arbeidsdag og reiselengde"
        )
    };
    let room = if b.max_visits_per_week.is_some() || b.max_hotel_nights_per_month.is_some() {
        tr!(
            "no free field day, or no room under the weekly visit or monthly hotel-night limits,",
            "ingen ledig reisedag, eller ikke plass under grensene for besøk per uke eller hotellnetter per måned,"
        )
    } else {
        tr!("no free field day", "ingen ledig reisedag")
    };
    match reason {
        UnmetReason::CaseworkerAbsent => tr!(
            "Caseworker {who} is away on every working day from {from} to {by}, when this visit had to happen.",
            "Saksbehandler {who} er borte hver arbeidsdag fra {from} til {by}, da dette besøket måtte skje."
        ),
        UnmetReason::NoWorkingDay => tr!(
            "There is no working day between {from} and {by}, when this visit had to happen.",
            "Det er ingen arbeidsdag mellom {from} og {by}, da dette besøket måtte skje."
        ),
        UnmetReason::MinGapConflict => tr!(
            "The last visit was too recent: the minimum gap between visits leaves no day before {by}.",
            "Forrige besøk var for nylig: minste avstand mellom besøk gir ingen dag før {by}."
        ),
        UnmetReason::NoFeasibleTrip => tr!(
            "No trip by car or plane reaches the home within {trip_limits} between {from} and {by}.",
            "Ingen reise med bil eller fly når hjemmet innenfor {trip_limits} mellom {from} og {by}."
        ),
        UnmetReason::NoCapacity => tr!(
            "Caseworker {who} has {room} left for this visit between {from} and {by}.",
            "Saksbehandler {who} har {room} igjen til dette besøket mellom {from} og {by}."
        ),
        UnmetReason::NotPlacedYet => {
            let placed = crate::i18n::date(ctx.data.children[r.child].placed_since);
            tr!(
                "The child is placed on {placed}, after {by}, the last day this visit could happen.",
                "Barnet er plassert fra {placed}, etter {by}, den siste dagen dette besøket kunne skje."
            )
        }
        UnmetReason::NoRoadAccess => tr!(
            "The road engine finds no road to the home (off the road network within router.snap_radius_m, or no ferry or bridge), and no flight with a rental car reaches it.",
            "Ruteberegneren finner ingen vei til hjemmet (utenfor veinettet innenfor router.snap_radius_m, eller uten ferje eller bro), og ingen flyreise med leiebil når det."
        ),
    }
}

/// The naive plan: each required visit its own round trip from the office by
/// the child's caseworker, by car, or by plane when the drive is over 4 hours
/// (and a flight reaches the child).
fn naive_cost(ctx: &Context, reqs: &[Requirement]) -> Ore {
    reqs.iter()
        .filter(|r| r.required)
        .filter_map(|r| {
            let cw = ctx.data.children[r.child].caseworker;
            let office = ctx.office_site_of_caseworker(cw);
            let drive = ctx.drive(office, ctx.sites.child(r.child)).minutes.0;
            let air = ctx.air_access[r.child].first().filter(|_| drive > 240);
            let by_air = air.and_then(|a| evaluate(ctx, cw, &Access::Air(a.clone()), &[r.child]));
            by_air
                .or_else(|| evaluate(ctx, cw, &Access::Car, &[r.child]))
                .map(|t| t.cost)
        })
        .sum()
}
