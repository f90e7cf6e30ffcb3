//! Workload limits: field days a week always; visits a day, visits a week
//! and hotel nights a month when `[balance]` sets them.
//!
//! Counted per caseworker from the written rows: a visit on the date it
//! starts (`visits.csv`), a field day on every date a trip spans
//! (`trips.csv`), a hotel night in the month of the evening the hotel is
//! reached (`trip_stops.csv`). Weeks are ISO weeks (Monday-Sunday), so a
//! week that straddles two quarters of a long plan counts as one. The weekly
//! and monthly limits are for a full position and scale with `fte` as the
//! settings say; a caseworker the dataset does not know is reported by the
//! other rules and skipped here.

use super::read::{StopKind, STOPS, TRIPS, VISITS};
use super::{Context, Violation};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;

/// One count over its limit: who, the period, the count, the limit and the
/// file line of the row that went over.
struct Over {
    caseworker: String,
    period: String,
    count: u32,
    limit: u32,
    line: u64,
}

/// Per (caseworker, period): the count so far, its limit, and the line of
/// the first row that took the count over the limit.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<(String, String), (u32, u32, Option<u64>)>,
}

impl Tally {
    /// Counts one row; a row with no limit is not counted.
    fn add(&mut self, caseworker: &str, period: String, line: u64, limit: Option<u32>) {
        let Some(limit) = limit else { return };
        let entry = self
            .counts
            .entry((caseworker.to_string(), period))
            .or_insert((0, limit, None));
        entry.0 += 1;
        if entry.0 > limit && entry.2.is_none() {
            entry.2 = Some(line);
        }
    }

    fn over(self) -> impl Iterator<Item = Over> {
        self.counts
            .into_iter()
            .filter_map(|((caseworker, period), (count, limit, line))| {
                line.map(|line| Over {
                    caseworker,
                    period,
                    count,
                    limit,
                    line,
                })
            })
    }

    /// One violation per count over its limit, on the row that went over.
    /// One violation per period over its limit, worded by `message`.
    fn report(
        self,
        code: &'static str,
        file: &str,
        message: impl Fn(&Over) -> String,
        out: &mut Vec<Violation>,
    ) {
        for o in self.over() {
            out.push(Violation::new(code, file, Some(o.line), message(&o)));
        }
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let settings = &ctx.data.settings;
    let fte = |id: &str| {
        ctx.caseworkers
            .get(id)
            .map(|&k| ctx.data.caseworkers[k].fte)
    };
    let week = |d: NaiveDate| {
        let w = d.iso_week();
        format!("{}-W{:02}", w.year(), w.week())
    };
    let (mut per_day, mut per_week) = (Tally::default(), Tally::default());
    for v in &ctx.files.visits.rows {
        let Some(fte) = fte(&v.caseworker_id) else {
            continue;
        };
        let date = v.start.date();
        let day_limit = settings.balance.max_visits_per_day;
        per_day.add(&v.caseworker_id, date.to_string(), v.line, day_limit);
        let week_limit = settings.balance.visits_per_week(fte);
        per_week.add(&v.caseworker_id, week(date), v.line, week_limit);
    }
    let mut field_days = Tally::default();
    let mut trips = ctx.files.trips.rows.iter().collect::<Vec<_>>();
    trips.sort_by_key(|t| (t.depart, t.line));
    for t in trips {
        let Some(fte) = fte(&t.caseworker_id) else {
            continue;
        };
        let limit = Some(settings.work.field_days_per_week(fte));
        let mut day = t.depart.date();
        while day <= t.back.date() {
            field_days.add(&t.caseworker_id, week(day), t.line, limit);
            day += Duration::days(1);
        }
    }
    let mut nights = Tally::default();
    for s in &ctx.files.stops.rows {
        let (StopKind::Hotel, Some(arrive)) = (s.kind, s.arrive) else {
            continue;
        };
        let Some(trip) = ctx.trips.get(s.trip_id.as_str()) else {
            continue;
        };
        let Some(fte) = fte(&trip.caseworker_id) else {
            continue;
        };
        let limit = settings.balance.hotel_nights_per_month(fte);
        let month = arrive.format("%Y-%m").to_string();
        nights.add(&trip.caseworker_id, month, s.line, limit);
    }
    let day = |o: &Over| {
        let (who, count, period, limit) = (&o.caseworker, o.count, &o.period, o.limit);
        crate::tr!(
            "{who} has {count} visits in {period}; at most {limit} are allowed",
            "{who} har {count} besøk den {period}; høyst {limit} er tillatt"
        )
    };
    let weekly = |o: &Over| {
        let (who, count, period, limit) = (&o.caseworker, o.count, &o.period, o.limit);
        crate::tr!(
            "{who} has {count} visits in {period}; at most {limit} are allowed",
            "{who} har {count} besøk i {period}; høyst {limit} er tillatt"
        )
    };
    let field = |o: &Over| {
        let (who, count, period, limit) = (&o.caseworker, o.count, &o.period, o.limit);
        crate::tr!(
            "{who} has {count} field days in {period}; at most {limit} are allowed",
            "{who} har {count} reisedager i {period}; høyst {limit} er tillatt"
        )
    };
    let hotel = |o: &Over| {
        let (who, count, period, limit) = (&o.caseworker, o.count, &o.period, o.limit);
        crate::tr!(
            "{who} has {count} hotel nights in {period}; at most {limit} are allowed",
            "{who} har {count} hotellnetter i {period}; høyst {limit} er tillatt"
        )
    };
    per_day.report("visits_per_day", VISITS, day, out);
    per_week.report("visits_per_week", VISITS, weekly, out);
    field_days.report("field_days_per_week", TRIPS, field, out);
    nights.report("hotel_nights_per_month", STOPS, hotel, out);
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{dataset, run, run_with, valid_plan};
    use crate::settings::Settings;

    fn with_balance(text: &str) -> crate::model::Dataset {
        let mut data = dataset();
        data.settings = Settings::parse(&format!("[balance]\n{text}\n"), "s").unwrap();
        data
    }

    /// K1 makes a second visit on 13 January, on the same trip.
    fn two_visits_on_one_day() -> std::collections::BTreeMap<&'static str, String> {
        let mut plan = valid_plan();
        plan.get_mut("visits.csv")
            .unwrap()
            .push_str("C3,K1,T1,2027-01-13T11:30,2027-01-13T13:00\n");
        plan
    }

