//! Turns an ordered list of children and a way of getting there into a timed
//! trip: stops, days, hotel nights, kilometres, flight legs and cost.
//!
//! Times are minutes from midnight of the trip's first day, so day `d` runs
//! from `d * 1440`. Visits are packed greedily into days in the given order:
//! a visit joins the current day when the day can still be closed after it
//! (at a hotel near the visit, or back home when it is the last one) within
//! the working-time cap, the end of the working day and the visiting hours;
//! otherwise the day ends at a hotel near the previous visit. For a fixed order
//! this gives the fewest days. A day may hold no visit when the journey out or
//! home does not leave room for one.
//!
//! The `[balance]` limits that bind a single trip apply here: a day holds at
//! most `balance.max_visits_per_day` visits (the next visit waits for the
//! next day); a trip makes no more visits than the caseworker may make in a
//! week and spends no more nights than they may spend in a month, since
//! it could not be put on any day otherwise.

use super::context::{AirAccess, Context};
use crate::plan::CostParts;
use crate::travel::flights;
use crate::units::{Metres, Minutes, Ore};

pub const DAY: i64 = 1440;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    Office(usize),
    Child(usize),
    Airport(usize),
    /// The site of the hotel: a hotel town, or the place the day ended.
    Hotel(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Car,
    Flight,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub kind: StopKind,
    pub site: usize,
    pub arrive: Option<i64>,
    pub depart: Option<i64>,
    pub mode_in: Option<Mode>,
    /// For a child stop: when the visit starts and ends.
    pub visit: Option<(i64, i64)>,
}

/// A trip that fits the rules, ready to be put on a calendar day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TripShape {
    pub days: u32,
    pub stops: Vec<Stop>,
    pub km_car: Metres,
    pub flight_legs: u32,
    pub nights: u32,
    pub travel: Minutes,
    pub cost: Ore,
    /// What `cost` is made of (the parts sum to it).
    pub cost_parts: CostParts,
}

impl TripShape {
    pub fn flies(&self) -> bool {
        self.flight_legs > 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Car,
    Air(AirAccess),
}

/// Builds the trip or says it cannot be done.
pub fn evaluate(
    ctx: &Context,
    caseworker: usize,
    access: &Access,
    order: &[usize],
) -> Option<TripShape> {
    let fte = ctx.data.caseworkers[caseworker].fte;
    if let Some(most) = ctx.settings.balance.visits_per_week(fte) {
        if order.len() > most as usize {
            return None;
        }
    }
    let mut b = Builder::start(ctx, caseworker, access, true)?;
    for (i, &child) in order.iter().enumerate() {
        let last = i + 1 == order.len();
        if b.try_visit(child, last) {
            continue;
        }
        if b.visits_today > 0 {
            b.close_at_hotel(b.pos)?;
        } else if b.day == 0 {
            // The journey out left no room: sleep near the child, visit tomorrow.
            b.close_at_hotel(ctx.sites.child(child))?;
        } else {
            return None;
        }
        if !b.try_visit(child, last) {
            return None;
        }
    }
    b.finish()
}

#[derive(Clone)]
struct Builder<'c> {
    ctx: &'c Context<'c>,
    access: &'c Access,
    /// Whether `stops` are kept (a [`Partial`] keeps none).
    record: bool,
    /// When the trip leaves the office, and when it is back there.
    depart0: i64,
    ret: i64,
    office_site: usize,
    /// Where the local driving starts and ends: the office, or the arrival airport.
    base: usize,
    stops: Vec<Stop>,
    day: i64,
    /// First stop of the current day in `stops`, and when that day began.
    day_first_stop: usize,
    day_depart: i64,
    pos: usize,
    time: i64,
    visits_today: usize,
    /// Most visits on one day (`balance.max_visits_per_day`).
    most_today: usize,
    /// Longest trip in days: `planning.max_trip_days`, or fewer when the
    /// monthly hotel-night limit allows fewer nights.
    most_days: i64,
    visit_minutes: i64,
    travel: i64,
    own_m: i64,
    rental_m: i64,
    /// The fares out and back, fixed by the way there.
    fares: Ore,
}

