//! A drafted child's case history: team, placement, placement date,
//! frequency and last visit. Every generator draws homes its own way and then
//! hands its drafts here, so the rules for placements and dates (domain.md,
//! the Trondheim README's choices) are written once.
//!
//! The order of the draws is part of the output: the same seed must give the
//! same files, so a change here changes every generated dataset (the test
//! `committed_dataset_is_current` guards `data/trondheim`).

use super::sample_weighted_distinct;
use crate::calendar::is_office_day;
use crate::model::{Child, ChildId, Frequency, LatLon, Placement};
use anyhow::Context;
use chrono::NaiveDate;
use rand::distributions::WeightedIndex;
use rand::prelude::*;

/// The year the datasets are planned for; dates before it are history.
pub const PLAN_YEAR: i32 = 2027;
/// Share of children with the reduced frequency (2 a year).
pub const REDUCED_SHARE: f64 = 1.0 / 3.0;
/// Share of the other 4-a-year children whose last visit was in Q3.
pub const OVERDUE_SHARE: f64 = 0.10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Team {
    /// The child team, ages 0-12.
    Barn,
    /// The youth team, ages 13-23.
    Ungdom,
}

impl Team {
    pub const ALL: [Team; 2] = [Team::Barn, Team::Ungdom];

    pub fn as_str(self) -> &'static str {
        match self {
            Team::Barn => "barn",
            Team::Ungdom => "ungdom",
        }
    }

    /// Position in [`Team::ALL`] of a team name; other names count as `barn`.
    pub fn index_of(name: &str) -> usize {
        Team::ALL
            .iter()
            .position(|t| t.as_str() == name)
            .unwrap_or(0)
    }

    /// Shares placed in an institution and in a lodging; the rest live in
    /// foster homes. Lodgings are for the older youth only.
    pub fn placement_shares(self) -> (f64, f64) {
        match self {
            Team::Barn => (0.05, 0.0),
            Team::Ungdom => (0.18, 0.15),
        }
    }

    /// Weights of the placement years: the child team's placements are more
    /// recent, the youth team's spread back to 2010.
    fn placement_year_weights(self) -> Vec<(i32, f64)> {
        match self {
            Team::Barn => (2014..=2026)
                .map(|y| (y, 1.0 + 0.15 * (y - 2014) as f64))
                .collect(),
            Team::Ungdom => (2010..=2026)
                .map(|y| {
                    let w = match y {
                        ..=2012 => 0.5,
                        2013..=2015 => 1.0,
                        2016..=2023 => 1.3,
                        _ => 1.0,
                    };
                    (y, w)
                })
                .collect(),
        }
    }
}

/// A child while it is being drawn. `G` is what the generator knows about
/// where the home lies (Trondheim's region, or Norway's office and reach);
/// the files do not carry it, the generator's report does.
#[derive(Debug, Clone)]
pub(super) struct Draft<G> {
    pub(super) team: Team,
    pub(super) region: G,
    pub(super) county: String,
    pub(super) place: String,
    pub(super) location: LatLon,
    pub(super) caseworker: usize,
    pub(super) placement: Placement,
    pub(super) placed_since: NaiveDate,
    pub(super) last_visit: Option<NaiveDate>,
    pub(super) reduced: bool,
    /// Placed at the end of the year before the plan, not visited yet.
    pub(super) new_placement: bool,
}

impl<G> Draft<G> {
    /// A foster-home child of `team` with no history drawn yet.
    pub(super) fn new(team: Team, region: G, county: &str, place: &str, location: LatLon) -> Self {
        Draft {
            team,
            region,
            county: county.to_string(),
            place: place.to_string(),
            location,
            caseworker: 0,
            placement: Placement::Fosterhjem,
            placed_since: NaiveDate::MIN,
            last_visit: None,
            reduced: false,
            new_placement: false,
        }
    }

    /// The contract's row for this child, with the generator's tag and
    /// the home's county, which the files do not carry.
    fn into_child(self, id: ChildId) -> (Child, G, String) {
        let child = Child {
            id,
            team: self.team.as_str().to_string(),
            caseworker: self.caseworker,
            placement: self.placement,
            place: self.place,
            location: self.location,
            frequency: if self.reduced {
                Frequency::HalfYearly
            } else {
                Frequency::Quarterly
            },
            placed_since: self.placed_since,
            last_visit: self.last_visit,
        };
        (child, self.region, self.county)
    }
}

/// Placements, then dates: what every generator does once homes, teams and
/// caseworkers are drawn. `new_placements` children are placed at the end of
/// the year before the plan and not visited yet.
pub(super) fn draw_histories<R: Rng, G>(
    rng: &mut R,
    drafts: &mut [Draft<G>],
    new_placements: usize,
) -> anyhow::Result<()> {
    assign_placements(rng, drafts);
    assign_placement_dates(rng, drafts, new_placements)?;
    choose_reduced(rng, drafts);
    assign_last_visits(rng, drafts)
}

