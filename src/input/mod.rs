//! Reading and validating a dataset folder: the only way into a [`Dataset`].
//!
//! The folder holds `offices.csv`, `caseworkers.csv`, `absences.csv` and
//! `children.csv` (see `docs/io-contract.md`) and optionally `settings.toml`.
//! Every file is read and every check runs even after problems are found, so
//! the user gets the complete list in one go, sorted by file, line and column.
//! A [`Dataset`] is built only when that list is empty; its references are
//! then indices that code downstream may use without checking.
//!
//! `table` reads CSV tolerantly, `fields` reads single values, `keys` indexes
//! ids, and `rows` turns rows into model values and checks references.

mod fields;
mod keys;
mod rows;
mod table;
mod visits;

pub use visits::{visits_done, VISIT_COLUMNS};
#[cfg(test)]
mod tests;

use crate::diagnostics::{Problem, Problems};
use crate::model::Dataset;
use crate::settings::Settings;
use crate::tr;
use keys::Keys;
use rows::{CaseworkerRefs, ABSENCES, CASEWORKERS, CHILDREN, OFFICES};
use std::path::Path;
use table::read_table;

/// Loads and validates a dataset folder. `settings_override`, when given, is read instead of `<dir>/settings.toml`.
pub fn load_dataset(dir: &Path, settings_override: Option<&Path>) -> Result<Dataset, Problems> {
    let mut problems = Problems::default();
    if !dir.is_dir() {
        // Not each of its files missing, but the folder.
        let message = tr!(
            "the dataset folder was not found",
            "fant ikke datasettmappen"
        );
        let hint = tr!(
            "give the folder that holds offices.csv, caseworkers.csv, absences.csv and children.csv",
            "oppgi mappen med offices.csv, caseworkers.csv, absences.csv og children.csv"
        );
        problems.push(Problem::new(dir.display().to_string(), "missing_file", message).hint(hint));
        return Err(problems);
    }
    let settings = load_settings(dir, settings_override, &mut problems);

    let office_table = read_table(dir, OFFICES, rows::OFFICE_COLUMNS, &mut problems);
    let caseworker_table = read_table(dir, CASEWORKERS, rows::CASEWORKER_COLUMNS, &mut problems);
    let absence_table = read_table(dir, ABSENCES, rows::ABSENCE_COLUMNS, &mut problems);
    let child_table = read_table(dir, CHILDREN, rows::CHILD_COLUMNS, &mut problems);

    require_rows(office_table.as_ref(), "no_offices", "office", &mut problems);
    require_rows(
        caseworker_table.as_ref(),
        "no_caseworkers",
        "caseworker",
        &mut problems,
    );

    // References into a file that could not be read, or that has no rows
    // (already reported), are not checked: every one would fail. Nor are
    // references into a file with a broken row (an unclosed quote can take
    // the rest of the file with it): each id lost there would be reported
    // again at every row that names it, burying the one problem to mend.
    // (Their ids are still collected, for duplicates.)
    let whole = |t: &table::Table| t.rows.iter().all(|r| r.well_formed);
    let office_keys = office_table
        .as_ref()
        .filter(|t| !t.rows.is_empty())
        .and_then(|t| {
            let keys = Keys::collect(t, "office_id", "office", &mut problems);
            whole(t).then_some(keys)
        });
    let caseworker_refs = caseworker_table
        .as_ref()
        .filter(|t| !t.rows.is_empty())
        .and_then(|t| {
            let refs = CaseworkerRefs::collect(t, &mut problems);
            whole(t).then_some(refs)
        });
    if let Some(t) = &child_table {
        Keys::collect(t, "child_id", "child", &mut problems);
    }

    let offices = office_table
        .as_ref()
        .map(|t| rows::offices(t, &mut problems));
    let caseworkers = caseworker_table
        .as_ref()
        .map(|t| rows::caseworkers(t, office_keys.as_ref(), &mut problems));
    let absences = absence_table
        .as_ref()
        .map(|t| rows::absences(t, caseworker_refs.as_ref(), &mut problems));
    let children = child_table
        .as_ref()
        .map(|t| rows::children(t, caseworker_refs.as_ref(), &mut problems));

    match (offices, caseworkers, absences, children, settings) {
        (Some(offices), Some(caseworkers), Some(absences), Some(children), Some(settings))
            if problems.is_empty() =>
        {
            Ok(Dataset {
                offices,
                caseworkers,
                absences,
                children,
                settings,
            })
        }
        _ => Err(sorted(problems)),
    }
}

/// `settings.toml` from the folder (defaults when absent), or the override,
/// which must exist since the user named it. `None` when it has problems.
fn load_settings(
    dir: &Path,
    settings_override: Option<&Path>,
    problems: &mut Problems,
) -> Option<Settings> {
    let (path, display) = match settings_override {
        Some(path) => {
            let display = path.display().to_string();
            if !path.exists() {
                let message = tr!("{display} was not found", "fant ikke {display}");
                let hint = tr!(
                    "check the path given for the settings file",
                    "sjekk stien som er oppgitt til innstillingsfilen"
                );
                problems.push(Problem::new(&display, "missing_file", message).hint(hint));
                return None;
            }
            (path.to_path_buf(), display)
        }
        None => {
            let path = dir.join("settings.toml");
            if !path.exists() {
                return Some(Settings::default());
            }
            (path, "settings.toml".to_string())
        }
    };
    match Settings::load(&path, &display) {
        Ok(settings) => Some(settings),
        Err(found) => {
            found.into_iter().for_each(|p| problems.push(p));
            None
        }
    }
}

/// Offices and caseworkers cannot be planned without; children and absences
/// may legitimately be none.
fn require_rows(
    table: Option<&table::Table>,
    code: &'static str,
    what: &str,
    problems: &mut Problems,
) {
    if let Some(t) = table.filter(|t| t.rows.is_empty()) {
        let file = t.file;
        let (noun, nouns) = keys::nb_noun(what);
        // Kontor is neuter, saksbehandler masculine or feminine.
        let one = if noun == "kontor" { "ett" } else { "én" };
        let message = tr!("{file} lists no {what}s", "{file} har ingen {nouns}");
        let hint = tr!(
            "add at least one {what}, one per row below the header",
            "legg til minst {one} {noun}, {one} per rad under overskriftsraden"
        );
        problems.push(Problem::new(file, code, message).hint(hint));
    }
}

/// Orders problems by file, then line, then column; problems without a line
/// come first in their file. The sort is stable, so problems at one place keep
/// the order the checks found them in.
fn sorted(mut problems: Problems) -> Problems {
    problems
        .0
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    problems
}
