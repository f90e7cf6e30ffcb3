//! Turning the rows of each dataset file into model values: the required
//! columns of each file, the value checks, and the references between files
//! (caseworker -> office, absence -> caseworker, child -> caseworker and team).
//!
//! A row whose own values are bad is reported and dropped; its references are
//! then not checked, since the row has to be fixed anyway and a second
//! problem about it would only add noise. References into a file that could
//! not be read at all are not checked either (the caller passes `None`).

use super::fields::{parse_decimal, Cells};
use super::keys::Keys;
use super::table::Table;
use crate::diagnostics::Problems;
use crate::model::{
    Absence, Caseworker, CaseworkerId, Child, ChildId, Frequency, Office, OfficeId, Placement,
};
use crate::tr;

pub use crate::contract::{
    ABSENCES, ABSENCE_COLUMNS, CASEWORKERS, CASEWORKER_COLUMNS, CHILDREN, CHILD_COLUMNS, OFFICES,
    OFFICE_COLUMNS,
};

/// What other files need to know about caseworkers.csv.
pub struct CaseworkerRefs {
    pub keys: Keys,
    /// The `team` value of each row, by row index (empty when missing).
    pub team_of: Vec<String>,
}

impl CaseworkerRefs {
    pub fn collect(table: &Table, problems: &mut Problems) -> Self {
        let keys = Keys::collect(table, "caseworker_id", "caseworker", problems);
        let team_of = match table.column("team") {
            Some(col) => table
                .rows
                .iter()
                .map(|r| r.fields.get(col).cloned().unwrap_or_default())
                .collect(),
            None => Vec::new(),
        };
        Self { keys, team_of }
    }

    fn team(&self, caseworker: usize) -> &str {
        self.team_of.get(caseworker).map_or("", |t| t.as_str())
    }

    fn known_teams(&self) -> Vec<&str> {
        let mut teams: Vec<&str> = Vec::new();
        for team in self.team_of.iter().filter(|t| !t.is_empty()) {
            if !teams.contains(&team.as_str()) {
                teams.push(team);
            }
        }
        teams
    }
}

/// Runs `parse` on every well-formed row, keeping the values that parsed.
fn parse_rows<T>(
    table: &Table,
    problems: &mut Problems,
    mut parse: impl FnMut(&mut Cells) -> Option<T>,
) -> Vec<T> {
    let rows = table.rows.iter().filter(|r| r.well_formed);
    rows.filter_map(|row| parse(&mut Cells::new(table, row, problems)))
        .collect()
}

pub fn offices(table: &Table, problems: &mut Problems) -> Vec<Office> {
    parse_rows(table, problems, |c| {
        let id = c.id("office_id");
        let name = c.text("name");
        let location = c.location();
        Some(Office {
            id: OfficeId(id?.to_string()),
            name: name?.to_string(),
            location: location?,
        })
    })
}

pub fn caseworkers(
    table: &Table,
    offices: Option<&Keys>,
    problems: &mut Problems,
) -> Vec<Caseworker> {
    parse_rows(table, problems, |c| {
        let id = c.id("caseworker_id");
        let name = c.text("name");
        let team = c.text("team");
        let office_id = c.id("office_id");
        let fte = c.number("fte");
        if let Some(value) = fte.filter(|f| !(*f > 0.0 && *f <= 1.0)) {
            // 10..=100 is most likely a percentage.
            let hint = if (10.0..=100.0).contains(&value) {
                let share = value / 100.0;
                // Bokmål writes the share as this file needs it.
                let share_nb = if table.decimal_comma() {
                    share.to_string().replace('.', ",")
                } else {
                    share.to_string()
                };
                tr!(
                    "write the share of a full position: {share} for {value} %",
                    "skriv andelen av en hel stilling: {share_nb} for {value} %"
                )
            } else {
                tr!(
                    "fte is the share of a full position: above 0 and at most 1",
                    "fte er andelen av en hel stilling: over 0 og høyst 1"
                )
            };
            let written = c.optional_text("fte");
            let message = tr!(
                "fte {value} is out of range",
                "fte «{written}» er utenfor gyldig område"
            );
            c.report("fte", "fte_out_of_range", message, hint);
        }
        let (id, name, team, office_id, fte) = (id?, name?, team?, office_id?, fte?);
        if !c.ok {
            return None;
        }
        let office = match offices {
            Some(keys) => resolve(c, keys, "office_id", office_id, OFFICES, "unknown_office")?,
            // offices.csv is unreadable or empty (reported), so no Dataset is built.
            None => 0,
        };
        Some(Caseworker {
            id: CaseworkerId(id.to_string()),
            name: name.to_string(),
            team: team.to_string(),
            office,
            fte,
        })
    })
}

/// Looks `id` up in another file's keys, reporting `code` when it is absent.
fn resolve(
    c: &mut Cells,
    keys: &Keys,
    column: &str,
    id: &str,
    file: &str,
    code: &'static str,
) -> Option<usize> {
    let found = keys.get(id);
    if found.is_none() {
        let message = tr!(
            "`{column}` \"{id}\" is not in {file}",
            "`{column}` «{id}» finnes ikke i {file}"
        );
        c.report(column, code, message, keys.known_hint(file));
    }
    found
}

