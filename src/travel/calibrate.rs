//! Fits the offline car model ([`super::car`]) to a road engine's drives,
//! so a department that has an engine once can plan without it and still
//! get its own roads' detours and speeds.
//!
//! [`sample`] takes the drives the engine gave between the places trips
//! combine: within each office's group, office to home, home to office and
//! home to home, every one a road reaches and at least
//! [`MIN_GREAT_CIRCLE_M`] apart in a straight line (shorter hops are mostly
//! the leg overhead and the streets' grid). [`calibrate`] fits
//! `car.detour_factor`, `car.island_detour_factor` and `car.speed_kmh` to
//! them (the leg overhead stays as set) and measures the current and the
//! fitted model against the engine on the same drives.
//!
//! Nothing here knows a coordinate beyond the arithmetic: the report names
//! counts, factors and errors only.

use super::car::{across_water, model_drive};
use super::{great_circle_metres, Drive, Sites, TravelMatrix};
use crate::geodata;
use crate::model::{Dataset, LatLon};
use crate::settings::Car;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::fmt::Write as _;

/// At most this many drives are fitted (a seeded sample of the rest).
pub const MAX_PAIRS: usize = 20_000;
/// Drives between places closer than this, straight line, are left out.
pub const MIN_GREAT_CIRCLE_M: f64 = 1_000.0;
/// The least detour factor `Settings` accepts.
pub const MIN_FACTOR: f64 = crate::settings::MIN_DETOUR_FACTOR;
/// The whole km/h the fitted speed is kept within: the settings' bounds,
/// which exclude their ends, one km/h inside.
pub const SPEED_RANGE_KMH: (f64, f64) = (
    crate::settings::SPEED_KMH_BOUNDS.0 + 1.0,
    crate::settings::SPEED_KMH_BOUNDS.1 - 1.0,
);
/// Seed of the sample when there are more drives than [`MAX_PAIRS`].
const SAMPLE_SEED: u64 = 0x7469_6c73_796e;

/// One drive the engine gave, with what the offline model needs to
/// predict it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub great_circle_m: f64,
    /// One end on an island, the other on another landmass: the model's
    /// island factor applies.
    pub across_water: bool,
    /// The engine's drive; its minutes include `car.leg_overhead_minutes`,
    /// like the model's.
    pub engine: Drive,
}

/// The drives to fit, and what was left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    pub pairs: Vec<Pair>,
    /// Ordered pairs of distinct places within office groups.
    pub candidates: usize,
    /// Of those, closer than [`MIN_GREAT_CIRCLE_M`].
    pub too_short: usize,
    /// Of those, with no road between them (the engine knows none).
    pub no_road: usize,
    /// The rest, of which `pairs` holds at most the cap.
    pub eligible: usize,
}

/// The drives between each office and its caseworkers' children, and
/// between those children, that `matrix` gives (at most `cap`).
pub fn sample(data: &Dataset, sites: &Sites, matrix: &dyn TravelMatrix, cap: usize) -> Sample {
    // Offices, then children: the first sites, in the same order.
    let places: Vec<(LatLon, Option<usize>)> = (0..data.offices.len() + data.children.len())
        .map(|s| {
            let at = sites.location(s);
            (at, geodata::island_of(at))
        })
        .collect();
    let groups: Vec<Vec<usize>> = (0..data.offices.len())
        .map(|o| {
            std::iter::once(sites.office(o))
                .chain(
                    data.children
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| data.caseworkers[c.caseworker].office == o)
                        .map(|(i, _)| sites.child(i)),
                )
                .collect()
        })
        .collect();
    sample_groups(&groups, &places, matrix, cap)
}

