//! The pure routing core of a quarter's plan, as a vehicle routing problem
//! with time windows that any VRP solver can read, and `tilsyn`'s own solver
//! for it.
//!
//! The core keeps only what every solver can express: day trips by car,
//! one vehicle per caseworker and working day (office to office, within the
//! working-day window and the working-time cap), one client per required
//! visit (its caseworker, its service time, its visiting hours on each day
//! of its window) and the planner's own car matrix. The arc cost is the
//! planner's: kilometres at the km rate plus driving time at the staff-hour
//! rate, in øre. Allowances, hotels, flights, rental cars, early visits and
//! the weekly field-day limit are left out (see README, "Against other
//! solvers").
//!
//! Caseworker and day share one time axis, so a plain time window says both:
//! caseworker-day `(c, d)` owns the minutes from `(c * days + d) * 1440`
//! ([`Instance::slot_start`]). Vehicles are active only inside their own
//! slot, so a client's windows, all inside its caseworker's slots, admit
//! exactly that caseworker's vehicles on the client's allowed days.
//!
//! [`export`] builds an [`Instance`] from a dataset, [`solve`] solves one,
//! [`schedule`] times a route exactly and backs [`check_solution`]. The
//! instance and solution files are JSON; [`Instance::load`] validates a file
//! once and reports every problem with a stable code.

pub mod export;
pub mod schedule;
pub mod solve;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// Version tag of the instance format.
pub const FORMAT: &str = "tilsyn-vrp/1";
/// Minutes in one caseworker-day slot of the time axis.
pub const SLOT_MINUTES: i64 = 1440;

/// The working rules the instance was made with, minutes from midnight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub day_start: i64,
    pub day_end: i64,
    pub max_day_minutes: i64,
    pub visit_minutes: i64,
    /// Visiting hours: a visit starts at or after `visit_earliest` and ends
    /// by `visit_latest`.
    pub visit_earliest: i64,
    pub visit_latest: i64,
    pub km_rate_nok: f64,
    pub staff_hour_nok: f64,
    /// Whether each client's one `hull` window gives the same feasible
    /// routes as its exact per-day `time_windows` (see [`export`]).
    pub hull_is_exact: bool,
}

/// A place: an office (depot) or a child's home, by id only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    /// `office` or `child`.
    pub kind: String,
}

/// One caseworker on one working day: office to office in the slot's window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Index into `caseworkers`.
    pub caseworker: usize,
    /// Day of the quarter, 0-based, and its date.
    pub day: usize,
    pub date: String,
    /// Index into `locations`: the office, start and end.
    pub depot: usize,
    /// Leave the office no earlier, be back no later (absolute minutes).
    pub tw: [i64; 2],
    /// Longest working day, waiting included.
    pub max_duration: i64,
}

/// One required visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    /// Index into `locations`.
    pub location: usize,
    /// Index into `caseworkers`: only their vehicles may make the visit.
    pub caseworker: usize,
    pub service: i64,
    /// First and last day of the quarter (0-based) the visit may fall on.
    pub days: [usize; 2],
    /// Exact windows for the start of the visit, one per working day of the
    /// caseworker in `days`, absolute minutes, ascending.
    pub time_windows: Vec<[i64; 2]>,
    /// One window from the first to the last of `time_windows`.
    pub hull: [i64; 2],
}

/// A required visit the core leaves out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    pub child: String,
    pub caseworker: String,
    /// `no_day_trip`, `no_working_day` or `empty_window`.
    pub reason: String,
}

/// A routing instance, as written to and read from JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub format: String,
    pub name: String,
    pub first_date: String,
    /// Days in the quarter (`D` of the time axis).
    pub days: usize,
    pub units: Units,
    pub rules: Rules,
    pub caseworkers: Vec<String>,
    pub locations: Vec<Location>,
    pub vehicles: Vec<Vehicle>,
    pub clients: Vec<Client>,
    pub excluded: Vec<Excluded>,
    /// Drive minutes between locations, row = from.
    pub duration: Vec<Vec<i64>>,
    /// Drive metres between locations (for information; cost holds them).
    pub distance: Vec<Vec<i64>>,
    /// Arc cost in øre: km rate on metres plus staff rate on minutes.
    pub cost: Vec<Vec<i64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Units {
    pub time: String,
    pub distance: String,
    pub cost: String,
}

impl Default for Units {
    fn default() -> Self {
        Self {
            time: "minutes".into(),
            distance: "metres".into(),
            cost: "øre".into(),
        }
    }
}

/// A route: a vehicle and the clients it visits, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub vehicle: usize,
    pub clients: Vec<usize>,
}

