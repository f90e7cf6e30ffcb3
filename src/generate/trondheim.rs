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
use super::history::{draw_histories, into_children};
use super::homes::{draw_homes, Pools};
use super::output::{is_replaceable, write_dataset_atomically};
use super::postcodes::{read_postcodes, Postcode};
use super::report::trondheim_readme;
use super::staff::{assign_caseworkers, draw_caseworkers};
use crate::model::{Dataset, LatLon, Office, OfficeId};
use crate::settings::Settings;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

pub use super::history::{Team, OVERDUE_SHARE, PLAN_YEAR, REDUCED_SHARE};
pub use super::homes::{EXCLUDED_COUNTIES, OFFSET_METRES, POPULATION_EXPONENT};
pub use super::report::GenerateReport;

/// What `tilsyn generate trondheim` needs.
#[derive(Debug, Clone)]
pub struct TrondheimOptions {
    pub seed: u64,
    /// Erik Bolstad's postcode table, `data/geodata/postnummer_bolstad.tsv`.
    pub postcodes: PathBuf,
}

/// Builds the dataset in memory and only then writes `out` (offices.csv,
/// caseworkers.csv, absences.csv, children.csv and README.md) all or
/// nothing; `out` must be new, empty or an earlier generated dataset.
pub fn generate_trondheim(opts: &TrondheimOptions, out: &Path) -> anyhow::Result<GenerateReport> {
    anyhow::ensure!(
        is_replaceable(out),
        "{}: not a generated dataset folder (it holds other files); nothing was written (hint: give a new or empty folder)",
        out.display()
    );
    let postcodes = read_postcodes(&opts.postcodes)?;
    let built = build_trondheim(opts.seed, &postcodes)?;
    let report = GenerateReport::of(&built);
    write_dataset_atomically(&built.dataset, &trondheim_readme(&report), out)?;
    Ok(report)
}

/// Trondheim's municipality number in the postcode table (Klæbu included).
pub const TRONDHEIM_MUNICIPALITY: u32 = 5001;
pub const HOME_COUNTY: &str = "Trøndelag";
/// Counties bordering Trøndelag get this factor on top of the distance decay.
pub const NEIGHBOUR_COUNTIES: [&str; 3] = ["Møre og Romsdal", "Nordland", "Innlandet"];
pub const NEIGHBOUR_FACTOR: f64 = 4.0;
/// County weight = population x exp(-distance / this), distance from the
/// office to the county's population centre.
pub const DECAY_KM: f64 = 250.0;
pub const OFFICE_ID: &str = "vestre-rosten";
pub const OFFICE_NAME: &str = "Avdeling oppfølging, Vestre Rosten";
pub const OFFICE_LOCATION: (f64, f64) = (63.3615, 10.3803);
/// Children placed in November or December of the year before the plan,
/// not visited yet.
pub const NEW_PLACEMENTS: usize = 5;

/// Where a child lives, as table 3 of the annual report counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Trondheim,
    Trondelag,
    Norway,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Trondheim, Region::Trondelag, Region::Norway];

    pub fn label(self) -> String {
        match self {
            Region::Trondheim => crate::tr!("Trondheim municipality", "Trondheim kommune"),
            Region::Trondelag => crate::tr!("elsewhere in Trøndelag", "ellers i Trøndelag"),
            Region::Norway => crate::tr!("elsewhere in Norway", "ellers i Norge"),
        }
    }
}

/// Children of a team per region, table 3 of the 2019 report (Trondheim,
/// elsewhere in Trøndelag, elsewhere in Norway).
pub fn children_in_report(team: Team) -> [usize; 3] {
    match team {
        Team::Barn => [60, 82, 22],
        Team::Ungdom => [72, 89, 33],
    }
}

/// Caseworkers of a team in the 2019 report.
pub fn caseworkers_in_report(team: Team) -> usize {
    match team {
        Team::Barn => 11,
        Team::Ungdom => 12,
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

/// A Trondheim child while it is being drawn.
pub(super) type Draft = super::history::Draft<Region>;

/// Builds the whole dataset from a seed and the postcode table.
pub fn build_trondheim(seed: u64, postcodes: &[Postcode]) -> anyhow::Result<Trondheim> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pools = Pools::new(postcodes)?;
    let mut drafts = draw_homes(&mut rng, &pools);
    let caseworkers = draw_caseworkers(&mut rng);
    assign_caseworkers(&mut drafts, &caseworkers);
    draw_histories(&mut rng, &mut drafts, NEW_PLACEMENTS)?;

    let extras = draw_extras(&mut rng, caseworkers.len());
    let absences = extras
        .iter()
        .enumerate()
        .flat_map(|(i, extra)| draw_absences(&mut rng, i, PLAN_YEAR, *extra))
        .collect();

    let rows = into_children(&mut rng, drafts, 4);
    let regions = rows.iter().map(|r| r.1).collect();
    let counties = rows.iter().map(|r| r.2.clone()).collect();
    let children = rows.into_iter().map(|r| r.0).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::is_office_day;
    use crate::generate::history::date;
    use crate::generate::output::{
        ABSENCES_HEADER, CASEWORKERS_HEADER, CHILDREN_HEADER, OFFICES_HEADER,
    };
    use crate::generate::report::Caseload;
    use chrono::{Datelike, NaiveDate};
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