/// [`sample`] over given groups of sites; `places[site]` is where a site
/// is and on which island.
///
/// When more than `cap` drives qualify, a uniform sample of `cap` is kept
/// (reservoir sampling with a fixed seed, so the same data always give the
/// same sample). Not an even stride through the list: the list runs row by
/// row through a group, and a stride near a multiple of the row's length
/// would pick the same few homes over and over.
pub fn sample_groups(
    groups: &[Vec<usize>],
    places: &[(LatLon, Option<usize>)],
    matrix: &dyn TravelMatrix,
    cap: usize,
) -> Sample {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SAMPLE_SEED);
    let mut out = Sample::default();
    // (position in the list of qualifying drives, from, to)
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    for group in groups {
        for &a in group {
            for &b in group {
                if a == b {
                    continue;
                }
                out.candidates += 1;
                if great_circle_metres(places[a].0, places[b].0) < MIN_GREAT_CIRCLE_M {
                    out.too_short += 1;
                    continue;
                }
                if !matrix.reachable(a, b) {
                    out.no_road += 1;
                    continue;
                }
                let i = out.eligible;
                out.eligible += 1;
                if kept.len() < cap {
                    kept.push((i, a, b));
                } else if cap > 0 {
                    let j = rng.gen_range(0..=i);
                    if j < cap {
                        kept[j] = (i, a, b);
                    }
                }
            }
        }
    }
    kept.sort_unstable();
    out.pairs = kept
        .into_iter()
        .map(|(_, a, b)| Pair {
            great_circle_m: great_circle_metres(places[a].0, places[b].0),
            across_water: across_water(places[a].1, places[b].1),
            engine: matrix.drive(a, b),
        })
        .collect();
    out
}

/// How far a model's drives are from the engine's, model minus engine.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Error {
    /// Mean of the absolute errors.
    pub mean_abs: f64,
    /// 90th percentile of the absolute errors (nearest rank).
    pub p90_abs: f64,
    /// Mean of the signed errors: above 0 the model overestimates.
    pub bias: f64,
}

impl Error {
    fn of(mut errors: Vec<f64>) -> Self {
        if errors.is_empty() {
            return Self {
                mean_abs: 0.0,
                p90_abs: 0.0,
                bias: 0.0,
            };
        }
        let n = errors.len() as f64;
        let bias = errors.iter().sum::<f64>() / n;
        errors.iter_mut().for_each(|e| *e = e.abs());
        errors.sort_by(f64::total_cmp);
        let mean_abs = errors.iter().sum::<f64>() / n;
        let rank = ((0.9 * n).ceil() as usize).clamp(1, errors.len());
        Self {
            mean_abs,
            p90_abs: errors[rank - 1],
            bias,
        }
    }
}

/// A model's errors in km and in minutes over the same drives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Errors {
    pub km: Error,
    pub minutes: Error,
}

/// The errors of the offline model with `car` on `pairs`.
pub fn errors(pairs: &[Pair], car: &Car) -> Errors {
    let model: Vec<Drive> = pairs
        .iter()
        .map(|p| model_drive(car, p.great_circle_m, p.across_water))
        .collect();
    Errors {
        km: Error::of(
            pairs
                .iter()
                .zip(&model)
                .map(|(p, m)| (m.metres.0 - p.engine.metres.0) as f64 / 1000.0)
                .collect(),
        ),
        minutes: Error::of(
            pairs
                .iter()
                .zip(&model)
                .map(|(p, m)| (m.minutes.0 - p.engine.minutes.0) as f64)
                .collect(),
        ),
    }
}

/// Settings with their errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub car: Car,
    pub errors: Errors,
}

/// What [`calibrate`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Drives fitted, and of those across water.
    pub pairs: usize,
    pub island_pairs: usize,
    pub candidates: usize,
    pub too_short: usize,
    pub no_road: usize,
    pub eligible: usize,
    pub max_pairs: usize,
    pub current: Assessment,
    pub fitted: Assessment,
    /// The fits before rounding and clamping (`None`: no drives to fit it on).
    pub raw_detour_factor: Option<f64>,
    pub raw_island_detour_factor: Option<f64>,
    pub raw_speed_kmh: Option<f64>,
    /// The engine's own average speed: road km over driving hours (minutes
    /// less the leg overhead), summed over the drives.
    pub engine_speed_kmh: Option<f64>,
    /// What was kept, clamped or could not be fitted.
    pub notes: Vec<Note>,
    /// The fitted `[car]` table, ready to paste into `settings.toml`.
    pub car_block: String,
}

