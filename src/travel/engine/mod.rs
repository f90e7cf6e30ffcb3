//! Road travel from a routing engine: OSRM or Valhalla on OpenStreetMap
//! data, spoken to over HTTP.
//!
//! Before planning, [`RoadMatrix::fetch`] asks the engine once for every
//! drive the planner may need: within each office's group of sites (the
//! office, the homes of its caseworkers' children, the airports and the
//! hotel towns nearest those), in blocks the server accepts, several at a
//! time. First each place is snapped to the road network within
//! `router.snap_radius_m`: a home no road reaches has no drives at all, and
//! its visits are unmet with `no_road_access` unless a flight and a rental
//! car from an airport on its own island reach it. Answers go to an on-disk
//! [`cache::Cache`], so planning again asks the engine nothing it was asked
//! before; `offline` plans from the cache alone. Flights stay the planner's
//! own model ([`super::flights`]); ferries are in the drives as the engine
//! routes them.
//!
//! Any failure of the engine (down, too slow, garbage, a refused request)
//! is an [`EngineError`]: the command stops with exit code 3 before
//! anything is written.

pub mod cache;
mod http;
pub mod osrm;
pub mod polyline;
pub mod valhalla;

use super::car::GreatCircleCar;
use super::{Drive, SiteKind, Sites, TravelMatrix};
use crate::model::{Dataset, LatLon};
use crate::settings::{Router, RouterKind};
use crate::units::{Metres, Minutes};
use cache::{Cache, Road};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// A place rounded to 1e-5 degrees (about a metre): the cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Point(pub i32, pub i32);

impl Point {
    pub fn of(l: LatLon) -> Self {
        Point((l.lat * 1e5).round() as i32, (l.lon * 1e5).round() as i32)
    }

    pub fn location(self) -> LatLon {
        LatLon::new(f64::from(self.0) / 1e5, f64::from(self.1) / 1e5)
    }
}

/// Why the engine gave no usable answer. Messages name the engine, its
/// URL and the service, never a coordinate (those are children's homes).
#[derive(Debug)]
pub enum EngineError {
    Unreachable {
        engine: &'static str,
        url: String,
        detail: String,
    },
    Timeout {
        engine: &'static str,
        url: String,
        what: String,
        seconds: f64,
    },
    Failed {
        engine: &'static str,
        url: String,
        what: String,
        detail: String,
    },
    Garbage {
        engine: &'static str,
        url: String,
        what: String,
        detail: String,
    },
    NoUrl {
        engine: &'static str,
    },
    Offline {
        engine: &'static str,
        cache: String,
        points: usize,
        missing_points: usize,
        pairs: usize,
        missing_pairs: usize,
        sample: String,
    },
    Cache {
        path: String,
        detail: String,
    },
}