/// What any solver hands back, in one format the checker reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    pub solver: String,
    /// Total arc cost of the routes, øre.
    pub cost: i64,
    pub seconds: f64,
    pub routes: Vec<Route>,
    /// Clients left unserved.
    pub unassigned: Vec<usize>,
    /// A proven lower bound on the cost, øre, when the solver has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<i64>,
}

/// One problem found in an instance or a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

fn problem(code: &'static str, message: String) -> Problem {
    Problem { code, message }
}

impl Instance {
    /// First minute of caseworker-day `(caseworker, day)` on the time axis.
    pub fn slot_start(&self, caseworker: usize, day: usize) -> i64 {
        slot_start(self.days, caseworker, day)
    }

    /// Reads and validates an instance file; every problem is listed.
    pub fn load(path: &Path) -> Result<Self, Vec<Problem>> {
        let text = crate::diagnostics::read_user_text(path).map_err(|e| {
            vec![problem(
                "unreadable_file",
                format!("{}: {e}", path.display()),
            )]
        })?;
        let inst: Instance = serde_json::from_str(&text).map_err(|e| {
            let path = path.display();
            vec![problem(
                "invalid_json",
                crate::tr!(
                    "{path}: {e} (hint: write the file with `tilsyn export-vrp`)",
                    "{path}: {e} (tips: skriv filen med `tilsyn export-vrp`)"
                ),
            )]
        })?;
        let problems = inst.validate();
        if problems.is_empty() {
            Ok(inst)
        } else {
            Err(problems)
        }
    }

    /// Every inconsistency: wrong format, matrices of the wrong shape,
    /// indices out of range, empty or unordered windows.
    pub fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.format != FORMAT {
            out.push(problem("unknown_format", {
                let format = &self.format;
                crate::tr!(
                    "format \"{format}\", expected \"{FORMAT}\"",
                    "format «{format}», forventet «{FORMAT}»"
                )
            }));
        }
        let n = self.locations.len();
        for (name, m) in [
            ("duration", &self.duration),
            ("distance", &self.distance),
            ("cost", &self.cost),
        ] {
            if m.len() != n || m.iter().any(|row| row.len() != n) {
                out.push(problem(
                    "matrix_shape",
                    crate::tr!(
                        "{name} is not {n} x {n} (one row and column per location)",
                        "{name} er ikke {n} x {n} (én rad og kolonne per sted)"
                    ),
                ));
            } else if m.iter().flatten().any(|&x| x < 0) {
                out.push(problem(
                    "negative_value",
                    crate::tr!("{name} has a negative entry", "{name} har en negativ verdi"),
                ));
            }
        }
        for (k, v) in self.vehicles.iter().enumerate() {
            if v.caseworker >= self.caseworkers.len() || v.depot >= n || v.day >= self.days {
                out.push(problem(
                    "bad_index",
                    crate::tr!(
                        "vehicle {k}: caseworker, depot or day out of range",
                        "kjøretøy {k}: saksbehandler, depot eller dag utenfor gyldig område"
                    ),
                ));
            }
            if v.tw[0] > v.tw[1] || v.max_duration < 0 {
                out.push(problem("bad_window", {
                    let (tw, max) = (v.tw, v.max_duration);
                    crate::tr!(
                        "vehicle {k}: window {tw:?} or max_duration {max} is empty",
                        "kjøretøy {k}: tidsvindu {tw:?} eller max_duration {max} er tomt"
                    )
                }));
            }
        }
        for (k, c) in self.clients.iter().enumerate() {
            if c.caseworker >= self.caseworkers.len() || c.location >= n {
                out.push(problem("bad_index", {
                    let id = &c.id;
                    crate::tr!(
                        "client {k} ({id}): caseworker or location out of range",
                        "klient {k} ({id}): saksbehandler eller sted utenfor gyldig område"
                    )
                }));
            }
            let ordered = c.time_windows.iter().all(|w| w[0] <= w[1])
                && c.time_windows.windows(2).all(|p| p[0][1] < p[1][0]);
            if c.time_windows.is_empty() || !ordered || c.service < 0 {
                out.push(problem(
                    "bad_window",
                    {
                        let id = &c.id;
                        crate::tr!(
                            "client {k} ({id}): time_windows must be non-empty, ascending and disjoint",
                            "klient {k} ({id}): time_windows må være ikke-tomme, stigende og uten overlapp"
                        )
                    },
                ));
            }
        }
        out
    }
}

/// First minute of caseworker-day `(caseworker, day)` for a quarter of `days` days.
pub fn slot_start(days: usize, caseworker: usize, day: usize) -> i64 {
    (caseworker * days + day) as i64 * SLOT_MINUTES
}

