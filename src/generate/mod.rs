//! Synthetic datasets in the contract's format (`shared/docs/io-contract.md`).
//!
//! The planner needs realistic data to be developed, tested and demonstrated
//! on, and real registers may never leave the department. This module builds
//! such data from public sources only: the homes are drawn at real postcodes
//! (Erik Bolstad's postcode table, see [`postcodes`]) and the shape of the
//! caseload follows Trondheim's 2019 annual report ([`trondheim`]).
//!
//! Every draw comes from one `ChaCha8Rng` seeded by the caller, and nothing
//! depends on hash-map order or the clock, so the same seed and postcode file
//! always give byte-identical files. The small sampling and geometry helpers
//! shared by the generators live here.

mod absences;
mod homes;
pub mod output;
pub mod postcodes;
pub mod report;
mod staff;
pub mod trondheim;

pub use trondheim::{build_trondheim, generate_trondheim, GenerateReport, TrondheimOptions};

use crate::model::LatLon;
use geo::{Bearing, Destination, Distance, Haversine, Point};
use rand::Rng;

/// Splits `total` into whole shares proportional to `weights` by the
/// largest-remainder method: every share is the floor or the ceiling of its
/// exact quota, so no share is more than 1 away from proportional. Ties go to
/// the lower index, which keeps the result deterministic.
pub(crate) fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    assert!(
        sum > 0.0 && weights.iter().all(|w| *w >= 0.0),
        "apportion needs non-negative weights with a positive sum"
    );
    let quotas: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut shares: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let left = total.saturating_sub(shares.iter().sum());
    let remainder = |i: usize| quotas[i] - shares[i] as f64;
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b)));
    for i in order.into_iter().take(left) {
        shares[i] += 1;
    }
    shares
}

/// Draws `k` distinct indices, each item with probability proportional to
/// its weight at every step (Efraimidis-Spirakis keys `ln(u) / w`). Items of
/// weight 0 are never drawn. Returns the indices in increasing order.
pub(crate) fn sample_weighted_distinct<R: Rng>(
    rng: &mut R,
    weights: &[f64],
    k: usize,
) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            // One draw per item, also for weight 0, so the stream of random
            // numbers does not depend on the weights.
            let u: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
            let key = if w > 0.0 {
                u.ln() / w
            } else {
                f64::NEG_INFINITY
            };
            (key, i)
        })
        .filter(|(key, _)| key.is_finite())
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = keyed.into_iter().take(k).map(|(_, i)| i).collect();
    chosen.sort_unstable();
    chosen
}

fn point(p: LatLon) -> Point<f64> {
    Point::new(p.lon, p.lat)
}

/// Great-circle distance in kilometres.
pub(crate) fn distance_km(a: LatLon, b: LatLon) -> f64 {
    Haversine::distance(point(a), point(b)) / 1000.0
}

/// Initial great-circle bearing from `from` to `to`, degrees clockwise from
/// north in `[0, 360)`.
pub(crate) fn bearing_deg(from: LatLon, to: LatLon) -> f64 {
    Haversine::bearing(point(from), point(to))
}

/// The point `metres` away from `from` in direction `bearing` (degrees).
pub(crate) fn offset(from: LatLon, bearing: f64, metres: f64) -> LatLon {
    let p = Haversine::destination(point(from), bearing, metres);
    LatLon::new(p.y(), p.x())
}

/// Rounds to 5 decimals (about a metre), the precision the files carry, so
/// the values kept in memory are exactly the ones written.
pub(crate) fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn apportion_stays_within_one_of_the_quota_and_sums_up() {
        let weights = [1.0, 1.0, 0.8, 1.0, 0.6, 1.0];
        let shares = apportion(164, &weights);
        assert_eq!(shares.iter().sum::<usize>(), 164);
        let sum: f64 = weights.iter().sum();
        for (s, w) in shares.iter().zip(weights) {
            let quota = 164.0 * w / sum;
            assert!((*s as f64 - quota).abs() < 1.0, "{s} vs {quota}");
        }
    }

    #[test]
    fn apportion_of_exact_quotas_is_exact() {
        assert_eq!(apportion(10, &[1.0, 1.0]), vec![5, 5]);
        assert_eq!(apportion(3, &[0.0, 2.0, 1.0]), vec![0, 2, 1]);
    }

    #[test]
    fn weighted_sample_is_distinct_and_skips_zero_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let weights = [1.0, 0.0, 2.0, 1.0, 0.0, 5.0];
        let chosen = sample_weighted_distinct(&mut rng, &weights, 10);
        assert_eq!(chosen, vec![0, 2, 3, 5]);
        let two = sample_weighted_distinct(&mut rng, &weights, 2);
        assert_eq!(two.len(), 2);
        assert!(two.iter().all(|&i| weights[i] > 0.0));
    }

    #[test]
    fn geometry_matches_known_distances_and_directions() {
        let office = LatLon::new(63.3615, 10.3803);
        let steinkjer = LatLon::new(64.0149, 11.4954);
        let d = distance_km(office, steinkjer);
        assert!((90.0..100.0).contains(&d), "{d}");
        let b = bearing_deg(office, steinkjer);
        assert!((30.0..45.0).contains(&b), "{b}");
        let moved = offset(office, 90.0, 500.0);
        assert!((distance_km(office, moved) - 0.5).abs() < 1e-6);
        assert!(moved.lon > office.lon);
    }
}