impl<'c> Builder<'c> {
    fn start(
        ctx: &'c Context<'c>,
        caseworker: usize,
        access: &'c Access,
        record: bool,
    ) -> Option<Self> {
        let office_site = ctx.office_site_of_caseworker(caseworker);
        let office = ctx.data.caseworkers[caseworker].office;
        let w = &ctx.settings.work;
        let balance = &ctx.settings.balance;
        let fte = ctx.data.caseworkers[caseworker].fte;
        let mut most_days = i64::from(ctx.settings.planning.max_trip_days);
        if let Some(nights) = balance.hotel_nights_per_month(fte) {
            most_days = most_days.min(i64::from(nights) + 1);
        }
        let base = match access {
            Access::Car => office_site,
            Access::Air(a) => ctx.sites.airport(a.dest),
        };
        let first = Stop {
            kind: StopKind::Office(office),
            site: office_site,
            arrive: None,
            depart: Some(w.day_start.0),
            mode_in: None,
            visit: None,
        };
        let mut b = Builder {
            ctx,
            access,
            record,
            depart0: w.day_start.0,
            ret: w.day_start.0,
            office_site,
            base,
            stops: if record { vec![first] } else { Vec::new() },
            day: 0,
            day_first_stop: 0,
            day_depart: w.day_start.0,
            pos: office_site,
            time: w.day_start.0,
            visits_today: 0,
            most_today: balance
                .max_visits_per_day
                .map_or(usize::MAX, |n| n as usize),
            most_days,
            visit_minutes: 0,
            travel: 0,
            own_m: 0,
            rental_m: 0,
            fares: Ore(0),
        };
        b.fares = b.fares();
        if let Access::Air(a) = access {
            b.fly(&a.out)?;
        }
        Some(b)
    }

    fn day_base(&self) -> i64 {
        self.day * DAY
    }

    fn drive(&mut self, to: usize) -> i64 {
        let d = self.ctx.drive(self.pos, to);
        let is_own = matches!(self.access, Access::Car)
            || self.pos == self.office_site
            || to == self.office_site;
        if is_own {
            self.own_m += d.metres.0;
        } else {
            self.rental_m += d.metres.0;
        }
        self.pos = to;
        d.minutes.0
    }

    /// Drives to the first airport of `path` and flies it, arriving ready to
    /// drive on. Before the first visit of a day the departure moves later
    /// rather than wait at the airport.
    fn fly(&mut self, path: &[usize]) -> Option<()> {
        let f = &self.ctx.settings.flight;
        let first = *path.first()?;
        let airport_site = self.ctx.sites.airport(first);
        let earliest = self.day_base() + f.first_departure.0;
        let ready = self.time
            + self.ctx.drive(self.pos, airport_site).minutes.0
            + f.before_departure_minutes;
        if self.visits_today == 0 {
            self.shift_day(earliest - ready);
        }
        let arrive = self.time + self.drive(airport_site);
        let mut dep = (arrive + f.before_departure_minutes).max(earliest);
        self.push(StopKind::Airport(first), airport_site, arrive, Mode::Car);
        for (i, w) in path.windows(2).enumerate() {
            self.set_depart(dep);
            let land = dep + flights::block_minutes(w[0], w[1]).0;
            if land > self.day_base() + f.last_arrival.0 {
                return None;
            }
            self.pos = self.ctx.sites.airport(w[1]);
            self.push(StopKind::Airport(w[1]), self.pos, land, Mode::Flight);
            let last_leg = i + 2 == path.len();
            dep = land
                + if last_leg {
                    f.after_arrival_minutes
                } else {
                    f.connection_minutes
                };
        }
        self.set_depart(dep);
        self.time = dep;
        Some(())
    }

    /// When the last stop is left.
    fn set_depart(&mut self, at: i64) {
        if let Some(s) = self.stops.last_mut() {
            s.depart = Some(at);
        }
    }

    fn push(&mut self, kind: StopKind, site: usize, arrive: i64, mode: Mode) {
        if !self.record {
            return;
        }
        self.stops.push(Stop {
            kind,
            site,
            arrive: Some(arrive),
            depart: None,
            mode_in: Some(mode),
            visit: None,
        });
    }

