//! `tilsyn`'s own solver for the routing core, the planner's way: per
//! caseworker, every feasible day route, then a set-partitioning MILP.
//!
//! Caseworkers share nothing in the core (strict continuity), so each is
//! solved on their own. A caseworker's vehicles differ only in their day,
//! and every client has the same visiting hours each day, so a route's
//! feasibility and cost do not depend on its day: routes are enumerated once
//! ([`routes`]), each subset of clients with its cheapest feasible order.
//! The choice then needs every client in exactly one route, and the routes
//! must fit on distinct working days inside their clients' windows. A
//! route's days are an interval of the caseworker's working days, so by
//! Hall's theorem that holds exactly when, for every interval of working
//! days, the chosen routes that must lie inside it are no more than its
//! days. Those rows are added only when the earliest-deadline-first
//! assignment of days fails ([`days`]).
//!
//! First the cheapest partition is found as if days were plentiful, over the
//! routes that can then be in an optimal choice (a route is left out when
//! dropping one of its clients into a route of its own costs no more): by
//! dynamic programming over sets of clients up to 22 clients ([`subsets`]),
//! else by the MILP without day rows. If that choice fits the days it is
//! optimal; otherwise the MILP (microlp) is solved over every route with the
//! violated day rows, until the choice fits. Deterministic: no clock, no
//! randomness, a node budget.

mod days;
mod routes;
mod subsets;

use super::{Instance, Problem, Route, Solution, SLOT_MINUTES};
use crate::planner::mip::{self, Backend, Limits, Model, Sense};
use routes::DayRoute;
use std::time::Instant;

/// Branch-and-bound nodes per MILP.
const NODES: u64 = 20_000;
/// Rounds of adding violated day rows before giving up on a caseworker.
const MAX_ROUNDS: usize = 50;
/// What leaving a client unserved costs in the MILP, øre: far above any
/// route, so a client is left out only when no choice of routes and days
/// serves it.
const UNSERVED_PENALTY: f64 = 1e9;

/// What one caseworker's clients and vehicles look like to the solver.
pub struct Caseworker {
    /// Indices into `Instance::clients` and `Instance::vehicles` (by day).
    pub clients: Vec<usize>,
    pub vehicles: Vec<usize>,
    pub depot: usize,
    /// Vehicle window and visit-start window, minutes from the slot start.
    pub day: [i64; 2],
    pub visit: [i64; 2],
    pub max_duration: i64,
    /// Per client (parallel to `clients`): its working days as positions in
    /// `vehicles`, inclusive; `None` when no vehicle can take it.
    pub span: Vec<Option<(usize, usize)>>,
}

/// The solution and how it was found.
pub struct Solved {
    pub solution: Solution,
    /// Every caseworker's MILP proven optimal.
    pub proven: bool,
    pub routes: usize,
    pub columns: usize,
}

/// Solves the instance; refuses instances outside the structure above.
pub fn solve(inst: &Instance) -> Result<Solved, Vec<Problem>> {
    let clock = Instant::now();
    let groups = caseworkers(inst)?;
    let mut routes_out = Vec::new();
    let mut unassigned = Vec::new();
    let (mut bound, mut proven, mut n_routes, mut n_columns) = (0.0, true, 0, 0);
    let trace = std::env::var_os("TILSYN_TRACE").is_some();
    for cw in &groups {
        let started = Instant::now();
        let enumerated = routes::enumerate(inst, cw).map_err(|m| {
            vec![Problem {
                code: "too_many_routes",
                message: m,
            }]
        })?;
        n_routes += enumerated.len();
        let enumerated_in = started.elapsed().as_secs_f64();
        let choice = choose(cw, &enumerated).map_err(|m| {
            vec![Problem {
                code: "solver_failed",
                message: m,
            }]
        })?;
        if trace {
            eprintln!(
                "solve-vrp: {} clients, {} routes, {} in the MILP, proven {}, routes {:.2} s, milp {:.2} s",
                cw.clients.len(),
                enumerated.len(),
                choice.columns,
                choice.proven,
                enumerated_in,
                started.elapsed().as_secs_f64() - enumerated_in
            );
        }
        n_columns += choice.columns;
        bound += choice.bound;
        proven &= choice.proven;
        for &(r, position) in &choice.routes {
            routes_out.push(Route {
                vehicle: cw.vehicles[position],
                clients: enumerated[r].order.iter().map(|&i| cw.clients[i]).collect(),
            });
        }
        let served: u64 = choice
            .routes
            .iter()
            .fold(0, |m, &(r, _)| m | enumerated[r].mask);
        unassigned.extend(
            (0..cw.clients.len())
                .filter(|&i| served & (1 << i) == 0)
                .map(|i| cw.clients[i]),
        );
    }
    routes_out.sort_by_key(|r| r.vehicle);
    unassigned.sort_unstable();
    let cost = super::routes_cost(inst, &routes_out);
    Ok(Solved {
        solution: Solution {
            solver: "tilsyn".into(),
            cost,
            seconds: clock.elapsed().as_secs_f64(),
            routes: routes_out,
            // The MILP's bound holds for the cost only when it serves everyone.
            lower_bound: unassigned.is_empty().then(|| (bound - 1e-6).ceil() as i64),
            unassigned,
        },
        proven,
        routes: n_routes,
        columns: n_columns,
    })
}

