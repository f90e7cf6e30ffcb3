//! Where the children live: homes drawn at real, inhabited postcodes.
//!
//! Foster homes are often outside built-up areas (domain.md), so postcodes
//! are weighted by population to a power below 1, which gives small rural
//! postcodes more than their share. Outside Trøndelag a county is chosen
//! first, by population damped with distance from Trondheim and raised for
//! the neighbouring counties, then a postcode inside it. Each home is moved a
//! few hundred metres off the postcode's centre point so no two coincide.

use super::history::Draft;
use super::postcodes::Postcode;
use super::trondheim::*;
use super::{apportion, distance_km, offset, round5};
use crate::model::LatLon;
use anyhow::bail;
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use std::collections::BTreeSet;

/// Not part of the mainland the department drives and flies to.
pub const EXCLUDED_COUNTIES: [&str; 2] = ["Svalbard", "Jan Mayen"];
/// Postcode weight = population ^ this: below 1, so small rural postcodes get
/// more than their share, as foster homes are often outside built-up areas.
pub const POPULATION_EXPONENT: f64 = 0.6;
/// A home lies this far (metres, uniform) from its postcode's centre point.
pub const OFFSET_METRES: (f64, f64) = (100.0, 600.0);

/// Postcodes a home can be drawn from, with their sampling weights.
pub(super) struct Pool<'a> {
    rows: Vec<&'a Postcode>,
    weights: WeightedIndex<f64>,
}

impl<'a> Pool<'a> {
    /// Weights population ^ `exponent`: [`POPULATION_EXPONENT`] for the
    /// rural bias of foster homes, 1 for plain population.
    pub(super) fn new(name: &str, rows: Vec<&'a Postcode>, exponent: f64) -> anyhow::Result<Self> {
        if rows.is_empty() {
            bail!(crate::tr!(
                "the postcode table has no inhabited street-address postcode {name}",
                "postnummertabellen har ikke noe bebodd postnummer med gateadresser {name}"
            ));
        }
        let weights = rows.iter().map(|p| f64::from(p.population).powf(exponent));
        Ok(Self {
            weights: WeightedIndex::new(weights)?,
            rows,
        })
    }

    pub(super) fn draw<R: Rng>(&self, rng: &mut R) -> &'a Postcode {
        self.rows[self.weights.sample(rng)]
    }
}

pub(super) struct Pools<'a> {
    trondheim: Pool<'a>,
    trondelag: Pool<'a>,
    /// Counties outside Trøndelag, in the table's order of first appearance,
    /// each with its county weight.
    counties: Vec<(String, Pool<'a>, f64)>,
}

impl<'a> Pools<'a> {
    pub(super) fn new(postcodes: &'a [Postcode]) -> anyhow::Result<Self> {
        let homes: Vec<&Postcode> = postcodes.iter().filter(|p| p.is_residential()).collect();
        let in_county = |p: &&Postcode| p.county == HOME_COUNTY;
        let trondheim = homes
            .iter()
            .copied()
            .filter(|p| in_county(p) && p.municipality_number == TRONDHEIM_MUNICIPALITY)
            .collect();
        let trondelag = homes
            .iter()
            .copied()
            .filter(|p| in_county(p) && p.municipality_number != TRONDHEIM_MUNICIPALITY)
            .collect();
        let mut names: Vec<&str> = Vec::new();
        for p in &homes {
            let other = p.county != HOME_COUNTY && !EXCLUDED_COUNTIES.contains(&p.county.as_str());
            if other && !names.contains(&p.county.as_str()) {
                names.push(&p.county);
            }
        }
        let mut counties = Vec::new();
        for name in names {
            let rows: Vec<&Postcode> = homes.iter().copied().filter(|p| p.county == name).collect();
            let weight = county_weight(name, &rows);
            counties.push((
                name.to_string(),
                Pool::new(name, rows, POPULATION_EXPONENT)?,
                weight,
            ));
        }
        if counties.is_empty() {
            bail!(crate::tr!(
                "the postcode table has no county outside {HOME_COUNTY}",
                "postnummertabellen har ikke noe fylke utenfor {HOME_COUNTY}"
            ));
        }
        Ok(Self {
            trondheim: Pool::new(
                &crate::tr!("in Trondheim (5001)", "i Trondheim (5001)"),
                trondheim,
                POPULATION_EXPONENT,
            )?,
            trondelag: Pool::new(
                &crate::tr!("elsewhere in Trøndelag", "ellers i Trøndelag"),
                trondelag,
                POPULATION_EXPONENT,
            )?,
            counties,
        })
    }
}