    /// Moves the current day's stops so far later by `minutes`.
    fn shift_day(&mut self, minutes: i64) {
        if minutes <= 0 {
            return;
        }
        let first = self.day_first_stop;
        for (i, s) in self.stops.iter_mut().enumerate().skip(first) {
            // The day's first stop (office or hotel) only leaves later.
            if i != first {
                s.arrive = s.arrive.map(|t| t + minutes);
            }
            s.depart = s.depart.map(|t| t + minutes);
        }
        if self.day == 0 {
            self.depart0 += minutes;
        }
        self.day_depart += minutes;
        self.time += minutes;
    }

    /// Whether the day can end at `end` (minutes, absolute) within the rules.
    fn day_fits(&self, day_depart: i64, end: i64) -> bool {
        let w = &self.ctx.settings.work;
        end - day_depart <= w.max_day_minutes && end <= self.day_base() + w.day_end.0
    }

    /// Minutes from leaving `from` at the base to being back at the office,
    /// and whether the flight home lands in time, leaving at `at`.
    fn home_from_base(&self, at: i64) -> Option<i64> {
        match self.access {
            Access::Car => Some(at),
            Access::Air(a) => {
                let f = &self.ctx.settings.flight;
                let mut t = at + f.before_departure_minutes;
                for w in a.back.windows(2) {
                    t += flights::block_minutes(w[0], w[1]).0;
                    if t > self.day_base() + f.last_arrival.0 {
                        return None;
                    }
                    t += f.connection_minutes;
                }
                t += f.after_arrival_minutes - f.connection_minutes;
                let home = *a.back.last()?;
                Some(
                    t + self
                        .ctx
                        .drive(self.ctx.sites.airport(home), self.office_site)
                        .minutes
                        .0,
                )
            }
        }
    }

    fn try_visit(&mut self, child: usize, last: bool) -> bool {
        if self.visits_today >= self.most_today {
            return false;
        }
        let (v, m) = (&self.ctx.settings.visits, self.ctx);
        let site = self.ctx.sites.child(child);
        let arrive = self.time + m.drive(self.pos, site).minutes.0;
        let start = arrive.max(self.day_base() + v.earliest.0);
        let end = start + v.minutes;
        if end > self.day_base() + v.latest.0 {
            return false;
        }
        let depart = if self.visits_today == 0 {
            self.day_depart + (start - arrive)
        } else {
            self.day_depart
        };
        let hotel = self.ctx.nearest_hotel(site);
        let hotel_fits = self.day_fits(depart, end + m.drive(site, hotel).minutes.0);
        let home_fits = last
            && self
                .home_from_base(end + m.drive(site, self.base).minutes.0)
                .is_some_and(|t| self.day_fits(depart, t));
        if !(hotel_fits || home_fits) {
            return false;
        }
        if self.visits_today == 0 {
            self.shift_day(start - arrive);
        }
        let arrive = self.time + self.drive(site);
        self.push(StopKind::Child(child), site, arrive, Mode::Car);
        if let Some(s) = self.stops.last_mut().filter(|_| self.record) {
            s.depart = Some(end);
            s.visit = Some((start, end));
        }
        self.time = end;
        self.visits_today += 1;
        self.visit_minutes += v.minutes;
        true
    }

    /// Ends the day at the hotel nearest `near`; the next day starts there.
    fn close_at_hotel(&mut self, near: usize) -> Option<()> {
        let hotel_site = self.ctx.nearest_hotel(near);
        let arrive = self.time + self.drive(hotel_site);
        if !self.day_fits(self.day_depart, arrive) {
            return None;
        }
        self.end_day(arrive);
        self.push(StopKind::Hotel(hotel_site), hotel_site, arrive, Mode::Car);
        self.day += 1;
        if self.day >= self.most_days {
            return None;
        }
        self.day_first_stop = self.stops.len().saturating_sub(1);
        self.day_depart = self.day_base() + self.ctx.settings.work.day_start.0;
        self.time = self.day_depart;
        self.set_depart(self.time);
        self.visits_today = 0;
        Some(())
    }

    fn end_day(&mut self, end: i64) {
        self.travel += end - self.day_depart;
    }