/// Turns drafts into children with pseudonymous ids `B` and `digits` random
/// digits (no leading zero), drawn at random so their order says nothing
/// about where a child lives or who its caseworker is. Sorted by id; the
/// generator's tag of each child comes back alongside, in the same order.
pub(super) fn into_children<R: Rng, G>(
    rng: &mut R,
    drafts: Vec<Draft<G>>,
    digits: u32,
) -> Vec<(Child, G, String)> {
    let first = 10usize.pow(digits - 1);
    let numbers = rand::seq::index::sample(rng, 9 * first, drafts.len());
    let width = digits as usize;
    let mut children: Vec<(ChildId, Draft<G>)> = numbers
        .iter()
        .zip(drafts)
        .map(|(n, d)| (ChildId(format!("B{:0width$}", n + first)), d))
        .collect();
    children.sort_by(|a, b| a.0.cmp(&b.0));
    children
        .into_iter()
        .map(|(id, d)| d.into_child(id))
        .collect()
}

/// Institutions and lodgings by each team's shares, on children drawn at
/// random; the rest stay in foster homes.
fn assign_placements<R: Rng, G>(rng: &mut R, drafts: &mut [Draft<G>]) {
    for team in Team::ALL {
        let mut of_team: Vec<usize> = (0..drafts.len())
            .filter(|&i| drafts[i].team == team)
            .collect();
        of_team.shuffle(rng);
        let (institution, lodging) = team.placement_shares();
        let n_inst = (institution * of_team.len() as f64).round() as usize;
        let n_lodging = (lodging * of_team.len() as f64).round() as usize;
        for (k, &i) in of_team.iter().enumerate() {
            drafts[i].placement = if k < n_inst {
                Placement::Institusjon
            } else if k < n_inst + n_lodging {
                Placement::Hybel
            } else {
                Placement::Fosterhjem
            };
        }
    }
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

/// A working day (Monday-Friday, not a public holiday) in `[from, to]`.
fn office_day_between<R: Rng>(
    rng: &mut R,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<NaiveDate> {
    let days: Vec<NaiveDate> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| is_office_day(*d))
        .collect();
    days.choose(rng)
        .copied()
        .with_context(|| format!("no working day between {from} and {to}"))
}

/// `placed_since` by each team's year weights; a few children are placed
/// at the end of the year before the plan and have no visit yet.
fn assign_placement_dates<R: Rng, G>(
    rng: &mut R,
    drafts: &mut [Draft<G>],
    new_placements: usize,
) -> anyhow::Result<()> {
    let year = PLAN_YEAR - 1;
    for d in drafts.iter_mut() {
        let years = d.team.placement_year_weights();
        let pick = WeightedIndex::new(years.iter().map(|y| y.1))?;
        let y = years[pick.sample(rng)].0;
        // Placements in the last year stop in October, so every child has had
        // a visit since; the few newer ones are set below.
        let last = if y == year {
            date(y, 10, 30)
        } else {
            date(y, 12, 20)
        };
        d.placed_since = office_day_between(rng, date(y, 1, 4), last)?;
    }
    let n = drafts.len();
    for i in rand::seq::index::sample(rng, n, new_placements.min(n)) {
        drafts[i].new_placement = true;
        drafts[i].placed_since = office_day_between(rng, date(year, 11, 2), date(year, 12, 18))?;
    }
    Ok(())
}

/// The reduced frequency needs more than 2 years in the placement before
/// the plan year; it is mostly granted in foster homes.
fn choose_reduced<R: Rng, G>(rng: &mut R, drafts: &mut [Draft<G>]) {
    let two_years_before = date(PLAN_YEAR - 2, 1, 1);
    let weights: Vec<f64> = drafts
        .iter()
        .map(|d| {
            let eligible = !d.new_placement && d.placed_since < two_years_before;
            match (eligible, &d.placement) {
                (true, Placement::Fosterhjem) => 1.0,
                (true, _) => 0.25,
                (false, _) => 0.0,
            }
        })
        .collect();
    let count = (REDUCED_SHARE * drafts.len() as f64).round() as usize;
    for i in sample_weighted_distinct(rng, &weights, count) {
        drafts[i].reduced = true;
    }
}

/// The last visit before the plan year: Q4 for 4-a-year children (Q3 for
/// the overdue few), the second half-year for 2-a-year children, never
/// before the placement, none for new placements.
fn assign_last_visits<R: Rng, G>(rng: &mut R, drafts: &mut [Draft<G>]) -> anyhow::Result<()> {
    let year = PLAN_YEAR - 1;
    let (q3_start, q3_end) = (date(year, 7, 1), date(year, 9, 30));
    let (q4_start, year_end) = (date(year, 10, 1), date(year, 12, 31));
    let quarterly = |d: &Draft<G>| !d.reduced && !d.new_placement;
    let weights: Vec<f64> = drafts
        .iter()
        .map(|d| f64::from(u8::from(quarterly(d) && d.placed_since <= q3_end)))
        .collect();
    let count = (OVERDUE_SHARE * drafts.iter().filter(|d| quarterly(d)).count() as f64).round();
    let overdue = sample_weighted_distinct(rng, &weights, count as usize);
    for (i, d) in drafts.iter_mut().enumerate() {
        let (from, to) = if d.new_placement {
            continue;
        } else if d.reduced {
            (q3_start, year_end)
        } else if overdue.binary_search(&i).is_ok() {
            (q3_start, q3_end)
        } else {
            (q4_start, year_end)
        };
        d.last_visit = Some(office_day_between(rng, from.max(d.placed_since), to)?);
    }
    Ok(())
}
