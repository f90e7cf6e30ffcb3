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

type Buckets = HashMap<(u64, usize), Vec<Label>>;

/// One caseworker's day as the labels see it.
struct Day<'a> {
    inst: &'a Instance,
    cw: &'a Caseworker,
    /// Clients (positions) some vehicle can take.
    usable: Vec<usize>,
}

impl Day<'_> {
    fn loc(&self, i: usize) -> usize {
        self.inst.clients[self.cw.clients[i]].location
    }

    fn service(&self, i: usize) -> i64 {
        self.inst.clients[self.cw.clients[i]].service
    }

    /// Routes of one client: leave as late as the visit allows.
    fn first_labels(&self) -> Buckets {
        let (depot, [open, close]) = (self.cw.depot, self.cw.visit);
        let mut out = Buckets::new();
        for &i in &self.usable {
            let drive = self.inst.duration[depot][self.loc(i)];
            let start = open.max(self.cw.day[0] + drive);
            if start <= close {
                let label = Label {
                    cost: self.inst.cost[depot][self.loc(i)],
                    start,
                    elapsed: drive,
                    order: vec![i as u8],
                };
                out.insert((1 << i, i), vec![label]);
            }
        }
        out
    }

    /// The cost of going home after `l` (ending at `j`), if the day allows.
    fn close(&self, j: usize, l: &Label) -> Option<i64> {
        let end = l.start + self.service(j);
        let back = self.inst.duration[self.loc(j)][self.cw.depot];
        (end + back <= self.cw.day[1] && l.elapsed + self.service(j) + back <= self.cw.max_duration)
            .then(|| l.cost + self.inst.cost[self.loc(j)][self.cw.depot])
    }

    /// Adds to `next` every client `k` that can follow `l` (over `mask`,
    /// ending at `j`), keeping only labels no other label dominates.
    fn extend(&self, mask: u64, j: usize, l: &Label, next: &mut Buckets) {
        for &k in &self.usable {
            if mask & (1 << k) != 0 {
                continue;
            }
            let step = self.service(j) + self.inst.duration[self.loc(j)][self.loc(k)];
            let (start, elapsed) = (l.start + step, l.elapsed + step);
            if start > self.cw.visit[1]
                || start + self.service(k) > self.cw.day[1]
                || elapsed + self.service(k) > self.cw.max_duration
            {
                continue;
            }
            let mut order = l.order.clone();
            order.push(k as u8);
            let label = Label {
                cost: l.cost + self.inst.cost[self.loc(j)][self.loc(k)],
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

/// The cheapest feasible route of every set of clients that has one and a
/// day all its clients allow.
pub fn enumerate(inst: &Instance, cw: &Caseworker) -> Result<Vec<DayRoute>, String> {
    let n = cw.clients.len();
    if n > CLIENTS_MAX {
        return Err(crate::tr!(
            "a caseworker has {n} clients; solve-vrp takes at most {CLIENTS_MAX}",
            "en saksbehandler har {n} klienter; solve-vrp tar høyst {CLIENTS_MAX}"
        ));
    }
    let day = Day {
        inst,
        cw,
        usable: (0..n).filter(|&i| cw.span[i].is_some()).collect(),
    };
    let mut best: HashMap<u64, (i64, Vec<u8>)> = HashMap::new();
    let mut level = day.first_labels();
    let mut labels = level.len();
    while !level.is_empty() {
        let mut next = Buckets::new();
        let mut keys: Vec<&(u64, usize)> = level.keys().collect();
        keys.sort_unstable();
        for &(mask, j) in keys {
            for l in &level[&(mask, j)] {
                if let Some(cost) = day.close(j, l) {
                    let entry = best.entry(mask).or_insert((i64::MAX, Vec::new()));
                    if cost < entry.0 {
                        *entry = (cost, l.order.clone());
                    }
                }
                day.extend(mask, j, l, &mut next);
            }
        }
        labels += next.values().map(Vec::len).sum::<usize>();
        if labels > LABEL_LIMIT {
            return Err(crate::tr!(
                "a caseworker's {n} clients make more than {LABEL_LIMIT} partial routes; the caseload is too dense to enumerate",
                "de {n} klientene til en saksbehandler gir mer enn {LABEL_LIMIT} delruter; saksmengden er for tett til å liste opp"
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
