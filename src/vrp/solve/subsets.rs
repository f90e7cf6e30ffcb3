//! The cheapest partition of a caseworker's clients into day routes when
//! days are plentiful, by dynamic programming over subsets: `best[S]` is the
//! cheapest way to serve the set `S`, found from the routes that hold the
//! lowest client of `S`. Exact, with no branch and bound; used up to
//! `CLIENTS_MAX` clients (2^22 sets), beyond which the MILP takes over.

use super::routes::DayRoute;

const CLIENTS_MAX: usize = 22;

/// Routes (indices into `all`, among `columns`) that serve exactly the
/// clients `rows` at least cost, and that cost; `None` when there are too
/// many clients or no partition exists.
pub fn cheapest_partition(
    all: &[DayRoute],
    columns: &[usize],
    rows: &[usize],
) -> Option<(Vec<usize>, i64)> {
    let m = rows.len();
    if m > CLIENTS_MAX {
        return None;
    }
    // Route masks in the compact numbering of `rows`.
    let compact = |mask: u64| -> Option<u32> {
        let mut out = 0u32;
        let mut left = mask;
        for (k, &i) in rows.iter().enumerate() {
            if mask & (1 << i) != 0 {
                out |= 1 << k;
                left &= !(1u64 << i);
            }
        }
        (left == 0).then_some(out)
    };
    let mut by_lowest: Vec<Vec<(u32, usize)>> = vec![Vec::new(); m];
    for &r in columns {
        if let Some(c) = compact(all[r].mask).filter(|&c| c != 0) {
            by_lowest[c.trailing_zeros() as usize].push((c, r));
        }
    }
    const NONE: i64 = i64::MAX;
    let full = (1usize << m) - 1;
    let mut best = vec![NONE; full + 1];
    let mut via = vec![usize::MAX; full + 1];
    best[0] = 0;
    for set in 1..=full {
        let low = set.trailing_zeros() as usize;
        for &(c, r) in &by_lowest[low] {
            let c = c as usize;
            if c & !set != 0 || best[set ^ c] == NONE {
                continue;
            }
            let cost = best[set ^ c] + all[r].cost;
            if cost < best[set] {
                best[set] = cost;
                via[set] = r;
            }
        }
    }
    if best[full] == NONE {
        return None;
    }
    let mut picked = Vec::new();
    let mut set = full;
    while set != 0 {
        let r = via[set];
        picked.push(r);
        set ^= compact(all[r].mask)? as usize;
    }
    Some((picked, best[full]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(mask: u64, cost: i64) -> DayRoute {
        DayRoute {
            mask,
            order: (0..64).filter(|i| mask & (1 << i) != 0).collect(),
            cost,
            days: (0, 9),
        }
    }

    /// {0,1} + {2} (5 + 3) beats {0} + {1,2} (3 + 6) and the three alone (9).
    #[test]
    fn the_cheapest_partition_is_found() {
        let all = vec![
            route(1, 3),
            route(2, 3),
            route(4, 3),
            route(3, 5),
            route(6, 6),
        ];
        let (mut picked, cost) = cheapest_partition(&all, &[0, 1, 2, 3, 4], &[0, 1, 2]).unwrap();
        picked.sort_unstable();
        assert_eq!((picked, cost), (vec![2, 3], 8));
    }

    /// A client no route serves leaves no partition.
    #[test]
    fn no_partition_without_a_route_for_every_client() {
        let all = vec![route(1, 3), route(2, 3)];
        assert!(cheapest_partition(&all, &[0, 1], &[0, 1, 2]).is_none());
    }
}