pub fn absences(
    table: &Table,
    caseworkers: Option<&CaseworkerRefs>,
    problems: &mut Problems,
) -> Vec<Absence> {
    parse_rows(table, problems, |c| {
        let caseworker_id = c.id("caseworker_id");
        let from = c.date("from");
        let to = c.date("to");
        let reason = c.optional_text("reason");
        let (caseworker_id, from, to) = (caseworker_id?, from?, to?);
        if to < from {
            let message = tr!(
                "the absence ends ({to}) before it starts ({from})",
                "fraværet slutter ({to}) før det begynner ({from})"
            );
            let hint = tr!(
                "`from` is the first day away and `to` the last, both inclusive",
                "`from` er første fraværsdag og `to` den siste, begge medregnet"
            );
            c.report("to", "absence_ends_before_start", message, hint);
        }
        if !c.ok {
            return None;
        }
        let caseworker = match caseworkers {
            Some(refs) => resolve(
                c,
                &refs.keys,
                "caseworker_id",
                caseworker_id,
                CASEWORKERS,
                "unknown_caseworker",
            )?,
            None => 0,
        };
        Some(Absence {
            caseworker,
            from,
            to,
            reason: reason.to_string(),
        })
    })
}

/// `visits_per_year`: the legal minimum, 4 (quarterly) or 2 (half-yearly).
fn frequency(c: &mut Cells, decimal_comma: bool) -> Option<Frequency> {
    let value = c.text("visits_per_year")?;
    if let Some(f) = value.parse().ok().and_then(Frequency::from_visits_per_year) {
        return Some(f);
    }
    let message = tr!(
        "visits_per_year \"{value}\" is not 4 or 2",
        "visits_per_year «{value}» er verken 4 eller 2"
    );
    let hint = tr!(
        "write 4 (a visit every quarter) or 2 (every half-year)",
        "skriv 4 (ett besøk hvert kvartal) eller 2 (hvert halvår)"
    );
    if parse_decimal(value, decimal_comma).is_ok() {
        c.report("visits_per_year", "invalid_visits_per_year", message, hint);
    } else {
        c.report("visits_per_year", "invalid_number", message, hint);
    }
    None
}

pub fn children(
    table: &Table,
    caseworkers: Option<&CaseworkerRefs>,
    problems: &mut Problems,
) -> Vec<Child> {
    parse_rows(table, problems, |c| {
        let id = c.id("child_id");
        let team = c.text("team");
        let caseworker_id = c.id("caseworker_id");
        let placement = c.text("placement");
        let place = c.text("place");
        let location = c.location();
        let frequency = frequency(c, table.decimal_comma());
        let placed_since = c.date("placed_since");
        let last_visit = c.optional_date("last_visit");
        let (id, team, caseworker_id) = (id?, team?, caseworker_id?);
        let (placement, place, location) = (placement?, place?, location?);
        let (frequency, placed_since, last_visit) = (frequency?, placed_since?, last_visit?);
        if !c.ok {
            return None;
        }
        let caseworker = match caseworkers {
            Some(refs) => child_caseworker(c, refs, caseworker_id, team)?,
            None => 0,
        };
        Some(Child {
            id: ChildId(id.to_string()),
            team: team.to_string(),
            caseworker,
            placement: Placement::parse(placement),
            place: place.to_string(),
            location,
            frequency,
            placed_since,
            last_visit,
        })
    })
}

/// Resolves a child's caseworker and checks that the child's team exists and
/// is the caseworker's team (teams are compared exactly, as written).
fn child_caseworker(
    c: &mut Cells,
    refs: &CaseworkerRefs,
    caseworker_id: &str,
    team: &str,
) -> Option<usize> {
    let caseworker = resolve(
        c,
        &refs.keys,
        "caseworker_id",
        caseworker_id,
        CASEWORKERS,
        "unknown_caseworker",
    );
    let teams = refs.known_teams();
    if !teams.contains(&team) {
        let message = tr!(
            "team \"{team}\" is no caseworker's team",
            "team «{team}» er ikke teamet til noen saksbehandler"
        );
        let known = teams.join(", ");
        let hint = tr!(
            "use a team from {CASEWORKERS}: {known}",
            "bruk et team fra {CASEWORKERS}: {known}"
        );
        c.report("team", "unknown_team", message, hint);
        return None;
    }
    let caseworker = caseworker?;
    let own_team = refs.team(caseworker);
    if own_team != team {
        let message = tr!(
            "team \"{team}\" differs from caseworker {caseworker_id}'s team \"{own_team}\"",
            "team «{team}» er ikke teamet til saksbehandler {caseworker_id} («{own_team}»)"
        );
        let hint = tr!(
            "fix the child's team or its caseworker_id",
            "rett barnets team eller caseworker_id"
        );
        c.report("team", "team_mismatch", message, hint);
        return None;
    }
    Some(caseworker)
}
