//! The visits the law requires in a horizon, and the early visits the planner
//! may take, exactly as the data contract reads the law.
//!
//! - 4 a year: at least one visit in every calendar quarter.
//! - 2 a year: at least one visit in every calendar half-year.
//! - Two visits to one child are at least `min_gap_days` apart, counting from
//!   `last_visit`.
//! - A period whose last day falls inside the horizon requires a visit unless
//!   `last_visit` already lies in that period. A period that ends after the
//!   horizon requires nothing yet, but may be visited early.
//! - No visit before the child is placed (`placed_since`): a period that ends
//!   before then keeps its requirement, which no day can meet (the plan
//!   names it unmet, `not_placed_yet`, rather than let it disappear).

use crate::model::{Child, Dataset, Frequency};
use crate::settings::Settings;
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt;

/// The years the planner's calendar takes, in periods and in input dates.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// A planning horizon: first and last day, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Horizon {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Option<Self> {
        (start <= end).then_some(Self { start, end })
    }

    /// Parses `2027Q1` (any case).
    pub fn quarter(text: &str) -> Option<Self> {
        Self::period(text, PeriodKind::Quarter)
    }

    /// A half-year such as `2027H1` (any case).
    pub fn half(text: &str) -> Option<Self> {
        Self::period(text, PeriodKind::Half)
    }

    /// The days of the period `text` names, if it is of `kind`.
    fn period(text: &str, kind: PeriodKind) -> Option<Self> {
        let p = Period::parse(text).filter(|p| p.kind == kind)?;
        Some(Self {
            start: p.start(),
            end: p.end(),
        })
    }

    /// A calendar year such as `2027`.
    pub fn year(text: &str) -> Option<Self> {
        let year: i32 = text.trim().parse().ok()?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return None;
        }
        Some(Self {
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            end: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.start && d <= self.end
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The horizon cut at calendar-quarter boundaries, in order. Every period
    /// (quarter or half-year) ends at the end of some quarter, so each chunk
    /// meets at most one period per child.
    pub fn quarter_chunks(&self) -> Vec<Horizon> {
        let mut out = Vec::new();
        let mut start = self.start;
        while start <= self.end {
            let q = Period::containing(Frequency::Quarterly, start);
            let end = q.end().min(self.end);
            out.push(Horizon { start, end });
            start = end + Duration::days(1);
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    Quarter,
    Half,
}

/// A calendar quarter or half-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    /// 1-4 for quarters, 1-2 for halves.
    pub index: u32,
}

impl Period {
    /// The period of a child's frequency that contains `date`.
    pub fn containing(freq: Frequency, date: NaiveDate) -> Self {
        let month0 = date.month0();
        match freq {
            Frequency::Quarterly => Period {
                year: date.year(),
                kind: PeriodKind::Quarter,
                index: month0 / 3 + 1,
            },
            Frequency::HalfYearly => Period {
                year: date.year(),
                kind: PeriodKind::Half,
                index: month0 / 6 + 1,
            },
        }
    }

    fn months(&self) -> u32 {
        match self.kind {
            PeriodKind::Quarter => 3,
            PeriodKind::Half => 6,
        }
    }

    pub fn start(&self) -> NaiveDate {
        let month = (self.index - 1) * self.months() + 1;
        NaiveDate::from_ymd_opt(self.year, month, 1).expect("period start is a valid date")
    }

    pub fn end(&self) -> NaiveDate {
        self.next().start() - Duration::days(1)
    }

    pub fn next(&self) -> Period {
        let per_year = 12 / self.months();
        if self.index == per_year {
            Period {
                year: self.year + 1,
                index: 1,
                ..*self
            }
        } else {
            Period {
                index: self.index + 1,
                ..*self
            }
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.start() && d <= self.end()
    }

    /// `2027Q1` or `2027H2` (any case, as [`Display`](fmt::Display) writes
    /// them); years 1900 to 2200.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_uppercase();
        let (kind, count, (year, index)) = match (t.split_once('Q'), t.split_once('H')) {
            (Some(parts), None) => (PeriodKind::Quarter, 4, parts),
            (None, Some(parts)) => (PeriodKind::Half, 2, parts),
            _ => return None,
        };
        let (year, index): (i32, u32) = (year.parse().ok()?, index.parse().ok()?);
        ((1..=count).contains(&index) && (FIRST_YEAR..=LAST_YEAR).contains(&year))
            .then_some(Period { year, kind, index })
    }
}

impl fmt::Display for Period {
    /// `2027Q1` or `2027H2`: stable labels used in calendar UIDs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = match self.kind {
            PeriodKind::Quarter => 'Q',
            PeriodKind::Half => 'H',
        };
        write!(f, "{}{}{}", self.year, k, self.index)
    }
}

