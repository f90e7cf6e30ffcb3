//! What every planning step shares: the dataset, the sites, the road matrix,
//! and facts derived once (nearest hotel, home airport, airports that serve
//! each child).

use crate::geodata;
use crate::model::Dataset;
use crate::settings::Settings;
use crate::travel::flights::network;
use crate::travel::{Drive, Sites, TravelMatrix};
use crate::units::{Metres, Minutes};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Above this many offices, children and airports the drive cache would take
/// too much memory, and drives are asked of the matrix each time.
const DENSE_CACHE_MAX_SITES: usize = 2500;

/// A way to reach a child's area from its caseworker's office by air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirAccess {
    /// Index into `geodata::airports()` of the arrival airport.
    pub dest: usize,
    /// Airports flown through, home airport first, `dest` last.
    pub out: Vec<usize>,
    /// The way back, `dest` first, home airport last.
    pub back: Vec<usize>,
}

pub struct Context<'a> {
    pub data: &'a Dataset,
    pub settings: &'a Settings,
    pub sites: &'a Sites,
    pub matrix: &'a dyn TravelMatrix,
    /// Per site: the site of the nearest hotel town.
    nearest_hotel: Vec<usize>,
    /// Drives between the first `dense_n` sites (offices, children, airports),
    /// row-major, as (metres, minutes): the search asks for them millions of times.
    dense: Vec<(u32, u32)>,
    dense_n: usize,
    /// Per dense site: the drive to its nearest hotel and back.
    to_hotel: Vec<((u32, u32), (u32, u32))>,
    /// Per hotel site (from the first): its row in `hotel_rows`, when it is
    /// the nearest hotel of a dense site (`u32::MAX`: none).
    hotel_row: Vec<u32>,
    /// Per such hotel, row-major: the drive from it to each dense site and
    /// back. A trip's next day starts at the hotel of the last day's end,
    /// seldom the nearest one to where it goes.
    hotel_rows: Vec<((u32, u32), (u32, u32))>,
    /// Per office: its airport (the one with scheduled routes nearest by road).
    pub home_airport: Vec<Option<usize>>,
    /// Per child: arrival airports worth flying to, by the child's caseworker's office.
    pub air_access: Vec<Vec<AirAccess>>,
    /// Per child: visits that stand inside the horizon whatever is planned
    /// (done, or locked by a re-plan), sorted; empty for a fresh plan.
    pub fixed_visits: Vec<Vec<chrono::NaiveDate>>,
    /// Per child (or empty): the day the plan before a re-plan had its
    /// visit on; trips aim for it, so a re-plan moves no more than it must.
    pub previous_day: Vec<Option<chrono::NaiveDate>>,
    /// Threads the planner may start besides those at work: pooled
    /// continuity lends them to the pricing of a group whose neighbours
    /// are done. None unless handed out ([`Self::lend_threads`]).
    spare_threads: AtomicUsize,
}

impl<'a> Context<'a> {
    pub fn new(data: &'a Dataset, sites: &'a Sites, matrix: &'a dyn TravelMatrix) -> Self {
        let settings = &data.settings;
        let nearest_hotel = sites.nearest_hotels();
        let home_airport: Vec<Option<usize>> = (0..data.offices.len())
            .map(|o| {
                (0..geodata::airports().len())
                    .filter(|a| network().has_routes(*a))
                    .min_by_key(|a| matrix.drive(sites.office(o), sites.airport(*a)).minutes)
            })
            .collect();
        let core = sites.hotels().start;
        let dense_n = if core <= DENSE_CACHE_MAX_SITES {
            core
        } else {
            0
        };
        let pack = |d: Drive| {
            let clamp = |x: i64| x.clamp(0, u32::MAX as i64) as u32;
            (clamp(d.metres.0), clamp(d.minutes.0))
        };
        let mut dense = Vec::with_capacity(dense_n * dense_n);
        for a in 0..dense_n {
            dense.extend((0..dense_n).map(|b| pack(matrix.drive(a, b))));
        }
        let to_hotel = (0..dense_n)
            .map(|a| {
                (
                    pack(matrix.drive(a, nearest_hotel[a])),
                    pack(matrix.drive(nearest_hotel[a], a)),
                )
            })
            .collect();
        let first_hotel = sites.hotels().start;
        let mut hotel_row = vec![u32::MAX; sites.len() - first_hotel];
        let mut hotel_rows = Vec::new();
        for &h in &nearest_hotel[..dense_n] {
            let Some(slot) = h.checked_sub(first_hotel) else {
                continue;
            };
            if hotel_row[slot] == u32::MAX {
                hotel_row[slot] = (hotel_rows.len() / dense_n) as u32;
                hotel_rows.extend(
                    (0..dense_n).map(|a| (pack(matrix.drive(h, a)), pack(matrix.drive(a, h)))),
                );
            }
        }
        let mut ctx = Self {
            data,
            settings,
            sites,
            matrix,
            nearest_hotel,
            dense,
            dense_n,
            to_hotel,
            hotel_row,
            hotel_rows,
            home_airport,
            air_access: Vec::new(),
            fixed_visits: vec![Vec::new(); data.children.len()],
            previous_day: Vec::new(),
            spare_threads: AtomicUsize::new(0),
        };
        ctx.air_access = (0..data.children.len())
            .map(|c| ctx.find_air_access(c))
            .collect();
        ctx
    }

