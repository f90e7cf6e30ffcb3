//! Pooled continuity (`continuity = "preferred"` or `"team"`): a visit may
//! go to another caseworker of the child's team at the same office, at the
//! change penalty per visit (`planning.change_penalty_nok`) under
//! `preferred`, at no charge under `team`. The strict plan is the start.
//!
//! Each group (one team at one office) is planned as one set-covering
//! model: every required visit of the group on exactly one trip, every
//! early visit on at most one, over trips any member could make, each
//! valued at its cost less the worth of its early visits plus, under
//! `preferred`, the penalty for every visit of another member's child. Its linear relaxation is solved by column generation: the
//! columns start as the strict plan's trips and a single-visit trip per
//! visit, and pricing looks for trips of negative reduced cost by
//! labelling, extending trips one visit at a time with the planner's own
//! trip builder ([`Partial`]).
//!
//! * **The LP** is solved by the master LP of [`super::master`], a primal
//!   simplex that keeps its basis from round to round (microlp on the
//!   dual takes over should it fail).
//! * **The plan.** Quick pricing (a few labels per home and day, those
//!   that have spent the least so far less their prizes, today's hours
//!   included; trips grown only by the nearest visits, the planner's own
//!   day splits) runs a fixed number of rounds, then wide pricing (more labels, more
//!   neighbours, every split into days) a few more, then deep pricing
//!   (every label it cannot prove worse, any visit, elementary trips, cut
//!   short after a fixed number of labels) a few more, then a MILP
//!   chooses among the columns (field days per vehicle as its only
//!   capacity), started from the strict plan so it is never worse, and
//!   then polishes that choice one neighbourhood at a time: the chosen
//!   trips near each trip in turn are chosen again by a small MILP over
//!   every column within their visits, priced afresh under their own LP
//!   (fix and optimise). The
//!   chosen trips go to members (the one whose children a trip visits
//!   most first, the next when no day fits) and on days by the same
//!   scheduling as strict plans. The result replaces the strict plan when
//!   it is cheaper. No clock decides anything here: the same input gives
//!   the same plan on every machine.
//! * **The bound.** Pricing then continues while time allows: wide, and
//!   exact when wide finds nothing, until an exact search runs out of
//!   labels or time (its round proves nothing, and the next would run out
//!   too). When exact pricing finds no trip of negative reduced cost, the
//!   LP optimum bounds the group's objective from below; a complete round that does find some
//!   still gives a (Lagrangian) bound: the LP plus, for each trip a plan can
//!   hold (at most one per required visit), the least reduced cost, or plus,
//!   for each visit (on one trip at most), the least reduced cost per visit
//!   of a trip, whichever is higher. Exact
//!   pricing tries every split of a trip into days (the same day or the
//!   next at each visit, home today or after a night), so every trip the
//!   planner could build is among those searched; the days are relaxed (a
//!   trip needs a start day inside the chunk that suits every visit's
//!   window, not a free day of a member). A trip is dropped only when
//!   another at the same home and day is ahead on every count (no more
//!   visits, an earlier clock, a later start of the day, less spent so far
//!   with today's hours (a trip no later carries its lead in time to the
//!   end of the day, visits never waiting once it is past the earliest
//!   start of a visit), a window and the remaining visits no smaller), or
//!   when even the most the remaining visits could bring would not make its
//!   reduced cost negative.
//!
//! The bound rests on one assumption: a visit never makes a trip cheaper
//! (drive times and distances obey the triangle inequality, as the
//! great-circle model and shortest road paths do), so pricing leaves out
//! visits worth nothing under the duals. (A far visit may be impossible
//! alone and possible after a visit on the way, so pricing keeps such
//! visits; the strict enumeration's pruning does not.)

use super::caseworker::{chunk_field_days, place_sets, weekly_limit, ChunkDays, Placed, TripSet};
use super::context::{AirAccess, Context};
use super::master::MasterLp;
use super::mip::{self, Backend, Limits, Model, Sense};
use super::select::UNMET_PENALTY_NOK;
use super::trip::{Access, Partial};
use super::CaseworkerResult;
use crate::calendar::WorkCalendar;
use crate::demand::Requirement;
use crate::settings::Continuity;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// Most visits of one group the bound handles (bit sets of this many bits).
const WORDS: usize = 8;
pub const MAX_NODES: usize = WORDS * 64;
/// Column-generation rounds per group.
const MAX_ROUNDS: usize = 400;
/// Quick pricing rounds before the trip choice.
const QUICK_ROUNDS: usize = 30;
/// Vehicles a quick round prices.
const VEHICLES_PER_ROUND: usize = 3;
/// New columns per vehicle and round.
const COLUMNS_PER_PRICING: usize = 150;
/// Labels kept per home and day in a quick (heuristic) pricing round.
const QUICK_BUCKET: usize = 6;
/// Nearest visits quick pricing extends a trip with.
const QUICK_NEAREST: usize = 25;
/// Labels wide pricing keeps per home and day.
const WIDE_BUCKET: usize = 8;
/// Rounds of wide pricing after the quick ones, before the choice.
const WIDE_ROUNDS: usize = 10;
/// Visits wide pricing may grow a trip at a home with: the nearest.
const WIDE_NEAREST: usize = 60;
/// Size of a visit's ng-neighbourhood in exact pricing.
const NG_SIZE: usize = 12;
/// Labels an exact pricing search may create before it gives up, for each
/// 5 seconds of `planning.bound_seconds` (at least this many).
const EXACT_LABELS: usize = 600_000;
/// Most labels one exact search holds at once (those of a layer and of the
/// next), whatever the time allowed: about 400 bytes each.
const LIVE_LABELS: usize = 1_500_000;
/// Rounds of deep pricing (cut short at `SEARCH_LABELS` labels) after the
/// wide ones and before the choice.
const SEARCH_ROUNDS: usize = 3;
const SEARCH_LABELS: usize = 50_000;
const EPS: f64 = 1e-3;
/// Most visits on one trip the labelling follows (`planning.max_visits_per_trip` is at most 12).
const MAX_PATH: usize = 12;
/// Columns the trip choice's MILP takes besides the plan's own trips.
const MIP_COLUMNS: usize = 4000;
/// Branch-and-bound nodes for the trip choice.
const MIP_NODES: u64 = 5_000;
/// Visits one neighbourhood of the choice's polish frees (at least: whole
/// trips are freed).
const POLISH_VISITS: usize = 40;
/// Branch-and-bound nodes for one neighbourhood.
const POLISH_NODES: u64 = 100;
/// Times a trip that found no trip or day is handed to the next member.
const PLACE_ROUNDS: usize = 12;

type Bits = [u64; WORDS];

fn set(b: &mut Bits, i: usize) {
    b[i / 64] |= 1 << (i % 64);
}

fn has(b: &Bits, i: usize) -> bool {
    b[i / 64] & (1 << (i % 64)) != 0
}

fn subset(a: &Bits, b: &Bits) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

fn ones(b: &Bits) -> impl Iterator<Item = usize> + '_ {
    b.iter().enumerate().flat_map(|(w, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            Some(w * 64 + i)
        })
    })
}

/// One due visit of the group.
#[derive(Debug, Clone)]
struct Node {
    child: usize,
    /// The child's own caseworker.
    owner: usize,
    required: bool,
    first_day: i64,
    last_day: i64,
    /// Near the office: day trips only.
    local: bool,
    req: Requirement,
}

/// Who makes a trip: a caseworker whose limits stand for all members with
/// the same ones (`team`), or each member on their own (`preferred`, where
/// a colleague's child costs the change penalty).
#[derive(Debug, Clone)]
struct Vehicle {
    caseworker: usize,
    /// Under `preferred`: visits of other caseworkers' children
    /// cost the penalty on this vehicle's trips.
    owner: Option<usize>,
    weekly_limit: u32,
    most_visits: usize,
}

#[derive(Debug, Clone)]
struct Column {
    vehicle: usize,
    /// Sorted.
    nodes: Vec<usize>,
    /// The visits in the order of the trip that gave the value.
    order: Vec<usize>,
    value: f64,
    days: u32,
}

impl Column {
    /// Whether the column is a trip: ng-routes of the bound may visit a
    /// home twice, and are none.
    fn is_trip(&self) -> bool {
        self.nodes.windows(2).all(|w| w[0] < w[1])
    }

    /// The column's coefficients in a model where node `v` is row or
    /// variable `index[v]` (`usize::MAX`: none), in the order of its nodes.
    /// An ng-route's home visited twice counts twice.
    fn terms(&self, index: &[usize]) -> Vec<(usize, f64)> {
        let mut terms: Vec<(usize, f64)> = Vec::new();
        for i in self
            .nodes
            .iter()
            .map(|&v| index[v])
            .filter(|&i| i != usize::MAX)
        {
            match terms.last_mut() {
                Some((j, a)) if *j == i => *a += 1.0,
                _ => terms.push((i, 1.0)),
            }
        }
        terms
    }
}

/// What the bound came to for one chunk.
#[derive(Debug, Clone, Copy)]
pub struct PooledBound {
    pub nok: f64,
    /// Whether pricing closed (the LP optimum) rather than the Lagrangian
    /// fallback.
    pub converged: bool,
}

/// Column generation for each pooled group of the chunk: a better choice
/// of trips where it finds one (replacing the members' results), and the
/// bound on the chunk's objective (all caseworkers; those alone in their
/// group by their own bound). The bound is `None` when some part has none.
/// A group with more visits than the model takes keeps its plan, and
/// `notes` says so.
pub fn plan_pooled(
    ctx: &Context,
    cal: &WorkCalendar,
    days: ChunkDays,
    results: &mut [CaseworkerResult],
    deadline: Instant,
    notes: &mut Vec<String>,
) -> Result<Option<PooledBound>, String> {
    let data = ctx.data;
    // Whether there is time for a bound at all (one chunk, some seconds).
    let bound_wanted = ctx.settings.planning.bound_seconds > 0 && Instant::now() < deadline;
    let mut groups: Vec<((usize, String), Vec<usize>)> = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let cw = &data.caseworkers[r.caseworker];
        let key = (cw.office, cw.team.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut total = Some(0.0);
    let mut converged = true;
    let mut pooled: Vec<Vec<usize>> = Vec::new();
    let mut pooled_keys: Vec<(usize, String)> = Vec::new();
    for ((office, team), members) in groups {
        if members.len() == 1 {
            let own = results[members[0]].bound.map(|b| b.nok);
            total = total.zip(own).map(|(a, b)| a + b);
        } else {
            // The model holds a visit a bit: a larger group keeps its plan,
            // with no bound, and the terminal is told.
            let visits: usize = members.iter().map(|&i| results[i].due.len()).sum();
            if visits > MAX_NODES {
                let office = &data.offices[office].id;
                notes.push(crate::tr!(
                    "team {team} at office {office} has {visits} visits due, more than the {MAX_NODES} pooled continuity plans together: its caseworkers keep their own visits",
                    "team {team} ved kontor {office} har {visits} besøk, flere enn de {MAX_NODES} samplanleggingen tar: saksbehandlerne beholder sine egne besøk"
                ));
                total = None;
            } else {
                pooled.push(members);
                pooled_keys.push((office, team));
            }
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(pooled.len().max(1));
    // The threads no group needs help price the vehicles of those at work,
    // and so does each thread that has no group left.
    ctx.lend_threads(cores - threads);
    let next = AtomicUsize::new(0);
    let state: &[CaseworkerResult] = results;
    type Found = (usize, Result<GroupOutcome, String>);
    let mut found: Vec<Found> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let g = next.fetch_add(1, Ordering::Relaxed);
                        let Some(members) = pooled.get(g) else {
                            break;
                        };
                        let members: Vec<&CaseworkerResult> =
                            members.iter().map(|&i| &state[i]).collect();
                        out.push((g, group_work(ctx, cal, days, &members, deadline)));
                    }
                    ctx.lend_threads(1);
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(usize::MAX, Err("a pooling thread stopped".to_string()))]
                })
            })
            .collect()
    });
    // Every thread is done: none stays spare for the next chunk to count twice.
    ctx.borrow_threads(usize::MAX);
    found.sort_by_key(|(g, _)| *g);
    for (g, outcome) in found {
        let outcome = outcome?;
        if let (None, true, Some((office, team))) =
            (outcome.bound, bound_wanted, pooled_keys.get(g))
        {
            let office = &data.offices[*office].id;
            let seconds = ctx.settings.planning.bound_seconds;
            notes.push(crate::tr!(
                "team {team} at office {office}: no lower bound proven within planning.bound_seconds = {seconds}, so the plan's gap is unknown",
                "team {team} ved kontor {office}: ingen nedre grense bevist innen planning.bound_seconds = {seconds}, så planens avstand er ukjent"
            ));
        }
        total = total.zip(outcome.bound).map(|(a, b)| a + b.nok);
        converged &= outcome.bound.is_some_and(|b| b.converged);
        if let (Some(better), Some(members)) = (outcome.better, pooled.get(g)) {
            for (new, &i) in better.into_iter().zip(members) {
                results[i] = new;
            }
        }
    }
    Ok(total.map(|nok| PooledBound { nok, converged }))
}

