//! The Trondheim dataset: a synthetic department shaped by Trondheim's 2019
//! annual report (domain.md), for planning the year 2027.
//!
//! The report gives the totals the generator keeps exactly: 358 children,
//! split by where they live (Trondheim municipality, elsewhere in Trøndelag,
//! elsewhere in Norway) and by team (`barn` 0-12, `ungdom` 13-23), and 23
//! caseworkers at one office at Vestre Rosten. Everything else is drawn from
//! the seed: homes at real inhabited postcodes, placements, dates, caseworker
//! names, caseloads and absences. The choices are listed in the README the
//! generator writes next to the data ([`super::report::trondheim_readme`]),
//! so the description can never drift from the code.

use super::absences::{draw_absences, draw_extras};
use super::homes::{draw_homes, Pools};
use super::output::write_dataset;
use super::postcodes::{read_postcodes, Postcode};
use super::report::trondheim_readme;
use super::sample_weighted_distinct;
use super::staff::{assign_caseworkers, draw_caseworkers};
use crate::calendar::is_office_day;
use crate::model::{Child, ChildId, Dataset, Frequency, LatLon, Office, OfficeId, Placement};
use crate::settings::Settings;
use anyhow::Context;
use chrono::NaiveDate;
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

pub use super::report::GenerateReport;

/// What `tilsyn generate trondheim` needs.
#[derive(Debug, Clone)]
pub struct TrondheimOptions {
    pub seed: u64,
    /// Erik Bolstad's postcode table, `data/geodata/postnummer_bolstad.tsv`.
    pub postcodes: PathBuf,
}

/// Builds the dataset in memory and writes offices.csv, caseworkers.csv,
/// absences.csv, children.csv and README.md into `out` (created if needed).
pub fn generate_trondheim(opts: &TrondheimOptions, out: &Path) -> anyhow::Result<GenerateReport> {
    let postcodes = read_postcodes(&opts.postcodes)?;
    let built = build_trondheim(opts.seed, &postcodes)?;
    let report = GenerateReport::of(&built);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    write_dataset(&built.dataset, out)?;
    let readme = out.join("README.md");
    std::fs::write(&readme, trondheim_readme(&report))
        .with_context(|| format!("cannot write {}", readme.display()))?;
    Ok(report)
}

/// The year the dataset is planned for; dates before it are history.
pub const PLAN_YEAR: i32 = 2027;
/// Trondheim's municipality number in the postcode table (Klæbu included).
pub const TRONDHEIM_MUNICIPALITY: u32 = 5001;
pub const HOME_COUNTY: &str = "Trøndelag";
/// Not part of the mainland the department drives and flies to.
pub const EXCLUDED_COUNTIES: [&str; 2] = ["Svalbard", "Jan Mayen"];
/// Counties bordering Trøndelag get this factor on top of the distance decay.
pub const NEIGHBOUR_COUNTIES: [&str; 3] = ["Møre og Romsdal", "Nordland", "Innlandet"];
pub const NEIGHBOUR_FACTOR: f64 = 4.0;
/// County weight = population x exp(-distance / this), distance from the
/// office to the county's population centre.
pub const DECAY_KM: f64 = 250.0;
/// Postcode weight = population ^ this: below 1, so small rural postcodes get
/// more than their share, as foster homes are often outside built-up areas.
pub const POPULATION_EXPONENT: f64 = 0.6;
/// A home lies this far (metres, uniform) from its postcode's centre point.
pub const OFFSET_METRES: (f64, f64) = (100.0, 600.0);
pub const OFFICE_ID: &str = "vestre-rosten";
pub const OFFICE_NAME: &str = "Avdeling oppfølging, Vestre Rosten";
pub const OFFICE_LOCATION: (f64, f64) = (63.3615, 10.3803);
/// Children placed in November or December of the year before the plan,
/// not visited yet.
pub const NEW_PLACEMENTS: usize = 5;
/// Share of children with the reduced frequency (2 a year).
pub const REDUCED_SHARE: f64 = 1.0 / 3.0;
/// Share of the other 4-a-year children whose last visit was in Q3.
pub const OVERDUE_SHARE: f64 = 0.10;

