//! Working days: weekends, Norwegian public holidays and absences.
//!
//! Public holidays are computed, not listed in the data: 1 January, Maundy
//! Thursday, Good Friday, Easter Monday, 1 May, 17 May, Ascension Day, Whit
//! Monday, 25 and 26 December. Easter Sunday follows the Gregorian computus
//! (the anonymous "Meeus/Jones/Butcher" algorithm).

use crate::model::Dataset;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Easter Sunday of a Gregorian year.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("computus gives a valid date")
}

/// The Norwegian public holidays of a year, in date order.
pub fn public_holidays(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holiday is a valid date");
    let mut days = vec![
        fixed(1, 1),
        easter - Duration::days(3), // Skjærtorsdag
        easter - Duration::days(2), // Langfredag
        easter + Duration::days(1), // 2. påskedag
        fixed(5, 1),
        fixed(5, 17),
        easter + Duration::days(39), // Kristi himmelfartsdag
        easter + Duration::days(50), // 2. pinsedag
        fixed(12, 25),
        fixed(12, 26),
    ];
    days.sort();
    days.dedup();
    days
}

pub fn is_public_holiday(date: NaiveDate) -> bool {
    public_holidays(date.year()).contains(&date)
}

pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A weekday that is not a public holiday.
pub fn is_office_day(date: NaiveDate) -> bool {
    !is_weekend(date) && !is_public_holiday(date)
}

/// The working days of every caseworker over a span of dates, precomputed
/// once so the planner asks in O(1).
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    pub first: NaiveDate,
    pub last: NaiveDate,
    office_day: Vec<bool>,
    /// `away[caseworker][day]`: the caseworker is absent that day.
    away: Vec<Vec<bool>>,
}

impl WorkCalendar {
    pub fn new(data: &Dataset, first: NaiveDate, last: NaiveDate) -> Self {
        let days = (last - first).num_days().max(-1) + 1;
        let dates: Vec<NaiveDate> = (0..days).map(|i| first + Duration::days(i)).collect();
        let office_day = dates.iter().map(|d| is_office_day(*d)).collect();
        let mut away = vec![vec![false; dates.len()]; data.caseworkers.len()];
        for a in &data.absences {
            for (i, d) in dates.iter().enumerate() {
                if *d >= a.from && *d <= a.to {
                    away[a.caseworker][i] = true;
                }
            }
        }
        Self {
            first,
            last,
            office_day,
            away,
        }
    }

    pub fn len(&self) -> usize {
        self.office_day.len()
    }

    pub fn is_empty(&self) -> bool {
        self.office_day.is_empty()
    }

    pub fn date(&self, day: usize) -> NaiveDate {
        self.first + Duration::days(day as i64)
    }

    /// Index of a date, if it lies in the span.
    pub fn day(&self, date: NaiveDate) -> Option<usize> {
        let i = (date - self.first).num_days();
        (i >= 0 && (i as usize) < self.len()).then_some(i as usize)
    }

    pub fn is_office_day(&self, day: usize) -> bool {
        self.office_day[day]
    }

    pub fn is_away(&self, caseworker: usize, day: usize) -> bool {
        self.away[caseworker][day]
    }

    /// Takes the day from the caseworker (a trip a re-plan keeps is on it).
    pub fn set_away(&mut self, caseworker: usize, day: usize) {
        self.away[caseworker][day] = true;
    }

    /// The caseworker can work in the field this day.
    pub fn can_work(&self, caseworker: usize, day: usize) -> bool {
        self.office_day[day] && !self.away[caseworker][day]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_matches_known_years() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
    }

    #[test]
    fn holidays_2027_are_the_norwegian_ones() {
        let h = public_holidays(2027);
        let expected = [
            d(2027, 1, 1),
            d(2027, 3, 25),
            d(2027, 3, 26),
            d(2027, 3, 29),
            d(2027, 5, 1),
            d(2027, 5, 6),
            d(2027, 5, 17),
            d(2027, 5, 17) + Duration::days(0),
            d(2027, 12, 25),
            d(2027, 12, 26),
        ];
        for e in expected {
            assert!(h.contains(&e), "{e} missing");
        }
        // Whit Monday 2027 is 17 May too: the list keeps it once.
        assert_eq!(h.len(), 9);
        assert!(!is_office_day(d(2027, 3, 26)));
        assert!(is_office_day(d(2027, 3, 24)));
        assert!(!is_office_day(d(2027, 1, 2))); // Saturday
    }
}