impl std::fmt::Display for EngineError {
    /// In the current language ([`crate::i18n`]); names, URLs, setting
    /// keys and numbers are the same in both.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::tr;
        let text = match self {
            EngineError::Unreachable {
                engine,
                url,
                detail,
            } => tr!(
                "the {engine} engine at {url} is unreachable: {detail}",
                "ruteberegneren {engine} på {url} kan ikke nås: {detail}"
            ),
            EngineError::Timeout {
                engine,
                url,
                what,
                seconds,
            } => tr!(
                "the {engine} engine at {url} did not answer a {what} request within {seconds} s (router.timeout_seconds), retries included",
                "ruteberegneren {engine} på {url} svarte ikke på en {what}-forespørsel innen {seconds} s (router.timeout_seconds), nye forsøk medregnet"
            ),
            EngineError::Failed {
                engine,
                url,
                what,
                detail,
            } => tr!(
                "the {engine} engine at {url} failed a {what} request: {detail}",
                "ruteberegneren {engine} på {url} klarte ikke en {what}-forespørsel: {detail}"
            ),
            EngineError::Garbage {
                engine,
                url,
                what,
                detail,
            } => tr!(
                "the {engine} engine at {url} answered a {what} request with something that is not a routing answer: {detail}",
                "ruteberegneren {engine} på {url} svarte på en {what}-forespørsel med noe som ikke er et rutesvar: {detail}"
            ),
            EngineError::NoUrl { engine } => tr!(
                "router.url is needed for the {engine} engine (setting or --router-url)",
                "ruteberegneren {engine} trenger router.url (innstilling eller --router-url)"
            ),
            EngineError::Offline {
                engine,
                cache,
                points,
                missing_points,
                pairs,
                missing_pairs,
                sample,
            } => tr!(
                "offline: the matrix cache {cache} lacks {missing_points} of {points} places and {missing_pairs} of {pairs} drives ({sample}); warm it with `tilsyn matrix --data <DIR> --router {engine} --router-url <URL>`",
                "frakoblet: hurtigbufferen for reisematrisen {cache} mangler {missing_points} av {points} steder og {missing_pairs} av {pairs} kjøreturer ({sample}); fyll den med `tilsyn matrix --data <MAPPE> --router {engine} --router-url <URL>`"
            ),
            EngineError::Cache { path, detail } => tr!(
                "the matrix cache {path} could not be written: {detail}",
                "hurtigbufferen for reisematrisen {path} kunne ikke skrives: {detail}"
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for EngineError {}

/// A route through points in order, with its road geometry.
#[derive(Debug, Clone)]
pub struct Route {
    pub metres: f64,
    pub seconds: f64,
    pub geometry: Vec<LatLon>,
    /// Whether the route takes a ferry.
    pub ferry: bool,
}

/// What a routing engine does for the planner.
pub trait Engine: Sync {
    fn name(&self) -> &'static str;
    fn url(&self) -> &str;
    fn profile(&self) -> &str;
    /// Per point: whether it lies within `radius_m` of a road of the profile.
    fn snap(&self, points: &[LatLon], radius_m: f64) -> Result<Vec<bool>, EngineError>;
    /// The road from each source to each target (all snapped), `None`
    /// where there is none.
    fn table(
        &self,
        sources: &[LatLon],
        targets: &[LatLon],
        radius_m: f64,
    ) -> Result<Vec<Vec<Road>>, EngineError>;
    /// The road through `points` in order, with its geometry.
    fn route(&self, points: &[LatLon], radius_m: f64) -> Result<Route, EngineError>;
}

/// The engine the settings name (`None` for the great-circle model).
pub fn connect(router: &Router) -> Result<Option<Box<dyn Engine>>, EngineError> {
    let timeout = Duration::from_secs_f64(router.timeout_seconds);
    let url = || {
        router
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or(EngineError::NoUrl {
                engine: router.engine.name(),
            })
    };
    Ok(match router.engine {
        RouterKind::GreatCircle => None,
        RouterKind::Osrm => Some(Box::new(osrm::Osrm::new(
            url()?,
            router.profile.as_deref().unwrap_or(osrm::DEFAULT_PROFILE),
            timeout,
            router.retries,
        )?)),
        RouterKind::Valhalla => Some(Box::new(valhalla::Valhalla::new(
            url()?,
            router
                .profile
                .as_deref()
                .unwrap_or(valhalla::DEFAULT_COSTING),
            timeout,
            router.retries,
        )?)),
    })
}

/// The folder of the matrix cache: the setting, else the user's cache folder.
pub fn cache_dir(router: &Router) -> std::path::PathBuf {
    if let Some(dir) = &router.cache_dir {
        return dir.clone();
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache")))
        .unwrap_or_else(|| std::path::PathBuf::from(".cache"));
    base.join("tilsyn")
}

/// What fetching the matrix did, for the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Distinct places and drives the planner may ask for.
    pub points: usize,
    pub pairs: usize,
    /// Of those, answered by the engine in this run (the rest came from the cache).
    pub points_asked: usize,
    pub pairs_asked: usize,
    /// HTTP requests made.
    pub requests: usize,
    /// Places no road reaches within the snapping radius.
    pub off_network: usize,
}

/// Drives between a run's sites as an engine gives them.
pub struct RoadMatrix {
    /// Per site: its distinct point.
    point_of: Vec<u32>,
    /// By pair of distinct points: metres and minutes (`None`: no road).
    drives: HashMap<(u32, u32), Option<(u32, u32)>>,
    /// Per distinct point: whether it is on the road network.
    on_network: Vec<bool>,
    /// For pairs outside every office group (never in a trip).
    fallback: GreatCircleCar,
    overhead: Minutes,
}

/// A drive for a pair the engine has no road for: longer than any trip
/// allows, so no trip uses it.
pub const NO_ROAD: Drive = Drive {
    metres: Metres(100_000_000),
    minutes: Minutes(10_000_000),
};

impl TravelMatrix for RoadMatrix {
    fn drive(&self, from: usize, to: usize) -> Drive {
        let (a, b) = (self.point_of[from], self.point_of[to]);
        if a == b {
            return Drive::default();
        }
        match self.drives.get(&(a, b)) {
            Some(Some((metres, minutes))) => Drive {
                metres: Metres(i64::from(*metres)),
                minutes: Minutes(i64::from(*minutes)) + self.overhead,
            },
            Some(None) => NO_ROAD,
            None if !self.on_network[a as usize] || !self.on_network[b as usize] => NO_ROAD,
            None => self.fallback.drive(from, to),
        }
    }

    fn reachable(&self, from: usize, to: usize) -> bool {
        self.drive(from, to) != NO_ROAD
    }
}

impl RoadMatrix {
    /// Fetches (or, `offline`, reads from `cache` only) every drive the
    /// planner may need for `data`, and saves what is new to the cache.
    pub fn fetch(
        engine: &dyn Engine,
        cache: &mut Cache,
        data: &Dataset,
        sites: &Sites,
        offline: bool,
    ) -> Result<(RoadMatrix, FetchReport), EngineError> {
        let router = &data.settings.router;
        let radius = router.snap_radius_m;
        let radius_key = radius.round() as u32;
        // Distinct points, and the groups of points trips can combine.
        let mut points: Vec<Point> = Vec::new();
        let mut index: HashMap<Point, u32> = HashMap::new();
        let point_of: Vec<u32> = (0..sites.len())
            .map(|s| {
                let p = Point::of(sites.location(s));
                *index.entry(p).or_insert_with(|| {
                    points.push(p);
                    (points.len() - 1) as u32
                })
            })
            .collect();
        let groups = groups(data, sites)
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(|s| point_of[s])
                    .collect::<BTreeSet<u32>>()
                    .into_iter()
                    .collect::<Vec<u32>>()
            })
            .collect::<Vec<_>>();
        let mut report = FetchReport {
            points: points.len(),
            ..FetchReport::default()
        };
        let requests = AtomicUsize::new(0);
        // Snap every point.
        let unknown: Vec<u32> = (0..points.len() as u32)
            .filter(|&p| !cache.snaps.contains_key(&(points[p as usize], radius_key)))
            .collect();
        let mut pair_set: BTreeSet<(u32, u32)> = BTreeSet::new();
        for g in &groups {
            for &a in g {
                for &b in g {
                    if a != b {
                        pair_set.insert((a, b));
                    }
                }
            }
        }
        report.pairs = pair_set.len();
        if offline {
            let on = |p: u32| cache.snaps.get(&(points[p as usize], radius_key)).copied();
            let missing: Vec<(u32, u32)> = pair_set
                .iter()
                .copied()
                .filter(|&(a, b)| {
                    on(a) != Some(false)
                        && on(b) != Some(false)
                        && !cache
                            .pairs
                            .contains_key(&(points[a as usize], points[b as usize]))
                })
                .collect();
            if !unknown.is_empty() || !missing.is_empty() {
                let name = |p: u32| describe(sites, &point_of, p);
                let mut sample: Vec<String> = unknown.iter().take(3).map(|&p| name(p)).collect();
                sample.extend(missing.iter().take(3).map(|&(a, b)| {
                    let (a, b) = (name(a), name(b));
                    crate::tr!("{a} to {b}", "{a} til {b}")
                }));
                return Err(EngineError::Offline {
                    engine: engine.name(),
                    cache: cache.path().map_or_else(none, |p| p.display().to_string()),
                    points: points.len(),
                    missing_points: unknown.len(),
                    pairs: pair_set.len(),
                    missing_pairs: missing.len(),
                    sample: {
                        let sample = sample.join(", ");
                        crate::tr!("e.g. {sample}", "f.eks. {sample}")
                    },
                });
            }
        } else if !unknown.is_empty() {
            let chunk = router.max_locations_per_request.max(1);
            let jobs: Vec<&[u32]> = unknown.chunks(chunk).collect();
            let answers = parallel(&jobs, router.concurrent_requests, |ids| {
                requests.fetch_add(1, Ordering::Relaxed);
                let locations: Vec<LatLon> =
                    ids.iter().map(|&p| points[p as usize].location()).collect();
                engine.snap(&locations, radius)
            })?;
            for (ids, on) in jobs.iter().zip(answers) {
                for (&p, on) in ids.iter().zip(on) {
                    cache.put_snap(points[p as usize], radius_key, on);
                }
            }
            report.points_asked = unknown.len();
        }
        let on_network: Vec<bool> = points
            .iter()
            .map(|p| cache.snaps.get(&(*p, radius_key)).copied().unwrap_or(false))
            .collect();
        report.off_network = on_network.iter().filter(|&&on| !on).count();
        // Drives, block by block within each group.
        if !offline {
            let half = (router.max_locations_per_request / 2).max(1);
            let mut jobs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
            let mut planned: BTreeSet<(u32, u32)> = BTreeSet::new();
            for g in &groups {
                let live: Vec<u32> = g
                    .iter()
                    .copied()
                    .filter(|&p| on_network[p as usize])
                    .collect();
                for sources in live.chunks(half) {
                    for targets in live.chunks(half) {
                        let missing = |a: u32, b: u32| {
                            a != b
                                && !planned.contains(&(a, b))
                                && !cache
                                    .pairs
                                    .contains_key(&(points[a as usize], points[b as usize]))
                        };
                        let s: Vec<u32> = sources
                            .iter()
                            .copied()
                            .filter(|&a| targets.iter().any(|&b| missing(a, b)))
                            .collect();
                        let t: Vec<u32> = targets
                            .iter()
                            .copied()
                            .filter(|&b| s.iter().any(|&a| missing(a, b)))
                            .collect();
                        if s.is_empty() || t.is_empty() {
                            continue;
                        }
                        for &a in &s {
                            for &b in &t {
                                planned.insert((a, b));
                            }
                        }
                        jobs.push((s, t));
                    }
                }
            }
            let answers = parallel(&jobs, router.concurrent_requests, |(s, t)| {
                requests.fetch_add(1, Ordering::Relaxed);
                let at = |ids: &Vec<u32>| -> Vec<LatLon> {
                    ids.iter().map(|&p| points[p as usize].location()).collect()
                };
                engine.table(&at(s), &at(t), radius)
            })?;
            for ((s, t), rows) in jobs.iter().zip(answers) {
                for (&a, row) in s.iter().zip(rows) {
                    for (&b, road) in t.iter().zip(row) {
                        if a != b {
                            cache.put_pair(points[a as usize], points[b as usize], road);
                        }
                    }
                }
            }
            report.pairs_asked = planned.len();
            save(cache)?;
        }
        report.requests = requests.into_inner();
        let mut drives = HashMap::with_capacity(pair_set.len());
        for &(a, b) in &pair_set {
            if !on_network[a as usize] || !on_network[b as usize] {
                continue;
            }
            let road = cache
                .pairs
                .get(&(points[a as usize], points[b as usize]))
                .copied()
                .flatten();
            drives.insert(
                (a, b),
                road.map(|(metres, seconds)| (metres, (seconds + 30) / 60)),
            );
        }
        Ok((
            RoadMatrix {
                point_of,
                drives,
                on_network,
                fallback: GreatCircleCar::new(sites, &data.settings.car),
                overhead: Minutes(data.settings.car.leg_overhead_minutes),
            },
            report,
        ))
    }
}

/// What attaching road geometry did, for the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShapeReport {
    /// Distinct road legs in the plan's trips.
    pub legs: usize,
    /// Of those, asked of the engine in this run.
    pub asked: usize,
    /// Of those, left without geometry (offline, not in the cache).
    pub missing: usize,
}