    /// Goes home today if that fits, else after a night at a hotel.
    fn finish(mut self) -> Option<TripShape> {
        let back_at_base = self.time + self.ctx.drive(self.pos, self.base).minutes.0;
        let fits_today = self
            .home_from_base(back_at_base)
            .is_some_and(|t| self.day_fits(self.day_depart, t));
        if !fits_today {
            if self.visits_today == 0 && self.day > 0 {
                return None;
            }
            self.close_at_hotel(self.pos)?;
        }
        self.go_home()?;
        self.build()
    }

    fn go_home(&mut self) -> Option<()> {
        if let Access::Air(a) = self.access {
            self.fly(&a.back)?;
        }
        let arrive = self.time + self.drive(self.office_site);
        if !self.day_fits(self.day_depart, arrive) {
            return None;
        }
        if let Some(kind) = self.stops.first().map(|s| s.kind) {
            self.push(kind, self.office_site, arrive, Mode::Car);
        }
        self.ret = arrive;
        self.end_day(arrive);
        Some(())
    }

    /// The flight legs out and back: none by car.
    fn legs(&self) -> usize {
        match self.access {
            Access::Car => 0,
            Access::Air(a) => a.out.len().saturating_sub(1) + a.back.len().saturating_sub(1),
        }
    }

    /// The fares of the flights out and back, fixed by the way there.
    fn fares(&self) -> Ore {
        match self.access {
            Access::Car => Ore(0),
            Access::Air(a) => a
                .out
                .windows(2)
                .chain(a.back.windows(2))
                .map(|w| flights::fare(w[0], w[1], &self.ctx.settings.flight))
                .sum(),
        }
    }

    fn build(self) -> Option<TripShape> {
        let k = &self.ctx.settings.costs;
        let days = self.day as u32 + 1;
        let nights = days - 1;
        let legs = self.legs();
        let fares = self.fares;
        let travel = self.travel - self.visit_minutes;
        let (depart, ret) = (self.depart0, self.ret);
        let rental = legs > 0;
        let mut car = Ore::from_nok(self.own_m as f64 / 1000.0 * k.km_rate_nok);
        if rental {
            car += Ore::from_nok(
                days as f64 * k.rental_car_day_nok
                    + self.rental_m as f64 / 1000.0 * k.rental_car_km_nok,
            );
        }
        let parts = CostParts {
            car,
            flight: fares,
            hotel: Ore::from_nok(nights as f64 * k.hotel_night_nok),
            allowance: allowance(ret - depart, nights, k),
            time: Ore::from_nok(travel as f64 / 60.0 * k.staff_hour_nok),
        };
        Some(TripShape {
            days,
            stops: self.stops,
            km_car: Metres(self.own_m + self.rental_m),
            flight_legs: legs as u32,
            nights,
            travel: Minutes(travel),
            cost: parts.total(),
            cost_parts: parts,
        })
    }
}

/// A trip built one visit at a time, without its stops: the state the
/// pooled-continuity bound ([`super::pooled`]) extends. Making the same
/// choices as [`evaluate`] (a visit today when it fits, else after a night
/// at a hotel), it arrives at the same cost.
#[derive(Clone)]
pub struct Partial<'c>(Builder<'c>);

impl<'c> Partial<'c> {
    /// The trip out, before any visit; `None` when the journey cannot be made.
    pub fn start(ctx: &'c Context<'c>, caseworker: usize, access: &'c Access) -> Option<Self> {
        Builder::start(ctx, caseworker, access, false).map(Partial)
    }

    /// Visits `child` today when that fits; `last` lets the day end at home
    /// instead of at a hotel. On `false` nothing changed.
    pub fn visit_today(&mut self, child: usize, last: bool) -> bool {
        self.0.try_visit(child, last)
    }

    /// Ends the day at a hotel and visits `child` the next day: near the last
    /// visit, or, before the first visit, near `child` (the journey out left
    /// no room). On `false` the trip is spoilt.
    pub fn visit_tomorrow(&mut self, child: usize, last: bool) -> bool {
        let b = &mut self.0;
        let near = if b.visits_today > 0 {
            b.pos
        } else if b.day == 0 {
            b.ctx.sites.child(child)
        } else {
            return false;
        };
        b.close_at_hotel(near).is_some() && b.try_visit(child, last)
    }

