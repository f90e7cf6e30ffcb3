//! What a generated Trondheim dataset contains: the counts for the terminal
//! ([`GenerateReport`]'s `Display`) and the dataset's README, both computed
//! from the generated rows so they always describe the files next to them.

use super::trondheim::*;
use crate::model::{Dataset, Frequency, Placement};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// One caseworker's load, split by where the children live.
#[derive(Debug, Clone, PartialEq)]
pub struct Caseload {
    pub caseworker_id: String,
    pub team: String,
    pub fte: f64,
    /// Children per region, in [`Region::ALL`] order.
    pub by_region: [usize; 3],
}

impl Caseload {
    pub fn total(&self) -> usize {
        self.by_region.iter().sum()
    }
}

/// What every generated dataset is counted by: placements, frequencies,
/// visit history and absences. Arrays by team are in [`Team::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub children: usize,
    /// Children per placement (fosterhjem, institusjon, hybel) and team.
    pub by_placement_team: [[usize; 2]; 3],
    /// Children with `visits_per_year` 2, per team.
    pub reduced_by_team: [usize; 2],
    /// 4-a-year children whose last visit was before the last quarter of the
    /// year before the plan (visited in Q3 at the latest).
    pub overdue: usize,
    /// Children with no visit yet (placed at the end of the year before).
    pub not_visited: usize,
    /// Absences per reason, by reason.
    pub absences_by_reason: Vec<(String, usize)>,
}

impl Tally {
    pub fn of(data: &Dataset) -> Self {
        let mut t = Tally {
            children: data.children.len(),
            by_placement_team: [[0; 2]; 3],
            reduced_by_team: [0; 2],
            overdue: 0,
            not_visited: 0,
            absences_by_reason: Vec::new(),
        };
        let last_quarter = NaiveDate::from_ymd_opt(PLAN_YEAR - 1, 10, 1).expect("valid date");
        for child in &data.children {
            let team = Team::index_of(&child.team);
            let placement = match child.placement {
                Placement::Fosterhjem => 0,
                Placement::Institusjon => 1,
                _ => 2,
            };
            t.by_placement_team[placement][team] += 1;
            match (child.frequency, child.last_visit) {
                (Frequency::HalfYearly, _) => t.reduced_by_team[team] += 1,
                (Frequency::Quarterly, None) => t.not_visited += 1,
                (Frequency::Quarterly, Some(d)) if d < last_quarter => t.overdue += 1,
                _ => {}
            }
        }
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &data.absences {
            *reasons.entry(&a.reason).or_default() += 1;
        }
        t.absences_by_reason = reasons
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        t
    }

    pub fn reduced(&self) -> usize {
        self.reduced_by_team.iter().sum()
    }

    /// Share of children with the reduced frequency, 0..1.
    pub fn reduced_share(&self) -> f64 {
        self.reduced() as f64 / self.children.max(1) as f64
    }

    pub fn absences(&self) -> usize {
        self.absences_by_reason.iter().map(|r| r.1).sum()
    }

    fn placement_total(&self, k: usize) -> usize {
        self.by_placement_team[k].iter().sum()
    }

    /// "placements: fosterhjem 286, institusjon 43, hybel 29"
    pub fn placements_line(&self) -> String {
        let placements: Vec<String> = (0..3)
            .map(|k| format!("{} {}", PLACEMENTS[k], self.placement_total(k)))
            .collect();
        let placements = placements.join(", ");
        crate::tr!("placements: {placements}", "plasseringer: {placements}")
    }

    /// The 2-a-year share, the overdue and the not yet visited.
    pub fn visits_line(&self) -> String {
        let (reduced, share) = (self.reduced(), share_text(100.0 * self.reduced_share()));
        let (overdue, not_visited) = (self.overdue, self.not_visited);
        crate::tr!(
            "2 visits a year: {reduced} ({share} %); last visit in Q3 (overdue): {overdue}; not visited yet: {not_visited}",
            "2 besøk i året: {reduced} ({share} %); siste besøk i 3. kvartal (forfalt): {overdue}; ikke besøkt ennå: {not_visited}"
        )
    }

    /// "ferie 26, kurs 56, permisjon 2"
    pub fn reasons(&self) -> String {
        let reasons: Vec<String> = self
            .absences_by_reason
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        reasons.join(", ")
    }
}