/// Gives every road leg of the plan's trips the engine's road geometry
/// (`PlannedTrip::leg_shapes`), from the cache or, unless `offline`, from
/// the engine's `route` service, and marks a leg that takes a ferry with
/// `mode_in = "ferry"`; saves what is new to the cache.
pub fn attach_shapes(
    engine: &dyn Engine,
    cache: &mut Cache,
    plan: &mut crate::plan::Plan,
    router: &Router,
    offline: bool,
) -> Result<ShapeReport, EngineError> {
    let leg = |a: &crate::plan::PlannedStop, b: &crate::plan::PlannedStop| {
        (
            Point::of(LatLon::new(a.lat, a.lon)),
            Point::of(LatLon::new(b.lat, b.lon)),
        )
    };
    let by_road = |s: &crate::plan::PlannedStop| matches!(s.mode_in, Some("car" | "ferry"));
    let legs: BTreeSet<(Point, Point)> = plan
        .trips
        .iter()
        .flat_map(|t| t.stops.windows(2))
        .filter(|w| by_road(&w[1]))
        .map(|w| leg(&w[0], &w[1]))
        .filter(|(a, b)| a != b)
        .collect();
    let missing: Vec<(Point, Point)> = legs
        .iter()
        .copied()
        .filter(|k| !cache.shapes.contains_key(k))
        .collect();
    let mut report = ShapeReport {
        legs: legs.len(),
        ..ShapeReport::default()
    };
    if offline {
        report.missing = missing.len();
    } else if !missing.is_empty() {
        let radius = router.snap_radius_m;
        let routes = parallel(&missing, router.concurrent_requests, |(a, b)| {
            engine.route(&[a.location(), b.location()], radius)
        })?;
        for ((a, b), route) in missing.iter().zip(routes) {
            cache.put_shape(*a, *b, polyline::encode(&route.geometry, 6), route.ferry);
        }
        report.asked = missing.len();
        save(cache)?;
    }
    for trip in &mut plan.trips {
        for i in 1..trip.stops.len() {
            let (a, b) = leg(&trip.stops[i - 1], &trip.stops[i]);
            if !by_road(&trip.stops[i]) {
                continue;
            }
            trip.leg_shapes[i] = if a == b {
                Some(vec![a.location()])
            } else {
                let known = cache.shapes.get(&(a, b));
                if known.is_some_and(|(_, ferry)| *ferry) {
                    trip.stops[i].mode_in = Some("ferry");
                }
                known.and_then(|(line, _)| polyline::decode(line, 6))
            };
        }
    }
    Ok(report)
}