/// Total arc cost of a set of routes, øre.
pub fn routes_cost(inst: &Instance, routes: &[Route]) -> i64 {
    routes
        .iter()
        .filter(|r| !r.clients.is_empty())
        .map(|r| {
            let depot = inst.vehicles[r.vehicle].depot;
            let mut at = depot;
            let mut sum = 0;
            for &c in &r.clients {
                let to = inst.clients[c].location;
                sum += inst.cost[at][to];
                at = to;
            }
            sum + inst.cost[at][depot]
        })
        .sum()
}

/// Checks a solution against every rule of the instance: each client
/// served once or listed as unassigned, by a vehicle of its own caseworker,
/// each vehicle used at most once, every route timed within the windows and
/// the working-time cap, and the stated cost equal to the routes' cost.
pub fn check_solution(inst: &Instance, sol: &Solution) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen = vec![0usize; inst.clients.len()];
    let mut used = vec![false; inst.vehicles.len()];
    for (k, r) in sol.routes.iter().enumerate() {
        if r.vehicle >= inst.vehicles.len() || r.clients.iter().any(|&c| c >= inst.clients.len()) {
            out.push(problem(
                "bad_index",
                crate::tr!(
                    "route {k}: vehicle or client out of range",
                    "rute {k}: kjøretøy eller klient utenfor gyldig område"
                ),
            ));
            continue;
        }
        if std::mem::replace(&mut used[r.vehicle], true) {
            out.push(problem("vehicle_twice", {
                let vehicle = r.vehicle;
                crate::tr!(
                    "vehicle {vehicle} has two routes",
                    "kjøretøy {vehicle} har to ruter"
                )
            }));
        }
        let v = &inst.vehicles[r.vehicle];
        for &c in &r.clients {
            seen[c] += 1;
            if inst.clients[c].caseworker != v.caseworker {
                out.push(problem("wrong_caseworker", {
                    let (id, who) = (&inst.clients[c].id, &inst.caseworkers[v.caseworker]);
                    crate::tr!(
                        "client {id} on a vehicle of caseworker {who}",
                        "klient {id} på et kjøretøy for saksbehandler {who}"
                    )
                }));
            }
        }
        if schedule::time_route(inst, r).is_none() {
            out.push(problem(
                "infeasible_route",
                {
                    let vehicle = r.vehicle;
                    crate::tr!(
                        "route {k} (vehicle {vehicle}) breaks a window or the working-time cap",
                        "rute {k} (kjøretøy {vehicle}) bryter et tidsvindu eller grensen for arbeidstid"
                    )
                },
            ));
        }
    }
    for &c in &sol.unassigned {
        match seen.get_mut(c) {
            Some(n) => *n += 1,
            None => out.push(problem(
                "bad_index",
                crate::tr!(
                    "unassigned client {c} out of range",
                    "ikke tildelt klient {c} utenfor gyldig område"
                ),
            )),
        }
    }
    for (c, n) in seen.iter().enumerate() {
        if *n != 1 {
            out.push(problem("client_count", {
                let id = &inst.clients[c].id;
                crate::tr!(
                    "client {id} is served or listed {n} times, not once",
                    "klient {id} er betjent eller oppført {n} ganger, ikke én gang"
                )
            }));
        }
    }
    if out.is_empty() {
        let cost = routes_cost(inst, &sol.routes);
        if cost != sol.cost {
            out.push(problem("cost_mismatch", {
                let stated = sol.cost;
                crate::tr!(
                    "stated cost {stated} but the routes cost {cost}",
                    "oppgitt kostnad {stated}, men rutene koster {cost}"
                )
            }));
        }
    }
    out
}

/// Tiny hand-made instances for the tests.
#[cfg(test)]
pub(crate) mod tiny {
    use super::*;