/// One group's column generation: its bound, and its members' results
/// again (in the same order) when the trip choice beat the plan.
struct GroupOutcome {
    bound: Option<PooledBound>,
    better: Option<Vec<CaseworkerResult>>,
}

struct Group<'a> {
    ctx: &'a Context<'a>,
    nodes: Vec<Node>,
    vehicles: Vec<Vehicle>,
    /// Ways of getting there, each with the nodes it can reach.
    accesses: Vec<(Access, Bits)>,
    chunk: (i64, i64),
    early_value: f64,
    penalty: f64,
    /// Per node: the `QUICK_NEAREST` nodes nearest by drive, the only ones
    /// quick pricing extends a trip at that node with.
    near: Vec<Bits>,
    /// Per node: the `WIDE_NEAREST` nearest, for wide pricing.
    wide: Vec<Bits>,
    /// Per node: its ng-neighbourhood (itself and the `NG_SIZE - 1`
    /// nearest), what exact pricing remembers of a trip's visits there.
    ng: Vec<Bits>,
    /// Per member (in the order given): the vehicle their trips count as,
    /// and the node of their first due visit (their due list follows).
    vehicle_of_member: Vec<usize>,
    first_node: Vec<usize>,
}

fn group_work(
    ctx: &Context,
    cal: &WorkCalendar,
    days: ChunkDays,
    members: &[&CaseworkerResult],
    deadline: Instant,
) -> Result<GroupOutcome, String> {
    let none = GroupOutcome {
        bound: None,
        better: None,
    };
    let Some(group) = Group::new(ctx, days, members) else {
        return Ok(none);
    };
    let mut generated = group.columns(members);
    if group
        .generate(&mut generated, &[Pricing::Quick], QUICK_ROUNDS, None)
        .is_none()
    {
        return Ok(none);
    }
    if group
        .generate(&mut generated, &[Pricing::Wide], WIDE_ROUNDS, None)
        .is_none()
    {
        return Ok(none);
    }
    if group
        .generate(
            &mut generated,
            &[Pricing::Wide, Pricing::Deep(SEARCH_LABELS)],
            SEARCH_ROUNDS,
            None,
        )
        .is_none()
    {
        return Ok(none);
    }
    let clock = Instant::now();
    let better = group.choose(cal, days, members, &generated)?;
    if std::env::var_os("TILSYN_TRACE").is_some() {
        eprintln!("pooled: choice took {:.1} s", clock.elapsed().as_secs_f64());
    }
    let seconds = ctx.settings.planning.bound_seconds;
    if seconds == 0 {
        return Ok(GroupOutcome {
            bound: None,
            better,
        });
    }
    let deadline = deadline.min(Instant::now() + std::time::Duration::from_secs(seconds.into()));
    // More time, more labels: a search that would finish in the time is
    // not given up for its labels.
    let labels = EXACT_LABELS.saturating_mul(seconds.max(5) as usize) / 5;
    // The bound: pricing made exact, as far as the time allows. It only
    // adds columns, so the choice above stands.
    let bound = group
        .generate(
            &mut generated,
            &[Pricing::Wide, Pricing::Exact(labels)],
            MAX_ROUNDS,
            Some(deadline),
        )
        .and_then(|()| generated.bound());
    Ok(GroupOutcome { bound, better })
}

impl<'a> Group<'a> {
    fn new(ctx: &'a Context<'a>, days: ChunkDays, members: &[&CaseworkerResult]) -> Option<Self> {
        let data = ctx.data;
        let settings = ctx.settings;
        let office = ctx.office_site_of_caseworker(members.first()?.caseworker);
        let mut nodes = Vec::new();
        let mut first_node = Vec::new();
        for r in members {
            first_node.push(nodes.len());
            for (d, q) in r.due.iter().zip(&r.requirements) {
                let home = ctx.sites.child(q.child);
                nodes.push(Node {
                    child: q.child,
                    owner: data.children[q.child].caseworker,
                    required: q.required,
                    first_day: d.first_day as i64,
                    last_day: d.last_day as i64,
                    local: ctx.drive(office, home).minutes.0
                        <= settings.planning.local_visit_minutes,
                    req: q.clone(),
                });
            }
        }
        // `plan_pooled` passes no group larger than the bit sets hold.
        debug_assert!(nodes.len() <= MAX_NODES);
        let penalty = penalty(ctx);
        let pooled_penalty = matches!(settings.planning.continuity, Continuity::Preferred);
        let mut vehicles: Vec<Vehicle> = Vec::new();
        let mut vehicle_of_member = Vec::new();
        for r in members {
            let cw = r.caseworker;
            let fte = data.caseworkers[cw].fte;
            let mut most_visits = settings.planning.max_visits_per_trip as usize;
            if let Some(n) = settings.balance.visits_per_week(fte) {
                most_visits = most_visits.min(n as usize);
            }
            let v = Vehicle {
                caseworker: cw,
                owner: (pooled_penalty && penalty > 0.0).then_some(cw),
                weekly_limit: weekly_limit(ctx, cw),
                most_visits,
            };
            let nights = settings.balance.hotel_nights_per_month(fte);
            let same = vehicles.iter().position(|w| {
                w.owner.is_none()
                    && v.owner.is_none()
                    && w.weekly_limit == v.weekly_limit
                    && w.most_visits == v.most_visits
                    && settings
                        .balance
                        .hotel_nights_per_month(data.caseworkers[w.caseworker].fte)
                        == nights
            });
            match same {
                Some(k) => vehicle_of_member.push(k),
                None => {
                    vehicle_of_member.push(vehicles.len());
                    vehicles.push(v);
                }
            }
        }
        // Car from the office, and each airport a flight can take the group to.
        let mut all = Bits::default();
        for i in 0..nodes.len() {
            set(&mut all, i);
        }
        let mut accesses: Vec<(Access, Bits)> = vec![(Access::Car, all)];
        for (i, n) in nodes.iter().enumerate() {
            for a in &ctx.air_access[n.child] {
                match accesses
                    .iter_mut()
                    .find(|(x, _)| matches!(x, Access::Air(b) if b.dest == a.dest))
                {
                    Some((_, bits)) => set(bits, i),
                    None => {
                        let mut bits = Bits::default();
                        set(&mut bits, i);
                        accesses.push((Access::Air(AirAccess::clone(a)), bits));
                    }
                }
            }
        }
        let site = |v: usize| ctx.sites.child(nodes[v].child);
        let (mut near, mut wide, mut ng) = (Vec::new(), Vec::new(), Vec::new());
        for a in 0..nodes.len() {
            let mut others: Vec<(i64, usize)> = (0..nodes.len())
                .filter(|&b| b != a)
                .map(|b| (ctx.drive(site(a), site(b)).minutes.0, b))
                .collect();
            others.sort_unstable();
            let mut bits = Bits::default();
            set(&mut bits, a);
            for &(_, b) in others.iter().take(NG_SIZE - 1) {
                set(&mut bits, b);
            }
            ng.push(bits);
            let mut bits = Bits::default();
            for &(_, b) in others.iter().take(QUICK_NEAREST) {
                set(&mut bits, b);
            }
            near.push(bits);
            let mut bits = Bits::default();
            for &(_, b) in others.iter().take(WIDE_NEAREST) {
                set(&mut bits, b);
            }
            wide.push(bits);
        }
        Some(Group {
            ctx,
            near,
            wide,
            ng,
            vehicle_of_member,
            first_node,
            nodes,
            vehicles,
            accesses,
            chunk: (days.span.0 as i64, days.span.1 as i64),
            early_value: settings.visits.early_visit_value_nok,
            penalty: if pooled_penalty { penalty } else { 0.0 },
        })
    }
}

