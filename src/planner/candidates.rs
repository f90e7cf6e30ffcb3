//! Candidate trips for one caseworker in one chunk of the horizon: sets of
//! due visits that one trip can make, each routed and timed, with the days it
//! could start on.
//!
//! Sets are grown by depth-first search in a fixed order, each from its first
//! required visit (a trip holds at least one required visit; early visits only
//! ride along). The search is first run *complete*: every set with a feasible
//! trip, pruned only where a set has no feasible trip (more homes never make a
//! trip possible again). When that takes more than `COMPLETE_BUDGET` trip
//! evaluations (a dense caseload), it is run again *bounded*: a visit joins a
//! set only if it is among the `NEIGHBOURS` nearest of a member and the trip is
//! cheaper than making the new visit alone. Every required visit also gets its
//! own single-visit trip, so the set cover always has a column for it. Routes
//! are exact (Held-Karp) up to `EXACT_ORDER_MAX` stops.

use super::context::Context;
use super::trip::{evaluate, Access, TripShape, DAY};
use crate::calendar::WorkCalendar;
use crate::units::Ore;

/// One visit this caseworker owes (or may take early) in the chunk. Lists of
/// them hold the required visits first.
#[derive(Debug, Clone)]
pub struct DueVisit {
    pub child: usize,
    pub required: bool,
    /// Window as day indices of the `WorkCalendar`, inclusive.
    pub first_day: usize,
    pub last_day: usize,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    /// Indices into the due-visit list, ascending.
    pub visits: Vec<usize>,
    pub shape: TripShape,
    /// Days (calendar indices) the trip can start on.
    pub start_days: Vec<usize>,
}

#[cfg(test)]
impl Candidate {
    /// A trip with no stops, for tests of the choice and the days: the
    /// given visits, cost in NOK, days (nights one fewer) and start days.
    pub fn for_test(visits: Vec<usize>, nok: f64, days: u32, start_days: Vec<usize>) -> Self {
        Self {
            visits,
            shape: TripShape {
                days,
                stops: Vec::new(),
                km_car: crate::units::Metres(0),
                flight_legs: 0,
                nights: days - 1,
                travel: crate::units::Minutes(0),
                cost: Ore::from_nok(nok),
                cost_parts: crate::plan::CostParts {
                    time: Ore::from_nok(nok),
                    ..Default::default()
                },
            },
            start_days,
        }
    }
}

const EXACT_ORDER_MAX: usize = 9;
/// Bounded search: how many nearest due visits a visit may be joined with.
const NEIGHBOURS: usize = 12;
/// Bounded search: trips evaluated before the search stops growing sets.
const EVALUATION_BUDGET: usize = 60_000;
/// Complete search: trips evaluated before it gives up for the bounded one.
const COMPLETE_BUDGET: usize = 40_000;

/// The candidate trips of a group and whether they are all its feasible trips.
pub struct Candidates {
    pub trips: Vec<Candidate>,
    pub complete: bool,
}

pub struct Generator<'a> {
    ctx: &'a Context<'a>,
    cal: &'a WorkCalendar,
    caseworker: usize,
    due: &'a [DueVisit],
    /// Days (calendar indices) of the chunk.
    chunk: (usize, usize),
    /// Field days a week: a trip longer than this never fits in a week.
    weekly_limit: u32,
    single_cost: Vec<Option<Ore>>,
    /// Per due visit: whether each other due visit is among its nearest.
    near: Vec<Vec<bool>>,
    early_value: Ore,
    evaluations: usize,
    /// Complete search: no neighbour or saving filter, `COMPLETE_BUDGET`.
    complete: bool,
    pub out: Vec<Candidate>,
}

impl<'a> Generator<'a> {
    pub fn new(
        ctx: &'a Context<'a>,
        cal: &'a WorkCalendar,
        caseworker: usize,
        due: &'a [DueVisit],
        chunk: (usize, usize),
        weekly_limit: u32,
    ) -> Self {
        Self {
            ctx,
            cal,
            caseworker,
            due,
            chunk,
            weekly_limit,
            single_cost: Vec::new(),
            near: Vec::new(),
            early_value: Ore::from_nok(ctx.settings.visits.early_visit_value_nok),
            evaluations: 0,
            complete: true,
            out: Vec::new(),
        }
    }