    /// The drive between two sites, from the cache where it has them.
    pub fn drive(&self, from: usize, to: usize) -> Drive {
        let unpack = |(m, t): (u32, u32)| Drive {
            metres: Metres(m as i64),
            minutes: Minutes(t as i64),
        };
        let n = self.dense_n;
        if from < n && to < n {
            return unpack(self.dense[from * n + to]);
        }
        if from < n && to == self.nearest_hotel[from] {
            return unpack(self.to_hotel[from].0);
        }
        if to < n && from == self.nearest_hotel[to] {
            return unpack(self.to_hotel[to].1);
        }
        let row = |hotel: usize| {
            let r = *self
                .hotel_row
                .get(hotel.checked_sub(self.sites.hotels().start)?)?;
            (r != u32::MAX).then_some(r as usize * n)
        };
        if to < n {
            if let Some(r) = row(from) {
                return unpack(self.hotel_rows[r + to].0);
            }
        }
        if from < n {
            if let Some(r) = row(to) {
                return unpack(self.hotel_rows[r + from].1);
            }
        }
        self.matrix.drive(from, to)
    }

    /// Makes `n` more threads spare (a worker that is done hands its own back).
    pub fn lend_threads(&self, n: usize) {
        self.spare_threads.fetch_add(n, Ordering::Relaxed);
    }

    /// Takes up to `want` spare threads: how many it got, to be handed back
    /// with [`Self::lend_threads`].
    pub fn borrow_threads(&self, want: usize) -> usize {
        let mut spare = self.spare_threads.load(Ordering::Relaxed);
        loop {
            let k = spare.min(want);
            if k == 0 {
                return 0;
            }
            match self.spare_threads.compare_exchange_weak(
                spare,
                spare - k,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return k,
                Err(now) => spare = now,
            }
        }
    }

    pub fn nearest_hotel(&self, site: usize) -> usize {
        self.nearest_hotel[site]
    }

    /// Whether no road reaches the child's home, neither from its
    /// caseworker's office nor from an airport a flight could take them to.
    pub fn no_road_access(&self, child: usize) -> bool {
        let home = self.sites.child(child);
        let office = self.office_site_of_caseworker(self.data.children[child].caseworker);
        !self.matrix.reachable(office, home)
            && self.air_access[child]
                .iter()
                .all(|a| !self.matrix.reachable(self.sites.airport(a.dest), home))
    }

    pub fn office_site_of_caseworker(&self, caseworker: usize) -> usize {
        self.sites.office(self.data.caseworkers[caseworker].office)
    }

    /// Airports near the child that its office can fly to, when the drive
    /// from the office is long enough that flying may pay.
    fn find_air_access(&self, child: usize) -> Vec<AirAccess> {
        let office = self.data.caseworkers[self.data.children[child].caseworker].office;
        let Some(home) = self.home_airport[office] else {
            return Vec::new();
        };
        let f = &self.settings.flight;
        let child_site = self.sites.child(child);
        let drive_from_office = self
            .matrix
            .drive(self.sites.office(office), child_site)
            .minutes;
        if drive_from_office.0 <= f.consider_above_drive_minutes {
            return Vec::new();
        }
        let mut out: Vec<(i64, AirAccess)> = (0..geodata::airports().len())
            .filter_map(|dest| {
                let rental = self
                    .matrix
                    .drive(self.sites.airport(dest), child_site)
                    .minutes
                    .0;
                if rental > f.max_rental_drive_minutes {
                    return None;
                }
                let there = network().path(home, dest, f)?;
                let back = network().path(dest, home, f)?;
                Some((
                    rental,
                    AirAccess {
                        dest,
                        out: there,
                        back,
                    },
                ))
            })
            .collect();
        out.sort_by_key(|(rental, a)| (*rental, a.dest));
        // The two nearest airports are enough: a third is never closer to the child.
        out.into_iter().take(2).map(|(_, a)| a).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::travel::car::GreatCircleCar;

    #[test]
    fn cached_drives_from_and_to_hotels_are_the_matrix_drives() {
        let data = crate::check::fixture::dataset();
        let sites = Sites::new(&data);
        let matrix = GreatCircleCar::new(&sites, &data.settings.car);
        let ctx = Context::new(&data, &sites, &matrix);
        let core = sites.hotels().start;
        assert!(ctx.dense_n == core && !ctx.hotel_rows.is_empty());
        let hotels: Vec<usize> = (0..core).map(|s| ctx.nearest_hotel(s)).collect();
        for &h in &hotels {
            for s in (0..core).chain(hotels.iter().copied()) {
                assert_eq!(ctx.drive(h, s), matrix.drive(h, s), "{h} -> {s}");
                assert_eq!(ctx.drive(s, h), matrix.drive(s, h), "{s} -> {h}");
            }
        }
    }
}