impl Group<'_> {
    fn value(&self, vehicle: usize, nodes: &[usize], cost: f64) -> f64 {
        let owner = self.vehicles[vehicle].owner;
        let mut value = cost;
        for &v in nodes {
            let n = &self.nodes[v];
            if !n.required {
                value -= self.early_value;
            }
            if owner.is_some_and(|o| o != n.owner) {
                value += self.penalty;
            }
        }
        value
    }

    /// The first columns (the plan's trips, then a single-visit trip for
    /// every visit some trip can make) and the rows.
    fn columns(&self, members: &[&CaseworkerResult]) -> Generated {
        let mut g = Generated::default();
        let mut unmet_in_plan = 0;
        for (m, r) in members.iter().enumerate() {
            let vehicle = self.vehicle_of_member[m];
            for (c, _) in &r.trips {
                // The trip's visits in the order of its stops.
                let order: Vec<usize> = c
                    .shape
                    .stops
                    .iter()
                    .filter_map(|s| match s.kind {
                        super::trip::StopKind::Child(child) => c
                            .visits
                            .iter()
                            .find(|&&v| r.due[v].child == child)
                            .map(|&v| self.first_node[m] + v),
                        _ => None,
                    })
                    .collect();
                let value = self.value(vehicle, &order, c.shape.cost.nok());
                g.add(vehicle, order, value, c.shape.days);
            }
            g.plan_trips += r.trips.len();
            unmet_in_plan += r.unmet.len();
        }
        let zero = vec![0.0; self.nodes.len()];
        let mut coverable = vec![false; self.nodes.len()];
        for c in &g.columns {
            for &v in &c.nodes {
                coverable[v] = true;
            }
        }
        for vehicle in 0..self.vehicles.len() {
            for (access, reach) in &self.accesses {
                for v in ones(reach) {
                    if let Some((cost, days)) = self.single(vehicle, access, v) {
                        coverable[v] = true;
                        let value = self.value(vehicle, &[v], cost);
                        if self.nodes[v].required {
                            g.add(vehicle, vec![v], value, days);
                        }
                    }
                }
            }
        }
        let unavoidable = (0..self.nodes.len())
            .filter(|&v| self.nodes[v].required && !coverable[v])
            .count();
        // A plan that leaves visits unmet some trip could make is no
        // comparison for the bound (the columns still serve the choice).
        g.comparable = unmet_in_plan <= unavoidable;
        g.rows = (0..self.nodes.len())
            .filter(|&v| coverable[v] || !self.nodes[v].required)
            .collect();
        g.duals = zero;
        g.lp = f64::NEG_INFINITY;
        g
    }

    /// Column generation: at most `rounds` rounds, each pricing with the
    /// first of `modes` that finds a trip, until none does. Without a
    /// `deadline` no clock decides anything, so the plan is the same on every
    /// machine. When exact pricing ran complete, the LP optimum over all
    /// trips (or the Lagrangian bound) is recorded.
    fn generate(
        &self,
        g: &mut Generated,
        modes: &[Pricing],
        rounds: usize,
        deadline: Option<Instant>,
    ) -> Option<()> {
        let trace = std::env::var_os("TILSYN_TRACE").is_some();
        let required = g.rows.iter().filter(|&&v| self.nodes[v].required).count();
        let started = Instant::now();
        let mut lp_seconds = 0.0;
        // Quick and wide rounds price a few vehicles each, in turn (under
        // `preferred` every member is one); exact ones all.
        let in_turn = !modes.iter().any(|m| m.exact());
        // Vehicles priced in a row without a new column.
        let mut idle = 0;
        // Rounds without a deadline are bounded by their caps, not by the
        // clock.
        let deadline = deadline.unwrap_or_else(no_deadline);
        for round in 0..rounds {
            let lp_clock = Instant::now();
            let (objective, duals) = self.solve_master(g)?;
            lp_seconds += lp_clock.elapsed().as_secs_f64();
            g.lp = objective;
            g.duals = duals;
            if Instant::now() >= deadline {
                break;
            }
            let mut fresh = 0;
            let mut exact_min = None;
            let n = self.vehicles.len();
            let turn: Vec<usize> = if !in_turn || n <= VEHICLES_PER_ROUND {
                (0..n).collect()
            } else {
                (0..VEHICLES_PER_ROUND)
                    .map(|i| (round * VEHICLES_PER_ROUND + i) % n)
                    .collect()
            };
            for &mode in modes {
                let mut least = 0.0f64;
                let mut per_visit = 0.0f64;
                let mut complete = true;
                let prizes = |vehicle| self.prizes(vehicle, &g.duals);
                for (vehicle, priced) in self.price_each(&turn, prizes, mode, deadline) {
                    // Not priced: the deadline passed, or another exact
                    // search ran out (see below).
                    let Some(priced) = priced else {
                        if mode.exact() {
                            return Some(());
                        }
                        complete = false;
                        break;
                    };
                    if modes != [Pricing::Quick] && trace {
                        eprintln!(
                            "  vehicle {vehicle}: least {:.0}, complete {}, {} columns",
                            priced.least,
                            priced.complete,
                            priced.columns.len()
                        );
                    }
                    // An exact search that ran out of labels or time proves
                    // nothing this round, and the next, under much the
                    // same prices, would run out as well: the bound is
                    // given up rather than the time spent.
                    if mode.exact() && !priced.complete {
                        return Some(());
                    }
                    complete &= priced.complete;
                    least = least.min(priced.least);
                    per_visit = per_visit.min(priced.least_per_visit);
                    for f in priced.columns {
                        let value = self.value(vehicle, &f.path, f.cost);
                        if g.add(vehicle, f.path, value, f.days) {
                            fresh += 1;
                        }
                    }
                }
                if mode.exact() && complete {
                    exact_min = Some((least, per_visit));
                }
                if fresh > 0 {
                    break;
                }
            }
            if trace {
                eprintln!(
                    "pooled: round {round}, {} columns, LP {objective:.0}, {fresh} new, least {exact_min:?}, {:.1} s ({lp_seconds:.2} s in the LP)",
                    g.columns.len(),
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some((least, per_visit)) = exact_min {
                // A plan's cost is the LP's plus its trips' reduced costs
                // (their visits' prices are the LP's). It has at most one
                // trip per required visit, each visit on one trip at most.
                let lagrangian = objective
                    + (required as f64 * least.min(0.0))
                        .max(self.nodes.len() as f64 * per_visit.min(0.0));
                if least >= -EPS {
                    g.bound = Some(objective);
                    g.converged = true;
                    break;
                }
                g.bound = Some(g.bound.map_or(lagrangian, |b: f64| b.max(lagrangian)));
            }
            idle = if fresh == 0 { idle + turn.len() } else { 0 };
            if idle >= n {
                break;
            }
        }
        Some(())
    }

    /// The cheapest choice among the generated columns (a MILP, started
    /// from the plan's own trips), put on the members' days; the members'
    /// results again when that beats the plan by more than a krone.
    fn choose(
        &self,
        cal: &WorkCalendar,
        days: ChunkDays,
        members: &[&CaseworkerResult],
        generated: &Generated,
    ) -> Result<Option<Vec<CaseworkerResult>>, String> {
        let ctx = self.ctx;
        let columns = &generated.columns;
        // The plan's trips (the first columns), and the others by reduced
        // cost under the last prices.
        let plan_trips = generated.plan_trips;
        let reduced =
            |c: &Column| c.value - c.nodes.iter().map(|&v| generated.duals[v]).sum::<f64>();
        let mut order: Vec<usize> = (plan_trips..columns.len()).collect();
        order.sort_by(|&a, &b| {
            reduced(&columns[a])
                .total_cmp(&reduced(&columns[b]))
                .then(a.cmp(&b))
        });
        order.retain(|&k| columns[k].is_trip());
        let mut kept: Vec<usize> = (0..plan_trips.min(columns.len())).collect();
        kept.extend(order.into_iter().take(MIP_COLUMNS));
        // A required visit the plan leaves unmet (the field days ran out) may
        // stay unmet in the choice too, at the planner's penalty, so that the
        // plan is a choice. (Slack on the others would only slow the search.)
        let planned: Vec<bool> = {
            let mut planned = vec![false; self.nodes.len()];
            for c in &columns[..plan_trips.min(columns.len())] {
                for &v in &c.nodes {
                    planned[v] = true;
                }
            }
            planned
        };
        // Field days per vehicle: those of the members it stands for.
        let mut caps = vec![0u32; self.vehicles.len()];
        for (r, &vehicle) in members.iter().zip(&self.vehicle_of_member) {
            caps[vehicle] += chunk_field_days(ctx, cal, r.caseworker, days.span);
        }
        let ChoiceModel { model, x, unmet } = self.choice_model(
            columns,
            &kept,
            generated.rows.iter().copied(),
            &planned,
            &caps,
        );
        // The plan: its trips, and the visits it leaves unmet.
        let mut start = vec![0.0; model.vars.len()];
        for &j in &x[..plan_trips.min(kept.len())] {
            start[j] = 1.0;
        }
        for &(u, _) in &unmet {
            start[u] = 1.0;
        }
        let limits = Limits {
            nodes: MIP_NODES,
            start: Some(start),
        };
        // The choice only improves on the plan: should it fail, the plan stands.
        let out = match mip::solve(&model, ctx.settings.planning.solver, &limits) {
            Ok(out) => out,
            Err(e) => {
                if std::env::var_os("TILSYN_TRACE").is_some() {
                    eprintln!("pooled choice: {e}; the plan stands");
                }
                return Ok(None);
            }
        };
        let mut choice = Choice {
            trips: (0..kept.len())
                .filter(|&j| out.values[x[j]] > 0.5)
                .map(|j| kept[j])
                .collect(),
            unmet: unmet
                .iter()
                .filter(|&&(u, _)| out.values[u] > 0.5)
                .map(|&(_, v)| v)
                .collect(),
        };
        if std::env::var_os("TILSYN_TRACE").is_some() {
            eprintln!(
                "pooled choice: {} of {} columns, objective {:.0} (MILP bound {:.0}, {} nodes, proven {}; LP {:.0}), {} trips",
                kept.len(),
                columns.len(),
                out.objective,
                out.bound,
                out.nodes,
                out.proven,
                generated.lp,
                choice.trips.len()
            );
        }
        let clock = Instant::now();
        let mut pool = columns.clone();
        self.polish(&mut pool, &planned, &caps, &mut choice);
        let columns = &pool;
        let objective = choice.objective(columns);
        if std::env::var_os("TILSYN_TRACE").is_some() {
            eprintln!(
                "pooled polish: {:.0} -> {objective:.0} in {:.1} s",
                out.objective,
                clock.elapsed().as_secs_f64()
            );
        }
        let chosen: Vec<&Column> = choice.trips.iter().map(|&k| &columns[k]).collect();
        let before: f64 = members.iter().map(|r| cost(ctx, r)).sum();
        if objective >= before - 1.0 {
            return Ok(None);
        }
        let Some(results) = self.place(cal, days, members, &chosen)? else {
            return Ok(None);
        };
        let after: f64 = results.iter().map(|r| cost(ctx, r)).sum();
        if std::env::var_os("TILSYN_TRACE").is_some() {
            eprintln!("pooled choice: placed, {before:.0} -> {after:.0}");
        }
        Ok((after < before - 1.0).then_some(results))
    }

    /// The set-partitioning model of a choice among `candidates` (indices
    /// of columns): each of `rows` (nodes) made once when required, or left
    /// unmet at the planner's penalty where the plan left it unmet
    /// (`!planned`), and at most once when early; each vehicle's trips
    /// within `caps` field days.
    fn choice_model(
        &self,
        columns: &[Column],
        candidates: &[usize],
        rows: impl Iterator<Item = usize>,
        planned: &[bool],
        caps: &[u32],
    ) -> ChoiceModel {
        let mut model = Model::default();
        let x: Vec<usize> = candidates
            .iter()
            .map(|&k| model.binary(columns[k].value))
            .collect();
        let mut terms: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.nodes.len()];
        for (j, &k) in candidates.iter().enumerate() {
            for &v in &columns[k].nodes {
                terms[v].push((x[j], 1.0));
            }
        }
        let mut unmet: Vec<(usize, usize)> = Vec::new();
        for v in rows {
            let mut t = std::mem::take(&mut terms[v]);
            if self.nodes[v].required {
                if !planned[v] {
                    let u = model.continuous(UNMET_PENALTY_NOK, 0.0, 1.0);
                    unmet.push((u, v));
                    t.push((u, 1.0));
                }
                model.row(t, Sense::Eq, 1.0);
            } else if !t.is_empty() {
                model.row(t, Sense::Le, 1.0);
            }
        }
        for (vehicle, &cap) in caps.iter().enumerate() {
            let load: Vec<(usize, f64)> = candidates
                .iter()
                .enumerate()
                .filter(|(_, &k)| columns[k].vehicle == vehicle)
                .map(|(j, &k)| (x[j], f64::from(columns[k].days)))
                .collect();
            if !load.is_empty() {
                model.row(load, Sense::Le, f64::from(cap));
            }
        }
        ChoiceModel { model, x, unmet }
    }

    /// The choice made better one neighbourhood at a time (fix and
    /// optimise): the chosen trips nearest a seed trip are freed with their
    /// visits, one round of wide pricing under the prices of those visits'
    /// own LP adds trips of them (for the vehicles whose trips were freed),
    /// and a small MILP over every column within those visits (the big MILP
    /// takes only some) chooses them again, started from the trips it had,
    /// within the field days the other trips leave. Each chosen trip
    /// is a seed in turn; a neighbourhood's new trips replace the old ones
    /// only when cheaper, so the choice never gets worse. No clock: the node
    /// budgets bound the work.
    fn polish(
        &self,
        columns: &mut Vec<Column>,
        planned: &[bool],
        caps: &[u32],
        choice: &mut Choice,
    ) {
        let ctx = self.ctx;
        let site = |v: usize| ctx.sites.child(self.nodes[v].child);
        // Wide pricing needs no clock: its buckets bound it.
        let no_clock = no_deadline();
        let mut seen: std::collections::HashSet<(usize, Vec<usize>)> = columns
            .iter()
            .map(|c| (c.vehicle, c.nodes.clone()))
            .collect();
        let mut bits: Vec<Option<Bits>> = columns
            .iter()
            .map(|c| {
                c.is_trip().then(|| {
                    let mut b = Bits::default();
                    for &v in &c.nodes {
                        set(&mut b, v);
                    }
                    b
                })
            })
            .collect();
        let seeds: Vec<usize> = choice.trips.iter().map(|&k| columns[k].nodes[0]).collect();
        // Neighbourhoods (their trips and unmet visits) already searched.
        let mut tried: std::collections::HashSet<(Vec<usize>, Vec<usize>)> =
            std::collections::HashSet::new();
        for seed in seeds {
            // The chosen trips and unmet visits by how near they come to the
            // seed's home.
            let near = |nodes: &[usize]| {
                nodes
                    .iter()
                    .map(|&v| ctx.drive(site(seed), site(v)).minutes.0)
                    .min()
                    .unwrap_or(i64::MAX)
            };
            let mut parts: Vec<(i64, Option<usize>, Vec<usize>)> = choice
                .trips
                .iter()
                .map(|&k| (near(&columns[k].nodes), Some(k), columns[k].nodes.clone()))
                .chain(choice.unmet.iter().map(|&v| (near(&[v]), None, vec![v])))
                .collect();
            parts.sort();
            let mut free = Bits::default();
            let mut freed_trips: Vec<usize> = Vec::new();
            let mut freed_unmet: Vec<usize> = Vec::new();
            let mut count = 0;
            for (_, trip, nodes) in &parts {
                if count >= POLISH_VISITS {
                    break;
                }
                for &v in nodes {
                    set(&mut free, v);
                    count += 1;
                }
                match trip {
                    Some(k) => freed_trips.push(*k),
                    None => freed_unmet.push(nodes[0]),
                }
            }
            freed_trips.sort_unstable();
            freed_unmet.sort_unstable();
            if !tried.insert((freed_trips.clone(), freed_unmet.clone())) {
                continue;
            }
            // Early visits no chosen trip makes may join too.
            let mut allowed = free;
            let mut taken = Bits::default();
            for &k in &choice.trips {
                for &v in &columns[k].nodes {
                    set(&mut taken, v);
                }
            }
            for (v, n) in self.nodes.iter().enumerate() {
                if !n.required && !has(&taken, v) {
                    set(&mut allowed, v);
                }
            }
            let mut candidates: Vec<usize> = (0..columns.len())
                .filter(|&k| bits[k].is_some_and(|b| subset(&b, &allowed)))
                .collect();
            // Trips of these visits that the big choice never had: one round
            // of wide pricing under the neighbourhood's own LP prices, for the
            // vehicles whose trips were freed.
            let rows: Vec<usize> = ones(&allowed).collect();
            let sub = candidates.iter().map(|&k| &columns[k]);
            if let Some((_, duals)) = self.solve_dual(sub, &rows) {
                let mut vehicles: Vec<usize> =
                    freed_trips.iter().map(|&k| columns[k].vehicle).collect();
                vehicles.sort_unstable();
                vehicles.dedup();
                let prizes = |vehicle| {
                    let mut prizes = self.prizes(vehicle, &duals);
                    for (v, p) in prizes.iter_mut().enumerate() {
                        if !has(&allowed, v) {
                            *p = -1.0;
                        }
                    }
                    prizes
                };
                let priced = self.price_each(&vehicles, prizes, Pricing::Wide, no_clock);
                for (vehicle, priced) in priced {
                    // Without a deadline every vehicle is priced.
                    let Some(priced) = priced else { continue };
                    for f in priced.columns {
                        let mut nodes = f.path.clone();
                        nodes.sort_unstable();
                        if !seen.insert((vehicle, nodes.clone())) {
                            continue;
                        }
                        candidates.push(columns.len());
                        bits.push(Some(f.nodes));
                        columns.push(Column {
                            vehicle,
                            value: self.value(vehicle, &f.path, f.cost),
                            nodes,
                            order: f.path,
                            days: f.days,
                        });
                    }
                }
            }
            if candidates.len() <= freed_trips.len() {
                continue;
            }
            // The field days the fixed trips leave.
            let mut left = caps.to_vec();
            for &k in &choice.trips {
                if !freed_trips.contains(&k) {
                    let c = &columns[k];
                    left[c.vehicle] = left[c.vehicle].saturating_sub(c.days);
                }
            }
            let ChoiceModel { model, x, unmet } =
                self.choice_model(columns, &candidates, ones(&allowed), planned, &left);
            let mut start = vec![0.0; model.vars.len()];
            for (j, k) in candidates.iter().enumerate() {
                if freed_trips.contains(k) {
                    start[x[j]] = 1.0;
                }
            }
            for &(u, v) in &unmet {
                if freed_unmet.contains(&v) {
                    start[u] = 1.0;
                }
            }
            let before = model.objective(&start);
            let limits = Limits {
                nodes: POLISH_NODES,
                start: Some(start),
            };
            let Ok(out) = mip::solve(&model, ctx.settings.planning.solver, &limits) else {
                continue;
            };
            if out.objective >= before - 1.0 {
                continue;
            }
            choice.trips.retain(|k| !freed_trips.contains(k));
            choice.unmet.retain(|v| !freed_unmet.contains(v));
            for (j, &k) in candidates.iter().enumerate() {
                if out.values[x[j]] > 0.5 {
                    choice.trips.push(k);
                }
            }
            for &(u, v) in &unmet {
                if out.values[u] > 0.5 {
                    choice.unmet.push(v);
                }
            }
        }
    }

    /// Gives each chosen trip to a member and puts every member's trips on
    /// days: a trip goes first to the member whose children it visits most
    /// (under `preferred`, its own caseworker), and to the next when no
    /// trip or day can be found. `None` when some trip finds no one.
    fn place(
        &self,
        cal: &WorkCalendar,
        days: ChunkDays,
        members: &[&CaseworkerResult],
        chosen: &[&Column],
    ) -> Result<Option<Vec<CaseworkerResult>>, String> {
        let ctx = self.ctx;
        let n = members.len();
        let member_of = |cw: usize| members.iter().position(|r| r.caseworker == cw);
        // Visits no trip can make stay with whoever held them.
        let mut kept_unmet: Vec<Vec<(Requirement, crate::plan::UnmetReason)>> = vec![Vec::new(); n];
        for (m, r) in members.iter().enumerate() {
            for &(v, reason) in &r.unmet {
                let node = self.first_node[m] + v;
                let covered = chosen.iter().any(|c| c.nodes.contains(&node));
                if !covered {
                    kept_unmet[m].push((r.requirements[v].clone(), reason));
                }
            }
        }
        // Every required visit is on a chosen trip or was unmet before; a
        // visit lost on the way keeps the plan as it was.
        let held_unmet: usize = kept_unmet.iter().map(Vec::len).sum();
        let covered: usize = chosen
            .iter()
            .flat_map(|c| &c.nodes)
            .filter(|&&v| self.nodes[v].required)
            .count();
        let required = self.nodes.iter().filter(|n| n.required).count();
        if covered + held_unmet != required {
            return Ok(None);
        }
        // Members in order of preference per trip.
        let prefs: Vec<Vec<usize>> = chosen
            .iter()
            .map(|c| {
                let mut score = vec![0usize; n];
                for &v in &c.nodes {
                    if let Some(m) = member_of(self.nodes[v].owner) {
                        score[m] += if self.nodes[v].required { 2 } else { 1 };
                    }
                }
                if let Some(m) = self.vehicles[c.vehicle].owner.and_then(member_of) {
                    score[m] += 1000;
                }
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by_key(|&m| (std::cmp::Reverse(score[m]), m));
                order
            })
            .collect();
        let mut choice = vec![0usize; chosen.len()];
        for _ in 0..PLACE_ROUNDS {
            let mut results = Vec::with_capacity(n);
            let mut moved = false;
            for m in 0..n {
                let mine: Vec<usize> = (0..chosen.len())
                    .filter(|&t| prefs[t][choice[t]] == m)
                    .collect();
                // Required visits first, as the due lists hold them.
                let mut requirements: Vec<Requirement> = Vec::new();
                let mut index: HashMap<usize, usize> = HashMap::new();
                for required in [true, false] {
                    for &t in &mine {
                        for &v in &chosen[t].nodes {
                            if self.nodes[v].required == required {
                                index.insert(v, requirements.len());
                                requirements.push(self.nodes[v].req.clone());
                            }
                        }
                    }
                }
                let sets: Vec<TripSet> = mine
                    .iter()
                    .map(|&t| {
                        let mut visits: Vec<usize> =
                            chosen[t].nodes.iter().map(|v| index[v]).collect();
                        visits.sort_unstable();
                        TripSet {
                            visits,
                            order: Some(chosen[t].order.iter().map(|v| index[v]).collect()),
                        }
                    })
                    .collect();
                let mut unmet = Vec::new();
                for (req, reason) in &kept_unmet[m] {
                    unmet.push((requirements.len(), *reason));
                    requirements.push(req.clone());
                }
                let cw = members[m].caseworker;
                match place_sets(ctx, cal, days, cw, requirements, &sets, unmet)? {
                    Placed::Done(r) => results.push(r),
                    Placed::Failed(failed) => {
                        if std::env::var_os("TILSYN_TRACE").is_some() {
                            eprintln!(
                                "pooled place: member {m} failed {failed:?} of {}",
                                sets.len()
                            );
                        }
                        for k in failed {
                            let t = mine[k];
                            choice[t] += 1;
                            if choice[t] >= n {
                                return Ok(None);
                            }
                        }
                        moved = true;
                    }
                }
            }
            if !moved {
                return Ok(Some(results));
            }
        }
        Ok(None)
    }

    /// What each node brings a trip of `vehicle` under the duals.
    fn prizes(&self, vehicle: usize, duals: &[f64]) -> Vec<f64> {
        let owner = self.vehicles[vehicle].owner;
        self.nodes
            .iter()
            .zip(duals)
            .map(|(n, &y)| {
                let early = if n.required { 0.0 } else { self.early_value };
                let change = if owner.is_some_and(|o| o != n.owner) {
                    self.penalty
                } else {
                    0.0
                };
                y + early - change
            })
            .collect()
    }

    /// The LP over the columns: its optimum and the prices, from the
    /// master LP kept between rounds (new columns enter it, lowered values
    /// are updated, and the simplex goes on from the last basis). Should
    /// that fail numerically, microlp solves the LP's dual afresh, then and
    /// in every later round.
    fn solve_master(&self, g: &mut Generated) -> Option<(f64, Vec<f64>)> {
        if let Master::Unbuilt = g.master {
            let mut row_of = vec![usize::MAX; self.nodes.len()];
            for (i, &v) in g.rows.iter().enumerate() {
                row_of[v] = i;
            }
            let at_least = g.rows.iter().map(|&v| self.nodes[v].required).collect();
            g.master = Master::Running {
                lp: Box::new(MasterLp::new(at_least)),
                row_of,
                lp_col: Vec::new(),
            };
        }
        if let Master::Running { lp, row_of, lp_col } = &mut g.master {
            for c in &g.columns[lp_col.len()..] {
                let terms = c.terms(row_of);
                lp_col.push((!terms.is_empty()).then(|| lp.add_column(terms, c.value)));
            }
            for k in g.lowered.drain(..) {
                if let Some(Some(j)) = lp_col.get(k) {
                    lp.set_cost(*j, g.columns[k].value);
                }
            }
            match lp.solve() {
                Ok(()) => {
                    let y = lp.duals();
                    let duals = row_of
                        .iter()
                        .map(|&r| if r == usize::MAX { 0.0 } else { y[r] })
                        .collect();
                    return Some((lp.dual_objective(), duals));
                }
                Err(e) => {
                    if std::env::var_os("TILSYN_TRACE").is_some() {
                        eprintln!("pooled: master LP failed ({e:?}); microlp from now on");
                    }
                    g.master = Master::Failed;
                }
            }
        }
        self.solve_dual(&g.columns, &g.rows)
    }

    /// The LP over `columns` by its dual: one price per node in `rows`
    /// (required visits at least 0, early visits at most 0), each column's
    /// prices summing to no more than its value. Its optimum and the prices.
    fn solve_dual<'c>(
        &self,
        columns: impl IntoIterator<Item = &'c Column>,
        rows: &[usize],
    ) -> Option<(f64, Vec<f64>)> {
        let mut model = Model::default();
        let mut var = vec![usize::MAX; self.nodes.len()];
        for &v in rows {
            var[v] = if self.nodes[v].required {
                model.continuous(-1.0, 0.0, 1e7)
            } else {
                model.continuous(-1.0, -1e7, 0.0)
            };
        }
        for c in columns {
            let terms = c.terms(&var);
            if !terms.is_empty() {
                model.row(terms, Sense::Le, c.value);
            }
        }
        let out = mip::solve(
            &model,
            Backend::Microlp,
            &Limits {
                nodes: 0,
                start: None,
            },
        )
        .ok()?;
        let duals = (0..self.nodes.len())
            .map(|v| {
                if var[v] == usize::MAX {
                    0.0
                } else {
                    out.values[var[v]]
                }
            })
            .collect();
        Some((-out.objective, duals))
    }

    /// The cheapest trip of `vehicle` to node `v` alone by `access`: its
    /// cost and days.
    fn single(&self, vehicle: usize, access: &Access, v: usize) -> Option<(f64, u32)> {
        let veh = &self.vehicles[vehicle];
        let start = Partial::start(self.ctx, veh.caseworker, access)?;
        let child = self.nodes[v].child;
        let mut best: Option<(f64, u32)> = None;
        for tomorrow in [false, true] {
            let mut t = start.clone();
            let ok = if tomorrow {
                t.visit_tomorrow(child, true)
            } else {
                t.visit_today(child, true)
            };
            if !ok {
                continue;
            }
            let label = self.first_label(&t, v);
            for night in [false, true] {
                if let Some(done) = self.complete(&label, night, vehicle) {
                    if best.map_or(true, |b| done.0 < b.0) {
                        best = Some(done);
                    }
                }
            }
        }
        best
    }

    fn first_label<'c>(&self, t: &Partial<'c>, v: usize) -> Label<'c> {
        let n = &self.nodes[v];
        let off = t.day();
        let mut visited = Bits::default();
        set(&mut visited, v);
        let mut path = [0u16; MAX_PATH];
        path[0] = v as u16;
        Label {
            trip: t.clone(),
            node: v,
            visited,
            open: Bits::default(),
            ng: false,
            path,
            count: 1,
            required: n.required,
            local: n.local,
            lo: n.first_day - off,
            hi: n.last_day - off,
            prize: 0.0,
            trip_past: t.past_nok(),
            trip_spent: t.spent_nok(),
        }
    }

    /// Takes the trip home (today, or after a night), if the result is a
    /// trip the rules allow: its cost and days.
    fn complete(&self, label: &Label, night: bool, vehicle: usize) -> Option<(f64, u32)> {
        if !label.required {
            return None;
        }
        let (cost, days) = label.trip.clone().finish(night)?;
        let veh = &self.vehicles[vehicle];
        if days > veh.weekly_limit || (label.local && days > 1) {
            return None;
        }
        let lo = label.lo.max(self.chunk.0);
        let hi = label.hi.min(self.chunk.1 + 1 - i64::from(days));
        (lo <= hi).then_some((cost.nok(), days))
    }

    /// Pricing for each of `vehicles` (with its `prizes`), on as many threads as
    /// the machine has, in the order given. `None`: not priced, the
    /// deadline had passed. Each search is the one [`Self::price`] makes
    /// alone; only an exact search that runs out stops the others (its
    /// round proves nothing).
    fn price_each(
        &self,
        vehicles: &[usize],
        prizes: impl Fn(usize) -> Vec<f64> + Sync,
        mode: Pricing,
        deadline: Instant,
    ) -> Vec<(usize, Option<Priced>)> {
        let stop = AtomicBool::new(false);
        let one = |vehicle: usize| {
            if Instant::now() >= deadline || stop.load(Ordering::Relaxed) {
                return None;
            }
            let priced = self.search(vehicle, &prizes(vehicle), mode, deadline, &stop);
            if mode.exact() && !priced.complete {
                stop.store(true, Ordering::Relaxed);
            }
            Some(priced)
        };
        // This thread and those spare: as many searches at once as the
        // machine has threads, whatever the number of groups.
        let helpers = self.ctx.borrow_threads(vehicles.len().saturating_sub(1));
        let threads = 1 + helpers;
        let mut out: Vec<(usize, Option<Priced>)> = if threads <= 1 {
            vehicles.iter().map(|&v| (v, one(v))).collect()
        } else {
            let next = AtomicUsize::new(0);
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut done = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(&v) = vehicles.get(i) else {
                                    break done;
                                };
                                done.push((i, v, one(v)));
                            }
                        })
                    })
                    .collect();
                let joined: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
                // A panic goes on to the group's thread, as it would alone.
                self.ctx.lend_threads(helpers);
                // Each in its place in `vehicles`.
                let mut out: Vec<(usize, Option<Priced>)> =
                    vehicles.iter().map(|&v| (v, None)).collect();
                for j in joined {
                    for (i, v, priced) in j.unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                        out[i] = (v, priced);
                    }
                }
                out
            })
        };
        // Not priced after one that was not: the deadline stops a round.
        if let Some(k) = out.iter().position(|(_, p)| p.is_none()) {
            out.truncate(k + 1);
        }
        out
    }

    /// Pricing for one vehicle alone, as the tests compare.
    #[cfg(test)]
    fn price(&self, vehicle: usize, prizes: &[f64], mode: Pricing, deadline: Instant) -> Priced {
        self.search(vehicle, prizes, mode, deadline, &AtomicBool::new(false))
    }

    /// Pricing for one vehicle: trips of negative reduced cost by labelling,
    /// per way of getting there; `stop` cuts it short (as incomplete).
    fn search(
        &self,
        vehicle: usize,
        prizes: &[f64],
        mode: Pricing,
        deadline: Instant,
        stop: &AtomicBool,
    ) -> Priced {
        let mut out = Priced {
            columns: Vec::new(),
            least: 0.0,
            least_per_visit: 0.0,
            complete: true,
        };
        let mut found: Vec<Found> = Vec::new();
        for (access, reach) in &self.accesses {
            let mut search = Search {
                vehicle,
                access,
                prizes,
                mode,
                deadline,
                stop,
                found: &mut found,
            };
            out.complete &= self.label(&mut search, reach);
            // An exact search that ran out proves nothing for the vehicle,
            // whatever the other ways there would find: the round is given
            // up (see `generate`), so their time is not spent.
            if mode.exact() && !out.complete {
                break;
            }
        }
        found.sort_by(|a, b| a.rc.total_cmp(&b.rc).then_with(|| a.path.cmp(&b.path)));
        if let Some(f) = found.first() {
            out.least = out.least.min(f.rc);
        }
        for f in &found {
            out.least_per_visit = out.least_per_visit.min(f.rc / f.path.len() as f64);
        }
        let mut taken: Vec<Bits> = Vec::new();
        for f in found {
            if f.rc >= -EPS || out.columns.len() >= COLUMNS_PER_PRICING {
                break;
            }
            if taken.contains(&f.nodes) {
                continue;
            }
            taken.push(f.nodes);
            out.columns.push(f);
        }
        out
    }

    /// The ways to make visit `w` next on trip `t`: today, or after a night
    /// at a hotel, each with whether it fits only as the trip's last visit
    /// (the day then ends at home). Quick pricing makes the planner's own
    /// choice (today when that fits); exact pricing tries both.
    fn next_visits<'c>(
        &self,
        t: &Partial<'c>,
        w: usize,
        mode: Pricing,
    ) -> Vec<(Partial<'c>, bool)> {
        let child = self.nodes[w].child;
        let mut out = Vec::new();
        for tomorrow in [false, true] {
            let attempt = |last: bool| {
                let mut next = t.clone();
                let ok = if tomorrow {
                    next.visit_tomorrow(child, last)
                } else {
                    next.visit_today(child, last)
                };
                ok.then_some(next)
            };
            if let Some(next) = attempt(false) {
                out.push((next, false));
            } else if let Some(next) = attempt(true) {
                out.push((next, true));
            }
            if mode == Pricing::Quick && !out.is_empty() {
                break;
            }
        }
        out
    }

    /// The labelling for one vehicle and access: records every completed
    /// trip of negative reduced cost. Returns whether the search was
    /// complete (exact pricing that ran out of labels or time is not).
    fn label(&self, s: &mut Search, reach: &Bits) -> bool {
        let veh = &self.vehicles[s.vehicle];
        let Some(start) = Partial::start(self.ctx, veh.caseworker, s.access) else {
            return true;
        };
        // Only visits worth something can lower a trip's reduced cost.
        let mut open = Bits::default();
        for v in ones(reach) {
            if s.prizes[v] > EPS {
                set(&mut open, v);
            }
        }
        let net = self.net_prizes(s.prizes, &open);
        let cap = match s.mode {
            Pricing::Quick => QUICK_BUCKET,
            Pricing::Wide => WIDE_BUCKET,
            Pricing::Deep(_) | Pricing::Exact(_) => usize::MAX,
        };
        let exact = s.mode.exact();
        let most_labels = s.mode.labels();
        let most_labels = most_labels.unwrap_or(usize::MAX);
        let mut pruned = 0usize;
        let mut created = 0usize;
        let mut buckets: HashMap<(usize, i64), Bucket> = HashMap::new();
        for v in ones(&open) {
            for (t, last_only) in self.next_visits(&start, v, s.mode) {
                let mut l = self.first_label(&t, v);
                l.prize = s.prizes[v];
                l.open = open;
                l.ng = exact;
                if !l.ng {
                    l.open[v / 64] &= !(1 << (v % 64));
                }
                if last_only {
                    self.finish_all(&l, s);
                } else {
                    created += 1;
                    self.keep(&mut buckets, l, cap);
                }
            }
        }
        let mut layer: Vec<Label> = Vec::new();
        for (_, b) in buckets.drain() {
            layer.extend(b.labels);
        }
        sort_layer(&mut layer);
        while !layer.is_empty() {
            if exact && std::env::var_os("TILSYN_TRACE").is_some() {
                eprintln!(
                    "  exact layer: {} labels, {created} made, {pruned} pruned",
                    layer.len()
                );
            }
            if created > most_labels {
                return false;
            }
            for l in &layer {
                self.finish_all(l, s);
            }
            let mut next: HashMap<(usize, i64), Bucket> = HashMap::new();
            // Labels held in `next`.
            let mut held = 0isize;
            for (i, l) in layer.iter().enumerate() {
                if i % 256 == 0
                    && (created > most_labels
                        || exact && layer.len() + held as usize > LIVE_LABELS
                        || Instant::now() >= s.deadline
                        || s.stop.load(Ordering::Relaxed))
                {
                    return false;
                }
                if l.count as usize >= veh.most_visits.min(MAX_PATH) {
                    continue;
                }
                if self.hopeless(l, &net, veh.most_visits) {
                    pruned += 1;
                    continue;
                }
                let mut open = l.open;
                let allowed = if l.ng || matches!(s.mode, Pricing::Deep(_)) {
                    l.visited.map(|m| !m)
                } else if s.mode == Pricing::Wide {
                    self.wide[l.node]
                } else {
                    self.near[l.node]
                };
                for (o, a) in open.iter_mut().zip(&allowed) {
                    *o &= a;
                }
                for w in ones(&open) {
                    for (t, last_only) in self.next_visits(&l.trip, w, s.mode) {
                        let Some(e) = self.extend(l, t, w, s.prizes) else {
                            continue;
                        };
                        if last_only {
                            self.finish_all(&e, s);
                        } else {
                            created += 1;
                            held += self.keep(&mut next, e, cap);
                        }
                    }
                }
            }
            layer = next.into_values().flat_map(|b| b.labels).collect();
            sort_layer(&mut layer);
        }
        true
    }

    /// Each open visit's prize less the least driving to it costs: from any
    /// other open home or the hotel nearest one, kilometres at the lower of
    /// the own-car and rental rates and minutes at the staff rate (a trip
    /// pays at least that for its working time). Others: 0.
    fn net_prizes(&self, prizes: &[f64], open: &Bits) -> Vec<f64> {
        let ctx = self.ctx;
        let k = &ctx.settings.costs;
        let per_km = k.km_rate_nok.min(k.rental_car_km_nok) / 1000.0;
        let per_minute = k.staff_hour_nok / 60.0;
        let edge = |from: usize, to: usize| {
            let d = ctx.drive(from, to);
            d.metres.0 as f64 * per_km + d.minutes.0 as f64 * per_minute
        };
        let members: Vec<usize> = ones(open).collect();
        let mut net = vec![0.0; self.nodes.len()];
        for &w in &members {
            let to = ctx.sites.child(self.nodes[w].child);
            let least = members
                .iter()
                .filter(|&&u| u != w)
                .map(|&u| {
                    let from = ctx.sites.child(self.nodes[u].child);
                    edge(from, to).min(edge(ctx.nearest_hotel(from), to))
                })
                .fold(f64::INFINITY, f64::min);
            net[w] = prizes[w] - if least.is_finite() { least } else { 0.0 };
        }
        net
    }

    /// The label after visiting `w` on trip `t`, or `None` when the visit
    /// breaks a rule that no later visit can mend.
    fn extend<'c>(
        &self,
        l: &Label<'c>,
        t: Partial<'c>,
        w: usize,
        prizes: &[f64],
    ) -> Option<Label<'c>> {
        let n = &self.nodes[w];
        let local = l.local || n.local;
        if local && t.day() > 0 {
            return None;
        }
        let off = t.day();
        let lo = l.lo.max(n.first_day - off);
        let hi = l.hi.min(n.last_day - off);
        if lo.max(self.chunk.0) > hi {
            return None;
        }
        let mut visited = l.visited;
        let mut open = l.open;
        if l.ng {
            for (m, n) in visited.iter_mut().zip(&self.ng[w]) {
                *m &= n;
            }
        } else {
            open[w / 64] &= !(1 << (w % 64));
        }
        set(&mut visited, w);
        let mut path = l.path;
        path[l.count as usize] = w as u16;
        Some(Label {
            trip_past: t.past_nok(),
            trip_spent: t.spent_nok(),
            trip: t,
            node: w,
            visited,
            open,
            ng: l.ng,
            path,
            count: l.count + 1,
            required: l.required || n.required,
            local,
            lo,
            hi,
            prize: l.prize + prizes[w],
        })
    }

    /// Takes `l` home and records the trip when its reduced cost is
    /// negative: quick pricing as the planner does (today when that fits),
    /// exact pricing both ways.
    fn finish_all(&self, l: &Label, s: &mut Search) {
        let mut ways: Vec<(f64, u32)> = Vec::new();
        for night in [false, true] {
            if let Some(done) = self.complete(l, night, s.vehicle) {
                ways.push(done);
                if s.mode == Pricing::Quick {
                    break;
                }
            }
        }
        for (cost, days) in ways {
            let rc = cost - l.prize;
            if rc < -EPS {
                let path: Vec<usize> = l.path[..l.count as usize]
                    .iter()
                    .map(|&v| v as usize)
                    .collect();
                let mut nodes = Bits::default();
                for &v in &path {
                    set(&mut nodes, v);
                }
                s.found.push(Found {
                    rc,
                    nodes,
                    path,
                    cost,
                    days,
                });
            }
        }
    }

    /// Whether no trip grown from `l` can have a negative reduced cost: what
    /// it has surely spent less its prizes and the most the open visits
    /// could still bring.
    ///
    /// An ng-route may visit a home again, but never twice in a row, so
    /// its `room` more visits bring at most the largest prize every other
    /// time and the second largest in between.
    ///
    /// `net`: each visit's prize less the least a trip pays to drive to it
    /// (from any other home, or the hotel near one), which every later visit
    /// of a trip does pay.
    fn hopeless(&self, l: &Label, net: &[f64], most: usize) -> bool {
        let room = most.saturating_sub(l.count as usize);
        let mut top: Vec<f64> = ones(&l.open).map(|v| net[v]).filter(|&p| p > 0.0).collect();
        let more: f64 = if l.ng {
            top.sort_by(|a, b| b.total_cmp(a));
            let first = top.first().copied().unwrap_or(0.0);
            let second = top.get(1).copied().unwrap_or(0.0);
            room.div_ceil(2) as f64 * first + (room / 2) as f64 * second
        } else {
            let k = room.min(top.len());
            if k < top.len() {
                top.select_nth_unstable_by(k, |a, b| b.total_cmp(a));
            }
            top[..k].iter().sum()
        };
        l.spent() - more >= -EPS
    }

    /// Adds `l` to its bucket unless a label there is ahead of it on every
    /// count; drops the labels it is ahead of. With a cap, keeps those that
    /// have spent the least less their prizes ([`Label::spent`]): the fixed
    /// past alone leaves out today's hours and ranks slow detours first.
    /// Returns how many labels the bucket holds more (fewer when negative).
    fn keep<'c>(
        &self,
        buckets: &mut HashMap<(usize, i64), Bucket<'c>>,
        l: Label<'c>,
        cap: usize,
    ) -> isize {
        let bucket = buckets.entry((l.node, l.trip.day())).or_default();
        let before = bucket.labels.len() as isize;
        // Dominance needs a cost no higher: the costs, side by side, rule
        // out most labels without reading them.
        let r = l.cost_key();
        let ahead = |k: f64| k <= r + DOMINANCE_EPS;
        let behind = |k: f64| r <= k + DOMINANCE_EPS;
        if (bucket.keys.iter().zip(&bucket.labels)).any(|(&k, b)| ahead(k) && b.dominates(&l)) {
            return 0;
        }
        let beaten: Vec<bool> = (bucket.keys.iter().zip(&bucket.labels))
            .map(|(&k, b)| behind(k) && l.dominates(b))
            .collect();
        if beaten.contains(&true) {
            let mut i = 0;
            bucket.labels.retain(|_| {
                i += 1;
                !beaten[i - 1]
            });
            let mut i = 0;
            bucket.keys.retain(|_| {
                i += 1;
                !beaten[i - 1]
            });
        }
        bucket.keys.push(r);
        bucket.labels.push(l);
        // One over the cap at most: the label that has spent the most goes.
        if bucket.labels.len() > cap {
            let worst = (0..bucket.labels.len())
                .map(|i| (bucket.labels[i].spent(), i))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .map_or(0, |(_, i)| i);
            bucket.labels.remove(worst);
            bucket.keys.remove(worst);
        }
        bucket.labels.len() as isize - before
    }
}