    /// All feasible trips if the complete search fits its budget, else the
    /// bounded search's.
    pub fn run(mut self) -> Candidates {
        let trips = self.search();
        if self.evaluations <= COMPLETE_BUDGET {
            return Candidates {
                trips,
                complete: true,
            };
        }
        self.complete = false;
        self.evaluations = 0;
        self.out.clear();
        Candidates {
            trips: self.search(),
            complete: false,
        }
    }

    fn budget(&self) -> usize {
        if self.complete {
            COMPLETE_BUDGET + 1
        } else {
            EVALUATION_BUDGET
        }
    }

    fn search(&mut self) -> Vec<Candidate> {
        self.near = self.nearest_visits();
        let singles: Vec<Option<Candidate>> = (0..self.due.len())
            .map(|v| {
                if self.due[v].required {
                    self.best_trip(&[v])
                } else {
                    None
                }
            })
            .collect();
        self.single_cost = singles
            .iter()
            .map(|c| c.as_ref().map(|c| c.shape.cost))
            .collect();
        for (v, single) in singles.into_iter().enumerate() {
            // Seeds are required visits only: the caller lists them first, so
            // every set with a required visit is grown from its first one.
            if let Some(c) = single {
                let cost = c.shape.cost;
                self.out.push(c);
                self.grow(vec![v], cost);
            }
        }
        std::mem::take(&mut self.out)
    }

    fn grow(&mut self, set: Vec<usize>, cost: Ore) {
        if set.len() >= self.ctx.settings.planning.max_visits_per_trip as usize {
            return;
        }
        let after = *set.last().unwrap_or(&0) + 1;
        for v in after..self.due.len() {
            if self.evaluations >= self.budget() {
                return;
            }
            // A required visit joins when that beats its own trip; an early
            // visit only when it is on the way: it adds less than it is worth.
            let alone = if self.due[v].required {
                match self.single_cost[v] {
                    Some(c) => c,
                    None => continue,
                }
            } else {
                self.early_value
            };
            if !self.complete && !set.iter().any(|&m| self.near[m][v]) {
                continue;
            }
            let mut bigger = set.clone();
            bigger.push(v);
            let Some(c) = self.best_trip(&bigger) else {
                continue;
            };
            if !self.complete && c.shape.cost >= cost + alone {
                continue;
            }
            let c_cost = c.shape.cost;
            self.out.push(c);
            self.grow(bigger, c_cost);
        }
    }

    /// The cheapest feasible trip over all ways of getting there, or `None`.
    pub fn best_trip(&mut self, set: &[usize]) -> Option<Candidate> {
        self.best_trip_with(set, None)
    }

    /// [`Self::best_trip`], trying also the visits in `given` order (indices into
    /// the due list, the set's members) besides the shortest drive.
    pub fn best_trip_with(&mut self, set: &[usize], given: Option<&[usize]>) -> Option<Candidate> {
        self.evaluations += 1;
        let children: Vec<usize> = set.iter().map(|&v| self.due[v].child).collect();
        let mut accesses = vec![Access::Car];
        if let Some(first) = children.first() {
            for a in &self.ctx.air_access[*first] {
                if children
                    .iter()
                    .all(|c| self.ctx.air_access[*c].iter().any(|b| b.dest == a.dest))
                {
                    accesses.push(Access::Air(a.clone()));
                }
            }
        }
        let mut best: Option<Candidate> = None;
        for access in &accesses {
            let base = match access {
                Access::Car => self.ctx.office_site_of_caseworker(self.caseworker),
                Access::Air(a) => self.ctx.sites.airport(a.dest),
            };
            let order = best_order(self.ctx, base, &children);
            let reversed: Vec<usize> = order.iter().rev().copied().collect();
            let mut orders = vec![order, reversed];
            if let Some(given) = given {
                orders.push(given.iter().map(|&v| self.due[v].child).collect());
            }
            for o in orders {
                let Some(shape) = evaluate(self.ctx, self.caseworker, access, &o) else {
                    continue;
                };
                if shape.days > 1 && children.iter().any(|&c| self.is_local(c)) {
                    continue;
                }
                if best.as_ref().is_some_and(|b| b.shape.cost <= shape.cost) {
                    continue;
                }
                let start_days = self.start_days(set, &shape);
                if !start_days.is_empty() {
                    let mut visits = set.to_vec();
                    visits.sort_unstable();
                    best = Some(Candidate {
                        visits,
                        shape,
                        start_days,
                    });
                }
            }
        }
        best
    }