    /// Goes home: today (`night` false, `None` when that does not fit), or
    /// after a night at a hotel. The trip's cost and days.
    pub fn finish(mut self, night: bool) -> Option<(Ore, u32)> {
        let b = &mut self.0;
        if night {
            if b.visits_today == 0 && b.day > 0 {
                return None;
            }
            b.close_at_hotel(b.pos)?;
        } else {
            let back = b.time + b.ctx.drive(b.pos, b.base).minutes.0;
            if !b
                .home_from_base(back)
                .is_some_and(|t| b.day_fits(b.day_depart, t))
            {
                return None;
            }
        }
        b.go_home()?;
        self.0.build().map(|s| (s.cost, s.days))
    }

    /// Day of the trip (0 for the first).
    pub fn day(&self) -> i64 {
        self.0.day
    }

    pub fn visits_today(&self) -> usize {
        self.0.visits_today
    }

    /// Whether no visit today need wait any more: it is past the earliest
    /// start of a visit (`visits.earliest`).
    pub fn waits_no_more_today(&self) -> bool {
        let b = &self.0;
        b.time >= b.day_base() + b.ctx.settings.visits.earliest.0
    }

    /// Minutes from midnight of the first day: now, when today's work began,
    /// and when the trip left the office.
    pub fn clock(&self) -> (i64, i64, i64) {
        (self.0.time, self.0.day_depart, self.0.depart0)
    }

    /// The cost the past has fixed, NOK: kilometres so far and the working
    /// time of the days already closed, less all visiting time. Of two
    /// trips at the same place, day and clock, the one with less has the
    /// cheaper futures.
    pub fn past_nok(&self) -> f64 {
        let b = &self.0;
        let k = &b.ctx.settings.costs;
        b.own_m as f64 / 1000.0 * k.km_rate_nok
            + b.rental_m as f64 / 1000.0 * k.rental_car_km_nok
            + (b.travel - b.visit_minutes) as f64 / 60.0 * k.staff_hour_nok
    }

    /// A lower bound on the trip's final cost, NOK: the past, today's work
    /// so far less its visits, the nights and rental days so far, and the
    /// fares.
    pub fn spent_nok(&self) -> f64 {
        let b = &self.0;
        let k = &b.ctx.settings.costs;
        let mut nok = self.past_nok()
            + (b.time - b.day_depart) as f64 / 60.0 * k.staff_hour_nok
            + b.day as f64 * k.hotel_night_nok;
        if let Access::Air(_) = b.access {
            nok += (b.day + 1) as f64 * k.rental_car_day_nok + b.fares.nok();
        }
        nok
    }
}

