//! Days for chosen routes: each route on a distinct working day inside its
//! interval of days. Earliest deadline first finds such days whenever they
//! exist (intervals on a line); when it fails, an interval of days with more
//! routes that must lie inside it than it has days is returned, the Hall
//! row the MILP then adds.

use super::routes::DayRoute;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// `(route, day position)` for every picked route, or a violated interval.
pub fn assign(all: &[DayRoute], picked: &[usize]) -> Result<Vec<(usize, usize)>, (usize, usize)> {
    let mut by_first: Vec<usize> = picked.to_vec();
    by_first.sort_by_key(|&r| (all[r].days.0, all[r].days.1, r));
    let mut out = Vec::with_capacity(picked.len());
    let mut open: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut next = 0;
    let mut day = by_first.first().map_or(0, |&r| all[r].days.0);
    while out.len() < picked.len() {
        while next < by_first.len() && all[by_first[next]].days.0 <= day {
            let r = by_first[next];
            open.push(Reverse((all[r].days.1, r)));
            next += 1;
        }
        match open.pop() {
            Some(Reverse((last, r))) if last >= day => out.push((r, day)),
            Some(_) => return Err(violated(all, picked)),
            None => {
                // Nothing can go today: jump to the next route's first day.
                day = all[by_first[next]].days.0;
                continue;
            }
        }
        day += 1;
    }
    Ok(out)
}

/// An interval `[a, b]` holding more picked routes' intervals than days.
fn violated(all: &[DayRoute], picked: &[usize]) -> (usize, usize) {
    let mut worst = ((0, 0), 0i64);
    for &p in picked {
        for &q in picked {
            let (a, b) = (all[p].days.0, all[q].days.1);
            if a > b {
                continue;
            }
            let inside = picked
                .iter()
                .filter(|&&r| all[r].days.0 >= a && all[r].days.1 <= b)
                .count() as i64;
            let excess = inside - (b - a + 1) as i64;
            if excess > worst.1 {
                worst = ((a, b), excess);
            }
        }
    }
    worst.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(mask: u64, days: (usize, usize)) -> DayRoute {
        DayRoute {
            mask,
            order: vec![mask.trailing_zeros() as usize],
            cost: 1,
            days,
        }
    }

    /// Three routes that fit only as days 0, 1, 2 in deadline order.
    #[test]
    fn earliest_deadline_first_finds_the_only_assignment() {
        let all = vec![route(1, (0, 2)), route(2, (0, 0)), route(4, (1, 1))];
        let mut got = assign(&all, &[0, 1, 2]).unwrap();
        got.sort_unstable();
        assert_eq!(got, vec![(0, 2), (1, 0), (2, 1)]);
    }

    /// Three routes inside two days: the interval [0, 1] is the Hall row.
    #[test]
    fn too_many_routes_in_an_interval_name_it() {
        let all = vec![
            route(1, (0, 1)),
            route(2, (0, 1)),
            route(4, (1, 1)),
            route(8, (3, 5)),
        ];
        assert_eq!(assign(&all, &[0, 1, 2, 3]), Err((0, 1)));
    }

    /// Gaps between intervals are skipped, not counted as days used.
    #[test]
    fn a_gap_in_the_days_is_jumped() {
        let all = vec![route(1, (0, 0)), route(2, (5, 6))];
        let got = assign(&all, &[0, 1]).unwrap();
        assert_eq!(got, vec![(0, 0), (1, 5)]);
    }
}