/// Counts of a generated Trondheim dataset. Arrays by team are in
/// [`Team::ALL`] order (`barn`, `ungdom`), by region in [`Region::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateReport {
    pub seed: u64,
    pub children: usize,
    /// Children per region and team.
    pub by_region_team: [[usize; 2]; 3],
    pub tally: Tally,
    pub caseloads: Vec<Caseload>,
    /// Children elsewhere in Norway per county, most first.
    pub norway_by_county: Vec<(String, usize)>,
}

impl GenerateReport {
    /// Counts the rows of a generated dataset.
    pub fn of(built: &Trondheim) -> Self {
        let data = &built.dataset;
        let mut r = GenerateReport {
            seed: built.seed,
            children: data.children.len(),
            by_region_team: [[0; 2]; 3],
            tally: Tally::of(data),
            caseloads: data
                .caseworkers
                .iter()
                .map(|c| Caseload {
                    caseworker_id: c.id.to_string(),
                    team: c.team.clone(),
                    fte: c.fte,
                    by_region: [0; 3],
                })
                .collect(),
            norway_by_county: Vec::new(),
        };
        let mut counties: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, child) in data.children.iter().enumerate() {
            let team = Team::index_of(&child.team);
            let region = Region::ALL
                .iter()
                .position(|r| *r == built.regions[i])
                .unwrap_or(0);
            r.by_region_team[region][team] += 1;
            r.caseloads[child.caseworker].by_region[region] += 1;
            if built.regions[i] == Region::Norway {
                *counties.entry(&built.counties[i]).or_default() += 1;
            }
        }
        r.norway_by_county = counties
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        r.norway_by_county
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        r
    }

    pub fn reduced(&self) -> usize {
        self.tally.reduced()
    }

    /// Share of children with the reduced frequency, 0..1.
    pub fn reduced_share(&self) -> f64 {
        self.tally.reduced_share()
    }

    pub fn absences(&self) -> usize {
        self.tally.absences()
    }

    /// Smallest and largest caseload in a team.
    pub fn caseload_range(&self, team: Team) -> (usize, usize) {
        let loads = self.team_loads(team).map(Caseload::total);
        let min = loads.clone().min().unwrap_or(0);
        (min, loads.max().unwrap_or(0))
    }

    fn team_loads(&self, team: Team) -> impl Iterator<Item = &Caseload> + Clone {
        self.caseloads
            .iter()
            .filter(move |c| c.team == team.as_str())
    }
}

/// A share in percent with one decimal: `12.5` in English (as the README
/// always wrote it), `12,5` in bokmål.
pub(crate) fn share_text(percent: f64) -> String {
    match crate::i18n::current() {
        crate::i18n::Lang::En => format!("{percent:.1}"),
        crate::i18n::Lang::Nb => crate::i18n::number(percent, 1),
    }
}

const PLACEMENTS: [&str; 3] = ["fosterhjem", "institusjon", "hybel"];

impl fmt::Display for GenerateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::tr;
        let (seed, children, caseworkers) = (self.seed, self.children, self.caseloads.len());
        writeln!(
            f,
            "{}",
            tr!(
                "Trondheim dataset, seed {seed}: {children} children, {caseworkers} caseworkers",
                "Trondheim-datasett, seed {seed}: {children} barn, {caseworkers} saksbehandlere"
            )
        )?;
        writeln!(
            f,
            "  {:<24} {:>6} {:>6} {:>6}",
            tr!("where", "område"),
            "barn",
            "ungdom",
            tr!("total", "totalt")
        )?;
        for (region, row) in Region::ALL.iter().zip(self.by_region_team) {
            let total = row[0] + row[1];
            writeln!(
                f,
                "  {:<24} {:>6} {:>6} {:>6}",
                region.label(),
                row[0],
                row[1],
                total
            )?;
        }
        writeln!(f, "  {}", self.tally.placements_line())?;
        writeln!(f, "  {}", self.tally.visits_line())?;
        for team in Team::ALL {
            let (min, max) = self.caseload_range(team);
            let n = self.team_loads(team).count();
            let team = team.as_str();
            writeln!(
                f,
                "{}",
                tr!(
                    "  caseload {team}: {min}-{max} children ({n} caseworkers)",
                    "  saksmengde {team}: {min}-{max} barn ({n} saksbehandlere)"
                )
            )?;
        }
        let (absences, reasons) = (self.absences(), self.tally.reasons());
        write!(
            f,
            "{}",
            tr!(
                "  absences: {absences} ({reasons})",
                "  fravær: {absences} ({reasons})"
            )
        )
    }
}

