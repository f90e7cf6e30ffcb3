//! Reference geodata compiled into the binary, so any dataset folder plans
//! without extra files:
//!
//! - `data/geodata/airports_no.csv`: Norwegian airports (airportsdata, MIT);
//! - `data/geodata/places_no.csv`: 624 Norwegian places with population
//!   (GeoNames, CC BY 4.0), used to name and place hotels;
//! - `data/geodata/norway_mainland_10m.geojson`: the outline of Norway
//!   (Natural Earth, public domain), used to tell islands from the mainland;
//! - `data/geodata/postnummer_bolstad.tsv`: every Norwegian postcode with
//!   its municipality and county (Erik Bolstad, CC BY 3.0,
//!   <https://www.erikbolstad.no/postnummer/>), used to tell which
//!   municipality a home lies in.

use crate::model::LatLon;
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use std::sync::OnceLock;

const AIRPORTS_CSV: &str = include_str!("../data/geodata/airports_no.csv");
const PLACES_CSV: &str = include_str!("../data/geodata/places_no.csv");
const OUTLINE_GEOJSON: &str = include_str!("../data/geodata/norway_mainland_10m.geojson");
const POSTCODES_TSV: &str = include_str!("../data/geodata/postnummer_bolstad.tsv");

/// A municipality and its county, by the postcode table's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// `KOMMNR` (Trondheim: 5001).
    pub number: u32,
    pub name: String,
    pub county: String,
}

/// The municipality of the postcode nearest to `pos` (postcodes in use,
/// by straight-line distance): where a home lies, near enough for counting
/// children by municipality and county. `None` only if the table is empty.
pub fn municipality_of(pos: LatLon) -> Option<Municipality> {
    static CELL: OnceLock<Vec<crate::generate::postcodes::Postcode>> = OnceLock::new();
    let postcodes = CELL.get_or_init(|| {
        crate::generate::postcodes::parse_postcodes(POSTCODES_TSV.as_bytes())
            .map(|rows| rows.into_iter().filter(|p| p.in_use()).collect())
            .unwrap_or_default()
    });
    postcodes
        .iter()
        .min_by(|a, b| {
            crate::travel::great_circle_metres(pos, a.location)
                .total_cmp(&crate::travel::great_circle_metres(pos, b.location))
        })
        .map(|p| Municipality {
            number: p.municipality_number,
            name: p.municipality.clone(),
            county: p.county.clone(),
        })
}

#[derive(Debug, Clone)]
pub struct Airport {
    pub iata: String,
    pub name: String,
    pub location: LatLon,
}

#[derive(Debug, Clone)]
pub struct Town {
    pub name: String,
    pub location: LatLon,
    pub population: u64,
}

/// Airports from the embedded table, in file order.
pub fn airports() -> &'static [Airport] {
    static CELL: OnceLock<Vec<Airport>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(AIRPORTS_CSV.as_bytes());
        rdr.records()
            .filter_map(Result::ok)
            .filter_map(|r| {
                Some(Airport {
                    iata: r.get(0)?.to_string(),
                    name: r.get(2)?.to_string(),
                    location: LatLon::new(r.get(4)?.parse().ok()?, r.get(5)?.parse().ok()?),
                })
            })
            .collect()
    })
}

/// Towns with at least `HOTEL_TOWN_MIN_POPULATION` people: where a
/// caseworker can expect a hotel.
pub fn hotel_towns() -> &'static [Town] {
    const HOTEL_TOWN_MIN_POPULATION: u64 = 1500;
    static CELL: OnceLock<Vec<Town>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(PLACES_CSV.as_bytes());
        rdr.records()
            .filter_map(Result::ok)
            .filter_map(|r| {
                Some(Town {
                    name: r.get(1)?.to_string(),
                    location: LatLon::new(r.get(2)?.parse().ok()?, r.get(3)?.parse().ok()?),
                    population: r.get(4)?.parse().ok()?,
                })
            })
            .filter(|t| t.population >= HOTEL_TOWN_MIN_POPULATION)
            .collect()
    })
}

/// The polygons of Norway's outline; index 0 is the mainland (the largest),
/// the others are islands large enough for the 1:10m map.
pub fn outline() -> &'static MultiPolygon<f64> {
    static CELL: OnceLock<MultiPolygon<f64>> = OnceLock::new();
    CELL.get_or_init(|| parse_outline(OUTLINE_GEOJSON).unwrap_or_else(|| MultiPolygon(vec![])))
}

fn parse_outline(text: &str) -> Option<MultiPolygon<f64>> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let coords = json["features"][0]["geometry"]["coordinates"].as_array()?;
    let ring = |v: &serde_json::Value| -> Option<LineString<f64>> {
        let pts = v.as_array()?;
        Some(LineString(
            pts.iter()
                .filter_map(|p| {
                    Some(Coord {
                        x: p[0].as_f64()?,
                        y: p[1].as_f64()?,
                    })
                })
                .collect(),
        ))
    };
    let mut polys: Vec<Polygon<f64>> = coords
        .iter()
        .filter_map(|poly| {
            let rings = poly.as_array()?;
            let exterior = ring(rings.first()?)?;
            let interiors = rings.iter().skip(1).filter_map(ring).collect();
            Some(Polygon::new(exterior, interiors))
        })
        .collect();
    // Largest first, so index 0 is the mainland.
    polys.sort_by_key(|p| std::cmp::Reverse(p.exterior().0.len()));
    Some(MultiPolygon(polys))
}

/// Which island a position is on: `None` on the mainland or off the map
/// (small islands and the sea are not in the 1:10m outline), `Some(i)` inside
/// island polygon `i`.
pub fn island_of(pos: LatLon) -> Option<usize> {
    let p = Point::new(pos.lon, pos.lat);
    outline()
        .0
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, poly)| poly.contains(&p))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_parse() {
        assert!(airports().iter().any(|a| a.iata == "TRD"));
        assert_eq!(airports().len(), 49);
        assert!(hotel_towns().iter().any(|t| t.name == "Steinkjer"));
        assert!(outline().0.len() > 50);
    }

    #[test]
    fn homes_are_placed_in_their_municipality_and_county() {
        let trondheim = municipality_of(LatLon::new(63.4305, 10.3951)).unwrap();
        assert_eq!(
            (trondheim.number, trondheim.county.as_str()),
            (5001, "Trøndelag")
        );
        let steinkjer = municipality_of(LatLon::new(64.0149, 11.4954)).unwrap();
        assert_eq!(steinkjer.name, "Steinkjer");
        assert_eq!(steinkjer.county, "Trøndelag");
        let bergen = municipality_of(LatLon::new(60.3913, 5.3221)).unwrap();
        assert_eq!(bergen.name, "Bergen");
    }

    #[test]
    fn islands_are_told_from_the_mainland() {
        // Trondheim and Steinkjer are on the mainland.
        assert_eq!(island_of(LatLon::new(63.4305, 10.3951)), None);
        assert_eq!(island_of(LatLon::new(64.0149, 11.4954)), None);
        // Hitra and Senja are islands.
        assert!(island_of(LatLon::new(63.52, 8.85)).is_some());
        assert!(island_of(LatLon::new(69.30, 17.50)).is_some());
    }
}
