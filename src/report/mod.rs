//! `report.html`: one self-contained page a department leader reads at a
//! glance — headline figures, the visits not planned and why, a map of the
//! trips, charts of cost and workload, and each caseworker's trips.
//!
//! The page needs nothing from the network: its style, map and charts are
//! inline (SVG drawn here, no plotting crate) and its little script only
//! highlights a caseworker; with scripts off, and printed, it reads the same.
//! It names children by id and caseworkers by id and team, never by name or
//! address. Its words come from [`text`], its numbers and dates from
//! [`crate::lang`].
//!
//! What the [`Plan`] does not hold — the dataset's children that are not due
//! (grey dots), the offices, the teams, the compliance history — comes in a
//! [`ReportInput`], built from the dataset by the caller.

mod charts;
mod html;
mod map;
mod page;
pub mod projection;
pub mod read;
mod tables;
pub mod text;

use crate::compliance;
use crate::demand::{Horizon, Period};
use crate::history::History;
use crate::lang::Lang;
use crate::model::{Dataset, Frequency, LatLon};
use crate::plan::Plan;
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The report's file name in a plan folder.
pub const REPORT: &str = "report.html";

/// A child of the dataset as the report may show it: id, never a name.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildPoint {
    pub id: String,
    /// The child's own caseworker.
    pub caseworker: String,
    pub team: String,
    pub placement: String,
    pub location: LatLon,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfficePoint {
    pub id: String,
    pub location: LatLon,
}

/// What the report and `routes.geojson` need beyond the plan.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub lang: Lang,
    pub children: Vec<ChildPoint>,
    pub offices: Vec<OfficePoint>,
    /// Caseworker id -> team, every caseworker of the dataset.
    pub teams: BTreeMap<String, String>,
    /// Compliance per quarter before the plan, when a visit history is given.
    pub compliance: Option<compliance::Report>,
}

impl ReportInput {
    pub fn new(data: &Dataset, lang: Lang) -> Self {
        let caseworker = |i: usize| data.caseworkers[i].id.as_str().to_string();
        Self {
            lang,
            children: data
                .children
                .iter()
                .map(|c| ChildPoint {
                    id: c.id.as_str().to_string(),
                    caseworker: caseworker(c.caseworker),
                    team: c.team.clone(),
                    placement: c.placement.as_str().to_string(),
                    location: c.location,
                })
                .collect(),
            offices: data
                .offices
                .iter()
                .map(|o| OfficePoint {
                    id: o.id.as_str().to_string(),
                    location: o.location,
                })
                .collect(),
            teams: data
                .caseworkers
                .iter()
                .map(|c| (c.id.as_str().to_string(), c.team.clone()))
                .collect(),
            compliance: None,
        }
    }

    /// Adds the compliance per quarter before `start` (the plan's first
    /// day) from `history`, when there is one (see [`compliance_before`]).
    pub fn with_history(
        mut self,
        data: &Dataset,
        history: Option<&History>,
        start: NaiveDate,
    ) -> Self {
        self.compliance = history.and_then(|h| compliance_before(data, h, start));
        self
    }
}

/// At most this many quarters of history are charted.
const COMPLIANCE_QUARTERS: i64 = 8;

/// Compliance per quarter from the quarter of the first visit in the
/// history (at most [`COMPLIANCE_QUARTERS`] back) to the last quarter that
/// ends before `start`; `None` when the history has no visit before it.
pub fn compliance_before(
    data: &Dataset,
    history: &History,
    start: NaiveDate,
) -> Option<compliance::Report> {
    let first = history
        .visits
        .iter()
        .flatten()
        .filter(|d| **d < start)
        .min()?;
    let earliest = start - Duration::days(COMPLIANCE_QUARTERS * 92);
    let from = Period::containing(Frequency::Quarterly, (*first).max(earliest)).start();
    let this_quarter = Period::containing(Frequency::Quarterly, start).start();
    let to = this_quarter - Duration::days(1);
    let horizon = Horizon::new(from, to)?;
    Some(compliance::report(data, history, horizon, to))
}

/// Where a child stands in the plan (the map's dot colour, and
/// `routes.geojson`'s `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Every visit the horizon requires is planned, and at least one visit is.
    Planned,
    /// A visit the horizon requires is not planned.
    Unmet,
    /// Nothing is required in the horizon, and nothing is planned.
    NotDue,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Unmet => "unmet",
            Status::NotDue => "not_due",
        }
    }
}

/// The status of each child id the plan or `input` knows.
pub fn statuses(plan: &Plan, input: &ReportInput) -> BTreeMap<String, Status> {
    let unmet: BTreeSet<&str> = plan.unmet.iter().map(|u| u.child.as_str()).collect();
    let visited: BTreeSet<&str> = plan.visits.iter().map(|v| v.child.as_str()).collect();
    let ids = input
        .children
        .iter()
        .map(|c| c.id.as_str())
        .chain(unmet.iter().copied())
        .chain(visited.iter().copied());
    ids.map(|id| {
        let status = if unmet.contains(id) {
            Status::Unmet
        } else if visited.contains(id) {
            Status::Planned
        } else {
            Status::NotDue
        };
        (id.to_string(), status)
    })
    .collect()
}

/// The whole page.
pub fn render(plan: &Plan, input: &ReportInput) -> String {
    page::page(plan, input)
}

/// The report for a written plan folder (`tilsyn report`): the folder read
/// back against the dataset it was made from; every problem in its files
/// is listed with file and line.
pub fn from_folder(
    data: &Dataset,
    dir: &std::path::Path,
    history: Option<&History>,
    lang: Lang,
) -> Result<String, crate::diagnostics::Problems> {
    let plan = read::read_plan(dir, data)?;
    let input = ReportInput::new(data, lang).with_history(data, history, plan.horizon.start);
    Ok(render(&plan, &input))
}