/// The README written next to the generated files: how they were made, the
/// choices behind them, the counts and the credits.
pub fn trondheim_readme(r: &GenerateReport) -> String {
    // A file, in English whatever the terminal's language.
    crate::i18n::with_lang(crate::i18n::Lang::En, || {
        let mut s = String::new();
        let _ = write_readme(&mut s, r);
        s
    })
}

fn write_readme(s: &mut String, r: &GenerateReport) -> fmt::Result {
    let year = PLAN_YEAR;
    writeln!(s, "# Trondheim {year}: a synthetic dataset\n")?;
    writeln!(
        s,
        "Invented data in the planner's input format (offices.csv, caseworkers.csv, \
         absences.csv, children.csv), shaped by the 2019 annual report of Trondheim's \
         Avdeling oppfølging and meant for planning the year {year}. No row describes a \
         real person.\n"
    )?;
    writeln!(s, "## How it was made\n")?;
    writeln!(
        s,
        "```sh\ncargo run --release -- generate trondheim --seed {} --out data/trondheim\n```\n",
        r.seed
    )?;
    writeln!(
        s,
        "Seed {}; homes from `data/geodata/postnummer_bolstad.tsv`. The same seed and \
         postcode file give byte-identical files. This README is written by the same \
         program, so the figures below are counted from the files.\n",
        r.seed
    )?;
    write_choices(s)?;
    write_counts(s, r)?;
    writeln!(s, "## Privacy\n")?;
    writeln!(
        s,
        "Caseworker names are invented (a random first name with a random surname). \
         Child ids are pseudonymous: `B` and four random digits, handed out in random \
         order, so they say nothing about place or caseworker. Homes are random points \
         near real postcode centres, not addresses.\n"
    )?;
    writeln!(s, "## Credits\n")?;
    writeln!(
        s,
        "Postcode locations: Erik Bolstad, Postnummer i Noreg, CC BY 3.0, \
         https://www.erikbolstad.no/postnummer/"
    )
}

fn write_choices(s: &mut String) -> fmt::Result {
    let year = PLAN_YEAR;
    let before = PLAN_YEAR - 1;
    let (lo, hi) = OFFSET_METRES;
    let per_region = |r: usize| {
        Team::ALL
            .iter()
            .map(|t| children_in_report(*t)[r])
            .sum::<usize>()
    };
    let (local, county, norway) = (per_region(0), per_region(1), per_region(2));
    writeln!(s, "## Choices\n")?;
    let bullets = [
        format!(
            "Totals from table 3 of the report: {} children, {local} in Trondheim municipality \
             (postcodes of municipality {TRONDHEIM_MUNICIPALITY}, Klæbu included), {county} \
             elsewhere in {HOME_COUNTY}, {norway} elsewhere in Norway (not Svalbard or Jan \
             Mayen), split between team `barn` (0-12) and `ungdom` (13-23) as in the report.",
            local + county + norway
        ),
        format!(
            "Homes at inhabited street-address postcodes in use (population above 0, usage \
             \"Gate-/veg-adresse\" or \"Gateadresser og postboksar\"), drawn with weight \
             population^{POPULATION_EXPONENT}, which favours rural postcodes, then moved \
             {lo:.0}-{hi:.0} m in a random direction; no two homes share a position at 4 decimals. \
             `place` is the postcode's place name."
        ),
        format!(
            "Elsewhere in Norway: each county gets one child, the rest go by county weight = \
             population x exp(-distance / {DECAY_KM:.0} km) (distance from the office to the \
             county's population centre), x{NEIGHBOUR_FACTOR:.0} for the neighbours {}.",
            NEIGHBOUR_COUNTIES.join(", ")
        ),
        "Placements: `barn` 5 % institusjon, the rest fosterhjem; `ungdom` 18 % institusjon, \
         15 % hybel, the rest fosterhjem (about 80 / 12 / 8 % overall)."
            .to_string(),
        format!(
            "`placed_since`: a working day in 2014-{before} for `barn` (more recent years \
             likelier), 2010-{before} for `ungdom`; placements in {before} run to October, \
             except {NEW_PLACEMENTS} children placed in November-December {before} who have no \
             `last_visit` yet."
        ),
        format!(
            "A third of the children have `visits_per_year` 2, drawn among those placed before \
             {} (more than two years before {year}), foster homes four times as likely as \
             others; the rest have 4.",
            year - 2
        ),
        format!(
            "`last_visit`, a working day never before `placed_since`: for 4-a-year children in \
             Q4 {before}, except {:.0} % in Q3 {before} (overdue); for 2-a-year children in the \
             second half of {before}.",
            100.0 * OVERDUE_SHARE
        ),
        format!(
            "One office, `{OFFICE_ID}` ({OFFICE_NAME}) at {:.4} N, {:.4} E. 23 caseworkers \
             `S01`-`S23`: 11 in `barn`, 12 in `ungdom`; three at fte 0.8, one at 0.6, the rest 1.0.",
            OFFICE_LOCATION.0, OFFICE_LOCATION.1
        ),
        "Caseloads proportional to fte (within one child). In each team the children outside \
         Trondheim are sorted by bearing from the office and cut into one contiguous sector \
         per caseworker; Trondheim children, cut into sectors the same way, fill each \
         caseload up, so every caseworker has both."
            .to_string(),
        format!(
            "Absences in {year}: three summer weeks (`ferie`, Monday to Friday) between mid-June \
             and August, mostly July; 2-3 courses (`kurs`) of 1-3 working days spread over the \
             year; one or two leaves (`permisjon`) of 3-6 weeks in Q1 or Q2; a few take the \
             winter-break week 8 or autumn-break week 41 (`ferie`). Every absence starts on a \
             working day and everyone is present on most working days of every quarter."
        ),
    ];
    for b in bullets {
        writeln!(s, "- {b}")?;
    }
    writeln!(s)
}

