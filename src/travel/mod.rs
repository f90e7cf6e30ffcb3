//! Travel between the places a plan touches: offices, homes, airports and
//! hotels.
//!
//! The planner only ever asks a [`TravelMatrix`] for the drive between two
//! site indices, so a road engine (OSRM, Valhalla) can replace the offline
//! great-circle model without the planner changing. Flights are the
//! planner's own model ([`flights`]), whatever the road source.

pub mod calibrate;
pub mod car;
pub mod engine;
pub mod flights;

use crate::geodata;
use crate::model::{Dataset, LatLon};
use crate::units::{Metres, Minutes};

/// A drive between two sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drive {
    pub metres: Metres,
    pub minutes: Minutes,
}

/// What a site is, with its index in the dataset or reference table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    Office(usize),
    Child(usize),
    Airport(usize),
    Hotel(usize),
}

#[derive(Debug, Clone)]
pub struct Site {
    pub kind: SiteKind,
    pub location: LatLon,
}

/// Every site of one planning run, indexed once: offices, then children,
/// then airports, then hotel towns.
#[derive(Debug, Clone)]
pub struct Sites {
    pub sites: Vec<Site>,
    first_child: usize,
    first_airport: usize,
    first_hotel: usize,
}

impl Sites {
    pub fn new(data: &Dataset) -> Self {
        let mut sites: Vec<Site> = data
            .offices
            .iter()
            .enumerate()
            .map(|(i, o)| Site {
                kind: SiteKind::Office(i),
                location: o.location,
            })
            .collect();
        let first_child = sites.len();
        sites.extend(data.children.iter().enumerate().map(|(i, c)| Site {
            kind: SiteKind::Child(i),
            location: c.location,
        }));
        let first_airport = sites.len();
        sites.extend(geodata::airports().iter().enumerate().map(|(i, a)| Site {
            kind: SiteKind::Airport(i),
            location: a.location,
        }));
        let first_hotel = sites.len();
        sites.extend(
            geodata::hotel_towns()
                .iter()
                .enumerate()
                .map(|(i, t)| Site {
                    kind: SiteKind::Hotel(i),
                    location: t.location,
                }),
        );
        Self {
            sites,
            first_child,
            first_airport,
            first_hotel,
        }
    }

    pub fn len(&self) -> usize {
        self.sites.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    pub fn office(&self, i: usize) -> usize {
        i
    }
    pub fn child(&self, i: usize) -> usize {
        self.first_child + i
    }
    pub fn airport(&self, i: usize) -> usize {
        self.first_airport + i
    }
    pub fn hotel(&self, i: usize) -> usize {
        self.first_hotel + i
    }
    pub fn hotels(&self) -> std::ops::Range<usize> {
        self.first_hotel..self.sites.len()
    }
    pub fn location(&self, site: usize) -> LatLon {
        self.sites[site].location
    }
    pub fn kind(&self, site: usize) -> SiteKind {
        self.sites[site].kind
    }

    /// Per site: the site of the nearest hotel town, or, with none within
    /// `HOTEL_TOWN_MAX_METRES` (Svalbard, a remote island), the site itself
    /// (a hotel right where the caseworker is).
    pub fn nearest_hotels(&self) -> Vec<usize> {
        (0..self.len())
            .map(|s| {
                let here = self.location(s);
                self.hotels()
                    .map(|h| (great_circle_metres(here, self.location(h)), h))
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .filter(|(m, _)| *m <= HOTEL_TOWN_MAX_METRES)
                    .map_or(s, |(_, h)| h)
            })
            .collect()
    }
}

/// Farthest a hotel town may be from where the day ends, straight line.
const HOTEL_TOWN_MAX_METRES: f64 = 40_000.0;

/// Road travel between sites. Implementations must be deterministic and
/// cheap to query; an engine-backed matrix fetches and caches up front.
pub trait TravelMatrix: Sync {
    /// The drive from one site to another.
    fn drive(&self, from: usize, to: usize) -> Drive;

    /// Whether a road leads from one site to the other (a road engine may
    /// know none; the offline model always does).
    fn reachable(&self, _from: usize, _to: usize) -> bool {
        true
    }
}

/// Great-circle distance in metres (haversine on a sphere of mean radius).
pub fn great_circle_metres(a: LatLon, b: LatLon) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}