/// Where a child lives, as table 3 of the annual report counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Trondheim,
    Trondelag,
    Norway,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Trondheim, Region::Trondelag, Region::Norway];

    pub fn label(self) -> &'static str {
        match self {
            Region::Trondheim => "Trondheim municipality",
            Region::Trondelag => "elsewhere in Trøndelag",
            Region::Norway => "elsewhere in Norway",
        }
    }
}

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

    /// Children per region, table 3 of the 2019 report (Trondheim, elsewhere
    /// in Trøndelag, elsewhere in Norway).
    pub fn children(self) -> [usize; 3] {
        match self {
            Team::Barn => [60, 82, 22],
            Team::Ungdom => [72, 89, 33],
        }
    }

    pub fn caseworkers(self) -> usize {
        match self {
            Team::Barn => 11,
            Team::Ungdom => 12,
        }
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

/// The generated dataset with what the files do not say: the region and
/// county of every home (parallel to `dataset.children`).
#[derive(Debug, Clone)]
pub struct Trondheim {
    pub seed: u64,
    pub dataset: Dataset,
    pub regions: Vec<Region>,
    pub counties: Vec<String>,
}

/// A child while it is being drawn.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub(super) team: Team,
    pub(super) region: Region,
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

/// Builds the whole dataset from a seed and the postcode table.
pub fn build_trondheim(seed: u64, postcodes: &[Postcode]) -> anyhow::Result<Trondheim> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pools = Pools::new(postcodes)?;
    let mut drafts = draw_homes(&mut rng, &pools);
    let caseworkers = draw_caseworkers(&mut rng);
    assign_caseworkers(&mut drafts, &caseworkers);
    assign_placements(&mut rng, &mut drafts);
    assign_dates(&mut rng, &mut drafts)?;

    let extras = draw_extras(&mut rng, caseworkers.len());
    let absences = extras
        .iter()
        .enumerate()
        .flat_map(|(i, extra)| draw_absences(&mut rng, i, PLAN_YEAR, *extra))
        .collect();

    // Pseudonymous ids drawn at random, so their order says nothing about
    // where a child lives or who its caseworker is.
    let numbers = rand::seq::index::sample(&mut rng, 9000, drafts.len());
    let mut children: Vec<(ChildId, Draft)> = numbers
        .iter()
        .zip(drafts)
        .map(|(n, d)| (ChildId(format!("B{:04}", n + 1000)), d))
        .collect();
    children.sort_by(|a, b| a.0.cmp(&b.0));

    let regions = children.iter().map(|(_, d)| d.region).collect();
    let counties = children.iter().map(|(_, d)| d.county.clone()).collect();
    let children = children.into_iter().map(|(id, d)| child(id, d)).collect();
    let office = Office {
        id: OfficeId(OFFICE_ID.to_string()),
        name: OFFICE_NAME.to_string(),
        location: office_location(),
    };
    let dataset = Dataset {
        offices: vec![office],
        caseworkers,
        absences,
        children,
        settings: Settings::default(),
    };
    Ok(Trondheim {
        seed,
        dataset,
        regions,
        counties,
    })
}

pub(super) fn office_location() -> LatLon {
    LatLon::new(OFFICE_LOCATION.0, OFFICE_LOCATION.1)
}

fn child(id: ChildId, d: Draft) -> Child {
    Child {
        id,
        team: d.team.as_str().to_string(),
        caseworker: d.caseworker,
        placement: d.placement,
        place: d.place,
        location: d.location,
        frequency: if d.reduced {
            Frequency::HalfYearly
        } else {
            Frequency::Quarterly
        },
        placed_since: d.placed_since,
        last_visit: d.last_visit,
    }
}

