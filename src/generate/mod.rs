//! Synthetic datasets in the contract's format (`shared/docs/io-contract.md`).
//!
//! The planner needs realistic data to be developed, tested and demonstrated
//! on, and real registers may never leave the department. This module builds
//! such data from public sources only: the homes are drawn at real postcodes
//! (Erik Bolstad's postcode table, see [`postcodes`]). Two generators share
//! the rules for teams, placements, dates and absences (`history`,
//! `absences`): [`trondheim`] follows Trondheim's 2019 annual report, and
//! [`norway`] makes a department of any size across Norway's largest towns.
//!
//! Every draw comes from one `ChaCha8Rng` seeded by the caller, and nothing
//! depends on hash-map order or the clock, so the same seed and postcode file
//! always give byte-identical files. The small sampling and geometry helpers
//! shared by the generators live here.

mod absences;
mod history;
mod homes;
pub mod norway;
pub mod output;
pub mod postcodes;
pub mod report;
mod staff;
pub mod trondheim;

pub use norway::{build_norway, generate_norway, NorwayError, NorwayOptions, NorwayReport};
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

/// Splits `total` (at least `weights.len()`) into whole shares of at least 1
/// each, the rest by Adams' method: every further unit goes to the share with
/// the most weight per unit so far (ties to the lower index). That keeps the
/// largest weight per unit as small as it can be, which is what balancing
/// caseloads over offices needs. Weights may be 0.
pub(crate) fn apportion_at_least_one(total: usize, weights: &[f64]) -> Vec<usize> {
    let mut shares = vec![1usize; weights.len()];
    for _ in weights.len()..total {
        let per_unit = |i: usize| weights[i] / shares[i] as f64;
        let Some(next) =
            (0..weights.len()).max_by(|&a, &b| per_unit(a).total_cmp(&per_unit(b)).then(b.cmp(&a)))
        else {
            break;
        };
        shares[next] += 1;
    }
    shares
}

/// An ASCII id from a Norwegian name: lower case, æ ø å as ae o a, accents
/// dropped, every other run of characters a single `-` ("Nordre Follo" ->
/// `nordre-follo`, "Tromsø" -> `tromso`). Never empty.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.to_lowercase().chars() {
        let ascii = match ch {
            'æ' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'å' | 'á' | 'à' | 'â' | 'ä' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' | 'ù' | 'û' => "u",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'č' => "c",
            'š' => "s",
            'ž' => "z",
            'đ' => "d",
            'ŋ' => "n",
            'ŧ' => "t",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if ascii != "-" || !(out.is_empty() || out.ends_with('-')) {
            out.push_str(ascii);
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "office".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Mainland Norway's bounding box, latitude and longitude (WGS84 degrees):
/// Lindesnes to Kinnarodden, Utsira to Vardø, with a little room.
pub const NORWAY_BOX: ((f64, f64), (f64, f64)) = ((57.9, 71.2), (4.5, 31.2));

/// Inside [`NORWAY_BOX`] by at least `margin` degrees on every side.
pub(crate) fn in_norway(p: LatLon, margin: f64) -> bool {
    let ((lat_min, lat_max), (lon_min, lon_max)) = NORWAY_BOX;
    p.lat >= lat_min + margin
        && p.lat <= lat_max - margin
        && p.lon >= lon_min + margin
        && p.lon <= lon_max - margin
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

    /// Everyone gets one; the rest go where the load per unit is highest.
    #[test]
    fn apportion_at_least_one_balances_the_load() {
        assert_eq!(apportion_at_least_one(3, &[100.0, 0.0, 1.0]), vec![1, 1, 1]);
        assert_eq!(
            apportion_at_least_one(10, &[600.0, 300.0, 100.0]),
            vec![6, 3, 1]
        );
        assert_eq!(apportion_at_least_one(5, &[1.0, 1.0]), vec![3, 2]);
        let shares = apportion_at_least_one(600, &[5.0, 3.0, 1.0, 0.5]);
        assert_eq!(shares.iter().sum::<usize>(), 600);
        assert!(shares.iter().all(|s| *s >= 1));
    }

    #[test]
    fn slugs_are_ascii_and_never_empty() {
        assert_eq!(slug("Oslo"), "oslo");
        assert_eq!(slug("Tromsø"), "tromso");
        assert_eq!(slug("Bærum"), "baerum");
        assert_eq!(slug("Nordre Follo"), "nordre-follo");
        assert_eq!(slug("Ålesund"), "alesund");
        assert_eq!(
            slug("  Guovdageaidnu - Kautokeino "),
            "guovdageaidnu-kautokeino"
        );
        assert_eq!(slug("Kárášjohka"), "karasjohka");
        assert_eq!(slug("???"), "office");
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
