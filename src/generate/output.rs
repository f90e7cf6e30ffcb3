//! Writing a [`Dataset`] as the four input files of the data contract:
//! offices.csv, caseworkers.csv, absences.csv and children.csv.
//!
//! The files are what the loader reads back: `,` separated, a header row with
//! the contract's column names in the contract's order, LF line endings,
//! dates `YYYY-MM-DD`, coordinates with 5 decimals (about a metre), fte with
//! one decimal and an empty field for a missing `last_visit`. Rows come in a
//! fixed order (children by id, absences by caseworker and date) so equal
//! datasets give equal bytes.

use crate::contract::{ABSENCES, CASEWORKERS, CHILDREN, OFFICES};
use crate::model::Dataset;
use crate::write::{private_file, write_folder_atomically};
use anyhow::Context;
use std::path::Path;

pub use crate::contract::{
    ABSENCE_COLUMNS as ABSENCES_HEADER, CASEWORKER_COLUMNS as CASEWORKERS_HEADER,
    CHILD_COLUMNS as CHILDREN_HEADER, OFFICE_COLUMNS as OFFICES_HEADER,
};

/// The files a generated dataset folder may hold: replacing such a folder
/// loses nothing else.
pub const DATASET_FILES: [&str; 5] = [OFFICES, CASEWORKERS, ABSENCES, CHILDREN, "README.md"];

/// Whether `out` may be replaced as a whole by a generated dataset: it does
/// not exist, is empty, or holds nothing but a generated dataset's files.
pub fn is_replaceable(out: &Path) -> bool {
    if !out.exists() {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(out) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        entry.is_ok_and(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && DATASET_FILES.iter().any(|f| e.file_name() == *f)
        })
    })
}

/// Writes the folder `out` all or nothing, owner-only (folder 0700, files
/// 0600): the four CSV files of `data` and `README.md`. An older `out` is
/// replaced as a whole, and stays as it was when anything fails.
pub fn write_dataset_atomically(data: &Dataset, readme: &str, out: &Path) -> anyhow::Result<()> {
    let files = dataset_files(data)?;
    write_folder_atomically(out, |dir| {
        for (name, bytes) in &files {
            private_file(&dir.join(name), bytes)?;
        }
        private_file(&dir.join("README.md"), readme.as_bytes())
    })
    .with_context(|| format!("cannot write the dataset folder {}", out.display()))
}

/// The file names and bytes of the four CSV files of `data`.
fn dataset_files(data: &Dataset) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    let coord = |x: f64| format!("{x:.5}");
    let offices = data.offices.iter().map(|o| {
        vec![
            o.id.to_string(),
            o.name.clone(),
            coord(o.location.lat),
            coord(o.location.lon),
        ]
    });
    let caseworkers = data.caseworkers.iter().map(|c| {
        vec![
            c.id.to_string(),
            c.name.clone(),
            c.team.clone(),
            data.offices[c.office].id.to_string(),
            format!("{:.1}", c.fte),
        ]
    });
    let mut absences: Vec<_> = data.absences.iter().collect();
    absences.sort_by(|a, b| {
        let id = |x: usize| &data.caseworkers[x].id;
        (id(a.caseworker), a.from, a.to).cmp(&(id(b.caseworker), b.from, b.to))
    });
    let absences = absences.into_iter().map(|a| {
        vec![
            data.caseworkers[a.caseworker].id.to_string(),
            a.from.to_string(),
            a.to.to_string(),
            a.reason.clone(),
        ]
    });
    let mut children: Vec<_> = data.children.iter().collect();
    children.sort_by(|a, b| a.id.cmp(&b.id));
    let children = children.into_iter().map(|c| {
        vec![
            c.id.to_string(),
            c.team.clone(),
            data.caseworkers[c.caseworker].id.to_string(),
            c.placement.as_str().to_string(),
            c.place.clone(),
            coord(c.location.lat),
            coord(c.location.lon),
            c.frequency.visits_per_year().to_string(),
            c.placed_since.to_string(),
            c.last_visit.map(|d| d.to_string()).unwrap_or_default(),
        ]
    });
    Ok(vec![
        (OFFICES, csv_bytes(OFFICES_HEADER, offices)?),
        (CASEWORKERS, csv_bytes(CASEWORKERS_HEADER, caseworkers)?),
        (ABSENCES, csv_bytes(ABSENCES_HEADER, absences)?),
        (CHILDREN, csv_bytes(CHILDREN_HEADER, children)?),
    ])
}

/// The bytes of a CSV file: header, then rows, LF line endings, fields
/// quoted only when they must be.
pub fn csv_bytes(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    w.into_inner().context("cannot finish a CSV buffer")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty last field stays an empty field, and commas get quotes.
    #[test]
    fn csv_bytes_use_lf_and_quote_only_when_needed() {
        let rows = vec![
            vec![
                "B1001".to_string(),
                "Skaun, Børsa".to_string(),
                String::new(),
            ],
            vec![
                "B1002".to_string(),
                "Ørland".to_string(),
                "2026-11-02".to_string(),
            ],
        ];
        let bytes = csv_bytes(&["child_id", "place", "last_visit"], rows.into_iter()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "child_id,place,last_visit\nB1001,\"Skaun, Børsa\",\nB1002,Ørland,2026-11-02\n"
        );
    }
}
