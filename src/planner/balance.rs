//! Workload balance: the `[balance]` limits resolved for one caseworker, the
//! load their trips put on weeks and months, and the soft penalty on uneven
//! weeks.
//!
//! Every day of a trip is a working day of the caseworker, so a trip never
//! spans a weekend and lies inside one ISO week; its hotel nights may still
//! straddle the end of a month (a night counts in the month of its evening).
//!
//! **Uneven-week penalty.** For one caseworker in one chunk (a quarter, or
//! the part of it in the horizon), let `V` be the visits they make in the
//! chunk and, for each ISO week `w` of the chunk, `cap[w]` the field days they
//! could work in it: their working days in the week (inside the chunk) capped
//! by their weekly field-day limit. The week's even share is
//! `V * cap[w] / sum(cap)`, and the penalty is
//! `uneven_week_penalty_nok * sum over w of max(0, visits[w] - share[w])`:
//! NOK for every visit a week holds above its even share. With a constant
//! `cap` this is half the total absolute deviation from the mean week.

use super::candidates::Candidate;
use super::context::Context;
use crate::calendar::WorkCalendar;
use chrono::Datelike;
use std::collections::BTreeMap;

/// An ISO week: (ISO year, week number).
pub type Week = (i32, u32);
/// A calendar month: (year, month).
pub type Month = (i32, u32);

pub fn week_of(cal: &WorkCalendar, day: usize) -> Week {
    let w = cal.date(day).iso_week();
    (w.year(), w.week())
}

pub fn month_of(cal: &WorkCalendar, day: usize) -> Month {
    let d = cal.date(day);
    (d.year(), d.month())
}

/// One caseworker's limits; `None` where there is no limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub field_days_per_week: u32,
    pub visits_per_week: Option<u32>,
    pub nights_per_month: Option<u32>,
    pub penalty_nok: f64,
}

impl Limits {
    pub fn of(ctx: &Context, caseworker: usize) -> Self {
        let fte = ctx.data.caseworkers[caseworker].fte;
        let b = &ctx.settings.balance;
        Self {
            field_days_per_week: super::caseworker::weekly_limit(ctx, caseworker),
            visits_per_week: b.visits_per_week(fte),
            nights_per_month: b.hotel_nights_per_month(fte),
            penalty_nok: b.uneven_week_penalty_nok,
        }
    }
}

/// A trip on the calendar, as far as the limits are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    /// First day (calendar index).
    pub start: usize,
    pub days: u32,
    pub visits: u32,
    /// Hotel nights: the evenings of the first `nights` days.
    pub nights: u32,
}

impl Booking {
    pub fn of(trip: &Candidate, start: usize) -> Self {
        Self {
            start,
            days: trip.shape.days,
            visits: trip.visits.len() as u32,
            nights: trip.shape.nights,
        }
    }
}

/// Field days and visits per week, hotel nights per month.
#[derive(Debug, Clone, Default)]
pub struct Load {
    pub field_days: BTreeMap<Week, u32>,
    pub visits: BTreeMap<Week, u32>,
    pub nights: BTreeMap<Month, u32>,
}

impl Load {
    /// Adds (`take`) or removes a booking.
    pub fn book(&mut self, cal: &WorkCalendar, b: &Booking, take: bool) {
        let change = |n: &mut u32, by: u32| {
            *n = if take { *n + by } else { n.saturating_sub(by) };
        };
        let last = cal.len();
        for d in b.start..(b.start + b.days as usize).min(last) {
            change(self.field_days.entry(week_of(cal, d)).or_default(), 1);
        }
        if b.start < last {
            change(
                self.visits.entry(week_of(cal, b.start)).or_default(),
                b.visits,
            );
        }
        for d in b.start..(b.start + b.nights as usize).min(last) {
            change(self.nights.entry(month_of(cal, d)).or_default(), 1);
        }
    }

    /// Whether the booking fits beside this load under the limits.
    pub fn fits(&self, cal: &WorkCalendar, limits: &Limits, b: &Booking) -> bool {
        let mut extra = Load::default();
        extra.book(cal, b, true);
        let within = |mine: &BTreeMap<_, u32>, more: &BTreeMap<_, u32>, limit: Option<u32>| {
            limit.map_or(true, |limit| {
                more.iter()
                    .all(|(k, n)| mine.get(k).copied().unwrap_or(0) + n <= limit)
            })
        };
        within(
            &self.field_days,
            &extra.field_days,
            Some(limits.field_days_per_week),
        ) && within(&self.visits, &extra.visits, limits.visits_per_week)
            && within(&self.nights, &extra.nights, limits.nights_per_month)
    }
}

/// Each week's part of the chunk's visits under an even spread: `cap[w] /
/// sum(cap)` (module docs). Weeks the caseworker cannot work have none.
pub fn week_weights(
    cal: &WorkCalendar,
    caseworker: usize,
    chunk: (usize, usize),
    field_days_per_week: u32,
) -> BTreeMap<Week, f64> {
    let mut days: BTreeMap<Week, u32> = BTreeMap::new();
    for d in chunk.0..=chunk.1.min(cal.len().saturating_sub(1)) {
        if cal.can_work(caseworker, d) {
            *days.entry(week_of(cal, d)).or_default() += 1;
        }
    }
    let total: u32 = days.values().map(|&n| n.min(field_days_per_week)).sum();
    days.into_iter()
        .map(|(w, n)| {
            (
                w,
                f64::from(n.min(field_days_per_week)) / f64::from(total.max(1)),
            )
        })
        .collect()
}