/// What the fit kept, clamped or could not fit: said on the terminal in the
/// current language, and in English in the JSON report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Note {
    /// No drives to fit factor `key` on: the current value is kept.
    NoDrives { key: &'static str, kept: f64 },
    /// Factor `key` fitted below [`MIN_FACTOR`].
    FactorClamped {
        key: &'static str,
        raw: f64,
        clamped: f64,
    },
    /// `speed_kmh` fitted outside [`SPEED_RANGE_KMH`].
    SpeedClamped { raw: f64, clamped: f64 },
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::tr;
        let text = match *self {
            Note::NoDrives { key, kept } if key == "detour_factor" => tr!(
                "no drives on one landmass: {key} kept at {kept:.2}",
                "ingen kjøreturer innenfor samme landmasse: {key} beholdt på {kept:.2}"
            ),
            Note::NoDrives { key, kept } => tr!(
                "no drives across water (one end on an island, the other on another landmass): {key} kept at {kept:.2}",
                "ingen kjøreturer over vann (den ene enden på en øy, den andre på en annen landmasse): {key} beholdt på {kept:.2}"
            ),
            Note::FactorClamped { key, raw, clamped } => tr!(
                "{key} fitted {raw:.3}, below {MIN_FACTOR:.1}, the least the settings accept: clamped to {clamped:.2}",
                "{key} tilpasset {raw:.3}, under {MIN_FACTOR:.1}, det minste innstillingene godtar: avgrenset til {clamped:.2}"
            ),
            Note::SpeedClamped { raw, clamped } => {
                let (lo, hi) = SPEED_RANGE_KMH;
                tr!(
                    "speed_kmh fitted {raw:.1}, outside {lo:.0} to {hi:.0} (the settings want 5 < speed < 200): clamped to {clamped:.0}",
                    "speed_kmh tilpasset {raw:.1}, utenfor {lo:.0} til {hi:.0} (innstillingene krever 5 < fart < 200): avgrenset til {clamped:.0}"
                )
            }
        };
        f.write_str(&text)
    }
}

/// In the JSON report a note is its English sentence, whatever the
/// terminal's language (files for other programs do not change with it).
impl Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = crate::i18n::with_lang(crate::i18n::Lang::En, || self.to_string());
        serializer.serialize_str(&text)
    }
}

/// The weighted median of `(value, weight)`: the `v` with the least
/// `sum(weight * |value - v|)`. `None` without positive weight.
fn weighted_median(mut items: Vec<(f64, f64)>) -> Option<f64> {
    items.retain(|(v, w)| v.is_finite() && *w > 0.0);
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut run = 0.0;
    for (v, w) in &items {
        run += w;
        if run >= total / 2.0 {
            return Some(*v);
        }
    }
    items.last().map(|(v, _)| *v)
}

/// Of the two grid points around `raw` (a multiple of `step`, kept within
/// `range`), the one with the least `cost`; the nearer one on a tie.
fn best_on_grid(raw: f64, step: f64, range: (f64, f64), cost: impl Fn(f64) -> f64) -> f64 {
    let snap = |x: f64| ((x / step).round() * step).clamp(range.0, range.1);
    let lo = snap((raw / step).floor() * step);
    let hi = snap((raw / step).ceil() * step);
    let (c_lo, c_hi) = (cost(lo), cost(hi));
    if c_lo < c_hi || (c_lo == c_hi && (raw - lo).abs() <= (hi - raw).abs()) {
        lo
    } else {
        hi
    }
}

fn sum_abs_km(pairs: &[&Pair], car: &Car) -> f64 {
    pairs
        .iter()
        .map(|p| {
            (model_drive(car, p.great_circle_m, p.across_water).metres.0 - p.engine.metres.0).abs()
                as f64
        })
        .sum()
}

fn sum_abs_minutes(pairs: &[Pair], car: &Car) -> f64 {
    pairs
        .iter()
        .map(|p| {
            (model_drive(car, p.great_circle_m, p.across_water).minutes.0 - p.engine.minutes.0)
                .abs() as f64
        })
        .sum()
}

