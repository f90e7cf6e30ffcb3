//! Visits carried out: the history a compliance report counts and a new
//! plan starts from. It comes from `visits_done.csv` (`child_id`, `date`,
//! `caseworker_id`, optional `note_kind`), read by
//! [`crate::input::visits_done`], or from the national child-welfare
//! register's XML extract (`Barnevern_v4.xsd`, Statistics Norway), read by
//! [`xml::read_register`], which also gives the follow-up frequencies in
//! force over time. Only case numbers, frequency codes and dates are read
//! from the register; national identity numbers, names and birth dates in
//! it are never touched.
//!
//! Where a child has history, it replaces the dataset's `last_visit`.

pub mod xml;

use crate::diagnostics::{Problem, Problems};
use std::path::Path;

use crate::model::{Dataset, Frequency};

/// Reads the history at `path`: the register's XML (`.xml`) or
/// `visits_done.csv` (anything else), against `data`'s children.
pub fn load(path: &Path, data: &Dataset) -> Result<History, Problems> {
    let is_xml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    if !is_xml {
        let done = crate::input::visits_done(path, data)?;
        return Ok(History::new(data, &done));
    }
    let display = path.display().to_string();
    let text = crate::diagnostics::read_user_text(path).map_err(|e| {
        Problems(vec![Problem::new(
            &display,
            "unreadable_file",
            crate::diagnostics::io_error(&e),
        )])
    })?;
    let register = xml::read_register(&text, &display).map_err(Problems)?;
    let children = data.child_ids();
    // The register holds every case of the service, most of them children
    // who are not placed: cases that are not in children.csv are skipped.
    let mut unknown: std::collections::BTreeSet<String> = Default::default();
    let mut child = |id: &str| {
        let found = children.get(id).copied();
        if found.is_none() {
            unknown.insert(id.to_string());
        }
        found
    };
    let done: Vec<DoneVisit> = register
        .visits
        .iter()
        .filter_map(|v| {
            Some(DoneVisit {
                child: child(&v.child_id)?,
                date: v.date,
                caseworker: None,
                note_kind: String::new(),
                status: VisitStatus::Done,
                line: 0,
                status_column: 0,
            })
        })
        .collect();
    let mut frequencies = vec![Vec::new(); data.children.len()];
    for f in &register.frequencies {
        let Some(c) = child(&f.child_id) else {
            continue;
        };
        let freq = if f.per_year == 2 {
            Frequency::HalfYearly
        } else {
            Frequency::Quarterly
        };
        frequencies[c].push((f.from, f.to, freq));
    }
    for list in &mut frequencies {
        list.sort_by_key(|(from, _, _)| *from);
    }
    let mut history = History::new(data, &done);
    history.frequencies = frequencies;
    history.cases_skipped = unknown.len();
    Ok(history)
}
use chrono::NaiveDate;

/// One follow-up visit carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneVisit {
    /// Index into `Dataset::children`.
    pub child: usize,
    pub date: NaiveDate,
    /// Index into `Dataset::caseworkers`, when given.
    pub caseworker: Option<usize>,
    /// Free text (e.g. `hjemmebesøk`, `samtale`); not interpreted.
    pub note_kind: String,
    pub status: VisitStatus,
    /// Line of the row in `visits_done.csv` (0 for the register's XML), and
    /// the 1-based column of `status` (0 without one), for messages.
    pub line: u64,
    pub status_column: u64,
}

/// Whether a history row is a visit made, or a planned visit agreed with
/// the home (which a re-plan keeps, and which counts as made by nobody
/// else: compliance and plans count only `Done`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitStatus {
    Done,
    Confirmed,
}

/// The visits carried out, per child, in date order, and the follow-up
/// frequencies in force over time where the register gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub visits: Vec<Vec<NaiveDate>>,
    /// Per child: (from, to, frequency), in order of `from`; empty: the
    /// dataset's `visits_per_year` throughout.
    pub frequencies: Vec<Vec<(NaiveDate, Option<NaiveDate>, Frequency)>>,
    /// Register cases whose case number is no `child_id` of the dataset
    /// (children who are not placed, or not this department's): skipped.
    pub cases_skipped: usize,
    /// Every row as read, confirmed ones included, in file order.
    pub rows: Vec<DoneVisit>,
}

impl History {
    pub fn new(data: &Dataset, done: &[DoneVisit]) -> Self {
        let mut visits = vec![Vec::new(); data.children.len()];
        for v in done.iter().filter(|v| v.status == VisitStatus::Done) {
            visits[v.child].push(v.date);
        }
        for list in &mut visits {
            list.sort_unstable();
            list.dedup();
        }
        Self {
            visits,
            frequencies: vec![Vec::new(); data.children.len()],
            cases_skipped: 0,
            rows: done.to_vec(),
        }
    }

    /// Sets each child's `last_visit` to its last visit before `start`
    /// (where it has history) and its frequency to the one in force on
    /// `start`; returns how many visits fall on or after `start`, which this
    /// leaves to re-planning.
    pub fn apply_before(&self, data: &mut Dataset, start: NaiveDate) -> usize {
        let mut later = 0;
        for c in 0..data.children.len() {
            let frequency = self.frequency(data, c, start);
            let list = &self.visits[c];
            later += list.iter().filter(|d| **d >= start).count();
            let child = &mut data.children[c];
            if !list.is_empty() {
                child.last_visit = list.iter().copied().filter(|d| *d < start).max();
            }
            child.frequency = frequency;
        }
        later
    }

    /// The child's frequency on `day`: the latest one in force from the
    /// register, else the dataset's.
    pub fn frequency(&self, data: &Dataset, child: usize, day: NaiveDate) -> Frequency {
        self.frequencies
            .get(child)
            .and_then(|list| {
                list.iter()
                    .rev()
                    .find(|(from, to, _)| *from <= day && to.map_or(true, |t| day <= t))
            })
            .map_or(data.children[child].frequency, |(_, _, f)| *f)
    }

    /// The child's visits: its history, or, with none, `last_visit`.
    pub fn of(&self, data: &Dataset, child: usize) -> Vec<NaiveDate> {
        match self.visits.get(child) {
            Some(list) if !list.is_empty() => list.clone(),
            _ => data.children[child].last_visit.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};

    fn unreadable() -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let data = crate::input::load_dataset(&dir.join("one_child"), None).unwrap();
        let missing = dir.join("register/no_such_file.xml");
        let problems = load(&missing, &data).unwrap_err();
        assert_eq!(problems.codes(), vec!["unreadable_file"]);
        problems.0[0].message.clone()
    }

    #[test]
    fn an_unreadable_register_file_in_bokmal() {
        assert_eq!(with_lang(Lang::Nb, unreadable), "filen finnes ikke");
    }

    #[test]
    fn an_unreadable_register_file_in_english() {
        let os = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
        let message = with_lang(Lang::En, unreadable);
        assert!(
            message.contains("No such file") || message == os,
            "{message}"
        );
    }
}