/// The labels at one home and day, with their reduced costs so far
/// ([`Label::reduced`]) alongside.
#[derive(Default)]
struct Bucket<'c> {
    labels: Vec<Label<'c>>,
    keys: Vec<f64>,
}

/// The slack of [`Label::dominates`] on cost.
const DOMINANCE_EPS: f64 = 1e-9;

/// A deadline for phases that the clock must not decide: a day away.
fn no_deadline() -> Instant {
    Instant::now() + std::time::Duration::from_secs(86_400)
}

/// A trip choice's model: the model, a variable per candidate column, and
/// the variables of required visits that may stay unmet, with their nodes.
struct ChoiceModel {
    model: Model,
    x: Vec<usize>,
    unmet: Vec<(usize, usize)>,
}

/// A choice of trips: the columns chosen, and the required visits left
/// unmet (each at the planner's penalty).
struct Choice {
    trips: Vec<usize>,
    unmet: Vec<usize>,
}

impl Choice {
    fn objective(&self, columns: &[Column]) -> f64 {
        self.trips.iter().map(|&k| columns[k].value).sum::<f64>()
            + UNMET_PENALTY_NOK * self.unmet.len() as f64
    }
}

/// What column generation has: the columns, the rows, the last LP's
/// optimum and prices, and the bound once pricing was exact.
#[derive(Default)]
struct Generated {
    columns: Vec<Column>,
    seen: HashMap<(usize, Vec<usize>), usize>,
    /// The plan's own trips are the first columns.
    plan_trips: usize,
    /// Nodes with a row: required visits some trip can make, early visits.
    rows: Vec<usize>,
    lp: f64,
    duals: Vec<f64>,
    bound: Option<f64>,
    converged: bool,
    /// Whether the plan leaves no more visits unmet than no trip can make.
    comparable: bool,
    master: Master,
    /// Columns whose value went down since the master LP last saw them.
    lowered: Vec<usize>,
}