/// Groups clients and vehicles by caseworker and checks the structure:
/// one depot, one day window and cap per caseworker, one visiting window
/// per day for all their clients, and each client's days an interval.
pub fn caseworkers(inst: &Instance) -> Result<Vec<Caseworker>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for k in 0..inst.caseworkers.len() {
        let mut vehicles: Vec<usize> = (0..inst.vehicles.len())
            .filter(|&v| inst.vehicles[v].caseworker == k)
            .collect();
        vehicles.sort_by_key(|&v| inst.vehicles[v].day);
        let clients: Vec<usize> = (0..inst.clients.len())
            .filter(|&c| inst.clients[c].caseworker == k)
            .collect();
        let Some(&first) = vehicles.first() else {
            let none = vec![None; clients.len()];
            out.push(Caseworker {
                clients,
                vehicles,
                depot: 0,
                day: [0, 0],
                visit: [0, 0],
                max_duration: 0,
                span: none,
            });
            continue;
        };
        let rel = |v: usize| {
            let x = &inst.vehicles[v];
            let s = inst.slot_start(k, x.day);
            (x.depot, [x.tw[0] - s, x.tw[1] - s], x.max_duration)
        };
        let (depot, day, max_duration) = rel(first);
        if vehicles
            .iter()
            .any(|&v| rel(v) != (depot, day, max_duration))
            || day[0] < 0
            || day[1] >= SLOT_MINUTES
        {
            let who = &inst.caseworkers[k];
            problems.push(unsupported(crate::tr!(
                "caseworker {who}: vehicles differ in office, window or cap, or leave their day (solve-vrp needs one day shape per caseworker)",
                "saksbehandler {who}: kjøretøyene har ulikt kontor, tidsvindu eller tak, eller går ut over dagen sin (solve-vrp krever én dagsform per saksbehandler)"
            )));
            continue;
        }
        let days: Vec<usize> = vehicles.iter().map(|&v| inst.vehicles[v].day).collect();
        let mut visit: Option<[i64; 2]> = None;
        let span = clients
            .iter()
            .map(|&c| client_span(inst, k, c, &days, &mut visit, &mut problems))
            .collect();
        out.push(Caseworker {
            clients,
            vehicles,
            depot,
            day,
            visit: visit.unwrap_or([0, -1]),
            max_duration,
            span,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Client `c`'s working days as positions in its caseworker `k`'s vehicle
/// days `days`, inclusive; checks that its windows keep the visiting hours
/// `visit` (the first client's) and its days are an interval.
fn client_span(
    inst: &Instance,
    k: usize,
    c: usize,
    days: &[usize],
    visit: &mut Option<[i64; 2]>,
    problems: &mut Vec<Problem>,
) -> Option<(usize, usize)> {
    let client = &inst.clients[c];
    let mut positions = Vec::new();
    for w in &client.time_windows {
        let slot = w[0].div_euclid(SLOT_MINUTES);
        let s = slot * SLOT_MINUTES;
        let here = [w[0] - s, w[1] - s];
        let day = slot - (k * inst.days) as i64;
        if here[1] >= SLOT_MINUTES || day < 0 || day >= inst.days as i64 {
            continue;
        }
        // A window on a day without a vehicle admits nobody.
        let Some(p) = days.iter().position(|&d| d as i64 == day) else {
            continue;
        };
        if *visit.get_or_insert(here) != here {
            let (id, who) = (&client.id, &inst.caseworkers[k]);
            problems.push(unsupported(crate::tr!(
                "client {id}: visiting hours differ from day to day or from other clients of caseworker {who}",
                "klient {id}: besøkstiden varierer fra dag til dag eller fra andre klienter hos saksbehandler {who}"
            )));
        }
        positions.push(p);
    }
    positions.sort_unstable();
    if positions.windows(2).any(|p| p[1] != p[0] + 1) {
        let id = &client.id;
        problems.push(unsupported(crate::tr!(
            "client {id}: its days skip a working day of its caseworker (solve-vrp needs an interval of days)",
            "klient {id}: dagene hopper over en arbeidsdag for saksbehandleren (solve-vrp krever et sammenhengende intervall av dager)"
        )));
    }
    Some((*positions.first()?, *positions.last()?))
}

fn unsupported(message: String) -> Problem {
    Problem {
        code: "unsupported_instance",
        message,
    }
}

/// The chosen routes (index into the enumerated routes, vehicle position).
struct Choice {
    routes: Vec<(usize, usize)>,
    bound: f64,
    proven: bool,
    columns: usize,
}

fn choose(cw: &Caseworker, all: &[DayRoute]) -> Result<Choice, String> {
    let rows: Vec<usize> = (0..cw.clients.len())
        .filter(|&i| cw.span[i].is_some())
        .collect();
    if rows.is_empty() {
        return Ok(Choice {
            routes: Vec::new(),
            bound: 0.0,
            proven: true,
            columns: 0,
        });
    }
    // Days plentiful: only the routes that can be in an optimal choice, by
    // dynamic programming over sets, or the MILP for a large caseload.
    let kept = routes::undominated(all);
    let (picked, bound, proven, mut columns) = match subsets::cheapest_partition(all, &kept, &rows)
    {
        Some((picked, cost)) => (picked, cost as f64, true, 0),
        None => {
            let (picked, outcome) = partition(cw, all, &kept, &rows, &[])?;
            (picked, outcome.bound, outcome.proven, kept.len())
        }
    };
    match days::assign(all, &picked) {
        Ok(assigned) => {
            return Ok(Choice {
                routes: assigned,
                bound,
                proven,
                columns,
            });
        }
        Err(violated) => {
            // Days bind: every route, with the day rows found so far.
            let every: Vec<usize> = (0..all.len()).collect();
            columns = every.len();
            let mut day_rows = vec![violated];
            for _ in 0..MAX_ROUNDS {
                let (picked, outcome) = partition(cw, all, &every, &rows, &day_rows)?;
                match days::assign(all, &picked) {
                    Ok(assigned) => {
                        return Ok(Choice {
                            routes: assigned,
                            bound: outcome.bound,
                            proven: outcome.proven,
                            columns,
                        })
                    }
                    Err(v) => day_rows.push(v),
                }
            }
        }
    }
    Err(crate::tr!(
        "no choice of routes fits the days after {MAX_ROUNDS} rounds",
        "ingen kombinasjon av ruter passer dagene etter {MAX_ROUNDS} runder"
    ))
}

/// Solves the set partitioning over `columns` with the given day rows
/// (`(first, last)` positions: routes inside take at most its days); a
/// client may stay unserved at `UNSERVED_PENALTY`.
fn partition(
    cw: &Caseworker,
    all: &[DayRoute],
    columns: &[usize],
    rows: &[usize],
    day_rows: &[(usize, usize)],
) -> Result<(Vec<usize>, mip::Outcome), String> {
    let mut model = Model::default();
    let y: Vec<usize> = columns
        .iter()
        .map(|&r| model.binary(all[r].cost as f64))
        .collect();
    let mut unserved = Vec::new();
    for &i in rows {
        let mut terms: Vec<(usize, f64)> = columns
            .iter()
            .zip(&y)
            .filter(|(&r, _)| all[r].mask & (1 << i) != 0)
            .map(|(_, &v)| (v, 1.0))
            .collect();
        let u = model.continuous(UNSERVED_PENALTY, 0.0, 1.0);
        unserved.push(u);
        terms.push((u, 1.0));
        model.row(terms, Sense::Eq, 1.0);
    }
    for &(a, b) in day_rows {
        let terms: Vec<(usize, f64)> = columns
            .iter()
            .zip(&y)
            .filter(|(&r, _)| all[r].days.0 >= a && all[r].days.1 <= b)
            .map(|(_, &v)| (v, 1.0))
            .collect();
        model.row(terms, Sense::Le, (b - a + 1) as f64);
    }
    // Start: every client on a route of its own where that is a column and
    // fits the day rows, else nobody served (always feasible).
    let mut singles = vec![0.0; model.vars.len()];
    for (k, &i) in rows.iter().enumerate() {
        match columns.iter().position(|&r| all[r].mask == 1 << i) {
            Some(c) => singles[y[c]] = 1.0,
            None => singles[unserved[k]] = 1.0,
        }
    }
    let start = if model.is_feasible(&singles) {
        singles
    } else {
        let mut none = vec![0.0; model.vars.len()];
        for &u in &unserved {
            none[u] = 1.0;
        }
        none
    };
    let start = Some(start);
    let outcome = mip::solve(
        &model,
        Backend::Microlp,
        &Limits {
            nodes: NODES,
            start,
        },
    )
    .map_err(|e| {
        let n = cw.clients.len();
        crate::tr!(
            "caseworker with {n} clients: {e}",
            "saksbehandler med {n} klienter: {e}"
        )
    })?;
    let picked = columns
        .iter()
        .zip(&y)
        .filter(|(_, &v)| outcome.values[v] > 0.5)
        .map(|(&r, _)| r)
        .collect();
    Ok((picked, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vrp::{check_solution, tiny};

    fn solved(inst: &Instance) -> Solution {
        let s = solve(inst).unwrap();
        assert!(
            check_solution(inst, &s.solution).is_empty(),
            "{:?}",
            check_solution(inst, &s.solution)
        );
        s.solution
    }

    /// With a 600-minute cap one route takes all four homes (30+10+50+10+30
    /// = 130 minutes of driving, cost 1 a minute); with 480 minutes two
    /// routes of 30+10+30 each are best (140). Both proven.
    #[test]
    fn a_small_instance_gets_its_known_optimum() {
        let d = tiny::east_west();
        let one = solved(&tiny::instance(d.clone(), d.clone(), 2, 600, &[(0, 1); 4]));
        assert_eq!(
            (one.cost, one.routes.len(), one.lower_bound),
            (130, 1, Some(130))
        );
        let two = solved(&tiny::instance(d.clone(), d, 2, 480, &[(0, 1); 4]));
        assert_eq!(
            (two.cost, two.routes.len(), two.lower_bound),
            (140, 2, Some(140))
        );
    }

    /// Homes 1 and 2 are allowed only on day 0 and cost 1,000 to join (the
    /// cost matrix need not follow the drive), so alone they are cheaper; but
    /// day 0 has one vehicle, so the day rows force them into one route.
    #[test]
    fn day_rows_force_a_shared_route_when_days_run_out() {
        let d = tiny::east_west();
        let mut cost = d.clone();
        cost[1][2] = 1000;
        cost[2][1] = 1000;
        let inst = tiny::instance(d, cost, 2, 600, &[(0, 0), (0, 0), (1, 1), (1, 1)]);
        let s = solved(&inst);
        assert_eq!(s.cost, (30 + 1000 + 30) + (30 + 10 + 30));
        assert!(s.unassigned.is_empty());
    }

    /// Three homes that each need day 0, with a cap that fits only one visit
    /// a day: one is served, two are listed unassigned, no bound is claimed.
    #[test]
    fn clients_no_day_can_take_are_unassigned_not_an_error() {
        let d = tiny::east_west();
        let inst = tiny::instance(d.clone(), d, 1, 160, &[(0, 0), (0, 0), (0, 0), (0, 0)]);
        let s = solved(&inst);
        assert_eq!(
            (s.routes.len(), s.unassigned.len(), s.lower_bound),
            (1, 3, None)
        );
    }

    /// 23 clients are past the dynamic programme's 22, so the MILP makes
    /// the first choice: with a cap that fits one visit a day, 23 round
    /// trips of 60 minutes on the 23 days, proven.
    #[test]
    fn a_large_caseload_goes_to_the_milp_and_is_proven() {
        let n = 23;
        let d: Vec<Vec<i64>> = (0..=n)
            .map(|a| {
                (0..=n)
                    .map(|b| {
                        if a == b {
                            0
                        } else if a == 0 || b == 0 {
                            30
                        } else {
                            10
                        }
                    })
                    .collect()
            })
            .collect();
        let s = solved(&tiny::instance(d.clone(), d, n, 160, &vec![(0, n - 1); n]));
        assert_eq!(
            (s.cost, s.routes.len(), s.lower_bound),
            (23 * 60, 23, Some(23 * 60))
        );
    }

    /// Visiting hours that differ between clients are refused with a code.
    #[test]
    fn an_instance_outside_the_structure_is_refused() {
        let d = tiny::east_west();
        let mut inst = tiny::instance(d.clone(), d, 1, 600, &[(0, 0); 4]);
        inst.clients[2].time_windows[0][0] += 60;
        let problems = solve(&inst).err().unwrap();
        assert_eq!(problems[0].code, "unsupported_instance");
    }
}