/// Fits the offline model to `pairs` (from [`sample`]), starting from
/// `current`. `None` without any pair.
///
/// **Detour factors: the weighted median of road / great-circle, weighted
/// by great-circle distance**, same-landmass and across-water pairs apart.
/// That is exactly the factor with the least mean absolute error in km
/// (the model's error on a pair is `great_circle * |factor - ratio|`), and
/// like any median it ignores the odd extreme: a ferry or a fjord that
/// makes one drive three times the straight line moves it no more than
/// any other drive above it. The ratio of sums would be pulled towards
/// such drives by their length; the plain median of ratios would count a
/// 1 km hop round a block as much as a 100 km drive, which is where the
/// planner's costs are.
///
/// **Speed: the weighted median of driving minutes (the engine's minutes
/// less the leg overhead) per km of the fitted model's road, weighted by
/// that km**, inverted to km/h. For the same reason that is the speed with
/// the least mean absolute error in minutes, given the fitted factors: the
/// model drives its own km, not the engine's, so a speed taken from the
/// engine's km would carry the factor's error into the minutes. The
/// engine's own average speed (road km over driving hours, summed) is
/// reported beside it.
///
/// Each value is then rounded to the grid point on either side with the
/// smaller error (factors to 0.01, speed to whole km/h), within what
/// `Settings` accepts; a value that had to be clamped, or that there were
/// no drives to fit, is said in `notes` (the current value is kept then).
pub fn calibrate(sample: &Sample, current: &Car) -> Option<Report> {
    let pairs = &sample.pairs;
    if pairs.is_empty() {
        return None;
    }
    let mut notes = Vec::new();
    let mut fitted = current.clone();
    let same: Vec<&Pair> = pairs.iter().filter(|p| !p.across_water).collect();
    let island: Vec<&Pair> = pairs.iter().filter(|p| p.across_water).collect();
    let factor_of = |class: &[&Pair]| {
        weighted_median(
            class
                .iter()
                .map(|p| {
                    (
                        p.engine.metres.0 as f64 / p.great_circle_m,
                        p.great_circle_m,
                    )
                })
                .collect(),
        )
    };
    let raw_detour = factor_of(&same);
    let raw_island = factor_of(&island);
    for (raw, class, key) in [
        (raw_detour, &same, "detour_factor"),
        (raw_island, &island, "island_detour_factor"),
    ] {
        let Some(raw) = raw else {
            let kept = if key == "detour_factor" {
                current.detour_factor
            } else {
                current.island_detour_factor
            };
            notes.push(Note::NoDrives { key, kept });
            continue;
        };
        let with = |f: f64| {
            let mut car = fitted.clone();
            if key == "detour_factor" {
                car.detour_factor = f;
            } else {
                car.island_detour_factor = f;
            }
            car
        };
        let f = best_on_grid(raw, 0.01, (MIN_FACTOR, f64::MAX), |f| {
            sum_abs_km(class, &with(f))
        });
        if raw < MIN_FACTOR {
            notes.push(Note::FactorClamped {
                key,
                raw,
                clamped: f,
            });
        }
        fitted = with(f);
    }
    let overhead = current.leg_overhead_minutes as f64;
    let driving = |p: &Pair| (p.engine.minutes.0 as f64 - overhead).max(0.0);
    let pace = weighted_median(
        pairs
            .iter()
            .map(|p| {
                let factor = if p.across_water {
                    fitted.island_detour_factor
                } else {
                    fitted.detour_factor
                };
                let km = p.great_circle_m * factor / 1000.0;
                (driving(p) / km, km)
            })
            .collect(),
    );
    let raw_speed = pace.map(|min_per_km| 60.0 / min_per_km);
    if let Some(raw) = raw_speed {
        let (lo, hi) = SPEED_RANGE_KMH;
        let guess = if raw.is_finite() { raw } else { hi };
        let with = |v: f64| Car {
            speed_kmh: v,
            ..fitted.clone()
        };
        let v = best_on_grid(guess, 1.0, (lo, hi), |v| sum_abs_minutes(pairs, &with(v)));
        if !(lo..=hi).contains(&raw) {
            notes.push(Note::SpeedClamped { raw, clamped: v });
        }
        fitted.speed_kmh = v;
    }
    let road_km: f64 = pairs
        .iter()
        .map(|p| p.engine.metres.0 as f64 / 1000.0)
        .sum();
    let hours: f64 = pairs.iter().map(driving).sum::<f64>() / 60.0;
    let engine_speed_kmh = (hours > 0.0).then(|| road_km / hours);
    let car_block = car_block(&fitted, raw_island.is_none());
    Some(Report {
        pairs: pairs.len(),
        island_pairs: island.len(),
        candidates: sample.candidates,
        too_short: sample.too_short,
        no_road: sample.no_road,
        eligible: sample.eligible,
        max_pairs: MAX_PAIRS,
        current: Assessment {
            car: current.clone(),
            errors: errors(pairs, current),
        },
        fitted: Assessment {
            errors: errors(pairs, &fitted),
            car: fitted,
        },
        raw_detour_factor: raw_detour,
        raw_island_detour_factor: raw_island,
        raw_speed_kmh: raw_speed,
        engine_speed_kmh,
        notes,
        car_block,
    })
}

