//! Every feasible day route of one caseworker: for each set of clients that
//! one day can take, the cheapest order, by dynamic programming over sets.
//!
//! With one visiting window for all clients, only the first visit can wait
//! (every later one starts after the first ends, so after the window opens),
//! and leaving the office as late as the first visit allows is best. A
//! partial route ending at client `j` is then fully described by its cost,
//! the start of `j`'s visit and the minutes since leaving the office; a
//! partial route no better in all three than another with the same clients
//! and last client is dropped (the Pareto labels of a resource-constrained
//! shortest path). A label is extended only while the visit can still start
//! in its window, end within the day and within the cap, so nothing
//! feasible is lost and no triangle inequality is assumed.

use super::Caseworker;
use crate::vrp::Instance;
use std::collections::HashMap;

/// Most labels kept at once; past it the caseload is too dense to enumerate.
const LABEL_LIMIT: usize = 20_000_000;
/// Most clients of one caseworker (sets are bit masks).
const CLIENTS_MAX: usize = 64;

/// A feasible day route.
#[derive(Debug, Clone)]
pub struct DayRoute {
    /// Clients, as bits of their positions in `Caseworker::clients`.
    pub mask: u64,
    /// Positions in `Caseworker::clients`, in visiting order.
    pub order: Vec<usize>,
    /// Arc cost, øre.
    pub cost: i64,
    /// Positions in `Caseworker::vehicles` the route may take, inclusive.
    pub days: (usize, usize),
}

#[derive(Debug, Clone)]
struct Label {
    cost: i64,
    /// Start of the last visit, minutes from the slot start.
    start: i64,
    /// Minutes from leaving the office to the start of the last visit.
    elapsed: i64,
    order: Vec<u8>,
}

impl Label {
    fn dominates(&self, o: &Label) -> bool {
        self.cost <= o.cost && self.start <= o.start && self.elapsed <= o.elapsed
    }
}

/// The cheapest feasible route of every set of clients that has one and a
/// day all its clients allow.
pub fn enumerate(inst: &Instance, cw: &Caseworker) -> Result<Vec<DayRoute>, String> {
    let n = cw.clients.len();
    if n > CLIENTS_MAX {
        return Err(format!(
            "a caseworker has {n} clients; solve-vrp takes at most {CLIENTS_MAX}"
        ));
    }
    let loc = |i: usize| inst.clients[cw.clients[i]].location;
    let service = |i: usize| inst.clients[cw.clients[i]].service;
    let (depot, [day_start, day_end], [open, close]) = (cw.depot, cw.day, cw.visit);
    let usable: Vec<usize> = (0..n).filter(|&i| cw.span[i].is_some()).collect();
    let mut best: HashMap<u64, (i64, Vec<u8>)> = HashMap::new();
    let mut level: HashMap<(u64, usize), Vec<Label>> = HashMap::new();
    for &i in &usable {
        let out = inst.duration[depot][loc(i)];
        let start = open.max(day_start + out);
        if start <= close {
            let label = Label {
                cost: inst.cost[depot][loc(i)],
                start,
                elapsed: out,
                order: vec![i as u8],
            };
            level.insert((1 << i, i), vec![label]);
        }
    }
    let mut labels = level.len();
    while !level.is_empty() {
        let mut next: HashMap<(u64, usize), Vec<Label>> = HashMap::new();
        let mut keys: Vec<&(u64, usize)> = level.keys().collect();
        keys.sort_unstable();
        for &(mask, j) in keys {
            for l in &level[&(mask, j)] {
                let end = l.start + service(j);
                // Back to the office from here.
                let back = inst.duration[loc(j)][depot];
                if end + back <= day_end && l.elapsed + service(j) + back <= cw.max_duration {
                    let cost = l.cost + inst.cost[loc(j)][depot];
                    let entry = best.entry(mask).or_insert((i64::MAX, Vec::new()));
                    if cost < entry.0 {
                        *entry = (cost, l.order.clone());
                    }
                }
                for &k in &usable {
                    if mask & (1 << k) != 0 {
                        continue;
                    }
                    let step = service(j) + inst.duration[loc(j)][loc(k)];
                    let (start, elapsed) = (l.start + step, l.elapsed + step);
                    if start > close
                        || start + service(k) > day_end
                        || elapsed + service(k) > cw.max_duration
                    {
                        continue;
                    }
                    let mut order = l.order.clone();
                    order.push(k as u8);
                    let label = Label {
                        cost: l.cost + inst.cost[loc(j)][loc(k)],
                        start,
                        elapsed,
                        order,
                    };
                    let bucket = next.entry((mask | 1 << k, k)).or_default();
                    if bucket.iter().any(|b| b.dominates(&label)) {
                        continue;
                    }
                    bucket.retain(|b| !label.dominates(b));
                    bucket.push(label);
                }
            }
        }
        labels += next.values().map(Vec::len).sum::<usize>();
        if labels > LABEL_LIMIT {
            return Err(format!(
                "a caseworker's {n} clients make more than {LABEL_LIMIT} partial routes; the caseload is too dense to enumerate"
            ));
        }
        level = next;
    }
    let mut out: Vec<DayRoute> = best
        .into_iter()
        .filter_map(|(mask, (cost, order))| {
            let (mut a, mut b) = (0, usize::MAX);
            for &i in &order {
                let (lo, hi) = cw.span[i as usize]?;
                (a, b) = (a.max(lo), b.min(hi));
            }
            (a <= b).then(|| DayRoute {
                mask,
                order: order.iter().map(|&i| i as usize).collect(),
                cost,
                days: (a, b),
            })
        })
        .collect();
    out.sort_by_key(|r| (r.mask.count_ones(), r.mask));
    Ok(out)
}

/// Routes worth keeping when days are plentiful: a route is dropped when,
/// for one of its clients, the route without it plus a route of its own
/// costs no more (both exist and allow at least the same days).
pub fn undominated(routes: &[DayRoute]) -> Vec<usize> {
    let cost: HashMap<u64, i64> = routes.iter().map(|r| (r.mask, r.cost)).collect();
    (0..routes.len())
        .filter(|&r| {
            let m = routes[r].mask;
            m.count_ones() < 2
                || !routes[r].order.iter().any(|&i| {
                    let bit = 1u64 << i;
                    matches!((cost.get(&(m & !bit)), cost.get(&bit)), (Some(a), Some(b)) if a + b <= routes[r].cost)
                })
        })
        .collect()
}
