//! `visits_done.csv`: the follow-up visits carried out, one row each.
//!
//! | column | meaning |
//! | --- | --- |
//! | `child_id` | a child of `children.csv` |
//! | `date` | `YYYY-MM-DD`, the day of the visit |
//! | `caseworker_id` | who made it, a caseworker of `caseworkers.csv` (may be empty) |
//! | `note_kind` | optional, free text |
//! | `status` | optional: `done` (the default when empty) or `confirmed`: a planned visit agreed with the home, which `tilsyn replan` keeps where it is |
//!
//! Read with the same tolerant reader as the dataset (`;` or `,`, a BOM,
//! blank lines, extra columns), every problem reported at its line and
//! column.

use super::fields::Cells;
use super::table::{check_columns, not_utf8, parse_table};
use crate::diagnostics::{io_error, Problem, Problems};
use crate::history::{DoneVisit, VisitStatus};
use crate::model::Dataset;
use crate::tr;
use std::path::Path;

pub const VISIT_COLUMNS: &[&str] = &["child_id", "date", "caseworker_id"];

/// Reads the visits file at `path` against `data`'s children and caseworkers.
pub fn visits_done(path: &Path, data: &Dataset) -> Result<Vec<DoneVisit>, Problems> {
    // Messages name the file as the user gave it; a reader's file name is
    // static, and one run reads one history file.
    let display: &'static str = Box::leak(path.display().to_string().into_boxed_str());
    let mut problems = Problems::default();
    let text = match crate::diagnostics::read_user_file(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                problems.push(not_utf8(display, line));
                return Err(problems);
            }
        },
        Err(e) => {
            problems.push(Problem::new(display, "unreadable_file", io_error(&e)));
            return Err(problems);
        }
    };
    let Some(table) = parse_table(display, &text, &mut problems) else {
        return Err(problems);
    };
    if table.header.is_empty() {
        let message = tr!("the file is empty", "filen er tom");
        let hint = tr!(
            "the first line names the columns: child_id,date,caseworker_id",
            "første linje skal inneholde kolonnenavnene: child_id,date,caseworker_id"
        );
        problems.push(Problem::new(display, "missing_column", message).hint(hint));
        return Err(problems);
    }
    if !check_columns(&table, VISIT_COLUMNS, &mut problems) {
        return Err(problems);
    }
    let children = data.child_ids();
    let caseworkers = data.caseworker_ids();
    let mut out = Vec::new();
    for row in table.rows.iter().filter(|r| r.well_formed) {
        let mut c = Cells::new(&table, row, &mut problems);
        let child_id = c.id("child_id");
        let date = c.date("date");
        let caseworker_id = c.optional_text("caseworker_id");
        let note_kind = c.optional_text("note_kind").to_string();
        let status = match c.optional_text("status").to_lowercase().as_str() {
            "" | "done" | "utført" | "utfort" => Some(VisitStatus::Done),
            "confirmed" | "bekreftet" => Some(VisitStatus::Confirmed),
            other => {
                let message = tr!(
                    "`status` \"{other}\" is neither done nor confirmed",
                    "`status` «{other}» er verken done eller confirmed"
                );
                let hint = tr!(
                    "leave it empty or write done for a visit made, confirmed for a planned visit agreed with the home",
                    "la feltet stå tomt eller skriv done (eller utført) for et gjennomført besøk, \
                     confirmed (eller bekreftet) for et planlagt besøk som er avtalt med hjemmet"
                );
                c.report("status", "bad_value", message, hint);
                None
            }
        };
        let status_column = table.column("status").map_or(0, |i| i as u64 + 1);
        let child = child_id.and_then(|id| {
            let found = children.get(id).copied();
            if found.is_none() {
                let message = tr!(
                    "`child_id` \"{id}\" is not in children.csv",
                    "`child_id` «{id}» finnes ikke i children.csv"
                );
                let hint = tr!(
                    "a visit is counted for a child of the dataset; check the id",
                    "et besøk telles bare for barn i datasettet; sjekk id-en"
                );
                c.report("child_id", "unknown_child", message, hint);
            }
            found
        });
        let caseworker = if caseworker_id.is_empty() {
            Some(None)
        } else {
            let found = caseworkers.get(caseworker_id).copied();
            if found.is_none() {
                let message = tr!(
                    "`caseworker_id` \"{caseworker_id}\" is not in caseworkers.csv",
                    "`caseworker_id` «{caseworker_id}» finnes ikke i caseworkers.csv"
                );
                let hint = tr!(
                    "leave it empty if the visit was made by someone outside the department",
                    "la feltet stå tomt hvis besøket ble gjort av noen utenfor avdelingen"
                );
                c.report("caseworker_id", "unknown_caseworker", message, hint);
            }
            found.map(Some)
        };
        if let (Some(child), Some(date), Some(caseworker), Some(status)) =
            (child, date, caseworker, status)
        {
            out.push(DoneVisit {
                child,
                date,
                caseworker,
                note_kind,
                status,
                line: row.line,
                status_column,
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