fn write_counts(s: &mut String, r: &GenerateReport) -> fmt::Result {
    writeln!(s, "## Counts\n")?;
    writeln!(
        s,
        "| where | barn | ungdom | total |\n| --- | ---: | ---: | ---: |"
    )?;
    for (region, row) in Region::ALL.iter().zip(r.by_region_team) {
        writeln!(
            s,
            "| {} | {} | {} | {} |",
            region.label(),
            row[0],
            row[1],
            row[0] + row[1]
        )?;
    }
    let col = |k: usize| r.by_region_team.iter().map(|row| row[k]).sum::<usize>();
    writeln!(s, "| total | {} | {} | {} |\n", col(0), col(1), r.children)?;

    writeln!(
        s,
        "| placement | barn | ungdom | total |\n| --- | ---: | ---: | ---: |"
    )?;
    for (name, row) in PLACEMENTS.iter().zip(r.tally.by_placement_team) {
        writeln!(
            s,
            "| {name} | {} | {} | {} |",
            row[0],
            row[1],
            row[0] + row[1]
        )?;
    }
    let [rb, ru] = r.tally.reduced_by_team;
    writeln!(
        s,
        "| 2 visits a year | {rb} | {ru} | {} ({:.1} %) |\n",
        rb + ru,
        100.0 * r.reduced_share()
    )?;
    writeln!(
        s,
        "4-a-year children last visited in Q3 {} (overdue): {}; not visited yet: {}.\n",
        PLAN_YEAR - 1,
        r.tally.overdue,
        r.tally.not_visited
    )?;
    let counties: Vec<String> = r
        .norway_by_county
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    writeln!(
        s,
        "Elsewhere in Norway by county: {}.\n",
        counties.join(", ")
    )?;

    writeln!(s, "| caseworker | team | fte | children | in Trondheim | elsewhere in Trøndelag | elsewhere in Norway |")?;
    writeln!(s, "| --- | --- | ---: | ---: | ---: | ---: | ---: |")?;
    for c in &r.caseloads {
        let [t, tr, n] = c.by_region;
        writeln!(
            s,
            "| {} | {} | {:.1} | {} | {t} | {tr} | {n} |",
            c.caseworker_id,
            c.team,
            c.fte,
            c.total()
        )?;
    }
    writeln!(s, "\nAbsences: {} ({}).\n", r.absences(), r.tally.reasons())
}