    /// For each due visit, the `NEIGHBOURS` others nearest by road: a set only
    /// grows by a neighbour of one of its visits, which bounds the search when
    /// a caseworker has many children.
    fn nearest_visits(&self) -> Vec<Vec<bool>> {
        let n = self.due.len();
        let site = |v: usize| self.ctx.sites.child(self.due[v].child);
        (0..n)
            .map(|a| {
                let mut others: Vec<(i64, usize)> = (0..n)
                    .filter(|&b| b != a)
                    .map(|b| (self.ctx.drive(site(a), site(b)).minutes.0, b))
                    .collect();
                others.sort_unstable();
                let mut near = vec![false; n];
                for (_, b) in others.into_iter().take(NEIGHBOURS) {
                    near[b] = true;
                }
                near
            })
            .collect()
    }

    /// A home so near the office that its visit belongs on a day trip: trips
    /// with hotel nights do not take it along, which keeps the search small.
    fn is_local(&self, child: usize) -> bool {
        let office = self.ctx.office_site_of_caseworker(self.caseworker);
        let limit = self.ctx.settings.planning.local_visit_minutes;
        self.ctx
            .drive(office, self.ctx.sites.child(child))
            .minutes
            .0
            <= limit
    }

    /// Days the trip can start on: every day of it a working day for the
    /// caseworker, inside the chunk, and each visit inside its window.
    fn start_days(&self, set: &[usize], shape: &TripShape) -> Vec<usize> {
        let days = shape.days as usize;
        if shape.days > self.weekly_limit {
            return Vec::new();
        }
        let visit_day = |child: usize| {
            shape
                .stops
                .iter()
                .find(|s| s.kind == super::trip::StopKind::Child(child))
                .and_then(|s| s.visit)
                .map_or(0, |(start, _)| (start / DAY) as usize)
        };
        let offsets: Vec<(usize, &DueVisit)> = set
            .iter()
            .map(|&v| (visit_day(self.due[v].child), &self.due[v]))
            .collect();
        (self.chunk.0..=self.chunk.1)
            .filter(|&s| s + days - 1 <= self.chunk.1)
            .filter(|&s| (s..s + days).all(|d| self.cal.can_work(self.caseworker, d)))
            .filter(|&s| {
                offsets
                    .iter()
                    .all(|(k, v)| s + k >= v.first_day && s + k <= v.last_day)
            })
            .collect()
    }
}

/// The order of children that minimises driving time from `base` round to `base`.
pub fn best_order(ctx: &Context, base: usize, children: &[usize]) -> Vec<usize> {
    let n = children.len();
    if n <= 2 {
        return children.to_vec();
    }
    if n > EXACT_ORDER_MAX {
        return nearest_neighbour(ctx, base, children);
    }
    // Drive minutes between the stops, the base last: one table lookup each.
    let sites: Vec<usize> = children.iter().map(|&c| ctx.sites.child(c)).collect();
    let m = n + 1;
    let mut t = vec![0i64; m * m];
    for i in 0..m {
        for j in 0..m {
            let a = if i == n { base } else { sites[i] };
            let b = if j == n { base } else { sites[j] };
            if i != j {
                t[i * m + j] = ctx.drive(a, b).minutes.0;
            }
        }
    }
    // Held-Karp: best[mask * n + j] = shortest path from base through `mask`,
    // ending at j; flat tables, so one allocation each.
    const NONE: i64 = i64::MAX / 4;
    let full = 1usize << n;
    let mut best = vec![NONE; full * n];
    let mut prev = vec![u8::MAX; full * n];
    for j in 0..n {
        best[(1 << j) * n + j] = t[n * m + j];
    }
    for mask in 1..full {
        for j in 0..n {
            let here = best[mask * n + j];
            if mask & (1 << j) == 0 || here >= NONE {
                continue;
            }
            let row = &t[j * m..j * m + n];
            for (k, &step) in row.iter().enumerate() {
                if mask & (1 << k) != 0 {
                    continue;
                }
                let next = (mask | (1 << k)) * n + k;
                let cand = here + step;
                if cand < best[next] {
                    best[next] = cand;
                    prev[next] = j as u8;
                }
            }
        }
    }
    let last = (0..n)
        .min_by_key(|&j| (best[(full - 1) * n + j] + t[j * m + n], j))
        .unwrap_or(0);
    let mut order = Vec::with_capacity(n);
    let (mut mask, mut j) = (full - 1, last);
    loop {
        order.push(children[j]);
        let p = prev[mask * n + j];
        mask &= !(1 << j);
        if p == u8::MAX {
            break;
        }
        j = p as usize;
    }
    order.reverse();
    order
}