/// Saves what is new in the cache.
fn save(cache: &mut Cache) -> Result<(), EngineError> {
    cache.save().map_err(|e| EngineError::Cache {
        path: cache.path().map_or_else(none, |p| p.display().to_string()),
        detail: e.to_string(),
    })
}

/// Per office: the sites its trips can touch: the office, the homes of
/// its caseworkers' children, every airport, and the hotel towns nearest
/// to any of those.
fn groups(data: &Dataset, sites: &Sites) -> Vec<Vec<usize>> {
    let nearest_hotel = sites.nearest_hotels();
    let airports: Vec<usize> = (0..crate::geodata::airports().len())
        .map(|a| sites.airport(a))
        .collect();
    (0..data.offices.len())
        .map(|o| {
            let mut g: Vec<usize> = vec![sites.office(o)];
            g.extend(
                data.children
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| data.caseworkers[c.caseworker].office == o)
                    .map(|(i, _)| sites.child(i)),
            );
            g.extend(&airports);
            let hotels: BTreeSet<usize> = g.iter().map(|&s| nearest_hotel[s]).collect();
            g.extend(hotels);
            g.sort_unstable();
            g.dedup();
            g
        })
        .collect()
}

/// A cache without a file, for a message.
fn none() -> String {
    crate::tr!("(none)", "(ingen)")
}