/// The master LP between rounds.
#[derive(Default)]
enum Master {
    #[default]
    Unbuilt,
    /// The LP, each node's row in it, and each column's index in it
    /// (`None`: it touches no row).
    Running {
        lp: Box<MasterLp>,
        row_of: Vec<usize>,
        lp_col: Vec<Option<usize>>,
    },
    /// It failed numerically: microlp solves the dual from then on.
    Failed,
}

impl Generated {
    /// Adds a column, or lowers the value of the same one; whether that
    /// changed anything.
    /// `order`: the visits in the order of the trip.
    fn add(&mut self, vehicle: usize, order: Vec<usize>, value: f64, days: u32) -> bool {
        let mut nodes = order.clone();
        nodes.sort_unstable();
        if let Some(&k) = self.seen.get(&(vehicle, nodes.clone())) {
            let better = value < self.columns[k].value - EPS;
            if better {
                self.columns[k].value = value;
                self.columns[k].days = days;
                self.columns[k].order = order;
                self.lowered.push(k);
            }
            return better;
        }
        self.seen
            .insert((vehicle, nodes.clone()), self.columns.len());
        self.columns.push(Column {
            vehicle,
            nodes,
            order,
            value,
            days,
        });
        true
    }

    fn bound(&self) -> Option<PooledBound> {
        self.bound
            .filter(|_| self.comparable)
            .map(|nok| PooledBound {
                nok,
                converged: self.converged,
            })
    }
}

