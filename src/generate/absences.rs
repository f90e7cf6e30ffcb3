//! A year of caseworker absences: summer holiday, courses, a few school-break
//! weeks and one or two longer leaves.
//!
//! The rules mirror Norwegian working life (domain.md): three consecutive
//! weeks of main holiday between mid-June and the end of August, mostly in
//! July; winter break is week 8 and autumn break week 41 in Trøndelag. Every
//! absence starts on a working day. Because the planner promises one visit
//! per child per quarter, no caseworker may be away for most of a quarter:
//! a draw that leaves less than half of any quarter's working days is thrown
//! away and drawn again.

use crate::calendar::is_office_day;
use crate::model::Absence;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::distributions::WeightedIndex;
use rand::prelude::*;

/// What absences to draw for one caseworker beyond holiday and courses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extra {
    None,
    /// A leave (permisjon) of 3-6 weeks inside the first or second quarter.
    Leave,
    /// The winter-break week (ISO week 8) off.
    WinterBreak,
    /// The autumn-break week (ISO week 41) off.
    AutumnBreak,
}

/// Draws which caseworkers get a leave or a school-break week: one or two
/// leaves and three to five break weeks, never both for one person.
pub(crate) fn draw_extras<R: Rng>(rng: &mut R, caseworkers: usize) -> Vec<Extra> {
    let mut extras = vec![Extra::None; caseworkers];
    let mut order: Vec<usize> = (0..caseworkers).collect();
    order.shuffle(rng);
    let leaves = rng.gen_range(1..=2);
    let breaks = rng.gen_range(3..=5);
    for (n, &i) in order.iter().take(leaves + breaks).enumerate() {
        extras[i] = if n < leaves {
            Extra::Leave
        } else if rng.gen_bool(0.5) {
            Extra::WinterBreak
        } else {
            Extra::AutumnBreak
        };
    }
    extras
}

/// Trondheim's department of 23 has 1-2 leaves and 3-5 school-break weeks
/// ([`draw_extras`]); a staff of any size gets them at those rates.
pub(crate) const LEAVE_RATE: f64 = 1.5 / 23.0;
pub(crate) const BREAK_RATE: f64 = 4.0 / 23.0;

/// Extras for a staff of any size: each caseworker independently takes a
/// leave with [`LEAVE_RATE`] or a school-break week with [`BREAK_RATE`]
/// (winter or autumn alike), never both, so a leave stays rare however large
/// the staff.
pub(crate) fn draw_extras_at_rate<R: Rng>(rng: &mut R, caseworkers: usize) -> Vec<Extra> {
    (0..caseworkers)
        .map(|_| {
            let u: f64 = rng.gen();
            if u < LEAVE_RATE {
                Extra::Leave
            } else if u >= LEAVE_RATE + BREAK_RATE {
                Extra::None
            } else if rng.gen_bool(0.5) {
                Extra::WinterBreak
            } else {
                Extra::AutumnBreak
            }
        })
        .collect()
}