/// A point for a message: the first site there, by id (never coordinates).
fn describe(sites: &Sites, point_of: &[u32], p: u32) -> String {
    use crate::tr;
    let Some(site) = point_of.iter().position(|&q| q == p) else {
        return tr!("a place", "et sted");
    };
    match sites.kind(site) {
        SiteKind::Office(i) => {
            let n = i + 1;
            tr!("office #{n}", "kontor nr. {n}")
        }
        SiteKind::Child(i) => {
            let (n, row) = (i + 1, i + 2);
            tr!(
                "child #{n} (row {row} of children.csv)",
                "barn nr. {n} (rad {row} i children.csv)"
            )
        }
        SiteKind::Airport(i) => {
            let iata = crate::geodata::airports()
                .get(i)
                .map_or("?", |a| a.iata.as_str());
            tr!("airport {iata}", "flyplass {iata}")
        }
        SiteKind::Hotel(i) => {
            let town = crate::geodata::hotel_towns()
                .get(i)
                .map_or("?", |t| t.name.as_str());
            tr!("hotel town {town}", "hotellby {town}")
        }
    }
}

/// Runs `job` on each of `jobs` with at most `threads` at once, in order
/// of the results; stops at the first error and returns it.
fn parallel<J: Sync, T: Send>(
    jobs: &[J],
    threads: usize,
    job: impl Fn(&J) -> Result<T, EngineError> + Sync,
) -> Result<Vec<T>, EngineError> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let error: Mutex<Option<EngineError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| loop {
                if failed.load(Ordering::Relaxed) {
                    return;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(j) = jobs.get(i) else {
                    return;
                };
                match job(j) {
                    Ok(t) => {
                        if let Ok(mut r) = results.lock() {
                            r[i] = Some(t);
                        }
                    }
                    Err(e) => {
                        failed.store(true, Ordering::Relaxed);
                        if let Ok(mut slot) = error.lock() {
                            slot.get_or_insert(e);
                        }
                        return;
                    }
                }
            });
        }
    });
    if let Some(e) = error.into_inner().ok().flatten() {
        return Err(e);
    }
    results
        .into_inner()
        .ok()
        .and_then(|r| r.into_iter().collect::<Option<Vec<T>>>())
        .ok_or_else(|| EngineError::Failed {
            engine: "road",
            url: String::new(),
            what: "matrix".into(),
            detail: crate::tr!("a worker thread stopped", "en arbeidstråd stoppet"),
        })
}

#[cfg(test)]
mod tests;