fn nearest_neighbour(ctx: &Context, base: usize, children: &[usize]) -> Vec<usize> {
    let mut left = children.to_vec();
    let mut order = Vec::with_capacity(left.len());
    let mut here = base;
    while !left.is_empty() {
        let (i, _) = left
            .iter()
            .enumerate()
            .min_by_key(|(_, &c)| (ctx.drive(here, ctx.sites.child(c)).minutes, c))
            .expect("left is not empty");
        let c = left.remove(i);
        here = ctx.sites.child(c);
        order.push(c);
    }
    order
}

/// Drops trips that never pay when field days are plentiful: a trip `S` is
/// dominated when, for some visit `v` in it, the trip `S - v` plus making `v`
/// on its own (or, for an early visit, not making it) costs no more. Only
/// sound when capacity does not bind; the caller checks that first.
pub fn prune_dominated(
    candidates: Vec<Candidate>,
    due: &[DueVisit],
    early_value: Ore,
) -> Vec<Candidate> {
    use std::collections::HashMap;
    let mask = |c: &Candidate| c.visits.iter().fold(0u64, |m, &v| m | 1 << v);
    let cost: HashMap<u64, Ore> = candidates.iter().map(|c| (mask(c), c.shape.cost)).collect();
    let alone = |v: usize| -> Option<Ore> {
        if due[v].required {
            cost.get(&(1u64 << v)).copied()
        } else {
            Some(early_value)
        }
    };
    let keep: Vec<bool> = candidates
        .iter()
        .map(|c| {
            let m = mask(c);
            c.visits.len() < 2
                || !c.visits.iter().any(|&v| {
                    let rest = cost.get(&(m & !(1u64 << v))).copied();
                    matches!((rest, alone(v)), (Some(r), Some(a)) if r + a <= c.shape.cost)
                })
        })
        .collect();
    candidates
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(c, _)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Child, LatLon};
    use crate::travel::{car::GreatCircleCar, Sites};

    /// Held-Karp finds the shortest round trip: the same length as trying
    /// every order, on homes spread around Trøndelag.
    #[test]
    fn best_order_is_the_shortest_round_trip() {
        let mut data = crate::check::fixture::dataset();
        let template: Child = data.children[0].clone();
        let spots = [
            (63.43, 10.40),
            (63.70, 11.30),
            (64.46, 11.49),
            (63.30, 9.85),
            (62.58, 11.38),
            (63.78, 11.49),
            (63.10, 10.05),
        ];
        data.children = spots
            .iter()
            .map(|&(lat, lon)| Child {
                location: LatLon::new(lat, lon),
                ..template.clone()
            })
            .collect();
        let sites = Sites::new(&data);
        let matrix = GreatCircleCar::new(&sites, &data.settings.car);
        let ctx = Context::new(&data, &sites, &matrix);
        let base = ctx.office_site_of_caseworker(0);
        let length = |order: &[usize]| {
            let mut here = base;
            let mut total = 0;
            for &c in order {
                total += ctx.drive(here, ctx.sites.child(c)).minutes.0;
                here = ctx.sites.child(c);
            }
            total + ctx.drive(here, base).minutes.0
        };
        fn permutations(items: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
            if k == items.len() {
                out.push(items.clone());
            }
            for i in k..items.len() {
                items.swap(k, i);
                permutations(items, k + 1, out);
                items.swap(k, i);
            }
        }
        for n in 3..=spots.len() {
            let children: Vec<usize> = (0..n).collect();
            let order = best_order(&ctx, base, &children);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, children, "every child once");
            let mut all = Vec::new();
            permutations(&mut children.clone(), 0, &mut all);
            let shortest = all.iter().map(|o| length(o)).min().unwrap();
            assert_eq!(length(&order), shortest, "{n} homes");
        }
    }
}
