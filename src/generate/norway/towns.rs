//! Towns, offices and their regions, from the postcode table.
//!
//! A town is a municipality (`KOMMNR`): the table's place names split one
//! town into many (Bergen's postcodes say Bergen, Nesttun, Fyllingsdalen,
//! ...), so grouping by municipality is what keeps two offices out of one
//! town. A town's population is the sum over its postcodes and its centre
//! the population-weighted mean of their positions. An office's region is
//! every postcode nearer to it than to any other office (great-circle
//! distance; ties go to the larger town).

use super::super::homes::EXCLUDED_COUNTIES;
use super::super::postcodes::Postcode;
use super::super::{distance_km, in_norway, round5, slug};
use crate::model::{LatLon, Office, OfficeId};
use std::collections::{BTreeMap, BTreeSet};

/// Degrees a usable postcode keeps from the edge of the bounding box, so a
/// home moved a few hundred metres off it stays inside.
const BOX_MARGIN: f64 = 0.05;

/// Postcodes a home can be at: inhabited street-address postcodes in use on
/// the mainland (not Svalbard or Jan Mayen, nothing outside Norway's box).
pub(super) fn usable(postcodes: &[Postcode]) -> Vec<&Postcode> {
    postcodes
        .iter()
        .filter(|p| {
            p.is_residential()
                && !EXCLUDED_COUNTIES.contains(&p.county.as_str())
                && in_norway(p.location, BOX_MARGIN)
        })
        .collect()
}

/// A municipality with its inhabitants.
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    pub municipality_number: u32,
    pub name: String,
    pub population: u64,
    /// Population-weighted mean of its postcodes, rounded to 5 decimals.
    pub centre: LatLon,
}

/// Every town of the usable postcodes, largest first (ties by municipality
/// number).
pub(super) fn towns(usable: &[&Postcode]) -> Vec<Town> {
    // (name, population, sum of lat x pop, sum of lon x pop)
    let mut by_number: BTreeMap<u32, (&str, u64, f64, f64)> = BTreeMap::new();
    for p in usable {
        let pop = u64::from(p.population);
        let entry = by_number.entry(p.municipality_number).or_insert((
            p.municipality.as_str(),
            0,
            0.0,
            0.0,
        ));
        entry.1 += pop;
        entry.2 += pop as f64 * p.location.lat;
        entry.3 += pop as f64 * p.location.lon;
    }
    let mut towns: Vec<Town> = by_number
        .into_iter()
        .map(|(number, (name, population, lat, lon))| Town {
            municipality_number: number,
            name: name.to_string(),
            population,
            centre: LatLon::new(
                round5(lat / population as f64),
                round5(lon / population as f64),
            ),
        })
        .collect();
    towns.sort_by(|a, b| {
        b.population
            .cmp(&a.population)
            .then(a.municipality_number.cmp(&b.municipality_number))
    });
    towns
}

/// One office per town, at the town's centre, with a unique ASCII id from
/// its name (the municipality number is added when two names give one id).
pub(super) fn offices(towns: &[Town]) -> Vec<Office> {
    let mut taken = BTreeSet::new();
    towns
        .iter()
        .map(|t| {
            let mut id = slug(&t.name);
            if taken.contains(&id) {
                id = format!("{id}-{}", t.municipality_number);
            }
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{}-{n}", slug(&t.name));
                n += 1;
            }
            taken.insert(id.clone());
            Office {
                id: OfficeId(id),
                name: format!("Barnevernet {}", t.name),
                location: t.centre,
            }
        })
        .collect()
}

/// The office nearest to each postcode (lower index on a tie).
pub(super) fn nearest_office(usable: &[&Postcode], offices: &[Office]) -> Vec<usize> {
    usable
        .iter()
        .map(|p| {
            (0..offices.len())
                .min_by(|&a, &b| {
                    let d = |o: usize| distance_km(offices[o].location, p.location);
                    d(a).total_cmp(&d(b)).then(a.cmp(&b))
                })
                .unwrap_or(0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::postcodes::parse_postcodes;

    const SAMPLE: &str = "POSTNR\tPOSTSTAD\tBRUKSOMRÅDE\tFOLKETAL\tKOMMNR\tKOMMUNE\tFYLKE\tLAT\tLON\n\
        5003\tBergen\tGate-/veg-adresse\t3000\t4601\tBergen\tVestland\t60.39000\t5.32000\n\
        5221\tNesttun\tGate-/veg-adresse\t1000\t4601\tBergen\tVestland\t60.31000\t5.36000\n\
        0150\tOslo\tGate-/veg-adresse\t3500\t301\tOslo\tOslo\t59.91000\t10.75000\n\
        8440\tHerøy\tGate-/veg-adresse\t500\t1818\tHerøy\tNordland\t66.00000\t12.30000\n\
        6090\tHerøy\tGate-/veg-adresse\t500\t1515\tHerøy\tMøre og Romsdal\t62.30000\t5.60000\n\
        9170\tLongyearbyen\tGate-/veg-adresse\t2000\t2111\tSvalbard\tSvalbard\t78.22000\t15.65000\n";

    /// Postcodes of one municipality make one town; Svalbard is left out.
    #[test]
    fn towns_merge_postcodes_of_a_municipality() {
        let rows = parse_postcodes(SAMPLE.as_bytes()).unwrap();
        let usable = usable(&rows);
        assert_eq!(usable.len(), 5);
        let towns = towns(&usable);
        let names: Vec<&str> = towns.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Bergen", "Oslo", "Herøy", "Herøy"]);
        assert_eq!(towns[0].population, 4000);
        assert!((towns[0].centre.lat - 60.37).abs() < 1e-9);
        assert_eq!(towns[2].municipality_number, 1515);
    }

    /// Equal names get distinct ids; each postcode goes to its nearest office.
    #[test]
    fn office_ids_are_unique_and_regions_nearest() {
        let rows = parse_postcodes(SAMPLE.as_bytes()).unwrap();
        let usable = usable(&rows);
        let offices = offices(&towns(&usable));
        let ids: Vec<&str> = offices.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["bergen", "oslo", "heroy", "heroy-1818"]);
        assert_eq!(offices[1].name, "Barnevernet Oslo");
        let nearest = nearest_office(&usable, &offices[..2]);
        // Herøy in Nordland lies nearer Oslo than Bergen.
        assert_eq!(nearest, vec![0, 0, 1, 1, 0]);
    }
}