/// The uneven-week penalty (module docs) of visits per week in one chunk.
pub fn uneven_penalty(
    weights: &BTreeMap<Week, f64>,
    visits: &BTreeMap<Week, u32>,
    penalty_nok: f64,
) -> f64 {
    if penalty_nok <= 0.0 {
        return 0.0;
    }
    let total = f64::from(visits.values().sum::<u32>());
    let excess: f64 = visits
        .iter()
        .map(|(w, &n)| {
            let share = total * weights.get(w).copied().unwrap_or(0.0);
            (f64::from(n) - share).max(0.0)
        })
        .sum();
    penalty_nok * excess
}

/// The penalty of a caseworker's trips in a chunk, as (trip, start day).
pub fn penalty_of_trips(
    cal: &WorkCalendar,
    weights: &BTreeMap<Week, f64>,
    trips: &[(Candidate, usize)],
    penalty_nok: f64,
) -> f64 {
    let mut visits: BTreeMap<Week, u32> = BTreeMap::new();
    for (c, day) in trips {
        *visits.entry(week_of(cal, *day)).or_default() += c.visits.len() as u32;
    }
    uneven_penalty(weights, &visits, penalty_nok)
}

/// The least penalty one trip of `visits` visits brings, whatever else is in
/// its week, when the chunk holds at most `most_visits`: the penalty of its
/// week is at least its own visits above the largest share any week can
/// have. The penalty is superadditive over the trips of a week, so the sum
/// of these over a plan's trips never exceeds the plan's penalty; the trip
/// choice may add them to trip costs and keep a valid lower bound.
pub fn least_trip_penalty(
    weights: &BTreeMap<Week, f64>,
    most_visits: usize,
    visits: usize,
    penalty_nok: f64,
) -> f64 {
    let largest = weights.values().copied().fold(0.0, f64::max);
    penalty_nok * (visits as f64 - most_visits as f64 * largest).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(start: usize, days: u32, visits: u32, nights: u32) -> Booking {
        Booking {
            start,
            days,
            visits,
            nights,
        }
    }
    use chrono::NaiveDate;

    /// 2027Q1 for the fixture's caseworkers (no absences in Q1 for K1).
    fn calendar() -> WorkCalendar {
        let data = crate::check::fixture::dataset();
        WorkCalendar::new(
            &data,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        )
    }

    fn limits() -> Limits {
        Limits {
            field_days_per_week: 3,
            visits_per_week: Some(5),
            nights_per_month: Some(2),
            penalty_nok: 0.0,
        }
    }

    #[test]
    fn a_booking_fits_only_within_every_limit() {
        let cal = calendar();
        // 2027-01-04 is a Monday (day 3).
        let mon = 3;
        let mut load = Load::default();
        load.book(&cal, &booking(mon, 2, 3, 1), true);
        let fits = |load: &Load, b: Booking| load.fits(&cal, &limits(), &b);
        assert!(fits(&load, booking(mon + 2, 1, 2, 0)));
        assert!(!fits(&load, booking(mon + 2, 1, 3, 0)), "6 visits > 5");
        assert!(!fits(&load, booking(mon + 2, 2, 1, 1)), "4 field days > 3");
        assert!(fits(&load, booking(mon + 7, 2, 5, 1)), "next week");
        load.book(&cal, &booking(mon + 7, 2, 1, 1), true);
        assert!(
            !fits(&load, booking(mon + 14, 2, 1, 1)),
            "3 nights in January"
        );
        // Monday 2027-02-01 is day 31: February has its own nights.
        assert!(fits(&load, booking(31, 3, 1, 2)));
        load.book(&cal, &booking(mon + 7, 2, 1, 1), false);
        assert!(fits(&load, booking(mon + 14, 2, 1, 1)));
    }

    #[test]
    fn a_night_counts_in_the_month_of_its_evening() {
        let cal = calendar();
        // From Sunday 31 January (day 30) with two nights: the first in
        // January, the second (1 February) in February.
        let mut load = Load::default();
        load.book(&cal, &booking(30, 3, 2, 2), true);
        assert_eq!(load.nights.get(&(2027, 1)), Some(&1));
        assert_eq!(load.nights.get(&(2027, 2)), Some(&1));
    }

    #[test]
    fn the_penalty_counts_visits_above_each_weeks_even_share() {
        let weights: BTreeMap<Week, f64> = [((2027, 1), 0.25), ((2027, 2), 0.25), ((2027, 3), 0.5)]
            .into_iter()
            .collect();
        let even: BTreeMap<Week, u32> = [((2027, 1), 2), ((2027, 2), 2), ((2027, 3), 4)]
            .into_iter()
            .collect();
        assert_eq!(uneven_penalty(&weights, &even, 500.0), 0.0);
        let lumpy: BTreeMap<Week, u32> = [((2027, 1), 6), ((2027, 3), 2)].into_iter().collect();
        // Shares 2, 2, 4: week 1 holds 4 above its share.
        assert_eq!(uneven_penalty(&weights, &lumpy, 500.0), 2000.0);
        assert_eq!(uneven_penalty(&weights, &lumpy, 0.0), 0.0);
        // A 6-visit trip in a chunk of at most 8 visits: the largest share is 4.
        assert_eq!(least_trip_penalty(&weights, 8, 6, 500.0), 1000.0);
        assert_eq!(least_trip_penalty(&weights, 8, 3, 500.0), 0.0);
    }

    #[test]
    fn weights_follow_the_field_days_a_week_can_hold() {
        let cal = calendar();
        // January 2027: 1 Jan is a holiday and a Friday, so ISO week 53 of
        // 2026 has no working day; week 1 has five (capped at 3).
        let w = week_weights(&cal, 0, (0, 30), 3);
        assert!(!w.contains_key(&(2026, 53)));
        assert!((w.values().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(w[&(2027, 1)], w[&(2027, 2)]);
        // The chunk ends on Sunday 31 Jan: week 4 is whole, no short week.
        assert_eq!(w.len(), 4);
    }
}