    /// One caseworker with the office at location 0 and clients at 1..=n,
    /// working every one of `days` days from 07:30 to 21:00 with a cap of
    /// `cap` minutes; 90-minute visits between 09:00 and 20:00; client `i`
    /// allowed on the days `allowed[i]` (inclusive).
    pub fn instance(
        duration: Vec<Vec<i64>>,
        cost: Vec<Vec<i64>>,
        days: usize,
        cap: i64,
        allowed: &[(usize, usize)],
    ) -> Instance {
        let rules = Rules {
            day_start: 450,
            day_end: 1260,
            max_day_minutes: cap,
            visit_minutes: 90,
            visit_earliest: 540,
            visit_latest: 1200,
            km_rate_nok: 5.3,
            staff_hour_nok: 550.0,
            hull_is_exact: 540 + cap <= 1200,
        };
        let vehicles = (0..days)
            .map(|d| Vehicle {
                caseworker: 0,
                day: d,
                date: format!("day {d}"),
                depot: 0,
                tw: [slot_start(days, 0, d) + 450, slot_start(days, 0, d) + 1260],
                max_duration: cap,
            })
            .collect();
        let clients = allowed
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| {
                let time_windows: Vec<[i64; 2]> = (a..=b)
                    .map(|d| [slot_start(days, 0, d) + 540, slot_start(days, 0, d) + 1110])
                    .collect();
                Client {
                    id: format!("B{i}"),
                    location: i + 1,
                    caseworker: 0,
                    service: 90,
                    days: [a, b],
                    hull: [time_windows[0][0], time_windows[time_windows.len() - 1][1]],
                    time_windows,
                }
            })
            .collect();
        let n = duration.len();
        let mut locations = vec![Location {
            id: "O".into(),
            kind: "office".into(),
        }];
        locations.extend((1..n).map(|i| Location {
            id: format!("B{}", i - 1),
            kind: "child".into(),
        }));
        Instance {
            format: FORMAT.into(),
            name: "tiny".into(),
            first_date: "2027-01-04".into(),
            days,
            units: Units::default(),
            rules,
            caseworkers: vec!["S01".into()],
            locations,
            vehicles,
            clients,
            excluded: Vec::new(),
            distance: duration.clone(),
            duration,
            cost,
        }
    }

    /// Office in the middle, two homes east (1, 2) and two west (3, 4): 30
    /// minutes out to each, 10 between neighbours, 50 across.
    pub fn east_west() -> Vec<Vec<i64>> {
        vec![
            vec![0, 30, 30, 30, 30],
            vec![30, 0, 10, 50, 50],
            vec![30, 10, 0, 50, 50],
            vec![30, 50, 50, 0, 10],
            vec![30, 50, 50, 10, 0],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_round_trips_through_json_and_validates() {
        let d = tiny::east_west();
        let inst = tiny::instance(d.clone(), d, 3, 600, &[(0, 2), (1, 1), (0, 0), (2, 2)]);
        let text = serde_json::to_string(&inst).unwrap();
        let back: Instance = serde_json::from_str(&text).unwrap();
        assert_eq!(back, inst);
        assert!(back.validate().is_empty(), "{:?}", back.validate());
    }

    /// Every kind of broken instance is reported, all at once, with its code.
    #[test]
    fn validation_collects_every_problem() {
        let d = tiny::east_west();
        let mut inst = tiny::instance(d.clone(), d, 2, 600, &[(0, 1), (1, 1)]);
        inst.format = "other".into();
        inst.cost.pop();
        inst.vehicles[0].depot = 99;
        inst.clients[1].time_windows.clear();
        let codes: Vec<&str> = inst.validate().iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["unknown_format", "matrix_shape", "bad_index", "bad_window"]
        );
    }

    /// The checker names a client served twice, a client on a day outside its
    /// range, a vehicle used twice, and a wrong cost.
    #[test]
    fn the_checker_finds_broken_solutions() {
        let d = tiny::east_west();
        let inst = tiny::instance(d.clone(), d, 2, 600, &[(0, 1), (1, 1), (0, 1), (0, 1)]);
        let sol = |routes: Vec<Route>, unassigned: Vec<usize>| Solution {
            solver: "test".into(),
            cost: routes_cost(&inst, &routes),
            seconds: 0.0,
            routes,
            unassigned,
            lower_bound: None,
        };
        let good = sol(
            vec![
                Route {
                    vehicle: 0,
                    clients: vec![0, 2, 3],
                },
                Route {
                    vehicle: 1,
                    clients: vec![1],
                },
            ],
            vec![],
        );
        assert!(check_solution(&inst, &good).is_empty());
        let twice = sol(
            vec![
                Route {
                    vehicle: 0,
                    clients: vec![0, 1],
                },
                Route {
                    vehicle: 0,
                    clients: vec![1],
                },
            ],
            vec![2, 3],
        );
        let codes: Vec<&str> = check_solution(&inst, &twice)
            .iter()
            .map(|p| p.code)
            .collect();
        assert!(
            codes.contains(&"vehicle_twice")
                && codes.contains(&"client_count")
                && codes.contains(&"infeasible_route")
        );
        let mut wrong = good.clone();
        wrong.cost += 1;
        assert_eq!(check_solution(&inst, &wrong)[0].code, "cost_mismatch");
    }
}