/// One visit the horizon requires, or may take early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Index into `Dataset::children`.
    pub child: usize,
    pub period: Period,
    /// First and last day the visit may fall on (inclusive, inside the horizon).
    /// `due_from > due_by` means no day satisfies the spacing rule.
    pub due_from: NaiveDate,
    pub due_by: NaiveDate,
    /// True when the period ends inside the horizon; false for an early visit.
    pub required: bool,
}

impl Requirement {
    pub fn window_is_empty(&self) -> bool {
        self.due_from > self.due_by
    }
}

pub fn min_gap_days(settings: &Settings, freq: Frequency) -> i64 {
    match freq {
        Frequency::Quarterly => settings.visits.min_gap_days_quarterly,
        Frequency::HalfYearly => settings.visits.min_gap_days_half_yearly,
    }
}

/// Every requirement of one child in a horizon, given the child's latest
/// visit before it (`last_visit`, or a visit planned in an earlier chunk).
pub fn child_requirements(
    child_index: usize,
    child: &Child,
    last_visit: Option<NaiveDate>,
    horizon: Horizon,
    settings: &Settings,
) -> Vec<Requirement> {
    let gap = min_gap_days(settings, child.frequency);
    let mut out = Vec::new();
    let mut period = Period::containing(child.frequency, horizon.start);
    while period.start() <= horizon.end {
        let already_visited = last_visit.is_some_and(|d| period.contains(d));
        if !already_visited {
            let mut due_from = period.start().max(horizon.start).max(child.placed_since);
            if let Some(last) = last_visit {
                due_from = due_from.max(last + Duration::days(gap));
            }
            out.push(Requirement {
                child: child_index,
                period,
                due_from,
                due_by: period.end().min(horizon.end),
                required: period.end() <= horizon.end,
            });
        }
        period = period.next();
    }
    out
}