/// Meal allowance under the state travel rules, simplified: a day trip over
/// 6 hours gets the day rate; with an overnight stay, every 24 hours and a
/// last part over 6 hours each get the overnight rate.
pub fn allowance(minutes: i64, nights: u32, k: &crate::settings::Costs) -> Ore {
    if nights == 0 {
        return if minutes > 6 * 60 {
            Ore::from_nok(k.allowance_day_trip_nok)
        } else {
            Ore(0)
        };
    }
    let full = minutes / DAY + i64::from(minutes % DAY > 6 * 60);
    Ore::from_nok(full as f64 * k.allowance_overnight_day_nok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Child, Dataset, LatLon};
    use crate::settings::Settings;
    use crate::travel::{car::GreatCircleCar, Sites};

    /// Four homes south of Trondheim, 20-40 minutes apart: one day can
    /// take all four visits.
    fn dataset(balance: &str) -> Dataset {
        let mut data = crate::check::fixture::dataset();
        let template: Child = data.children[0].clone();
        data.children = [
            (63.28, 10.28),
            (63.20, 10.32),
            (63.13, 10.23),
            (63.04, 10.30),
        ]
        .iter()
        .map(|&(lat, lon)| Child {
            location: LatLon::new(lat, lon),
            ..template.clone()
        })
        .collect();
        data.settings = Settings::parse(&format!("[balance]\n{balance}\n"), "s").unwrap();
        data
    }

    fn four_visits(balance: &str) -> Option<TripShape> {
        let data = dataset(balance);
        let sites = Sites::new(&data);
        let matrix = GreatCircleCar::new(&sites, &data.settings.car);
        let ctx = Context::new(&data, &sites, &matrix);
        evaluate(&ctx, 0, &Access::Car, &[0, 1, 2, 3])
    }

    fn visits_per_day(shape: &TripShape) -> Vec<usize> {
        let mut days = vec![0; shape.days as usize];
        for s in &shape.stops {
            if let Some((start, _)) = s.visit {
                days[(start / DAY) as usize] += 1;
            }
        }
        days
    }

    #[test]
    fn a_day_takes_no_more_visits_than_the_daily_limit() {
        let free = four_visits("").expect("a day trip");
        assert_eq!(visits_per_day(&free), vec![4]);
        let capped = four_visits("max_visits_per_day = 2").expect("two days");
        assert_eq!(visits_per_day(&capped), vec![2, 2]);
        assert_eq!(capped.nights, 1);
        assert!(capped.cost > free.cost, "a hotel night costs");
        assert_eq!(capped.cost_parts.total(), capped.cost);
        assert!(capped.cost_parts.hotel.0 > 0 && free.cost_parts.hotel.0 == 0);
    }

    /// Follows `evaluate`'s choices (today when the visit fits, else after
    /// a night; home today when that fits) with a [`Partial`].
    fn replay(ctx: &Context, access: &Access, order: &[usize]) -> Option<(Ore, u32)> {
        let mut p = Partial::start(ctx, 0, access)?;
        for (i, &child) in order.iter().enumerate() {
            let last = i + 1 == order.len();
            if !p.visit_today(child, last) && !p.visit_tomorrow(child, last) {
                return None;
            }
        }
        p.clone().finish(false).or_else(|| p.finish(true))
    }

    #[test]
    fn a_partial_trip_making_evaluates_choices_costs_the_same() {
        for balance in ["", "max_visits_per_day = 1", "max_visits_per_day = 2"] {
            let data = dataset(balance);
            let sites = Sites::new(&data);
            let matrix = GreatCircleCar::new(&sites, &data.settings.car);
            let ctx = Context::new(&data, &sites, &matrix);
            let orders: [&[usize]; 6] = [
                &[0],
                &[3],
                &[0, 1, 2, 3],
                &[3, 0, 2, 1],
                &[1, 3],
                &[2, 0, 3],
            ];
            for order in orders {
                let whole = evaluate(&ctx, 0, &Access::Car, order);
                let step = replay(&ctx, &Access::Car, order);
                assert_eq!(
                    whole.as_ref().map(|s| (s.cost, s.days)),
                    step,
                    "{balance:?} {order:?}"
                );
                if let Some(p) = Partial::start(&ctx, 0, &Access::Car) {
                    // Before any visit nothing is spent but the start.
                    assert!(p.spent_nok() >= 0.0);
                }
            }
            let mut p = Partial::start(&ctx, 0, &Access::Car).unwrap();
            for child in 0..4 {
                assert!(p.visit_today(child, child == 3) || p.visit_tomorrow(child, child == 3));
                let (now, started, left) = p.clock();
                assert!(now >= started && started >= left);
                // What has been spent never exceeds the final cost.
                let spent = p.spent_nok();
                if let Some((cost, _)) = p.clone().finish(false).or_else(|| p.clone().finish(true))
                {
                    assert!(spent <= cost.nok() + 1e-6, "{spent} > {}", cost.nok());
                }
            }
        }
    }

    #[test]
    fn a_trip_cannot_hold_more_than_a_week_or_a_month_allows() {
        assert!(four_visits("max_visits_per_week = 3").is_none());
        assert!(four_visits("max_visits_per_week = 4").is_some());
        // Two a day needs a night: not with no hotel nights allowed.
        assert!(four_visits("max_visits_per_day = 2\nmax_hotel_nights_per_month = 0").is_none());
        assert!(four_visits("max_visits_per_day = 2\nmax_hotel_nights_per_month = 1").is_some());
    }
}
