//! Compliance: which children got the follow-up visits the law requires,
//! per quarter, as the department reports it (the 2019 annual report gave
//! the share of children without a required visit per quarter), and the
//! half-year figures a municipality reports to the county governor.
//!
//! A child's periods follow its frequency: a calendar quarter for 4 visits
//! a year, a calendar half-year for 2. A period is *due* in the quarter its
//! last day falls in, when the child was placed by then; it is *met* when a
//! visit carried out (the history, or `last_visit` where the child has
//! none) lies inside it. So a quarter counts every child on 4 a year, and
//! in Q2 and Q4 also every child on 2 a year, for its half-year. A longer
//! span (a half-year, a year) counts a child once: due if any of its periods
//! ends in the span, met only if all of those are met.
//!
//! Regions are reckoned from the child's caseworker's office: the office's
//! municipality, the rest of its county, and the rest of Norway (for
//! Trondheim: Trondheim, elsewhere in Trøndelag, elsewhere in Norway), each
//! from the postcode nearest the home ([`crate::geodata::municipality_of`]).

use crate::demand::{Horizon, Period};
use crate::geodata::municipality_of;
use crate::history::History;
use crate::model::{Dataset, Frequency, Placement};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Children due and met in one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub due: usize,
    pub met: usize,
}

impl Count {
    pub fn not_met(&self) -> usize {
        self.due - self.met
    }

    /// Share of the due children not met, percent (0 when none is due).
    pub fn share_not_met(&self) -> f64 {
        if self.due == 0 {
            0.0
        } else {
            self.not_met() as f64 / self.due as f64 * 100.0
        }
    }

    fn add(&mut self, met: bool) {
        self.due += 1;
        self.met += usize::from(met);
    }
}

/// A required visit that was not made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotMet {
    /// The reporting period (`2027Q1`).
    pub report_period: String,
    pub child_id: String,
    pub team: String,
    pub caseworker_id: String,
    pub placement: String,
    pub region: String,
    /// The child's own period the visit was owed for (`2027Q1`, `2027H1`).
    pub period: String,
    pub due_by: NaiveDate,
    /// The last visit before the period ended.
    pub last_visit: Option<NaiveDate>,
    /// Days from the period's end to the next visit, or to `as_of` if none
    /// was made yet.
    pub days_overdue: i64,
}

/// One reporting period: the whole and its breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodReport {
    pub period: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub all: Count,
    pub by_team: BTreeMap<String, Count>,
    pub by_region: BTreeMap<String, Count>,
    pub by_placement: BTreeMap<String, Count>,
    pub not_met: Vec<NotMet>,
}

/// The half-year figures for the county governor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GovernorFigures {
    pub half_year: String,
    /// Children in foster homes with a follow-up visit due in the half-year.
    pub foster_home_children: usize,
    /// Of those, children who did not get every required visit.
    pub without_required_visits: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub horizon_start: NaiveDate,
    pub horizon_end: NaiveDate,
    pub as_of: NaiveDate,
    /// Per quarter of the horizon, then the whole horizon when it spans
    /// more than one quarter.
    pub periods: Vec<PeriodReport>,
    /// Per whole half-year in the horizon.
    pub county_governor: Vec<GovernorFigures>,
}

