//! Times one route exactly: when to leave the office and when each visit
//! starts, so that every visit starts inside one of its windows, the
//! vehicle leaves and returns inside its own window, and the working day
//! (waiting included) is as short as it can be and within the cap.
//!
//! For a fixed departure the earliest start at each stop is best (arriving
//! earlier never hurts). The best departure is one of a few candidates: the
//! vehicle's earliest, or a departure that makes some stop, driven to
//! without waiting, arrive exactly at the start or the end of one of its
//! windows. (A shortest day either has no waiting, and can leave earlier
//! until a stop meets a window start or the vehicle its earliest departure;
//! or it waits, and leaving later shortens it until a stop before the first
//! wait meets a window end.) Each candidate is tried; the shortest feasible
//! day wins, the earliest departure on ties.

use super::{Instance, Route};

/// A timed route, absolute minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    pub depart: i64,
    /// Start of each visit, in route order.
    pub starts: Vec<i64>,
    pub back: i64,
}

impl Timing {
    pub fn duration(&self) -> i64 {
        self.back - self.depart
    }
}

/// The shortest feasible timing of `route`, or `None` when none exists.
pub fn time_route(inst: &Instance, route: &Route) -> Option<Timing> {
    let v = inst.vehicles.get(route.vehicle)?;
    // Windows that can matter for this vehicle: those that meet its window.
    let windows: Vec<Vec<[i64; 2]>> = route
        .clients
        .iter()
        .map(|&c| {
            inst.clients[c]
                .time_windows
                .iter()
                .filter(|w| w[1] >= v.tw[0] && w[0] <= v.tw[1])
                .copied()
                .collect()
        })
        .collect();
    if windows.iter().any(Vec::is_empty) {
        return None;
    }
    // Minutes from departure to arrival at each stop when nobody waits.
    let mut prefix = Vec::with_capacity(route.clients.len());
    let (mut at, mut elapsed) = (v.depot, 0);
    for &c in &route.clients {
        let client = &inst.clients[c];
        elapsed += inst.duration[at][client.location];
        prefix.push(elapsed);
        elapsed += client.service;
        at = client.location;
    }
    let mut candidates = vec![v.tw[0]];
    for (ws, p) in windows.iter().zip(&prefix) {
        for w in ws {
            candidates.extend([w[0] - p, w[1] - p]);
        }
    }
    candidates.retain(|&t| t >= v.tw[0] && t <= v.tw[1]);
    candidates.sort_unstable();
    candidates.dedup();
    let mut best: Option<Timing> = None;
    for t0 in candidates {
        if let Some(t) = forward(inst, route, &windows, t0) {
            if best.as_ref().map_or(true, |b| t.duration() < b.duration()) {
                best = Some(t);
            }
        }
    }
    best
}

/// Earliest starts when leaving at `depart`, if every rule holds.
fn forward(
    inst: &Instance,
    route: &Route,
    windows: &[Vec<[i64; 2]>],
    depart: i64,
) -> Option<Timing> {
    let v = &inst.vehicles[route.vehicle];
    let mut starts = Vec::with_capacity(route.clients.len());
    let (mut at, mut time) = (v.depot, depart);
    for (&c, ws) in route.clients.iter().zip(windows) {
        let client = &inst.clients[c];
        let arrive = time + inst.duration[at][client.location];
        let w = ws.iter().find(|w| w[1] >= arrive)?;
        let start = arrive.max(w[0]);
        starts.push(start);
        time = start + client.service;
        at = client.location;
    }
    let back = time + inst.duration[at][v.depot];
    (back <= v.tw[1] && back - depart <= v.max_duration).then_some(Timing {
        depart,
        starts,
        back,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vrp::{slot_start, tiny};

    /// A home 30 minutes out: leave at 08:30 (not 07:30 and wait), visit at
    /// 09:00, back at 11:00, on the vehicle's own day.
    #[test]
    fn a_route_leaves_as_late_as_the_first_visit_allows() {
        let d = tiny::east_west();
        let inst = tiny::instance(d.clone(), d, 3, 600, &[(0, 2), (0, 2), (0, 2), (0, 2)]);
        let slot = slot_start(3, 0, 1);
        let t = time_route(
            &inst,
            &Route {
                vehicle: 1,
                clients: vec![0],
            },
        )
        .unwrap();
        assert_eq!(
            (t.depart, t.starts.clone(), t.back),
            (slot + 510, vec![slot + 540], slot + 660)
        );
        assert_eq!(t.duration(), 150);
    }

    /// All four homes take 30+90+10+90+50+90+10+90+30 = 490 minutes: within a
    /// 600-minute cap, over a 480-minute one.
    #[test]
    fn the_cap_counts_travel_and_visits() {
        let d = tiny::east_west();
        let all = Route {
            vehicle: 0,
            clients: vec![0, 1, 2, 3],
        };
        let long = tiny::instance(d.clone(), d.clone(), 1, 600, &[(0, 0); 4]);
        assert_eq!(time_route(&long, &all).map(|t| t.duration()), Some(490));
        let short = tiny::instance(d.clone(), d, 1, 480, &[(0, 0); 4]);
        assert!(time_route(&short, &all).is_none());
    }

    /// A client allowed only on day 2 cannot ride on day 0's vehicle.
    #[test]
    fn a_visit_outside_its_days_has_no_timing() {
        let d = tiny::east_west();
        let inst = tiny::instance(d.clone(), d, 3, 600, &[(2, 2), (0, 2), (0, 2), (0, 2)]);
        assert!(time_route(
            &inst,
            &Route {
                vehicle: 0,
                clients: vec![0]
            }
        )
        .is_none());
        assert!(time_route(
            &inst,
            &Route {
                vehicle: 2,
                clients: vec![0]
            }
        )
        .is_some());
    }
}