    #[test]
    fn limits_that_are_not_set_are_not_checked() {
        let report = run(&two_visits_on_one_day());
        assert!(!report.codes().iter().any(|c| c.starts_with("visits_per")));
    }

    #[test]
    fn visits_over_the_daily_and_weekly_limits_are_reported_on_the_row_that_goes_over() {
        let data = with_balance("max_visits_per_day = 1\nmax_visits_per_week = 1");
        let report = run_with(&data, &two_visits_on_one_day());
        let mine: Vec<_> = report
            .violations
            .iter()
            .filter(|v| v.code.starts_with("visits_per"))
            .collect();
        assert_eq!(mine.len(), 2, "{:#?}", report.violations);
        assert_eq!(mine[0].code, "visits_per_day");
        assert_eq!(
            (mine[0].file.as_str(), mine[0].line),
            ("visits.csv", Some(4))
        );
        assert!(mine[0]
            .message
            .contains("K1 has 2 visits in 2027-01-13; at most 1"));
        assert_eq!(mine[1].code, "visits_per_week");
        assert!(mine[1].message.contains("2027-W02"), "{}", mine[1].message);
        // Within the limits: nothing.
        let data = with_balance("max_visits_per_day = 2\nmax_visits_per_week = 2");
        let report = run_with(&data, &two_visits_on_one_day());
        assert!(!report.codes().iter().any(|c| c.starts_with("visits_per")));
    }

    #[test]
    fn hotel_nights_over_the_monthly_limit_are_reported() {
        // T2 spends one night in Bodø on 3 February.
        let report = run_with(
            &with_balance("max_hotel_nights_per_month = 0"),
            &valid_plan(),
        );
        assert_eq!(report.codes(), vec!["hotel_nights_per_month"]);
        assert_eq!(report.violations[0].file, "trip_stops.csv");
        assert!(report.violations[0]
            .message
            .contains("K2 has 1 hotel nights in 2027-02"));
        let report = run_with(
            &with_balance("max_hotel_nights_per_month = 1"),
            &valid_plan(),
        );
        assert!(report.is_ok(), "{:#?}", report.violations);
    }

    #[test]
    fn field_days_over_the_weekly_limit_are_reported() {
        // T2 spans 3-4 February; with one field day a week that is one too many.
        let mut data = dataset();
        data.settings.work.max_field_days_per_week = 1;
        let report = run_with(&data, &valid_plan());
        assert_eq!(report.codes(), vec!["field_days_per_week"]);
        assert_eq!(report.violations[0].file, "trips.csv");
        // Two field days in one week are within the default three.
        assert!(run(&valid_plan()).is_ok());
    }
}
