//! What a generated Norway dataset contains: the counts for the terminal
//! ([`NorwayReport`]'s `Display`) and the dataset's README, both counted
//! from the generated rows so they always describe the files next to them.

use super::super::history::{Team, OVERDUE_SHARE, PLAN_YEAR};
use super::super::homes::{OFFSET_METRES, POPULATION_EXPONENT};
use super::super::report::Tally;
use super::{Norway, LOCAL_KM, NEW_PLACEMENT_RATE, PART_TIME_FTE, PART_TIME_SHARE, TAIL_SHARE};
use std::fmt::{self, Write as _};

/// One office's share of the dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeCounts {
    pub id: String,
    pub name: String,
    /// Inhabitants of the office's town (municipality).
    pub town_population: u64,
    pub children: usize,
    /// Children in the office's region; the rest live anywhere in Norway.
    pub near: usize,
    /// Caseworkers per team, in [`Team::ALL`] order.
    pub caseworkers: [usize; 2],
    /// Smallest and largest caseload (children per caseworker).
    pub caseload: (usize, usize),
}

impl OfficeCounts {
    pub fn tail(&self) -> usize {
        self.children - self.near
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NorwayReport {
    pub seed: u64,
    pub children: usize,
    pub caseworkers: usize,
    pub part_time: usize,
    /// File name of the postcode table the homes come from.
    pub postcode_file: String,
    pub offices: Vec<OfficeCounts>,
    pub tally: Tally,
}

impl NorwayReport {
    /// Counts the rows of a generated dataset.
    pub fn of(built: &Norway) -> Self {
        let data = &built.dataset;
        let mut loads = vec![0usize; data.caseworkers.len()];
        for c in &data.children {
            loads[c.caseworker] += 1;
        }
        let offices = data
            .offices
            .iter()
            .enumerate()
            .map(|(o, office)| {
                let staff: Vec<usize> = (0..data.caseworkers.len())
                    .filter(|&i| data.caseworkers[i].office == o)
                    .collect();
                let mut caseworkers = [0; 2];
                for &i in &staff {
                    caseworkers[Team::index_of(&data.caseworkers[i].team)] += 1;
                }
                let of_office = built.reaches.iter().filter(|r| r.office == o);
                OfficeCounts {
                    id: office.id.to_string(),
                    name: office.name.clone(),
                    town_population: built.towns.get(o).map_or(0, |t| t.population),
                    children: of_office.clone().count(),
                    near: of_office.filter(|r| r.near).count(),
                    caseworkers,
                    caseload: (
                        staff.iter().map(|&i| loads[i]).min().unwrap_or(0),
                        staff.iter().map(|&i| loads[i]).max().unwrap_or(0),
                    ),
                }
            })
            .collect();
        NorwayReport {
            seed: built.options.seed,
            children: data.children.len(),
            caseworkers: data.caseworkers.len(),
            part_time: data.caseworkers.iter().filter(|c| c.fte < 1.0).count(),
            postcode_file: built
                .options
                .postcodes
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            offices,
            tally: Tally::of(data),
        }
    }

    pub fn near(&self) -> usize {
        self.offices.iter().map(|o| o.near).sum()
    }

    /// The command that makes this dataset (the folder left open).
    pub fn command(&self) -> String {
        format!(
            "tilsyn generate norway --children {} --caseworkers {} --offices {} --seed {}",
            self.children,
            self.caseworkers,
            self.offices.len(),
            self.seed
        )
    }

    /// The README written next to the generated files.
    pub fn readme(&self) -> String {
        // A file, in English whatever the terminal's language.
        crate::i18n::with_lang(crate::i18n::Lang::En, || {
            let mut s = String::new();
            let _ = self.write_readme(&mut s);
            s
        })
    }

    fn write_readme(&self, s: &mut String) -> fmt::Result {
        writeln!(s, "# Norway {PLAN_YEAR}: a synthetic dataset\n")?;
        writeln!(
            s,
            "Invented data in the planner's input format (offices.csv, caseworkers.csv, \
             absences.csv, children.csv): {} children followed by {} caseworkers at {} \
             offices in Norway's largest towns, for planning the year {PLAN_YEAR}. No row \
             describes a real person.\n",
            self.children,
            self.caseworkers,
            self.offices.len()
        )?;
        writeln!(s, "## How it was made\n")?;
        writeln!(s, "```sh\n{} --out <folder>\n```\n", self.command())?;
        writeln!(
            s,
            "Homes from Erik Bolstad's postcode table (`{}`). The same arguments and \
             postcode file give byte-identical files. This README is written by the same \
             program, so the figures below are counted from the files.\n",
            self.postcode_file
        )?;
        write_choices(s)?;
        self.write_counts(s)?;
        writeln!(s, "## Privacy\n")?;
        writeln!(
            s,
            "Caseworker names are invented. Child ids are pseudonymous: `B` and five random \
             digits, handed out in random order, so they say nothing about place or \
             caseworker. Homes are random points near real postcode centres, not addresses.\n"
        )?;
        writeln!(s, "## Credits\n")?;
        writeln!(
            s,
            "Postcode locations and populations: Erik Bolstad, Postnummer i Noreg, CC BY 3.0, \
             https://www.erikbolstad.no/postnummer/"
        )
    }

    fn write_counts(&self, s: &mut String) -> fmt::Result {
        writeln!(s, "## Counts\n")?;
        writeln!(
            s,
            "| office | name | town population | children | near | tail | barn | ungdom | caseload |"
        )?;
        writeln!(
            s,
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for o in &self.offices {
            writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {}-{} |",
                o.id,
                o.name,
                o.town_population,
                o.children,
                o.near,
                o.tail(),
                o.caseworkers[0],
                o.caseworkers[1],
                o.caseload.0,
                o.caseload.1
            )?;
        }
        writeln!(s)?;
        for line in self.summary_lines() {
            writeln!(s, "- {line}.")?;
        }
        writeln!(s)
    }

    /// What follows the office table, on the terminal and in the README.
    fn summary_lines(&self) -> [String; 5] {
        [
            {
                let (near, share) = (
                    self.near(),
                    crate::generate::report::share_text(
                        100.0 * self.near() as f64 / self.children.max(1) as f64,
                    ),
                );
                crate::tr!(
                    "near their office: {near} ({share} %)",
                    "nær kontoret sitt: {near} ({share} %)"
                )
            },
            self.tally.placements_line(),
            self.tally.visits_line(),
            {
                let (part_time, caseworkers) = (self.part_time, self.caseworkers);
                crate::tr!(
                    "part-time: {part_time} of {caseworkers} caseworkers",
                    "deltid: {part_time} av {caseworkers} saksbehandlere"
                )
            },
            {
                let (absences, reasons) = (self.tally.absences(), self.tally.reasons());
                crate::tr!(
                    "absences: {absences} ({reasons})",
                    "fravær: {absences} ({reasons})"
                )
            },
        ]
    }
}

fn write_choices(s: &mut String) -> fmt::Result {
    let before = PLAN_YEAR - 1;
    let (lo, hi) = OFFSET_METRES;
    let fte: Vec<String> = PART_TIME_FTE.iter().map(|f| format!("{f:.1}")).collect();
    writeln!(s, "## Choices\n")?;
    let bullets = [
        "A town is a municipality of the postcode table (its place names split one town \
         into many). Offices, `Barnevernet <town>`, sit in the largest towns by the \
         population of their inhabited postcodes, at the population-weighted mean of those \
         postcodes; ids are the town's name in ASCII. Svalbard and Jan Mayen are left out."
            .to_string(),
        "An office's region is the postcodes nearer to it than to any other office; the \
         children are split over the offices by their regions' population (largest \
         remainder)."
            .to_string(),
        format!(
            "{:.0} % of an office's children live in its region, drawn from inhabited \
             street-address postcodes with weight population^{POPULATION_EXPONENT} (foster \
             homes are often rural); the other {:.0} % anywhere in Norway, by population. \
             Each home is moved {lo:.0}-{hi:.0} m off its postcode's centre; no two share a \
             position at 4 decimals.",
            100.0 * (1.0 - TAIL_SHARE),
            100.0 * TAIL_SHARE
        ),
        format!(
            "Caseworkers `S0001`.. go to the offices by their children (at least one each, \
             then to the office with the most children per caseworker). Each office has \
             teams `barn` and `ungdom` in Trondheim's ratio of 11 to 12 (an office with one \
             caseworker has one team); {:.0} % work part-time at fte {}.",
            100.0 * PART_TIME_SHARE,
            fte.join(", ")
        ),
        format!(
            "An office's children are split over its teams by the teams' fte, then over each \
             team's caseworkers by fte (within one child): homes more than {LOCAL_KM:.0} km \
             from the office are cut into one sector of bearing per caseworker, nearer homes \
             fill each caseload up."
        ),
        format!(
            "Placements, dates and frequencies by the Trondheim dataset's rules: `barn` 5 % \
             institusjon, `ungdom` 18 % institusjon and 15 % hybel, the rest fosterhjem; a \
             third 2 visits a year among placements older than two years; last visit in Q4 \
             {before} ({:.0} % of 4-a-year children in Q3, overdue); {:.1} % placed in \
             November-December {before} and not visited yet.",
            100.0 * OVERDUE_SHARE,
            100.0 * NEW_PLACEMENT_RATE
        ),
        format!(
            "Absences in {PLAN_YEAR} as in the Trondheim dataset: three summer weeks, 2-3 \
             courses, a school-break week for about one in six and a leave of 3-6 weeks for \
             about one in fifteen caseworkers."
        ),
    ];
    for b in bullets {
        writeln!(s, "- {b}")?;
    }
    writeln!(s)
}

impl fmt::Display for NorwayReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::tr;
        let (seed, children, caseworkers, offices) = (
            self.seed,
            self.children,
            self.caseworkers,
            self.offices.len(),
        );
        writeln!(
            f,
            "{}",
            tr!(
                "Norway dataset, seed {seed}: {children} children, {caseworkers} caseworkers, {offices} offices",
                "Norge-datasett, seed {seed}: {children} barn, {caseworkers} saksbehandlere, {offices} kontorer"
            )
        )?;
        let width = self
            .offices
            .iter()
            .map(|o| o.id.len())
            .max()
            .unwrap_or(0)
            .max(6);
        writeln!(
            f,
            "  {:<width$} {:>8} {:>6} {:>6} {:>5} {:>6} {:>9}",
            tr!("office", "kontor"),
            tr!("children", "antall"),
            tr!("near", "nær"),
            tr!("tail", "spredt"),
            "barn",
            "ungdom",
            tr!("caseload", "saker")
        )?;
        for o in &self.offices {
            writeln!(
                f,
                "  {:<width$} {:>8} {:>6} {:>6} {:>5} {:>6} {:>9}",
                o.id,
                o.children,
                o.near,
                o.tail(),
                o.caseworkers[0],
                o.caseworkers[1],
                format!("{}-{}", o.caseload.0, o.caseload.1)
            )?;
        }
        write!(f, "  {}", self.summary_lines().join("\n  "))
    }
}