/// A child's periods whose last day falls in `[from, to]`: from the start
/// of the year on, each the period of the frequency in force (`freq_at`)
/// on the day after the one before ended. A child reduced from 4 to 2 a
/// year on 1 July owes Q1 and Q2, then H2.
fn periods_ending_in(
    freq_at: impl Fn(NaiveDate) -> Frequency,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Period> {
    let mut out = Vec::new();
    let mut cursor = NaiveDate::from_ymd_opt(from.year(), 1, 1).unwrap_or(from);
    while cursor <= to {
        let p = Period::containing(freq_at(cursor), cursor);
        if p.end() >= from && p.end() <= to {
            out.push(p);
        }
        cursor = p.end() + Duration::days(1);
    }
    out
}

/// The region labels of each child (see the module documentation).
fn regions(data: &Dataset) -> Vec<String> {
    let offices: Vec<Option<crate::geodata::Municipality>> = data
        .offices
        .iter()
        .map(|o| municipality_of(o.location))
        .collect();
    data.children
        .iter()
        .map(|c| {
            let office = &offices[data.caseworkers[c.caseworker].office];
            match (office, municipality_of(c.location)) {
                (Some(o), Some(home)) if home.number == o.number => o.name.clone(),
                (Some(o), Some(home)) if home.county == o.county => {
                    format!("{} ellers", o.county)
                }
                _ => "Norge ellers".to_string(),
            }
        })
        .collect()
}

/// The report over `horizon` (quarters within it), as of `as_of`.
pub fn report(data: &Dataset, history: &History, horizon: Horizon, as_of: NaiveDate) -> Report {
    let region = regions(data);
    let visits: Vec<Vec<NaiveDate>> = (0..data.children.len())
        .map(|c| history.of(data, c))
        .collect();
    // Per child and period: (period, met, last visit, days overdue).
    let status = |c: usize, p: Period| {
        let list = &visits[c];
        let met = list.iter().any(|d| p.contains(*d));
        let last = list.iter().copied().filter(|d| *d <= p.end()).max();
        let next = list.iter().copied().find(|d| *d > p.end());
        let overdue = (next.unwrap_or(as_of) - p.end()).num_days().max(0);
        (met, last, overdue)
    };
    let span_report = |label: String, start: NaiveDate, end: NaiveDate| {
        let mut r = PeriodReport {
            period: label.clone(),
            start,
            end,
            all: Count::default(),
            by_team: BTreeMap::new(),
            by_region: BTreeMap::new(),
            by_placement: BTreeMap::new(),
            not_met: Vec::new(),
        };
        for (c, child) in data.children.iter().enumerate() {
            let due: Vec<Period> = periods_ending_in(|d| history.frequency(data, c, d), start, end)
                .into_iter()
                .filter(|p| child.placed_since <= p.end())
                .collect();
            if due.is_empty() {
                continue;
            }
            let mut met_all = true;
            for p in &due {
                let (met, last, overdue) = status(c, *p);
                if !met {
                    met_all = false;
                    r.not_met.push(NotMet {
                        report_period: label.clone(),
                        child_id: child.id.as_str().to_string(),
                        team: child.team.clone(),
                        caseworker_id: data.caseworkers[child.caseworker].id.as_str().to_string(),
                        placement: child.placement.as_str().to_string(),
                        region: region[c].clone(),
                        period: p.to_string(),
                        due_by: p.end(),
                        last_visit: last,
                        days_overdue: overdue,
                    });
                }
            }
            r.all.add(met_all);
            r.by_team
                .entry(child.team.clone())
                .or_default()
                .add(met_all);
            r.by_region
                .entry(region[c].clone())
                .or_default()
                .add(met_all);
            r.by_placement
                .entry(child.placement.as_str().to_string())
                .or_default()
                .add(met_all);
        }
        r
    };
    let mut periods = Vec::new();
    let whole = |start: NaiveDate, end: NaiveDate| {
        let year = Horizon::year(&start.year().to_string());
        let half = Period::containing(Frequency::HalfYearly, start);
        if year.is_some_and(|y| y.start == start && y.end == end) {
            start.year().to_string()
        } else if half.start() == start && half.end() == end {
            half.to_string()
        } else {
            format!("{start}..{end}")
        }
    };
    for q in horizon.quarter_chunks() {
        let p = Period::containing(Frequency::Quarterly, q.start);
        let label = if q.start == p.start() && q.end == p.end() {
            p.to_string()
        } else {
            format!("{}..{}", q.start, q.end)
        };
        periods.push(span_report(label, q.start, q.end));
    }
    if periods.len() > 1 {
        periods.push(span_report(
            whole(horizon.start, horizon.end),
            horizon.start,
            horizon.end,
        ));
    }
    let mut county_governor = Vec::new();
    let mut half = Period::containing(Frequency::HalfYearly, horizon.start);
    while half.end() <= horizon.end {
        if half.start() >= horizon.start {
            let r = span_report(half.to_string(), half.start(), half.end());
            let foster: Vec<&NotMet> = r
                .not_met
                .iter()
                .filter(|n| n.placement == Placement::Fosterhjem.as_str())
                .collect();
            let mut without: Vec<&str> = foster.iter().map(|n| n.child_id.as_str()).collect();
            without.sort_unstable();
            without.dedup();
            county_governor.push(GovernorFigures {
                half_year: half.to_string(),
                foster_home_children: r
                    .by_placement
                    .get(Placement::Fosterhjem.as_str())
                    .map_or(0, |c| c.due),
                without_required_visits: without.len(),
            });
        }
        half = half.next();
    }
    Report {
        horizon_start: horizon.start,
        horizon_end: horizon.end,
        as_of,
        periods,
        county_governor,
    }
}

/// `compliance.csv`: one row per period and group.
pub fn summary_csv(r: &Report) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period",
        "group_kind",
        "group",
        "due",
        "met",
        "not_met",
        "share_not_met_percent",
    ])?;
    for p in &r.periods {
        let mut row = |kind: &str, group: &str, c: &Count| {
            w.write_record([
                p.period.as_str(),
                kind,
                group,
                &c.due.to_string(),
                &c.met.to_string(),
                &c.not_met().to_string(),
                &format!("{:.1}", c.share_not_met()),
            ])
        };
        row("all", "", &p.all)?;
        for (kind, groups) in [
            ("team", &p.by_team),
            ("region", &p.by_region),
            ("placement", &p.by_placement),
        ] {
            for (g, c) in groups {
                row(kind, g, c)?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// `not_met.csv`: one row per required visit not made.
pub fn not_met_csv(r: &Report) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "report_period",
        "child_id",
        "team",
        "caseworker_id",
        "placement",
        "region",
        "period",
        "due_by",
        "last_visit",
        "days_overdue",
    ])?;
    for p in &r.periods {
        for n in &p.not_met {
            w.write_record([
                n.report_period.as_str(),
                &n.child_id,
                &n.team,
                &n.caseworker_id,
                &n.placement,
                &n.region,
                &n.period,
                &n.due_by.to_string(),
                &n.last_visit.map(|d| d.to_string()).unwrap_or_default(),
                &n.days_overdue.to_string(),
            ])?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// `county_governor.csv`: the half-year figures.
pub fn governor_csv(r: &Report) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "half_year",
        "foster_home_children",
        "without_required_visits",
    ])?;
    for g in &r.county_governor {
        w.write_record([
            g.half_year.as_str(),
            &g.foster_home_children.to_string(),
            &g.without_required_visits.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// The terminal table: per period, due, met, not met and the share, in
/// the run's language.
pub fn table(r: &Report) -> String {
    use crate::i18n::{date, number};
    use crate::tr;
    let (start, end, as_of) = (date(r.horizon_start), date(r.horizon_end), date(r.as_of));
    let heads = [
        tr!("period", "periode"),
        tr!("due", "skyldig"),
        tr!("met", "oppfylt"),
        tr!("not met", "ikke oppfylt"),
        tr!("share", "andel"),
    ];
    let mut out = tr!(
        "Compliance {start} .. {end} (as of {as_of})",
        "Oppfølging {start} .. {end} (per {as_of})"
    );
    out.push_str(&format!(
        "\n  {:<24} {:>7} {:>7} {:>12} {:>8}\n",
        heads[0], heads[1], heads[2], heads[3], heads[4]
    ));
    let row = |out: &mut String, indent: usize, name: &str, c: &Count| {
        out.push_str(&format!(
            "{:indent$}{:<w$} {:>7} {:>7} {:>12} {:>7} %\n",
            "",
            name,
            c.due,
            c.met,
            c.not_met(),
            number(c.share_not_met(), 1),
            w = 26 - indent,
        ));
    };
    for p in &r.periods {
        row(&mut out, 2, &p.period, &p.all);
        for (g, c) in &p.by_region {
            row(&mut out, 4, g, c);
        }
    }
    for g in &r.county_governor {
        let (half, children, without) = (
            &g.half_year,
            g.foster_home_children,
            g.without_required_visits,
        );
        out.push_str(&tr!(
            "  county governor {half}: {children} children in foster homes, {without} without the required follow-up visits\n",
            "  statsforvalteren {half}: {children} barn i fosterhjem, {without} uten lovpålagte oppfølgingsbesøk\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_child_reduced_from_4_to_2_a_year_owes_quarters_then_a_half_year() {
        let mut data = crate::check::fixture::dataset();
        data.children.truncate(1);
        data.children[0].frequency = Frequency::Quarterly;
        data.children[0].placed_since = date(2020, 1, 1);
        let mut history = History::new(&data, &[]);
        history.visits[0] = vec![date(2027, 2, 1), date(2027, 5, 1), date(2027, 11, 1)];
        history.frequencies[0] = vec![
            (date(2020, 1, 1), None, Frequency::Quarterly),
            (date(2027, 7, 1), None, Frequency::HalfYearly),
        ];
        let r = report(
            &data,
            &history,
            Horizon::year("2027").unwrap(),
            date(2028, 1, 1),
        );
        let due: Vec<(String, usize, usize)> = r
            .periods
            .iter()
            .map(|p| (p.period.clone(), p.all.due, p.all.met))
            .collect();
        // Q3 owes nothing: the half-year H2 is due in Q4, and met in November.
        assert_eq!(
            due,
            [
                ("2027Q1".to_string(), 1, 1),
                ("2027Q2".to_string(), 1, 1),
                ("2027Q3".to_string(), 0, 0),
                ("2027Q4".to_string(), 1, 1),
                ("2027".to_string(), 1, 1),
            ]
        );
        // Without the reduction, Q3 and Q4 each owe a quarter: Q3 is missed.
        history.frequencies[0].truncate(1);
        let r = report(
            &data,
            &history,
            Horizon::year("2027").unwrap(),
            date(2028, 1, 1),
        );
        assert_eq!((r.periods[2].all.due, r.periods[2].all.met), (1, 0));
    }
}
