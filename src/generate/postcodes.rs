//! Reading Erik Bolstad's table of Norwegian postcodes
//! (`data/geodata/postnummer_bolstad.tsv`, "Postnummer i Noreg", CC BY 3.0,
//! <https://www.erikbolstad.no/postnummer/>).
//!
//! The file is tab-separated with a header row; columns are found by name, so
//! a re-ordered or extended export still reads. Only the columns the
//! generator needs are kept. An empty population (`FOLKETAL`) means none
//! lives there (post-box and company postcodes) and reads as 0.

use crate::model::LatLon;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One row of the postcode table.
#[derive(Debug, Clone, PartialEq)]
pub struct Postcode {
    /// `POSTNR`, four digits.
    pub code: String,
    /// `POSTSTAD` as the file writes it ("Trondheim", "Klæbu"); retired
    /// postcodes carry "(ikkje i bruk)".
    pub place: String,
    /// `BRUKSOMRÅDE`: what the postcode is used for ("Gate-/veg-adresse",
    /// "Gateadresser og postboksar", "Postboksar", ...).
    pub usage: String,
    /// `FOLKETAL`, residents; 0 when empty.
    pub population: u32,
    /// `KOMMNR`, the municipality number (Trondheim is 5001).
    pub municipality_number: u32,
    /// `KOMMUNE`.
    pub municipality: String,
    /// `FYLKE`, the county.
    pub county: String,
    /// `LAT`, `LON`.
    pub location: LatLon,
}

impl Postcode {
    /// The postcode is still in use (retired ones say "ikkje i bruk").
    pub fn in_use(&self) -> bool {
        !self.place.to_lowercase().contains("ikkje i bruk")
    }

    /// The postcode serves street addresses. The file spells this both
    /// "Gate-/veg-adresse" and "Gateadresser og postboksar".
    pub fn has_street_addresses(&self) -> bool {
        self.usage.starts_with("Gate")
    }

