//! Visits carried out: the history a compliance report counts and a new
//! plan starts from. It comes from `visits_done.csv` (`child_id`, `date`,
//! `caseworker_id`, optional `note_kind`), read by
//! [`crate::input::visits_done`].
//!
//! Where a child has history, it replaces the dataset's `last_visit`.

use crate::model::{Dataset, Frequency};
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
}

/// The visits carried out, per child, in date order, and the follow-up
/// frequencies in force over time where the register gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub visits: Vec<Vec<NaiveDate>>,
    /// Per child: (from, to, frequency), in order of `from`; empty: the
    /// dataset's `visits_per_year` throughout.
    pub frequencies: Vec<Vec<(NaiveDate, Option<NaiveDate>, Frequency)>>,
}

impl History {
    pub fn new(data: &Dataset, done: &[DoneVisit]) -> Self {
        let mut visits = vec![Vec::new(); data.children.len()];
        for v in done {
            visits[v.child].push(v.date);
        }
        for list in &mut visits {
            list.sort_unstable();
            list.dedup();
        }
        Self {
            visits,
            frequencies: vec![Vec::new(); data.children.len()],
        }
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