/// How pricing searches: `Quick` grows trips only with the
/// `QUICK_NEAREST` nearest visits, keeps `QUICK_BUCKET` labels per home and
/// day and splits days as the planner does; `Wide` grows them with the
/// `WIDE_NEAREST` nearest, keeps `WIDE_BUCKET` and tries every split;
/// `Deep` grows them with any visit not yet on the trip and keeps every
/// label it cannot prove worse, a search for trips rather than a proof;
/// `Exact` grows them with any visit and keeps every label it cannot prove
/// worse (ng-routes), so finding nothing proves the LP optimal. Both stop
/// after the labels they hold (then `Exact` proves nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pricing {
    Quick,
    Wide,
    Deep(usize),
    Exact(usize),
}

impl Pricing {
    fn exact(self) -> bool {
        matches!(self, Pricing::Exact(_))
    }

    /// Most labels one search makes before it gives up.
    fn labels(self) -> Option<usize> {
        match self {
            Pricing::Quick | Pricing::Wide => None,
            Pricing::Deep(n) | Pricing::Exact(n) => Some(n),
        }
    }
}

/// One pricing search: whose trips, how they get there, what the visits
/// bring, and where the trips found go.
struct Search<'s> {
    vehicle: usize,
    access: &'s Access,
    prizes: &'s [f64],
    mode: Pricing,
    deadline: Instant,
    /// Set when another search of the round ran out.
    stop: &'s AtomicBool,
    found: &'s mut Vec<Found>,
}

/// A trip pricing found: its reduced cost, visits, order, cost and days.
struct Found {
    rc: f64,
    nodes: Bits,
    path: Vec<usize>,
    cost: f64,
    days: u32,
}

/// A fixed order for a layer of labels, so the columns found do not depend
/// on hashing.
fn sort_layer(layer: &mut [Label]) {
    layer.sort_by(|a, b| {
        (a.node, a.trip.day(), a.count)
            .cmp(&(b.node, b.trip.day(), b.count))
            .then(a.reduced().total_cmp(&b.reduced()))
            .then_with(|| a.path.cmp(&b.path))
    });
}

struct Priced {
    columns: Vec<Found>,
    /// The least reduced cost of a trip found (0 when none is negative).
    least: f64,
    /// The least reduced cost per visit (0 when none is negative). Exact
    /// pricing finds its least: a label that dominates another has no
    /// more visits, so its trips' share is no higher.
    least_per_visit: f64,
    complete: bool,
}

#[derive(Clone)]
struct Label<'c> {
    trip: Partial<'c>,
    node: usize,
    /// Quick pricing: the visits so far (a trip visits each once). Exact
    /// pricing: its ng-memory, the visits it may not make again (an
    /// ng-route may come back to a home it has left far behind, which only
    /// lowers the bound).
    visited: Bits,
    /// Exact pricing (ng-routes).
    ng: bool,
    /// Visits that may still join: worth something, not yet visited.
    open: Bits,
    /// The visits in order (the first `count`).
    path: [u16; MAX_PATH],
    count: u32,
    required: bool,
    local: bool,
    /// Start days (calendar indices) that suit every visit so far.
    lo: i64,
    hi: i64,
    prize: f64,
    /// `trip.past_nok()` and `trip.spent_nok()`, which dominance and capped
    /// buckets ask for again and again.
    trip_past: f64,
    trip_spent: f64,
}

impl Label<'_> {
    /// The part of the reduced cost the past has fixed.
    fn reduced(&self) -> f64 {
        self.trip_past - self.prize
    }

    /// What the trip has surely spent less its prizes so far: how capped
    /// buckets rank their labels.
    fn spent(&self) -> f64 {
        self.trip_spent - self.prize
    }

    /// Whether dominance may compare [`Self::spent`] rather than
    /// [`Self::reduced`]: in exact pricing, once no visit today need wait.
    /// Then a trip that is no later (and began its day no earlier) carries
    /// its lead in time to the end of the day, and is paid for that much
    /// less time (the allowance grows with the trip's length, so it pays no
    /// more there either).
    fn cost_key_is_spent(&self) -> bool {
        self.ng && self.trip.waits_no_more_today()
    }

    /// The cost dominance needs no higher: [`Self::spent`] in exact pricing
    /// (with the clock no later and the day's start no earlier, it is no
    /// higher than the other's whenever the reduced cost is),
    /// [`Self::reduced`] otherwise.
    fn cost_key(&self) -> f64 {
        if self.ng {
            self.spent()
        } else {
            self.reduced()
        }
    }

    /// Whether every trip grown from `other` has one grown from `self` that
    /// costs no more in reduced cost (same home and day are the caller's).
    fn dominates(&self, other: &Label) -> bool {
        let (t, d, d0) = self.trip.clock();
        let (ot, od, od0) = other.trip.clock();
        // The counts that most often differ first, the bit sets last.
        // (With the clock no later and the day's start no earlier, a
        // reduced cost no higher means a spent cost no higher too.)
        let (ours, theirs) = if self.cost_key_is_spent() {
            (self.spent(), other.spent())
        } else {
            (self.reduced(), other.reduced())
        };
        ours <= theirs + DOMINANCE_EPS
            && t <= ot
            && d >= od
            && d0 >= od0
            && self.trip.visits_today() <= other.trip.visits_today()
            && self.count <= other.count
            && (self.required || !other.required)
            && (!self.local || other.local)
            && self.lo <= other.lo
            && self.hi >= other.hi
            && if self.ng {
                subset(&self.visited, &other.visited)
            } else {
                subset(&other.open, &self.open)
            }
    }
}