/// Institutions and lodgings by each team's shares, on children drawn at
/// random; the rest stay in foster homes.
fn assign_placements<R: Rng>(rng: &mut R, drafts: &mut [Draft]) {
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

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
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

/// Placement dates, frequencies and last visits, in this order because each
/// depends on the one before (see the README's choices).
fn assign_dates<R: Rng>(rng: &mut R, drafts: &mut [Draft]) -> anyhow::Result<()> {
    assign_placement_dates(rng, drafts)?;
    choose_reduced(rng, drafts);
    assign_last_visits(rng, drafts)
}

/// `placed_since` by each team's year weights; a few children are placed
/// at the end of the year before the plan and have no visit yet.
fn assign_placement_dates<R: Rng>(rng: &mut R, drafts: &mut [Draft]) -> anyhow::Result<()> {
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
    for i in rand::seq::index::sample(rng, n, NEW_PLACEMENTS.min(n)) {
        drafts[i].new_placement = true;
        drafts[i].placed_since = office_day_between(rng, date(year, 11, 2), date(year, 12, 18))?;
    }
    Ok(())
}

/// The reduced frequency needs more than 2 years in the placement before
/// the plan year; it is mostly granted in foster homes.
fn choose_reduced<R: Rng>(rng: &mut R, drafts: &mut [Draft]) {
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
fn assign_last_visits<R: Rng>(rng: &mut R, drafts: &mut [Draft]) -> anyhow::Result<()> {
    let year = PLAN_YEAR - 1;
    let (q3_start, q3_end) = (date(year, 7, 1), date(year, 9, 30));
    let (q4_start, year_end) = (date(year, 10, 1), date(year, 12, 31));
    let quarterly = |d: &Draft| !d.reduced && !d.new_placement;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::output::{
        ABSENCES_HEADER, CASEWORKERS_HEADER, CHILDREN_HEADER, OFFICES_HEADER,
    };
    use crate::generate::report::Caseload;
    use chrono::Datelike;
    use std::collections::BTreeMap;
    use std::collections::BTreeSet;

    const FILES: [&str; 5] = [
        "offices.csv",
        "caseworkers.csv",
        "absences.csv",
        "children.csv",
        "README.md",
    ];

    fn options(seed: u64) -> TrondheimOptions {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        TrondheimOptions {
            seed,
            postcodes: root.join("data/geodata/postnummer_bolstad.tsv"),
        }
    }

    /// Header and rows of a written CSV file, each row by column name.
    fn read_rows(path: &Path, header: &[&str]) -> Vec<BTreeMap<String, String>> {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            !text.contains('\r'),
            "{} has CR line endings",
            path.display()
        );
        assert!(text.ends_with('\n'));
        assert_eq!(
            text.lines().next().unwrap(),
            header.join(","),
            "{}",
            path.display()
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                assert_eq!(r.len(), header.len());
                header
                    .iter()
                    .map(|h| h.to_string())
                    .zip(r.iter().map(String::from))
                    .collect()
            })
            .collect()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Generates into a fresh folder and checks the files against the
    /// contract and the report's shape: counts by region and team, ids,
    /// teams, dates, coordinates, caseloads and absences.
    #[test]
    fn generated_files_have_the_reported_shape() {
        let dir = tempfile::tempdir().unwrap();
        let report = generate_trondheim(&options(11), dir.path()).unwrap();
        assert_eq!(report.children, 358);
        assert_eq!(report.by_region_team, [[60, 72], [82, 89], [22, 33]]);
        assert_eq!(report.caseloads.len(), 23);

        let offices = read_rows(&dir.path().join("offices.csv"), OFFICES_HEADER);
        assert_eq!(offices.len(), 1);
        assert_eq!(offices[0]["office_id"], OFFICE_ID);
        let caseworkers = read_rows(&dir.path().join("caseworkers.csv"), CASEWORKERS_HEADER);
        let team_of: BTreeMap<&str, &str> = caseworkers
            .iter()
            .map(|c| (c["caseworker_id"].as_str(), c["team"].as_str()))
            .collect();
        let ids: Vec<&str> = team_of.keys().copied().collect();
        assert_eq!(ids.first(), Some(&"S01"));
        assert_eq!(ids.last(), Some(&"S23"));
        let mut ftes: Vec<&str> = caseworkers.iter().map(|c| c["fte"].as_str()).collect();
        ftes.sort();
        assert_eq!(&ftes[..5], ["0.6", "0.8", "0.8", "0.8", "1.0"]);

        let children = read_rows(&dir.path().join("children.csv"), CHILDREN_HEADER);
        assert_eq!(children.len(), 358);
        let mut spots = BTreeSet::new();
        let mut previous = String::new();
        for c in &children {
            let id = &c["child_id"];
            assert!(
                id.len() == 5
                    && id.starts_with('B')
                    && id[1..].chars().all(|ch| ch.is_ascii_digit())
            );
            assert!(*id > previous, "child ids sorted and unique");
            previous = id.clone();
            assert_eq!(team_of[c["caseworker_id"].as_str()], c["team"]);
            for axis in ["lat", "lon"] {
                assert_eq!(
                    c[axis].split('.').nth(1).map(str::len),
                    Some(5),
                    "{axis} {}",
                    c[axis]
                );
            }
            let (lat, lon): (f64, f64) = (c["lat"].parse().unwrap(), c["lon"].parse().unwrap());
            assert!((57.9..71.2).contains(&lat) && (4.5..31.2).contains(&lon));
            assert!(spots.insert(((lat * 1e4).round() as i64, (lon * 1e4).round() as i64)));
            check_child_dates(c);
        }
        let reduced = children
            .iter()
            .filter(|c| c["visits_per_year"] == "2")
            .count();
        assert_eq!(reduced, report.reduced());
        assert!((115..=125).contains(&reduced), "{reduced} reduced");

        for team in Team::ALL {
            let members: Vec<&Caseload> = report
                .caseloads
                .iter()
                .filter(|c| c.team == team.as_str())
                .collect();
            let total: usize = members.iter().map(|c| c.total()).sum();
            let fte: f64 = members.iter().map(|c| c.fte).sum();
            for c in members {
                let target = total as f64 * c.fte / fte;
                assert!(
                    (c.total() as f64 - target).abs() < 1.0,
                    "{} has {}",
                    c.caseworker_id,
                    c.total()
                );
                assert!(
                    c.by_region[0] > 0 && c.by_region[1] + c.by_region[2] > 0,
                    "{c:?} lacks a mix"
                );
            }
        }

        let absences = read_rows(&dir.path().join("absences.csv"), ABSENCES_HEADER);
        assert_eq!(absences.len(), report.absences());
        for id in team_of.keys() {
            let own: Vec<_> = absences
                .iter()
                .filter(|a| a["caseworker_id"] == *id)
                .collect();
            let summer = own
                .iter()
                .filter(|a| a["reason"] == "ferie" && (6..=8).contains(&day(&a["from"]).month()))
                .count();
            assert_eq!(summer, 1, "{id}");
            assert!(own
                .iter()
                .all(|a| is_office_day(day(&a["from"])) && day(&a["from"]) <= day(&a["to"])));
        }
        let leaves = absences
            .iter()
            .filter(|a| a["reason"] == "permisjon")
            .count();
        assert!((1..=2).contains(&leaves));

        let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
        assert!(readme.contains("--seed 11 --out data/trondheim"));
        assert!(readme.contains("https://www.erikbolstad.no/postnummer/"));
    }

    /// The date rules of one child row (see the README's choices).
    fn check_child_dates(c: &BTreeMap<String, String>) {
        let placed = day(&c["placed_since"]);
        assert!(placed.year() >= 2010 && placed < date(PLAN_YEAR, 1, 1));
        if c["visits_per_year"] == "2" {
            assert!(placed < date(PLAN_YEAR - 2, 1, 1), "{c:?}");
        }
        match c["last_visit"].as_str() {
            "" => assert!(placed >= date(PLAN_YEAR - 1, 11, 1), "{c:?}"),
            s => {
                let last = day(s);
                assert!(
                    last >= placed
                        && last >= date(PLAN_YEAR - 1, 7, 1)
                        && last.year() == PLAN_YEAR - 1
                );
                assert!(is_office_day(last));
            }
        }
    }

    /// The same seed gives byte-identical files; another seed does not.
    #[test]
    fn same_seed_gives_identical_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        generate_trondheim(&options(5), a.path()).unwrap();
        generate_trondheim(&options(5), b.path()).unwrap();
        generate_trondheim(&options(6), c.path()).unwrap();
        for file in FILES {
            let bytes = |dir: &tempfile::TempDir| std::fs::read(dir.path().join(file)).unwrap();
            assert_eq!(bytes(&a), bytes(&b), "{file} differs between equal seeds");
        }
        let children =
            |dir: &tempfile::TempDir| std::fs::read(dir.path().join("children.csv")).unwrap();
        assert_ne!(children(&a), children(&c));
    }

    /// The committed `data/trondheim/` is what the generator makes from its
    /// seed; after changing the generator, rewrite it with
    /// `cargo test --lib -- --ignored write_committed_trondheim`.
    #[test]
    fn committed_dataset_is_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trondheim");
        let dir = tempfile::tempdir().unwrap();
        generate_trondheim(&options(COMMITTED_SEED), dir.path()).unwrap();
        for file in FILES {
            let fresh = std::fs::read(dir.path().join(file)).unwrap();
            let committed = std::fs::read(root.join(file)).unwrap_or_default();
            assert!(
                fresh == committed,
                "data/trondheim/{file} is stale: regenerate it"
            );
        }
    }

    const COMMITTED_SEED: u64 = 2027;

    /// Writes the committed dataset (run on purpose, not in the test suite).
    #[test]
    #[ignore]
    fn write_committed_trondheim() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/trondheim");
        let report = generate_trondheim(&options(COMMITTED_SEED), &root).unwrap();
        println!("{report}");
    }
}