/// The `[car]` table for `settings.toml`.
fn car_block(car: &Car, island_kept: bool) -> String {
    format!(
        "[car]\ndetour_factor = {:.2}\nisland_detour_factor = {:.2}{}\nspeed_kmh = {:.1}\nleg_overhead_minutes = {}\n",
        car.detour_factor,
        car.island_detour_factor,
        if island_kept {
            "  # unchanged: no drives across water to fit"
        } else {
            ""
        },
        car.speed_kmh,
        car.leg_overhead_minutes
    )
}

impl Report {
    /// The report for the terminal: counts, errors, notes, the `[car]` table.
    pub fn text(&self, engine: &str) -> String {
        use crate::tr;
        let mut s = String::new();
        let (pairs, island) = (self.pairs, self.island_pairs);
        let _ = writeln!(
            s,
            "{}",
            tr!(
                "Calibration of the offline car model against {engine}: {pairs} drives ({island} across water)",
                "Kalibrering av den frakoblede bilmodellen mot {engine}: {pairs} kjøreturer ({island} over vann)"
            )
        );
        let (candidates, too_short, no_road, eligible) =
            (self.candidates, self.too_short, self.no_road, self.eligible);
        let km = MIN_GREAT_CIRCLE_M / 1000.0;
        let sampled = if self.eligible > self.pairs {
            tr!(
                " (a sample of {pairs} fitted)",
                " (et utvalg på {pairs} tilpasset)"
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{}",
            tr!(
                "  of {candidates} ordered pairs of an office's places (office and its children's homes): {too_short} shorter than {km:.0} km, {no_road} without a road, {eligible} kept{sampled}",
                "  av {candidates} ordnede par av et kontors steder (kontoret og hjemmene til barna): {too_short} kortere enn {km:.0} km, {no_road} uten vei, {eligible} beholdt{sampled}"
            )
        );
        if let Some(v) = self.engine_speed_kmh {
            let overhead = self.current.car.leg_overhead_minutes;
            let _ = writeln!(
                s,
                "{}",
                tr!(
                    "  the engine's average speed: {v:.1} km/h (road km over minutes less the {overhead}-minute leg overhead)",
                    "  ruteberegnerens gjennomsnittsfart: {v:.1} km/t (km vei delt på minutter minus tillegget på {overhead} minutter per etappe)"
                )
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            tr!(
                "            detour  island   km/h | km: mean|err|  p90|err|     bias | min: mean|err|  p90|err|     bias",
                "              omvei      øy   km/t |  km: snitt|a|    p90|a|     bias |  min: snitt|a|    p90|a|     bias"
            )
        );
        let rows = [
            (tr!("current", "nå"), &self.current),
            (tr!("fitted", "tilpasset"), &self.fitted),
        ];
        // "tilpasset" is one letter wider than the English names' column.
        let width = rows
            .iter()
            .map(|r| r.0.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        for (name, a) in rows {
            let (k, m) = (a.errors.km, a.errors.minutes);
            let _ = writeln!(
                s,
                "  {name:<width$}  {:>6.2}  {:>6.2}  {:>5.1} | {:>13.2}  {:>8.2}  {:>+7.2} | {:>14.1}  {:>8.1}  {:>+7.1}",
                a.car.detour_factor,
                a.car.island_detour_factor,
                a.car.speed_kmh,
                k.mean_abs,
                k.p90_abs,
                k.bias,
                m.mean_abs,
                m.p90_abs,
                m.bias
            );
        }
        let raw =
            |x: Option<f64>, digits: usize| x.map_or("-".to_string(), |x| format!("{x:.digits$}"));
        let (detour, island, speed) = (
            raw(self.raw_detour_factor, 3),
            raw(self.raw_island_detour_factor, 3),
            raw(self.raw_speed_kmh, 1),
        );
        let legend = tr!(
            "",
            "  (|a|: absolutt avvik fra ruteberegneren; bias: gjennomsnittlig avvik med fortegn)"
        );
        if !legend.is_empty() {
            let _ = writeln!(s, "{legend}");
        }
        let _ = writeln!(
            s,
            "{}",
            tr!(
                "  (fitted before rounding: detour {detour}, island {island}, speed {speed} km/h)",
                "  (tilpasset før avrunding: omvei {detour}, øy {island}, fart {speed} km/t)"
            )
        );
        for n in &self.notes {
            let _ = writeln!(s, "  {} {n}", tr!("note:", "merk:"));
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", tr!("For settings.toml:", "Til settings.toml:"));
        let _ = writeln!(s);
        s.push_str(&self.car_block);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::units::{Metres, Minutes};

    /// A drive `km` straight-line apart that the engine gives as `factor`
    /// times that at `kmh`, plus the default leg overhead.
    fn pair(km: f64, factor: f64, kmh: f64, across_water: bool) -> Pair {
        let road_km = km * factor;
        let overhead = Car::default().leg_overhead_minutes;
        Pair {
            great_circle_m: km * 1000.0,
            across_water,
            engine: Drive {
                metres: Metres((road_km * 1000.0).round() as i64),
                minutes: Minutes((road_km / kmh * 60.0).round() as i64 + overhead),
            },
        }
    }

    /// Straight-line distances from 1.5 to 120 km, and a noise of +-`spread`
    /// that is deterministic and averages out (a fixed pattern).
    fn drives(n: usize, factor: f64, kmh: f64, spread: f64, across_water: bool) -> Vec<Pair> {
        (0..n)
            .map(|i| {
                let km = 1.5 + (i * 37 % 100) as f64 * 1.2;
                let wobble = [0.0, 1.0, -1.0, 0.5, -0.5][i % 5] * spread;
                pair(
                    km,
                    factor * (1.0 + wobble),
                    kmh * (1.0 - wobble / 2.0),
                    across_water,
                )
            })
            .collect()
    }

    fn fitted(pairs: Vec<Pair>) -> Report {
        let sample = Sample {
            candidates: pairs.len(),
            eligible: pairs.len(),
            pairs,
            ..Sample::default()
        };
        calibrate(&sample, &Car::default()).unwrap()
    }

    #[test]
    fn recovers_a_known_factor_and_speed() {
        let mut pairs = drives(400, 1.23, 52.0, 0.0, false);
        pairs.extend(drives(100, 2.10, 52.0, 0.0, true));
        let r = fitted(pairs);
        let car = &r.fitted.car;
        assert_eq!(car.detour_factor, 1.23, "{r:#?}");
        assert_eq!(car.island_detour_factor, 2.10, "{r:#?}");
        assert!((car.speed_kmh - 52.0).abs() <= 1.0, "{r:#?}");
        assert!((r.engine_speed_kmh.unwrap() - 52.0).abs() < 1.0, "{r:#?}");
        assert_eq!(
            car.leg_overhead_minutes,
            Car::default().leg_overhead_minutes
        );
        assert_eq!((r.pairs, r.island_pairs), (500, 100));
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        // The fitted model is all but exact on its own drives.
        assert!(r.fitted.errors.km.mean_abs < 0.1, "{r:#?}");
        assert!(r.fitted.errors.minutes.mean_abs < 1.0, "{r:#?}");
    }

    #[test]
    fn recovers_them_through_noise() {
        let mut pairs = drives(500, 1.55, 63.0, 0.15, false);
        pairs.extend(drives(50, 1.90, 63.0, 0.15, true));
        let r = fitted(pairs);
        let car = &r.fitted.car;
        assert!((car.detour_factor - 1.55).abs() <= 0.03, "{r:#?}");
        assert!((car.island_detour_factor - 1.90).abs() <= 0.05, "{r:#?}");
        assert!((car.speed_kmh - 63.0).abs() <= 3.0, "{r:#?}");
    }

    #[test]
    fn the_fit_is_no_worse_than_the_defaults() {
        for (factor, island, kmh) in [(1.40, 1.75, 70.0), (1.2, 2.3, 45.0), (1.8, 1.5, 110.0)] {
            let mut pairs = drives(300, factor, kmh, 0.2, false);
            pairs.extend(drives(40, island, kmh, 0.2, true));
            let r = fitted(pairs);
            let (now, fit) = (r.current.errors, r.fitted.errors);
            assert!(fit.km.mean_abs <= now.km.mean_abs, "{factor}: {r:#?}");
            assert!(
                fit.minutes.mean_abs <= now.minutes.mean_abs,
                "{factor}: {r:#?}"
            );
            if (factor, kmh) != (1.40, 70.0) {
                // Neither the km nor the minutes per straight-line km
                // (factor / speed) are the defaults': the fit is better.
                assert!(fit.km.mean_abs < now.km.mean_abs * 0.8, "{factor}: {r:#?}");
                assert!(fit.minutes.mean_abs < now.minutes.mean_abs * 0.8, "{r:#?}");
            }
        }
    }

    #[test]
    fn a_long_detour_does_not_drag_the_factor() {
        // Nine drives at 1.3 and one ferry at 4x over twice the distance:
        // the ratio of sums would say 1.8.
        let mut pairs: Vec<Pair> = (0..9)
            .map(|i| pair(10.0 + i as f64, 1.3, 60.0, false))
            .collect();
        pairs.push(pair(30.0, 4.0, 60.0, false));
        assert_eq!(fitted(pairs).fitted.car.detour_factor, 1.30);
    }

    #[test]
    fn no_drives_across_water_keep_the_island_factor() {
        let r = fitted(drives(50, 1.3, 60.0, 0.0, false));
        assert_eq!(
            r.fitted.car.island_detour_factor,
            Car::default().island_detour_factor
        );
        assert_eq!(r.raw_island_detour_factor, None);
        assert!(
            r.notes
                .iter()
                .any(|n| n.to_string().contains("island_detour_factor kept")),
            "{:?}",
            r.notes
        );
        assert!(r.car_block.contains("unchanged"), "{}", r.car_block);
    }

    #[test]
    fn notes_follow_the_language_but_the_json_stays_english() {
        use crate::i18n::{with_lang, Lang};
        let note = Note::SpeedClamped {
            raw: 400.0,
            clamped: 199.0,
        };
        assert_eq!(
            with_lang(Lang::En, || note.to_string()),
            "speed_kmh fitted 400.0, outside 6 to 199 (the settings want 5 < speed < 200): clamped to 199"
        );
        assert_eq!(
            with_lang(Lang::Nb, || note.to_string()),
            "speed_kmh tilpasset 400.0, utenfor 6 til 199 (innstillingene krever 5 < fart < 200): avgrenset til 199"
        );
        let json = with_lang(Lang::Nb, || serde_json::to_string(&note).unwrap());
        assert!(json.contains("clamped to 199"), "{json}");
        let r = fitted(drives(50, 1.3, 60.0, 0.0, false));
        let text = with_lang(Lang::Nb, || r.text("osrm"));
        assert!(
            text.contains("Kalibrering av den frakoblede bilmodellen mot osrm"),
            "{text}"
        );
        assert!(text.contains("\n  tilpasset "), "{text}");
    }

    #[test]
    fn out_of_range_fits_are_clamped_and_said() {
        // Roads shorter than the straight line and 400 km/h: impossible,
        // and the settings would refuse both.
        let r = fitted(drives(50, 0.9, 400.0, 0.0, false));
        assert_eq!(r.fitted.car.detour_factor, 1.0);
        assert_eq!(r.fitted.car.speed_kmh, 199.0);
        assert_eq!(
            r.notes
                .iter()
                .filter(|n| n.to_string().contains("clamped"))
                .count(),
            2,
            "{:?}",
            r.notes
        );
    }

    #[test]
    fn the_car_block_pastes_into_settings() {
        let mut pairs = drives(100, 1.37, 58.0, 0.1, false);
        pairs.extend(drives(10, 1.81, 58.0, 0.1, true));
        let r = fitted(pairs);
        let settings = Settings::parse(&r.car_block, "settings.toml").unwrap();
        assert_eq!(settings.car, r.fitted.car);
        let text = r.text("osrm");
        assert!(text.ends_with(&r.car_block));
        assert!(text.contains("110 drives (10 across water)"), "{text}");
    }

    #[test]
    fn nothing_to_fit_is_none() {
        assert!(calibrate(&Sample::default(), &Car::default()).is_none());
    }

    #[test]
    fn errors_are_model_minus_engine() {
        // The default model on 10 km straight: 14 km, 5 + 12 minutes.
        let engine = |m, min| Pair {
            great_circle_m: 10_000.0,
            across_water: false,
            engine: Drive {
                metres: Metres(m),
                minutes: Minutes(min),
            },
        };
        let e = errors(&[engine(12_000, 20), engine(15_000, 17)], &Car::default());
        assert_eq!(e.km.mean_abs, 1.5);
        assert_eq!(e.km.p90_abs, 2.0);
        assert_eq!(e.km.bias, 0.5);
        assert_eq!(e.minutes.mean_abs, 1.5);
        assert_eq!(e.minutes.bias, -1.5);
    }

    /// A matrix from a table of drives, `None` for no road.
    struct Table(Vec<Vec<Option<Drive>>>);

    impl TravelMatrix for Table {
        fn drive(&self, from: usize, to: usize) -> Drive {
            self.0[from][to].unwrap_or(super::super::engine::NO_ROAD)
        }
        fn reachable(&self, from: usize, to: usize) -> bool {
            self.0[from][to].is_some()
        }
    }

    #[test]
    fn the_sample_keeps_distinct_reachable_pairs_a_kilometre_apart() {
        // Four places on a meridian, 0, 0.5, 5 and 20 km north; no road to
        // or from the last; two groups sharing place 0.
        let at = |km: f64| (LatLon::new(63.0 + km / 111.2, 10.0), None);
        let places = vec![at(0.0), at(0.5), at(5.0), at(20.0)];
        let d = Drive {
            metres: Metres(7_000),
            minutes: Minutes(12),
        };
        let table = Table(
            (0..4)
                .map(|a| (0..4).map(|b| (a != 3 && b != 3).then_some(d)).collect())
                .collect(),
        );
        let groups = vec![vec![0, 1, 2], vec![0, 3]];
        let s = sample_groups(&groups, &places, &table, 100);
        assert_eq!(s.candidates, 6 + 2);
        assert_eq!(s.too_short, 2); // 0-1 both ways
        assert_eq!(s.no_road, 2); // 0-3 both ways
        assert_eq!(s.eligible, 4);
        assert_eq!(s.pairs.len(), 4);
        assert!(s
            .pairs
            .iter()
            .all(|p| p.engine == d && p.great_circle_m >= 1000.0));
    }

    #[test]
    fn a_capped_sample_is_deterministic_and_spread() {
        let places: Vec<(LatLon, Option<usize>)> = (0..60)
            .map(|i| (LatLon::new(63.0 + i as f64 * 0.05, 10.0), None))
            .collect();
        // The drive's metres say which pair it is.
        let table = Table(
            (0..60)
                .map(|a| {
                    (0..60)
                        .map(|b| {
                            Some(Drive {
                                metres: Metres(a * 100 + b),
                                minutes: Minutes(1),
                            })
                        })
                        .collect()
                })
                .collect(),
        );
        let groups = vec![(0..60).collect::<Vec<usize>>()];
        let a = sample_groups(&groups, &places, &table, 100);
        let b = sample_groups(&groups, &places, &table, 100);
        assert_eq!(a, b);
        assert_eq!((a.eligible, a.pairs.len()), (60 * 59, 100));
        let from: std::collections::BTreeSet<i64> =
            a.pairs.iter().map(|p| p.engine.metres.0 / 100).collect();
        let to: std::collections::BTreeSet<i64> =
            a.pairs.iter().map(|p| p.engine.metres.0 % 100).collect();
        assert!(from.len() > 40 && to.len() > 40, "{from:?} {to:?}");
    }
}