/// What a caseworker's plan costs in the search: trips, less the worth of
/// early visits, plus the uneven-week penalty and the penalty of unmet
/// visits (the plan's objective, as the choice model counts it).
fn objective(ctx: &Context, r: &CaseworkerResult) -> f64 {
    let early = ctx.settings.visits.early_visit_value_nok;
    let trips: f64 = r
        .trips
        .iter()
        .map(|(c, _)| {
            c.shape.cost.nok()
                - early * c.visits.iter().filter(|&&v| !r.due[v].required).count() as f64
        })
        .sum();
    trips + r.penalty_nok + UNMET_PENALTY_NOK * r.unmet.len() as f64
}

/// The change penalty of the visits `r` makes for other caseworkers' children.
fn changes(ctx: &Context, r: &CaseworkerResult) -> usize {
    r.requirements
        .iter()
        .filter(|q| ctx.data.children[q.child].caseworker != r.caseworker)
        .count()
}

/// What a caseworker's plan costs pooled continuity: its objective and the
/// change penalties of the colleagues' children it visits.
pub fn cost(ctx: &Context, r: &CaseworkerResult) -> f64 {
    objective(ctx, r) + penalty(ctx) * changes(ctx, r) as f64
}

pub fn penalty(ctx: &Context) -> f64 {
    match ctx.settings.planning.continuity {
        Continuity::Team => 0.0,
        _ => ctx.settings.planning.change_penalty_nok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demand::{Period, PeriodKind};
    use crate::model::Dataset;
    use crate::planner::candidates::DueVisit;
    use crate::travel::car::GreatCircleCar;
    use crate::travel::Sites;
    use chrono::NaiveDate;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, d).unwrap()
    }

    /// Runs `test` on the context, calendar and days of 2027Q1 for `data`.
    fn in_first_quarter(data: &Dataset, test: impl FnOnce(&Context, &WorkCalendar, ChunkDays)) {
        let sites = Sites::new(data);
        let matrix = GreatCircleCar::new(&sites, &data.settings.car);
        let ctx = Context::new(data, &sites, &matrix);
        let cal = WorkCalendar::new(data, day(1, 1), day(3, 31));
        let earlier = vec![Vec::new(); data.caseworkers.len()];
        let days = ChunkDays {
            span: (0, cal.len() - 1),
            earlier: &earlier,
        };
        test(&ctx, &cal, days);
    }

    /// A caseworker with a required visit to each of `children` due in the
    /// quarter (of `days` working days), none planned yet; `unmet`: all
    /// of them left unmet for lack of capacity.
    fn member(caseworker: usize, children: &[usize], days: usize, unmet: bool) -> CaseworkerResult {
        CaseworkerResult {
            caseworker,
            due: children
                .iter()
                .map(|&child| DueVisit {
                    child,
                    required: true,
                    first_day: 0,
                    last_day: days - 1,
                })
                .collect(),
            requirements: children
                .iter()
                .map(|&child| Requirement {
                    child,
                    period: Period {
                        year: 2027,
                        kind: PeriodKind::Quarter,
                        index: 1,
                    },
                    due_from: day(1, 1),
                    due_by: day(3, 31),
                    required: true,
                })
                .collect(),
            trips: Vec::new(),
            unmet: if unmet {
                (0..children.len())
                    .map(|v| (v, crate::plan::UnmetReason::NoCapacity))
                    .collect()
            } else {
                Vec::new()
            },
            bound: None,
            penalty_nok: 0.0,
        }
    }

    /// Runs `test` on a one-member group with required visits to the
    /// fixture's three children (nodes 0, 1 and 2).
    fn with_three_visits(test: impl FnOnce(&Group)) {
        let data = crate::check::fixture::dataset();
        in_first_quarter(&data, |ctx, cal, days| {
            let member = member(0, &[0, 1, 2], cal.len(), false);
            test(&Group::new(ctx, days, &[&member]).unwrap());
        });
    }

    /// The polish takes a cheaper choice from all the columns within a
    /// neighbourhood (not only those of the big MILP), never an ng-route,
    /// only within the field days, and covers an unmet visit when that pays.
    /// (The values are far below any real trip's, so pricing adds none.)
    #[test]
    fn the_polish_finds_a_cheaper_choice_within_the_field_days() {
        with_three_visits(|group| {
            let column = |nodes: &[usize], value: f64, days: u32| Column {
                vehicle: 0,
                nodes: nodes.to_vec(),
                order: nodes.to_vec(),
                value,
                days,
            };
            let columns = vec![
                column(&[0], 10.0, 1),
                column(&[1], 10.0, 1),
                column(&[2], 10.0, 1),
                // An ng-route of the bound: no trip, however cheap.
                column(&[0, 0, 1, 2], 1.0, 1),
                column(&[0, 1, 2], 20.0, 4),
                column(&[0, 1], 15.0, 1),
            ];
            let polished = |planned: &[bool], cap: u32, choice: Choice| {
                let mut choice = choice;
                let mut pool = columns.clone();
                group.polish(&mut pool, planned, &[cap], &mut choice);
                assert_eq!(pool.len(), columns.len(), "pricing added a trip");
                choice.trips.sort_unstable();
                (choice.trips, choice.unmet)
            };
            let singles = || Choice {
                trips: vec![0, 1, 2],
                unmet: Vec::new(),
            };
            let all = [true; 3];
            assert_eq!(polished(&all, 4, singles()), (vec![4], vec![]));
            // Three field days: no room for the four-day trip.
            assert_eq!(polished(&all, 3, singles()), (vec![2, 5], vec![]));
            // A visit left unmet is made when a trip can take it.
            let unmet = Choice {
                trips: vec![0, 1],
                unmet: vec![2],
            };
            assert_eq!(polished(&[true, true, false], 4, unmet), (vec![4], vec![]));
            // Already the best: unchanged.
            let best = Choice {
                trips: vec![4],
                unmet: Vec::new(),
            };
            assert_eq!(polished(&all, 4, best), (vec![4], vec![]));
        });
    }

    /// Where the columns are dear, pricing inside the neighbourhood finds
    /// a real trip that is cheaper, and the choice takes it: every visit
    /// still made once.
    #[test]
    fn the_polish_prices_new_trips_for_its_neighbourhood() {
        with_three_visits(|group| {
            let dear = |v: usize| Column {
                vehicle: 0,
                nodes: vec![v],
                order: vec![v],
                value: 1e6,
                days: 1,
            };
            let mut pool: Vec<Column> = (0..3).map(dear).collect();
            let mut choice = Choice {
                trips: vec![0, 1, 2],
                unmet: Vec::new(),
            };
            group.polish(&mut pool, &[true; 3], &[60], &mut choice);
            assert!(pool.len() > 3, "pricing found no trip");
            assert!(choice.objective(&pool) < 3e6, "{}", choice.objective(&pool));
            assert!(choice.trips.iter().any(|&k| k >= 3), "{:?}", choice.trips);
            let mut made: Vec<usize> = choice
                .trips
                .iter()
                .flat_map(|&k| pool[k].nodes.clone())
                .collect();
            made.sort_unstable();
            assert_eq!(made, vec![0, 1, 2]);
            assert!(choice.unmet.is_empty());
        });
    }

    /// The bound's pricing stops at the first exact search that runs out of
    /// labels: it adds none of that search's trips and claims no bound. With
    /// labels enough, the same pricing closes and bounds the LP.
    #[test]
    fn vehicles_priced_together_find_what_each_finds_alone() {
        let mut data = crate::check::fixture::dataset();
        data.settings.planning.continuity = Continuity::Preferred;
        in_first_quarter(&data, |ctx, cal, days| {
            let a = member(0, &[0, 2], cal.len(), false);
            let b = member(1, &[1], cal.len(), false);
            let group = Group::new(ctx, days, &[&a, &b]).unwrap();
            assert_eq!(group.vehicles.len(), 2);
            ctx.lend_threads(1);
            let duals = [9_000.0, 40_000.0, 9_000.0];
            for mode in [
                Pricing::Quick,
                Pricing::Wide,
                Pricing::Deep(SEARCH_LABELS),
                Pricing::Exact(EXACT_LABELS),
            ] {
                let prizes = |v| group.prizes(v, &duals);
                let together = group.price_each(&[1, 0], prizes, mode, no_deadline());
                assert_eq!(together.iter().map(|(v, _)| *v).collect::<Vec<_>>(), [1, 0]);
                for (vehicle, priced) in together {
                    let priced = priced.expect("not priced");
                    let alone =
                        group.price(vehicle, &group.prizes(vehicle, &duals), mode, no_deadline());
                    let trips = |p: &Priced| -> Vec<(Vec<usize>, u64)> {
                        p.columns
                            .iter()
                            .map(|f| (f.path.clone(), f.rc.to_bits()))
                            .collect()
                    };
                    assert!(!alone.columns.is_empty(), "{mode:?}: nothing to compare");
                    assert_eq!(trips(&priced), trips(&alone), "{mode:?}");
                    assert_eq!(priced.complete, alone.complete);
                }
            }
            // The helper was handed back each time.
            assert_eq!(ctx.borrow_threads(2), 1);
            ctx.lend_threads(1);
            // Past the deadline nothing is priced, and the round says so.
            let late = Instant::now() - std::time::Duration::from_secs(1);
            let none = group.price_each(&[0, 1], |v| group.prizes(v, &duals), Pricing::Wide, late);
            assert!(none.iter().all(|(_, p)| p.is_none()) && !none.is_empty());
        });
    }

    /// Columns for [`with_three_visits`]: a single-visit trip to each
    /// visit at a value far above any real trip's.
    fn dear() -> Generated {
        let mut g = Generated {
            rows: vec![0, 1, 2],
            comparable: true,
            ..Generated::default()
        };
        for v in 0..3 {
            g.add(0, vec![v], 1e6, 1);
        }
        g
    }

    #[test]
    fn the_bound_stops_at_an_exact_search_that_runs_out() {
        with_three_visits(|group| {
            let prizes = group.prizes(0, &[1e6; 3]);
            // A label budget that finds trips and still runs out.
            let short = (1..200)
                .find(|&n| {
                    let p = group.price(0, &prizes, Pricing::Exact(n), no_deadline());
                    !p.complete && !p.columns.is_empty()
                })
                .expect("no budget runs out after finding trips");
            let mut g = dear();
            group.generate(&mut g, &[Pricing::Exact(short)], 10, None);
            assert!(g.columns.iter().all(|c| c.value == 1e6));
            assert_eq!(g.columns.len(), 3);
            assert!(g.bound().is_none());
            let mut g = dear();
            group.generate(&mut g, &[Pricing::Exact(EXACT_LABELS)], 10, None);
            assert!(g.columns.len() > 3);
            let bound = g.bound().expect("no bound");
            assert!(bound.converged && (bound.nok - g.lp).abs() < 1e-6);
        });
    }

    /// A round of exact pricing that finds trips bounds the LP by the
    /// least reduced cost per visit when that is the stronger: here one
    /// round from dear single-visit trips gives a bound above 0 (by the
    /// least reduced cost alone it would be far below), and no bound on
    /// the way is above the LP that pricing closes at.
    #[test]
    fn a_round_that_finds_trips_bounds_by_the_least_per_visit() {
        with_three_visits(|group| {
            let mut g = dear();
            group.generate(&mut g, &[Pricing::Exact(EXACT_LABELS)], 1, None);
            let first = g.bound().expect("no bound after a complete round");
            assert!(!first.converged);
            assert!(first.nok > 0.0, "{}", first.nok);
            let mut g = dear();
            group.generate(&mut g, &[Pricing::Exact(EXACT_LABELS)], 10, None);
            let last = g.bound().expect("no bound");
            assert!(last.converged);
            assert!(first.nok <= last.nok + 1e-6, "{} > {}", first.nok, last.nok);
        });
    }

    /// Runs `test` on a one-member group with required visits to seven
    /// homes in Trøndelag (some near the office, some a night away), at most
    /// five on a trip, with the cost of each home's own cheapest trip.
    fn with_seven_homes(test: impl FnOnce(&Context, &Group, &[f64])) {
        let mut data = crate::check::fixture::dataset();
        data.settings.planning.max_visits_per_trip = 5;
        let homes = [
            (63.30, 9.85),
            (63.04, 10.28),
            (63.28, 10.28),
            (64.01, 11.49),
            (62.57, 11.38),
            (62.59, 9.69),
            (63.75, 11.30),
        ];
        let template = data.children[0].clone();
        data.children = homes
            .iter()
            .enumerate()
            .map(|(i, &(lat, lon))| {
                let mut c = template.clone();
                c.id = crate::model::ChildId(format!("T{i}"));
                c.caseworker = 0;
                c.location = crate::model::LatLon::new(lat, lon);
                c
            })
            .collect();
        in_first_quarter(&data, |ctx, cal, days| {
            let all: Vec<usize> = (0..homes.len()).collect();
            let member = member(0, &all, cal.len(), false);
            let group = Group::new(ctx, days, &[&member]).unwrap();
            let alone: Vec<f64> = all
                .iter()
                .map(|&v| {
                    group
                        .accesses
                        .iter()
                        .filter(|(_, reach)| has(reach, v))
                        .filter_map(|(a, _)| group.single(0, a, v).map(|(c, _)| c))
                        .fold(f64::INFINITY, f64::min)
                })
                .collect();
            assert!(alone.iter().all(|c| c.is_finite()), "{alone:?}");
            test(ctx, &group, &alone);
        });
    }

    /// Prices from 0.3 to 1.2 times each home's own trip, home by home, for
    /// `rounds` rounds (a fixed linear congruential sequence).
    fn price_levels(alone: &[f64], rounds: usize) -> Vec<Vec<f64>> {
        let mut seed = 12345u64;
        (0..rounds)
            .map(|_| {
                alone
                    .iter()
                    .map(|c| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        c * (0.3 + 0.9 * (seed >> 11) as f64 / (1u64 << 53) as f64)
                    })
                    .collect()
            })
            .collect()
    }

    /// Exact pricing finds the least reduced cost there is: for 40 price
    /// levels, its least equals that of every trip built visit by visit in
    /// every order, each day split and way home, by every way there. (With
    /// seven homes every ng-neighbourhood holds them all, so the ng-routes
    /// are the trips.)
    #[test]
    fn exact_pricing_finds_the_least_that_enumeration_finds() {
        with_seven_homes(|ctx, group, alone| {
            let veh = &group.vehicles[0];
            let most = veh.most_visits;
            assert_eq!(most, 5);
            let mut checked = 0;
            for prizes in price_levels(alone, 40) {
                let mut least = 0.0f64;
                for (access, reach) in &group.accesses {
                    let Some(start) = Partial::start(ctx, veh.caseworker, access) else {
                        continue;
                    };
                    let mut stack = vec![(start, Vec::<usize>::new())];
                    while let Some((t, path)) = stack.pop() {
                        for w in ones(reach).filter(|w| !path.contains(w)) {
                            let local = path.iter().chain([&w]).any(|&v| group.nodes[v].local);
                            for tomorrow in [false, true] {
                                let mut next = t.clone();
                                let child = group.nodes[w].child;
                                let ok = if tomorrow {
                                    next.visit_tomorrow(child, true)
                                } else {
                                    next.visit_today(child, true)
                                };
                                if !ok || (local && next.day() > 0) {
                                    continue;
                                }
                                let mut seq = path.clone();
                                seq.push(w);
                                let prize: f64 = seq.iter().map(|&v| prizes[v]).sum();
                                for night in [false, true] {
                                    if let Some((cost, d)) = next.clone().finish(night) {
                                        if d <= veh.weekly_limit && !(local && d > 1) {
                                            least = least.min(cost.nok() - prize);
                                        }
                                    }
                                }
                                if seq.len() < most {
                                    stack.push((next, seq));
                                }
                            }
                        }
                    }
                }
                let priced = group.price(0, &prizes, Pricing::Exact(EXACT_LABELS), no_deadline());
                assert!(priced.complete);
                if least < -0.01 {
                    checked += 1;
                }
                assert!(
                    (priced.least - least).abs() < 0.01 || (least > -EPS && priced.least == 0.0),
                    "exact pricing {} against {least}",
                    priced.least
                );
            }
            assert!(checked >= 20, "too few price levels find a trip: {checked}");
        });
    }

    /// Dominance is sound: of every two partial trips of up to three
    /// visits (by car, at the same home and day, under 10 price levels)
    /// where one dominates the other, the one ahead can follow every way
    /// the other goes on (up to two more visits, each today or after a
    /// night, and home today or after a night) at a reduced cost no higher.
    #[test]
    fn a_dominating_partial_trip_does_no_worse_on_every_way_on() {
        with_seven_homes(|ctx, group, alone| {
            let veh = &group.vehicles[0];
            let (access, _) = &group.accesses[0];
            assert!(matches!(access, Access::Car));
            let start = Partial::start(ctx, veh.caseworker, access).unwrap();
            let n = group.nodes.len();
            let mut pairs = 0;
            // The ways on: visits (with whether after a night), then home.
            let mut ways: Vec<Vec<(usize, bool)>> = vec![Vec::new()];
            for a in 0..n {
                for ta in [false, true] {
                    ways.push(vec![(a, ta)]);
                    for b in (0..n).filter(|&b| b != a) {
                        for tb in [false, true] {
                            ways.push(vec![(a, ta), (b, tb)]);
                        }
                    }
                }
            }
            for prizes in price_levels(alone, 10) {
                let mut labels: Vec<Label> = Vec::new();
                let mut layer: Vec<Label> = Vec::new();
                for (v, &prize) in prizes.iter().enumerate() {
                    for (t, last) in group.next_visits(&start, v, Pricing::Exact(0)) {
                        let mut l = group.first_label(&t, v);
                        l.prize = prize;
                        l.ng = true;
                        if !last {
                            layer.push(l);
                        }
                    }
                }
                for _ in 0..2 {
                    let mut next = Vec::new();
                    for l in &layer {
                        for w in (0..n).filter(|&w| !has(&l.visited, w)) {
                            for (t, last) in group.next_visits(&l.trip, w, Pricing::Exact(0)) {
                                if let Some(e) = group.extend(l, t, w, &prizes) {
                                    if !last {
                                        next.push(e);
                                    }
                                }
                            }
                        }
                    }
                    labels.append(&mut layer);
                    layer = next;
                }
                labels.append(&mut layer);
                // Each way on from `l`: its reduced cost, per way home.
                let follow =
                    |l: &Label, way: &[(usize, bool)]| -> Option<[Option<f64>; 2]> {
                        let mut l = l.clone();
                        for &(w, tomorrow) in way {
                            if has(&l.visited, w) {
                                return None;
                            }
                            let mut t = l.trip.clone();
                            let child = group.nodes[w].child;
                            let ok = if tomorrow {
                                t.visit_tomorrow(child, true)
                            } else {
                                t.visit_today(child, true)
                            };
                            if !ok {
                                return None;
                            }
                            l = group.extend(&l, t, w, &prizes)?;
                        }
                        Some([false, true].map(|night| {
                            group.complete(&l, night, 0).map(|(cost, _)| cost - l.prize)
                        }))
                    };
                for a in &labels {
                    for b in &labels {
                        let same = (a.node, a.trip.day()) == (b.node, b.trip.day());
                        if !same || a.path == b.path && a.count == b.count || !a.dominates(b) {
                            continue;
                        }
                        pairs += 1;
                        for way in &ways {
                            let Some(theirs) = follow(b, way) else {
                                continue;
                            };
                            let ours = follow(a, way).expect("the one ahead cannot follow");
                            for (o, t) in ours.iter().zip(&theirs) {
                                if let Some(t) = t {
                                    let o = o.expect("the one ahead cannot get home so");
                                    assert!(o <= t + 1e-6, "{o} > {t}");
                                }
                            }
                        }
                    }
                }
            }
            assert!(pairs >= 100, "too few dominating pairs: {pairs}");
        });
    }

    /// A team with more visits due than the model takes keeps its plan,
    /// without a bound, and the terminal is told.
    #[test]
    fn a_team_too_large_to_pool_keeps_its_plan_and_says_so() {
        let mut data = crate::check::fixture::dataset();
        data.caseworkers[1].team = data.caseworkers[0].team.clone();
        data.settings.planning.continuity = Continuity::Team;
        in_first_quarter(&data, |ctx, cal, days| {
            let result = |cw: usize, visits: usize| member(cw, &vec![0; visits], cal.len(), true);
            let mut results = vec![result(0, 300), result(1, MAX_NODES - 299)];
            let mut notes = Vec::new();
            let bound =
                plan_pooled(ctx, cal, days, &mut results, Instant::now(), &mut notes).unwrap();
            assert!(bound.is_none());
            assert_eq!(notes.len(), 1, "{notes:?}");
            let visits = (MAX_NODES + 1).to_string();
            assert!(notes[0].contains(&visits), "{}", notes[0]);
            assert!(results.iter().all(|r| r.trips.is_empty()));

            // A small team: pooled, no note when there is no time for a
            // bound.
            let mut results = vec![result(0, 1), result(1, 1)];
            let mut notes = Vec::new();
            plan_pooled(ctx, cal, days, &mut results, Instant::now(), &mut notes).unwrap();
            assert!(notes.is_empty(), "{notes:?}");
            // With time, a bound not proven is told (here the plan leaves
            // unmet what a trip can make, so there is none).
            let mut results = vec![result(0, 1), result(1, 1)];
            let mut notes = Vec::new();
            let later = Instant::now() + std::time::Duration::from_secs(60);
            let bound = plan_pooled(ctx, cal, days, &mut results, later, &mut notes).unwrap();
            assert!(bound.is_none());
            assert_eq!(notes.len(), 1, "{notes:?}");
            assert!(notes[0].contains("bound_seconds = 5"), "{}", notes[0]);
        });
    }

    /// A full bucket of heuristic pricing keeps the labels that have spent
    /// the least, today's working hours included. A detour whose visit
    /// pays for what the past has fixed (kilometres, closed days) but not
    /// for today's hours is behind the direct way, although the fixed
    /// part alone says otherwise.
    #[test]
    fn a_full_bucket_keeps_the_label_that_spent_least_with_todays_hours() {
        let data = crate::check::fixture::dataset();
        in_first_quarter(&data, |ctx, cal, days| {
            // C1 and C3, both Kari Nordmann's: nodes 0 and 1.
            let member = member(0, &[0, 2], cal.len(), false);
            let group = Group::new(ctx, days, &[&member]).unwrap();
            let start = Partial::start(ctx, 0, &Access::Car).unwrap();
            // Straight to C1, and to C1 by way of C3.
            let mut direct = start.clone();
            assert!(direct.visit_today(0, false));
            let direct = group.first_label(&direct, 0);
            let mut detour = start;
            assert!(detour.visit_today(2, false));
            let first = group.first_label(&detour, 1);
            assert!(detour.visit_today(0, false));
            let mut detour = group.extend(&first, detour, 0, &[0.0, 0.0]).unwrap();
            // With no prizes: how much more the detour has fixed, and spent.
            let past = detour.reduced() - direct.reduced();
            let spent = detour.spent() - direct.spent();
            assert!(spent > past.max(0.0), "{past} {spent}");
            detour.prize = (past.max(0.0) + spent) / 2.0;
            assert!(detour.reduced() < direct.reduced());
            assert!(detour.spent() > direct.spent());
            assert!(!direct.dominates(&detour) && !detour.dominates(&direct));
            for first in [false, true] {
                let mut buckets = HashMap::new();
                let (a, b) = (direct.clone(), detour.clone());
                let (a, b) = if first { (a, b) } else { (b, a) };
                group.keep(&mut buckets, a, 1);
                group.keep(&mut buckets, b, 1);
                let kept = &buckets[&(0, 0)].labels;
                assert_eq!(kept.len(), 1);
                assert_eq!(kept[0].count, 1, "the detour was kept");
            }
        });
    }
}
