//! A dataset for all of Norway at any scale: `K` offices in the `K` largest
//! towns, `M` caseworkers and `N` children, for planning the year 2027.
//!
//! Offices sit at the centres of the largest towns of the postcode table
//! (`towns`); each office's region is the postcodes nearer to it than to
//! any other, and the children are split over the offices by their regions'
//! population. Most homes lie in the office's region, a tail anywhere in
//! Norway (`homes`). Caseworkers follow the children (`staff`); teams,
//! placements, dates and absences follow the Trondheim generator's rules,
//! shared with it (`history`, `absences`).
//!
//! The arguments are checked in one place ([`NorwayOptions::new`]) and the
//! postcode table before anything is written; the folder is then written all
//! or nothing, owner-only. The same options and postcode file give
//! byte-identical files.

mod homes;
mod report;
mod staff;
mod towns;

pub use report::{NorwayReport, OfficeCounts};
pub use towns::Town;

use super::absences::{draw_absences, draw_extras_at_rate};
use super::apportion;
use super::history::{draw_histories, into_children, PLAN_YEAR};
use super::output::{is_replaceable, write_dataset_atomically};
use super::postcodes::{read_postcodes, Postcode, PostcodeError};
use super::trondheim::NEW_PLACEMENTS;
use crate::model::Dataset;
use crate::settings::Settings;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::fmt;
use std::path::{Path, PathBuf};

/// The largest dataset the generator makes (and is tested at).
pub const MAX_CHILDREN: usize = 20_000;
pub const MAX_CASEWORKERS: usize = 1_000;
pub const MAX_OFFICES: usize = 50;
/// Share of an office's children placed anywhere in Norway, not near it.
pub const TAIL_SHARE: f64 = 0.15;
/// Homes this near their office count as local when caseloads are cut
/// into sectors (Trondheim municipality reaches about this far).
pub const LOCAL_KM: f64 = 25.0;
/// Share of caseworkers working part-time, and their fte.
pub const PART_TIME_SHARE: f64 = 0.15;
pub const PART_TIME_FTE: [f64; 4] = [0.5, 0.6, 0.7, 0.8];
/// Trondheim's 358 children include 5 new placements; the same rate here.
pub const NEW_PLACEMENT_RATE: f64 = NEW_PLACEMENTS as f64 / 358.0;
/// Child ids are `B` and this many digits (room for 90,000 ids).
const CHILD_ID_DIGITS: u32 = 5;

/// What `tilsyn generate norway` needs, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NorwayOptions {
    pub children: usize,
    pub caseworkers: usize,
    pub offices: usize,
    pub seed: u64,
    /// Erik Bolstad's postcode table, `data/geodata/postnummer_bolstad.tsv`.
    pub postcodes: PathBuf,
}

/// One thing wrong with the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgumentProblem {
    Children(usize),
    Caseworkers(usize),
    Offices(usize),
    FewerCaseworkersThanOffices { caseworkers: usize, offices: usize },
}

impl fmt::Display for ArgumentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::tr;
        let text = match self {
            Self::Children(n) => tr!(
                "--children {n}: out of range (hint: give 1 to {MAX_CHILDREN})",
                "--children {n}: utenfor tillatt område (tips: oppgi 1 til {MAX_CHILDREN})"
            ),
            Self::Caseworkers(n) => tr!(
                "--caseworkers {n}: out of range (hint: give 1 to {MAX_CASEWORKERS})",
                "--caseworkers {n}: utenfor tillatt område (tips: oppgi 1 til {MAX_CASEWORKERS})"
            ),
            Self::Offices(n) => tr!(
                "--offices {n}: out of range (hint: give 1 to {MAX_OFFICES})",
                "--offices {n}: utenfor tillatt område (tips: oppgi 1 til {MAX_OFFICES})"
            ),
            Self::FewerCaseworkersThanOffices {
                caseworkers,
                offices,
            } => tr!(
                "--caseworkers {caseworkers} is fewer than --offices {offices} (hint: every office needs at least one caseworker)",
                "--caseworkers {caseworkers} er færre enn --offices {offices} (tips: hvert kontor trenger minst én saksbehandler)"
            ),
        };
        f.write_str(&text)
    }
}