/// Population, damped by the distance from the office to the county's
/// population centre (mean distance weighted by residents), and raised for
/// the three neighbours of Trøndelag.
fn county_weight(name: &str, rows: &[&Postcode]) -> f64 {
    let office = office_location();
    let population: f64 = rows.iter().map(|p| f64::from(p.population)).sum();
    let mean_km = rows
        .iter()
        .map(|p| f64::from(p.population) * distance_km(office, p.location))
        .sum::<f64>()
        / population;
    let neighbour = if NEIGHBOUR_COUNTIES.contains(&name) {
        NEIGHBOUR_FACTOR
    } else {
        1.0
    };
    population * (-mean_km / DECAY_KM).exp() * neighbour
}

/// Homes for every child: region and team counts from the report, postcodes
/// by weight, a random offset that keeps every home apart from the others.
pub(super) fn draw_homes<R: Rng>(rng: &mut R, pools: &Pools) -> Vec<Draft<Region>> {
    let mut taken = BTreeSet::new();
    let mut drafts = Vec::new();
    for (r, region) in Region::ALL.into_iter().enumerate() {
        let mut teams: Vec<Team> = Team::ALL
            .into_iter()
            .flat_map(|t| std::iter::repeat(t).take(children_in_report(t)[r]))
            .collect();
        let pools_for_children: Vec<&Pool> = match region {
            Region::Trondheim => vec![&pools.trondheim; teams.len()],
            Region::Trondelag => vec![&pools.trondelag; teams.len()],
            Region::Norway => county_quotas(pools, teams.len()),
        };
        teams.shuffle(rng);
        for (team, pool) in teams.into_iter().zip(pools_for_children) {
            let postcode = pool.draw(rng);
            let location = unique_spot(rng, postcode.location, &mut taken);
            drafts.push(Draft::new(
                team,
                region,
                &postcode.county,
                &postcode.place,
                location,
            ));
        }
    }
    drafts
}

/// One pool per child elsewhere in Norway: every county gets at least one
/// child (when there are enough) and the rest go by county weight (largest
/// remainder).
fn county_quotas<'p, 'a>(pools: &'p Pools<'a>, children: usize) -> Vec<&'p Pool<'a>> {
    let weights: Vec<f64> = pools.counties.iter().map(|c| c.2).collect();
    let floor = usize::from(children >= weights.len());
    let quotas = apportion(children - floor * weights.len(), &weights);
    pools
        .counties
        .iter()
        .zip(quotas)
        .flat_map(|((_, pool, _), quota)| std::iter::repeat(pool).take(floor + quota))
        .collect()
}

/// A point a few hundred metres from `centre`, at 5 decimals, unlike any
/// home drawn before at 4 decimals (about 10 m).
pub(super) fn unique_spot<R: Rng>(
    rng: &mut R,
    centre: LatLon,
    taken: &mut BTreeSet<(i64, i64)>,
) -> LatLon {
    loop {
        let bearing = rng.gen_range(0.0..360.0);
        let metres = rng.gen_range(OFFSET_METRES.0..=OFFSET_METRES.1);
        let p = offset(centre, bearing, metres);
        let p = LatLon::new(round5(p.lat), round5(p.lon));
        let key = ((p.lat * 1e4).round() as i64, (p.lon * 1e4).round() as i64);
        if taken.insert(key) {
            return p;
        }
    }
}