/// Draws one caseworker's absences for `year`, sorted by date.
pub(crate) fn draw_absences<R: Rng>(
    rng: &mut R,
    caseworker: usize,
    year: i32,
    extra: Extra,
) -> Vec<Absence> {
    for _ in 0..1000 {
        let mut spans: Vec<(NaiveDate, NaiveDate, &'static str)> = Vec::new();
        match extra {
            Extra::Leave => spans.push(leave(rng, year)),
            Extra::WinterBreak => spans.push(iso_week(year, 8, "ferie")),
            Extra::AutumnBreak => spans.push(iso_week(year, 41, "ferie")),
            Extra::None => {}
        }
        spans.push(summer_holiday(rng, year));
        add_courses(rng, year, &mut spans);
        if spans_are_valid(&spans, year) {
            spans.sort();
            return spans
                .into_iter()
                .map(|(from, to, reason)| Absence {
                    caseworker,
                    from,
                    to,
                    reason: reason.to_string(),
                })
                .collect();
        }
    }
    unreachable!("a valid year of absences is found long before 1000 draws")
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

/// Monday to Friday of an ISO week.
fn iso_week(year: i32, week: u32, reason: &'static str) -> (NaiveDate, NaiveDate, &'static str) {
    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).expect("ISO week exists");
    (monday, monday + Duration::days(4), reason)
}

/// Three weeks from a Monday to a Friday. Starts are weighted so most of the
/// holiday falls in July, a few in late June or August.
fn summer_holiday<R: Rng>(rng: &mut R, year: i32) -> (NaiveDate, NaiveDate, &'static str) {
    let first = next_monday(date(year, 6, 14));
    let starts: Vec<NaiveDate> = (0..9)
        .map(|w| first + Duration::weeks(w))
        .filter(|s| *s + Duration::days(18) <= date(year, 8, 31))
        .collect();
    let weights: Vec<f64> = starts
        .iter()
        .map(|s| {
            let july_days = (0..19)
                .map(|d| *s + Duration::days(d))
                .filter(|d| d.month() == 7)
                .count();
            0.5 + july_days as f64
        })
        .collect();
    let pick = WeightedIndex::new(&weights).expect("positive weights");
    let start = starts[pick.sample(rng)];
    (start, start + Duration::days(18), "ferie")
}

/// A leave of 3-6 whole weeks, Monday to Friday, inside Q1 or Q2.
fn leave<R: Rng>(rng: &mut R, year: i32) -> (NaiveDate, NaiveDate, &'static str) {
    let weeks: i64 = rng.gen_range(3..=6);
    let (q_start, q_end) = if rng.gen_bool(0.5) {
        (date(year, 1, 1), date(year, 3, 31))
    } else {
        (date(year, 4, 1), date(year, 6, 30))
    };
    let length = Duration::days(7 * weeks - 3);
    let mut starts = Vec::new();
    let mut monday = next_monday(q_start);
    while monday + length <= q_end {
        if is_office_day(monday) {
            starts.push(monday);
        }
        monday += Duration::weeks(1);
    }
    let start = *starts.choose(rng).expect("a quarter holds a 6-week leave");
    (start, start + length, "permisjon")
}

/// Two or three courses of 1-3 consecutive working days, one in each of as
/// many equal parts of the year, so they spread out.
fn add_courses<R: Rng>(
    rng: &mut R,
    year: i32,
    spans: &mut Vec<(NaiveDate, NaiveDate, &'static str)>,
) {
    let count = rng.gen_range(2..=3);
    let first = date(year, 1, 11);
    let last = date(year, 12, 10);
    let part = (last - first).num_days() / count;
    for k in 0..count {
        let lo = first + Duration::days(k * part);
        for _ in 0..200 {
            let start = lo + Duration::days(rng.gen_range(0..part));
            let days = rng.gen_range(1..=3);
            let end = start + Duration::days(days - 1);
            let all_working = (0..days).all(|d| is_office_day(start + Duration::days(d)));
            let free = spans.iter().all(|(f, t, _)| end < *f || start > *t);
            if all_working && free {
                spans.push((start, end, "kurs"));
                break;
            }
        }
    }
}

fn next_monday(d: NaiveDate) -> NaiveDate {
    let ahead = (7 - d.weekday().num_days_from_monday()) % 7;
    d + Duration::days(ahead as i64)
}

/// No overlaps, every span starts on a working day, and in every quarter the
/// caseworker is present on more than half of the working days.
fn spans_are_valid(spans: &[(NaiveDate, NaiveDate, &'static str)], year: i32) -> bool {
    let mut sorted = spans.to_vec();
    sorted.sort();
    let disjoint = sorted.windows(2).all(|w| w[0].1 < w[1].0);
    let starts_on_work = spans.iter().all(|(f, _, _)| is_office_day(*f));
    disjoint && starts_on_work && (1..=4).all(|q| absent_share(spans, year, q) < 0.5)
}

/// Share of a quarter's working days the spans cover.
pub(crate) fn absent_share(
    spans: &[(NaiveDate, NaiveDate, &'static str)],
    year: i32,
    quarter: u32,
) -> f64 {
    let start = date(year, 3 * quarter - 2, 1);
    let end = if quarter == 4 {
        date(year, 12, 31)
    } else {
        date(year, 3 * quarter + 1, 1) - Duration::days(1)
    };
    let days: Vec<NaiveDate> = start
        .iter_days()
        .take_while(|d| *d <= end)
        .filter(|d| is_office_day(*d))
        .collect();
    let away = days
        .iter()
        .filter(|d| spans.iter().any(|(f, t, _)| **d >= *f && **d <= *t))
        .count();
    away as f64 / days.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;

    /// Over many caseworkers, every drawn year keeps the rules: holiday of
    /// three Monday-to-Friday weeks in June-August, 2-3 short courses, a
    /// leave only for the one chosen, and most of every quarter present.
    #[test]
    fn drawn_years_keep_the_rules() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for i in 0..200 {
            let extra = match i % 4 {
                0 => Extra::None,
                1 => Extra::Leave,
                2 => Extra::WinterBreak,
                _ => Extra::AutumnBreak,
            };
            let absences = draw_absences(&mut rng, i, 2027, extra);
            let ferie: Vec<_> = absences.iter().filter(|a| a.reason == "ferie").collect();
            let summer: Vec<_> = ferie
                .iter()
                .filter(|a| a.from.month() >= 6 && a.from.month() <= 8)
                .collect();
            assert_eq!(summer.len(), 1);
            assert_eq!(summer[0].from.weekday(), Weekday::Mon);
            assert_eq!((summer[0].to - summer[0].from).num_days(), 18);
            assert!(summer[0].from >= date(2027, 6, 14) && summer[0].to <= date(2027, 8, 31));
            let courses = absences.iter().filter(|a| a.reason == "kurs").count();
            assert!((2..=3).contains(&courses), "{courses} courses");
            let leaves = absences.iter().filter(|a| a.reason == "permisjon").count();
            assert_eq!(leaves, usize::from(extra == Extra::Leave));
            let spans: Vec<_> = absences.iter().map(|a| (a.from, a.to, "x")).collect();
            for q in 1..=4 {
                assert!(absent_share(&spans, 2027, q) < 0.5);
            }
            assert!(absences
                .iter()
                .all(|a| is_office_day(a.from) && a.from <= a.to));
        }
    }

    /// At the rates, a large staff has a few leaves and more break weeks.
    #[test]
    fn extras_at_rate_keep_leaves_rare() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let extras = draw_extras_at_rate(&mut rng, 1000);
        let count = |e: Extra| extras.iter().filter(|x| **x == e).count();
        assert!(
            (35..=100).contains(&count(Extra::Leave)),
            "{}",
            count(Extra::Leave)
        );
        let breaks = count(Extra::WinterBreak) + count(Extra::AutumnBreak);
        assert!((130..=220).contains(&breaks), "{breaks}");
        assert!(count(Extra::WinterBreak) > 0 && count(Extra::AutumnBreak) > 0);
    }

    #[test]
    fn school_break_weeks_are_weeks_8_and_41() {
        assert_eq!(iso_week(2027, 8, "ferie").0, date(2027, 2, 22));
        assert_eq!(iso_week(2027, 41, "ferie").1, date(2027, 10, 15));
    }
}