    /// People live here at street addresses: a place a child's home can be.
    pub fn is_residential(&self) -> bool {
        self.population > 0 && self.has_street_addresses() && self.in_use()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PostcodeError {
    #[error("{}", cannot_open(.path, .source))]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", at_line(*.line, .source))]
    Csv { line: u64, source: csv::Error },
    #[error("{}", column_missing(.0))]
    MissingColumn(&'static str),
    #[error("{}", not_a_number(*.line, .column, .value))]
    BadNumber {
        line: u64,
        column: &'static str,
        value: String,
    },
}

fn cannot_open(path: &Path, source: &std::io::Error) -> String {
    let path = path.display();
    crate::tr!(
        "cannot read the postcode file {path}: {source}",
        "kan ikke lese postnummerfilen {path}: {source}"
    )
}

fn at_line(line: u64, source: &csv::Error) -> String {
    crate::tr!(
        "postcode file, line {line}: {source}",
        "postnummerfilen, linje {line}: {source}"
    )
}

fn column_missing(column: &str) -> String {
    crate::tr!(
        "postcode file: the header has no column {column}",
        "postnummerfilen: overskriftsraden har ikke kolonnen {column}"
    )
}

fn not_a_number(line: u64, column: &str, value: &str) -> String {
    crate::tr!(
        "postcode file, line {line}: {column} {value:?} is not a number",
        "postnummerfilen, linje {line}: {column} «{value}» er ikke et tall"
    )
}

/// Reads the postcode table from a file.
pub fn read_postcodes(path: &Path) -> Result<Vec<Postcode>, PostcodeError> {
    let file = std::fs::File::open(path).map_err(|source| PostcodeError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    parse_postcodes(std::io::BufReader::new(file))
}

const COLUMNS: [&str; 9] = [
    "POSTNR",
    "POSTSTAD",
    "BRUKSOMRÅDE",
    "FOLKETAL",
    "KOMMNR",
    "KOMMUNE",
    "FYLKE",
    "LAT",
    "LON",
];

/// Reads the postcode table from any reader (tab-separated, header row).
pub fn parse_postcodes<R: Read>(reader: R) -> Result<Vec<Postcode>, PostcodeError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .from_reader(reader);
    let header = csv
        .headers()
        .map_err(|source| PostcodeError::Csv { line: 1, source })?
        .clone();
    let mut index = [0usize; COLUMNS.len()];
    for (slot, name) in index.iter_mut().zip(COLUMNS) {
        *slot = header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
            .ok_or(PostcodeError::MissingColumn(name))?;
    }
    let mut rows = Vec::new();
    for (n, record) in csv.records().enumerate() {
        let line = n as u64 + 2;
        let record = record.map_err(|source| PostcodeError::Csv { line, source })?;
        let field = |k: usize| record.get(index[k]).unwrap_or("").trim();
        let number = |k: usize| -> Result<f64, PostcodeError> {
            field(k).parse().map_err(|_| PostcodeError::BadNumber {
                line,
                column: COLUMNS[k],
                value: field(k).to_string(),
            })
        };
        let population = if field(3).is_empty() { 0.0 } else { number(3)? };
        rows.push(Postcode {
            code: field(0).to_string(),
            place: field(1).to_string(),
            usage: field(2).to_string(),
            population: population as u32,
            municipality_number: number(4)? as u32,
            municipality: field(5).to_string(),
            county: field(6).to_string(),
            location: LatLon::new(number(7)?, number(8)?),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "POSTNR\tPOSTSTAD\tPOSTNR- OG STAD\tBRUKSOMRÅDE\tFOLKETAL\tBYDEL\tKOMMNR\tKOMMUNE\tFYLKE\tLAT\tLON\tDATAKVALITET\n\
        7540\tKlæbu\t7540 KLÆBU\tGate-/veg-adresse\t4655\t\t5001\tTrondheim\tTrøndelag\t63.29830\t10.48340\t2\n\
        7541\tKlæbu\t7541 KLÆBU\tPostboksar\t\t\t5001\tTrondheim\tTrøndelag\t63.29830\t10.48340\t2\n\
        7977\tHøylandet (ikkje i bruk)\t7977 HØYLANDET\tGateadresser og postboksar\t1154\t\t5046\tHøylandet\tTrøndelag\t64.62890\t12.30250\t2\n";

    /// Columns are found by name and an empty population reads as 0.
    #[test]
    fn reads_rows_by_column_name() {
        let rows = parse_postcodes(SAMPLE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].place, "Klæbu");
        assert_eq!(rows[0].population, 4655);
        assert_eq!(rows[0].municipality_number, 5001);
        assert_eq!(rows[0].county, "Trøndelag");
        assert!((rows[0].location.lat - 63.2983).abs() < 1e-9);
        assert_eq!(rows[1].population, 0);
    }

    /// Only inhabited street-address postcodes in use can hold a home.
    #[test]
    fn residential_filter_drops_post_boxes_and_retired_codes() {
        let rows = parse_postcodes(SAMPLE.as_bytes()).unwrap();
        let residential: Vec<bool> = rows.iter().map(Postcode::is_residential).collect();
        assert_eq!(residential, vec![true, false, false]);
        assert!(rows[2].has_street_addresses());
        assert!(!rows[2].in_use());
    }

    #[test]
    fn missing_column_and_bad_number_are_reported() {
        let err = parse_postcodes("POSTNR\tPOSTSTAD\n0001\tOslo\n".as_bytes()).unwrap_err();
        assert!(matches!(err, PostcodeError::MissingColumn("BRUKSOMRÅDE")));
        let bad = SAMPLE.replace("63.29830", "nord");
        let err = parse_postcodes(bad.as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            PostcodeError::BadNumber {
                line: 2,
                column: "LAT",
                ..
            }
        ));
    }
}