/// Why nothing was generated.
#[derive(Debug, thiserror::Error)]
pub enum NorwayError {
    #[error("{}", list(.0))]
    Arguments(Vec<ArgumentProblem>),
    #[error("{0}")]
    Postcodes(#[from] PostcodeError),
    #[error("{}", too_few_towns(*.offices, *.towns))]
    TooFewTowns { offices: usize, towns: usize },
    #[error("{}", not_a_dataset(.0))]
    OutNotADataset(PathBuf),
    #[error("{}", build_failed(.0))]
    Build(anyhow::Error),
    #[error("{0:#}")]
    Write(anyhow::Error),
}

fn too_few_towns(offices: usize, towns: usize) -> String {
    crate::tr!(
        "--offices {offices}: the postcode table has only {towns} towns with inhabitants on the mainland (hint: give at most {towns})",
        "--offices {offices}: postnummertabellen har bare {towns} tettsteder med innbyggere på fastlandet (tips: oppgi høyst {towns})"
    )
}

fn not_a_dataset(out: &Path) -> String {
    let out = out.display();
    crate::tr!(
        "--out {out}: the folder holds files other than a generated dataset (hint: give a new or empty folder; it is replaced as a whole)",
        "--out {out}: mappen inneholder andre filer enn et generert datasett (tips: oppgi en ny eller tom mappe; den erstattes i sin helhet)"
    )
}

fn build_failed(e: &anyhow::Error) -> String {
    crate::tr!(
        "generating the dataset failed: {e:#}",
        "genereringen av datasettet mislyktes: {e:#}"
    )
}

fn list(problems: &[ArgumentProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    lines.join("\n")
}

impl NorwayError {
    /// Bad arguments or a bad postcode file (exit code 2), not a failure
    /// of the program or the disk.
    pub fn is_input(&self) -> bool {
        !matches!(self, Self::Build(_) | Self::Write(_))
    }
}

impl NorwayOptions {
    /// Checks the numbers against each other and the limits, reporting
    /// every problem at once.
    pub fn new(
        children: usize,
        caseworkers: usize,
        offices: usize,
        seed: u64,
        postcodes: PathBuf,
    ) -> Result<Self, NorwayError> {
        let mut problems = Vec::new();
        if !(1..=MAX_CHILDREN).contains(&children) {
            problems.push(ArgumentProblem::Children(children));
        }
        if !(1..=MAX_CASEWORKERS).contains(&caseworkers) {
            problems.push(ArgumentProblem::Caseworkers(caseworkers));
        }
        if !(1..=MAX_OFFICES).contains(&offices) {
            problems.push(ArgumentProblem::Offices(offices));
        }
        if caseworkers < offices {
            problems.push(ArgumentProblem::FewerCaseworkersThanOffices {
                caseworkers,
                offices,
            });
        }
        if !problems.is_empty() {
            return Err(NorwayError::Arguments(problems));
        }
        Ok(Self {
            children,
            caseworkers,
            offices,
            seed,
            postcodes,
        })
    }
}

/// Where a Norway child's home lies: its office, and whether near it (in
/// its region) or in the tail anywhere in Norway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    pub office: usize,
    pub near: bool,
}

/// A Norway child while it is being drawn.
type Draft = super::history::Draft<Reach>;

/// The generated dataset with what the files do not say: the reach of
/// every home (parallel to `dataset.children`) and the towns of the offices.
#[derive(Debug, Clone)]
pub struct Norway {
    pub options: NorwayOptions,
    pub dataset: Dataset,
    pub reaches: Vec<Reach>,
    /// The office towns, in the order of `dataset.offices`.
    pub towns: Vec<Town>,
}

/// Checks the postcode table and the output folder, builds the dataset in
/// memory and only then writes `out` (offices.csv, caseworkers.csv,
/// absences.csv, children.csv, README.md) all or nothing.
pub fn generate_norway(opts: &NorwayOptions, out: &Path) -> Result<NorwayReport, NorwayError> {
    check_out_folder(out)?;
    let postcodes = read_postcodes(&opts.postcodes)?;
    let built = build_norway(opts, &postcodes)?;
    let report = NorwayReport::of(&built);
    write_dataset_atomically(&built.dataset, &report.readme(), out).map_err(NorwayError::Write)?;
    Ok(report)
}

/// `out` is new, empty or an earlier generated dataset, so replacing it as a
/// whole cannot take anything else with it.
fn check_out_folder(out: &Path) -> Result<(), NorwayError> {
    if is_replaceable(out) {
        Ok(())
    } else {
        Err(NorwayError::OutNotADataset(out.to_path_buf()))
    }
}

/// Builds the whole dataset from the options and the postcode table.
pub fn build_norway(opts: &NorwayOptions, postcodes: &[Postcode]) -> Result<Norway, NorwayError> {
    let usable = towns::usable(postcodes);
    let mut all_towns = towns::towns(&usable);
    if opts.offices > all_towns.len() {
        return Err(NorwayError::TooFewTowns {
            offices: opts.offices,
            towns: all_towns.len(),
        });
    }
    all_towns.truncate(opts.offices);
    let offices = towns::offices(&all_towns);
    let nearest = towns::nearest_office(&usable, &offices);
    let mut region_population = vec![0.0; offices.len()];
    for (p, &o) in usable.iter().zip(&nearest) {
        region_population[o] += f64::from(p.population);
    }
    let children = apportion(opts.children, &region_population);

    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let caseworkers = staff::draw_caseworkers(&mut rng, &children, opts.caseworkers);
    let teams: Vec<[usize; 2]> = children
        .iter()
        .enumerate()
        .map(|(o, &n)| staff::team_children(n, o, &caseworkers))
        .collect();
    let mut drafts =
        homes::draw_homes(&mut rng, &usable, &nearest, &teams).map_err(NorwayError::Build)?;
    staff::assign_caseworkers(&mut drafts, &offices, &caseworkers);
    let new_placements = (NEW_PLACEMENT_RATE * opts.children as f64).round() as usize;
    draw_histories(&mut rng, &mut drafts, new_placements).map_err(NorwayError::Build)?;

    let extras = draw_extras_at_rate(&mut rng, caseworkers.len());
    let absences = extras
        .iter()
        .enumerate()
        .flat_map(|(i, extra)| draw_absences(&mut rng, i, PLAN_YEAR, *extra))
        .collect();

    let rows = into_children(&mut rng, drafts, CHILD_ID_DIGITS);
    let reaches = rows.iter().map(|r| r.1).collect();
    let children = rows.into_iter().map(|r| r.0).collect();
    let dataset = Dataset {
        offices,
        caseworkers,
        absences,
        children,
        settings: Settings::default(),
    };
    Ok(Norway {
        options: opts.clone(),
        dataset,
        reaches,
        towns: all_towns,
    })
}

#[cfg(test)]
mod tests;