/// Every requirement of every child for a horizon, in child order. Spacing
/// between two visits planned in the same horizon is the planner's job: it
/// plans chunk by chunk and feeds each planned visit back as `last_visit`.
pub fn requirements(data: &Dataset, horizon: Horizon) -> Vec<Requirement> {
    data.children
        .iter()
        .enumerate()
        .flat_map(|(i, c)| child_requirements(i, c, c.last_visit, horizon, &data.settings))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChildId;
    use crate::model::{LatLon, Placement};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn child(freq: Frequency, last: Option<NaiveDate>) -> Child {
        Child {
            id: ChildId("B0001".into()),
            team: "barn".into(),
            caseworker: 0,
            placement: Placement::Fosterhjem,
            place: "Oppdal".into(),
            location: LatLon::new(62.59, 9.69),
            frequency: freq,
            placed_since: d(2020, 1, 1),
            last_visit: last,
        }
    }

    fn reqs(freq: Frequency, last: Option<NaiveDate>, h: Horizon) -> Vec<Requirement> {
        let c = child(freq, last);
        child_requirements(0, &c, c.last_visit, h, &Settings::default())
    }

    #[test]
    fn quarter_parses_and_chunks() {
        let h = Horizon::quarter("2027q1").unwrap();
        assert_eq!((h.start, h.end), (d(2027, 1, 1), d(2027, 3, 31)));
        assert!(Horizon::quarter("2027Q5").is_none());
        let long = Horizon::new(d(2027, 2, 15), d(2027, 7, 10)).unwrap();
        let chunks = long.quarter_chunks();
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0].end, d(2027, 3, 31));
        assert_eq!(chunks[1].start, d(2027, 4, 1));
        assert_eq!(
            chunks[2],
            Horizon::new(d(2027, 7, 1), d(2027, 7, 10)).unwrap()
        );
    }

    #[test]
    fn periods_parse_as_they_are_written() {
        let q = Period::parse("2027Q1").unwrap();
        assert_eq!(q.to_string(), "2027Q1");
        assert_eq!(Period::parse("2027h2").unwrap().to_string(), "2027H2");
        for bad in [
            "2027Q5", "2027H3", "27Q1", "", "2027Ø1", "2027Q1H1", "1800Q1", "2027Q",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn half_years_and_years_parse() {
        let h = Horizon::half("2027h2").unwrap();
        assert_eq!((h.start, h.end), (d(2027, 7, 1), d(2027, 12, 31)));
        assert_eq!(h.quarter_chunks().len(), 2);
        assert!(Horizon::half("2027H3").is_none());
        assert!(Horizon::half("2027").is_none());
        let y = Horizon::year(" 2027 ").unwrap();
        assert_eq!((y.start, y.end), (d(2027, 1, 1), d(2027, 12, 31)));
        assert_eq!(y.quarter_chunks().len(), 4);
        assert!(Horizon::year("27Q1").is_none());
    }

    #[test]
    fn quarterly_child_needs_one_visit_per_quarter_after_the_gap() {
        let r = reqs(
            Frequency::Quarterly,
            Some(d(2026, 12, 20)),
            Horizon::quarter("2027Q1").unwrap(),
        );
        assert_eq!(r.len(), 1);
        assert!(r[0].required);
        assert_eq!(r[0].due_from, d(2027, 1, 19)); // 30 days after 20 December
        assert_eq!(r[0].due_by, d(2027, 3, 31));
        assert_eq!(r[0].period.to_string(), "2027Q1");
    }

    #[test]
    fn half_yearly_child_is_only_early_in_the_first_quarter() {
        let r = reqs(
            Frequency::HalfYearly,
            Some(d(2026, 9, 1)),
            Horizon::quarter("2027Q1").unwrap(),
        );
        assert_eq!(r.len(), 1);
        assert!(!r[0].required);
        assert_eq!(r[0].period.to_string(), "2027H1");
        let q2 = reqs(
            Frequency::HalfYearly,
            Some(d(2026, 9, 1)),
            Horizon::quarter("2027Q2").unwrap(),
        );
        assert!(q2[0].required);
        assert_eq!(
            (q2[0].due_from, q2[0].due_by),
            (d(2027, 4, 1), d(2027, 6, 30))
        );
    }

    #[test]
    fn a_visit_already_in_the_period_satisfies_it() {
        let r = reqs(
            Frequency::HalfYearly,
            Some(d(2027, 2, 1)),
            Horizon::quarter("2027Q2").unwrap(),
        );
        assert!(r.is_empty());
    }

    #[test]
    fn a_year_horizon_lists_every_period() {
        let h = Horizon::new(d(2027, 1, 1), d(2027, 12, 31)).unwrap();
        let r = reqs(Frequency::Quarterly, None, h);
        assert_eq!(r.len(), 4);
        assert!(r.iter().all(|x| x.required));
        let partial = Horizon::new(d(2027, 2, 15), d(2027, 5, 15)).unwrap();
        let r = reqs(Frequency::Quarterly, None, partial);
        assert_eq!(r.len(), 2);
        assert!(r[0].required && !r[1].required);
        assert_eq!(r[0].due_from, d(2027, 2, 15));
        assert_eq!(r[1].due_by, d(2027, 5, 15));
    }

    #[test]
    fn a_last_visit_after_the_horizon_start_can_empty_the_window() {
        let h = Horizon::new(d(2027, 3, 20), d(2027, 3, 31)).unwrap();
        let r = reqs(Frequency::Quarterly, Some(d(2026, 12, 31)), h);
        assert!(!r[0].window_is_empty());
        // A last visit recorded after the period (inconsistent data) leaves no day.
        let r = reqs(
            Frequency::Quarterly,
            Some(d(2027, 4, 10)),
            Horizon::quarter("2027Q1").unwrap(),
        );
        assert!(r[0].window_is_empty());
    }

    #[test]
    fn no_visit_is_due_before_the_child_is_placed() {
        let q1 = Horizon::quarter("2027Q1").unwrap();
        let mut c = child(Frequency::Quarterly, None);
        c.placed_since = d(2027, 2, 15);
        let r = child_requirements(0, &c, None, q1, &Settings::default());
        assert_eq!(
            (r[0].due_from, r[0].due_by),
            (d(2027, 2, 15), d(2027, 3, 31))
        );
        assert!(r[0].required);
        // Placed after the period: still required, but no day can meet it.
        c.placed_since = d(2027, 5, 1);
        let r = child_requirements(0, &c, None, q1, &Settings::default());
        assert!(r[0].required && r[0].window_is_empty());
    }
}
