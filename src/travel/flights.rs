//! Domestic flights: which airports connect, how long a leg takes, what it costs.
//!
//! There is no timetable offline, so a flight leaves when the traveller is
//! ready (after the airport buffer) between the first departure and the last
//! arrival of the day. The route map below is a simplified summary of
//! Norwegian domestic routes (SAS, Norwegian, Widerøe, 2024-2026): the big
//! airports and their regional spokes. A journey may fly direct or change
//! once; Røros, Ørland and airports without scheduled service have no routes.

use super::great_circle_metres;
use crate::geodata;
use crate::settings::Flight;
use crate::units::{Minutes, Ore};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Direct routes, both ways. Each line: a hub and the airports it serves.
const ROUTES: &[(&str, &[&str])] = &[
    (
        "OSL",
        &[
            "AES", "ALF", "BDU", "BGO", "BOO", "EVE", "FDE", "FRO", "HAU", "HOV", "KKN", "KRS",
            "KSU", "LKL", "LKN", "LYR", "MOL", "MQN", "RRS", "SDN", "SOG", "SRP", "SVG", "TOS",
            "TRD",
        ],
    ),
    (
        "TRD",
        &[
            "AES", "BGO", "BNN", "BOO", "EVE", "KRS", "MJF", "MQN", "OSY", "RVK", "SSJ", "SVG",
            "TOS", "TRF",
        ],
    ),
    (
        "BGO",
        &[
            "AES", "BOO", "FDE", "FRO", "HAU", "HOV", "KRS", "KSU", "MOL", "SDN", "SOG", "SRP",
            "SVG", "TOS", "TRF",
        ],
    ),
    (
        "BOO",
        &[
            "ANX", "BNN", "EVE", "LKN", "MJF", "MQN", "RET", "SKN", "SSJ", "SVJ", "TOS",
        ],
    ),
    (
        "TOS",
        &[
            "ALF", "ANX", "BJF", "BVG", "EVE", "HAA", "HFT", "HVG", "KKN", "LKL", "LYR", "MEH",
            "SOJ", "VAW", "VDS",
        ],
    ),
    ("SVG", &["AES", "KRS"]),
];

/// The direct-route graph over `geodata::airports()` indices.
pub struct FlightNetwork {
    direct: HashSet<(usize, usize)>,
}

pub fn network() -> &'static FlightNetwork {
    static CELL: OnceLock<FlightNetwork> = OnceLock::new();
    CELL.get_or_init(|| {
        let index = |code: &str| geodata::airports().iter().position(|a| a.iata == code);
        let mut direct = HashSet::new();
        for (hub, spokes) in ROUTES {
            for spoke in *spokes {
                if let (Some(a), Some(b)) = (index(hub), index(spoke)) {
                    direct.insert((a, b));
                    direct.insert((b, a));
                }
            }
        }
        FlightNetwork { direct }
    })
}

impl FlightNetwork {
    pub fn has_routes(&self, airport: usize) -> bool {
        self.direct.iter().any(|(a, _)| *a == airport)
    }

    /// The airports of the quickest journey from one airport to another,
    /// both ends included: direct, or with one change. `None` when the two
    /// are not connected within one change, or are the same airport.
    pub fn path(&self, from: usize, to: usize, settings: &Flight) -> Option<Vec<usize>> {
        if from == to {
            return None;
        }
        if self.direct.contains(&(from, to)) {
            return Some(vec![from, to]);
        }
        (0..geodata::airports().len())
            .filter(|via| self.direct.contains(&(from, *via)) && self.direct.contains(&(*via, to)))
            .min_by_key(|via| {
                block_minutes(from, *via).0
                    + block_minutes(*via, to).0
                    + settings.connection_minutes
            })
            .map(|via| vec![from, via, to])
    }
}

fn leg_km(a: usize, b: usize) -> f64 {
    let airports = geodata::airports();
    great_circle_metres(airports[a].location, airports[b].location) / 1000.0
}

/// Gate-to-gate time of one leg: 20 minutes of taxi, climb and approach plus
/// 600 km/h (TRD-OSL 59 min, TRD-BOO 68 min, TRD-TOS 102 min).
pub fn block_minutes(a: usize, b: usize) -> Minutes {
    Minutes(20 + (leg_km(a, b) / 10.0).round() as i64)
}

/// One-way fare of one leg: base plus per km, capped.
pub fn fare(a: usize, b: usize, settings: &Flight) -> Ore {
    let nok = (settings.fare_base_nok + settings.fare_per_km_nok * leg_km(a, b))
        .min(settings.fare_max_nok);
    Ore::from_nok(nok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(code: &str) -> usize {
        geodata::airports()
            .iter()
            .position(|a| a.iata == code)
            .unwrap()
    }

    #[test]
    fn trondheim_flies_direct_to_the_coast_and_changes_for_lofoten() {
        let net = network();
        let s = Flight::default();
        assert_eq!(net.path(idx("TRD"), idx("OSY"), &s).unwrap().len(), 2);
        assert_eq!(net.path(idx("TRD"), idx("TOS"), &s).unwrap().len(), 2);
        let lofoten = net.path(idx("TRD"), idx("LKN"), &s).unwrap();
        assert_eq!(lofoten.len(), 3);
        assert_eq!(geodata::airports()[lofoten[1]].iata, "BOO");
        // No scheduled flights to Røros or Ørland from Trondheim.
        assert!(net
            .path(idx("TRD"), idx("RRS"), &s)
            .map_or(true, |p| p.len() == 3));
        assert!(net.path(idx("TRD"), idx("OLA"), &s).is_none());
        assert!(!net.has_routes(idx("OLA")));
    }

    #[test]
    fn legs_take_realistic_time_and_money() {
        let s = Flight::default();
        let osl = block_minutes(idx("TRD"), idx("OSL"));
        assert!((50..70).contains(&osl.0), "{osl:?}");
        let tos = block_minutes(idx("TRD"), idx("TOS"));
        assert!((95..120).contains(&tos.0), "{tos:?}");
        let f = fare(idx("TRD"), idx("TOS"), &s).nok();
        assert!((700.0..=3000.0).contains(&f), "{f}");
    }
}
