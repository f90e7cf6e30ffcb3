//! Reading the plan folder into plain row structs.
//!
//! Each CSV file is read by its header, so column order does not matter and
//! extra columns are ignored. A missing file or column is reported once; a
//! field that does not parse is reported with its line and the row is left
//! out, so the rules only ever see well-formed rows. `Table::complete` says
//! whether every row made it, which lets the summary rules stay quiet about
//! sums that a broken row would spoil anyway.

use super::Violation;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::path::Path;

pub use crate::contract::{SUMMARY, TRIPS, TRIP_STOPS as STOPS, UNMET, VISITS};

/// The local time format of every plan file: Europe/Oslo wall time.
const LOCAL_TIME: &str = "%Y-%m-%dT%H:%M";

/// A local time as the plan files write it, for messages.
pub fn show(t: NaiveDateTime) -> String {
    t.format(LOCAL_TIME).to_string()
}

/// An optional local time for messages (`none` when empty).
pub fn show_opt(t: Option<NaiveDateTime>) -> String {
    t.map_or_else(|| crate::tr!("none", "ingen"), show)
}

#[derive(Debug, Clone)]
pub struct VisitRow {
    pub line: u64,
    pub child_id: String,
    pub caseworker_id: String,
    pub trip_id: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct TripRow {
    pub line: u64,
    pub trip_id: String,
    pub caseworker_id: String,
    pub depart: NaiveDateTime,
    /// The `return` column.
    pub back: NaiveDateTime,
    pub modes: String,
    pub km_car: f64,
    pub flight_legs: u32,
    pub nights: u32,
    pub travel_minutes: f64,
    pub cost_nok: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    Office,
    Child,
    Airport,
    Hotel,
}

impl StopKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StopKind::Office => "office",
            StopKind::Child => "child",
            StopKind::Airport => "airport",
            StopKind::Hotel => "hotel",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Car,
    Flight,
    Ferry,
}

#[derive(Debug, Clone)]
pub struct StopRow {
    pub line: u64,
    pub trip_id: String,
    pub seq: u32,
    pub kind: StopKind,
    /// The `ref` column: office, child, IATA code or hotel label.
    pub reference: String,
    pub arrive: Option<NaiveDateTime>,
    pub depart: Option<NaiveDateTime>,
    pub mode_in: Option<Mode>,
}

#[derive(Debug, Clone)]
pub struct UnmetRow {
    pub line: u64,
    pub child_id: String,
    pub caseworker_id: String,
    pub due_by: NaiveDate,
    pub reason: String,
    pub detail: String,
}

/// The rows of one CSV file that parsed.
#[derive(Debug, Clone)]
pub struct Table<T> {
    pub rows: Vec<T>,
    /// The file exists and is readable text.
    pub present: bool,
    /// Data records in the file, parsed or not.
    pub records: usize,
    /// The file exists, has every column, and every record parsed.
    pub complete: bool,
}

#[derive(Debug, Clone)]
pub struct PlanFiles {
    pub visits: Table<VisitRow>,
    pub trips: Table<TripRow>,
    pub stops: Table<StopRow>,
    pub unmet: Table<UnmetRow>,
    pub summary: Option<super::summary_json::Summary>,
}

pub fn read_plan(dir: &Path, out: &mut Vec<Violation>) -> PlanFiles {
    PlanFiles {
        visits: read_table(dir, VISITS, out, |r| {
            let (child_id, caseworker_id) = (r.id("child_id"), r.id("caseworker_id"));
            let (trip_id, start, end) = (r.id("trip_id"), r.time("start"), r.time("end"));
            Some(VisitRow {
                line: r.line,
                child_id: child_id?,
                caseworker_id: caseworker_id?,
                trip_id: trip_id?,
                start: start?,
                end: end?,
            })
        }),
        trips: read_table(dir, TRIPS, out, parse_trip),
        stops: read_table(dir, STOPS, out, parse_stop),
        unmet: read_table(dir, UNMET, out, |r| {
            let (child_id, caseworker_id) = (r.id("child_id"), r.id("caseworker_id"));
            let (_due_from, due_by) = (r.date("due_from"), r.date("due_by"));
            Some(UnmetRow {
                line: r.line,
                child_id: child_id?,
                caseworker_id: caseworker_id?,
                due_by: due_by?,
                reason: r.text("reason")?,
                detail: r.text("detail")?,
            })
        }),
        summary: super::summary_json::read(dir, out),
    }
}

fn parse_trip(r: &mut Row) -> Option<TripRow> {
    let (trip_id, caseworker_id) = (r.id("trip_id"), r.id("caseworker_id"));
    let (depart, back, modes) = (r.time("depart"), r.time("return"), r.text("modes"));
    let (km_car, flight_legs, nights) = (
        r.number("km_car"),
        r.count("flight_legs"),
        r.count("nights"),
    );
    let (travel_minutes, cost_nok) = (r.number("travel_minutes"), r.number("cost_nok"));
    Some(TripRow {
        line: r.line,
        trip_id: trip_id?,
        caseworker_id: caseworker_id?,
        depart: depart?,
        back: back?,
        modes: modes?,
        km_car: km_car?,
        flight_legs: flight_legs?,
        nights: nights?,
        travel_minutes: travel_minutes?,
        cost_nok: cost_nok?,
    })
}

fn parse_stop(r: &mut Row) -> Option<StopRow> {
    let (trip_id, seq, reference) = (r.id("trip_id"), r.count("seq"), r.id("ref"));
    let kind = r.choice("kind", |s| match s {
        "office" => Some(StopKind::Office),
        "child" => Some(StopKind::Child),
        "airport" => Some(StopKind::Airport),
        "hotel" => Some(StopKind::Hotel),
        _ => None,
    });
    let mode_in = r.choice("mode_in", |s| match s {
        "" => Some(None),
        "car" => Some(Some(Mode::Car)),
        "flight" => Some(Some(Mode::Flight)),
        "ferry" => Some(Some(Mode::Ferry)),
        _ => None,
    });
    // Coordinates are only checked for being numbers; the rules do not use them.
    let (_lat, _lon) = (r.number("lat"), r.number("lon"));
    let (arrive, depart) = (r.optional_time("arrive"), r.optional_time("depart"));
    Some(StopRow {
        line: r.line,
        trip_id: trip_id?,
        seq: seq?,
        kind: kind?,
        reference: reference?,
        arrive: arrive?,
        depart: depart?,
        mode_in: mode_in?,
    })
}

/// The columns each CSV file must have.
fn columns(file: &str) -> &'static [&'static str] {
    use crate::contract::{STOP_COLUMNS, TRIP_COLUMNS, UNMET_COLUMNS, VISIT_COLUMNS};
    match file {
        VISITS => VISIT_COLUMNS,
        TRIPS => TRIP_COLUMNS,
        STOPS => STOP_COLUMNS,
        UNMET => UNMET_COLUMNS,
        _ => &[],
    }
}

/// What a local time field must be, for messages.
fn local_time() -> String {
    crate::tr!(
        "a local time YYYY-MM-DDTHH:MM",
        "et lokalt tidspunkt ÅÅÅÅ-MM-DDTtt:mm"
    )
}

/// One CSV record with typed accessors. Each accessor records a message for
/// a bad field and returns `None`, so a row reports every bad field at once.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    header: &'a HashMap<String, usize>,
    errors: Vec<String>,
}

impl Row<'_> {
    fn raw(&mut self, column: &str) -> Option<&str> {
        let field = self.header.get(column).and_then(|&i| self.record.get(i));
        if field.is_none() {
            self.errors.push(crate::tr!(
                "the row has no {column} field",
                "raden har ikke feltet {column}"
            ));
        }
        field.map(str::trim)
    }

    /// `what` names the expected value in the current language (asked only
    /// for a bad field).
    fn parsed<T>(
        &mut self,
        column: &str,
        what: fn() -> String,
        f: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let raw = self.raw(column)?.to_string();
        let value = f(&raw);
        if value.is_none() {
            let what = what();
            self.errors.push(crate::tr!(
                "{column} \"{raw}\" is not {what}",
                "{column} «{raw}» er ikke {what}"
            ));
        }
        value
    }

    fn text(&mut self, column: &str) -> Option<String> {
        self.raw(column).map(str::to_string)
    }

    fn id(&mut self, column: &str) -> Option<String> {
        self.parsed(
            column,
            || crate::tr!("an id (it is empty)", "en id (feltet er tomt)"),
            |s| (!s.is_empty()).then(|| s.to_string()),
        )
    }

    fn time(&mut self, column: &str) -> Option<NaiveDateTime> {
        self.parsed(column, local_time, |s| {
            NaiveDateTime::parse_from_str(s, LOCAL_TIME).ok()
        })
    }

    /// `Some(None)` for an empty field.
    fn optional_time(&mut self, column: &str) -> Option<Option<NaiveDateTime>> {
        self.parsed(column, local_time, |s| {
            if s.is_empty() {
                Some(None)
            } else {
                NaiveDateTime::parse_from_str(s, LOCAL_TIME).ok().map(Some)
            }
        })
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.parsed(
            column,
            || crate::tr!("a date YYYY-MM-DD", "en dato ÅÅÅÅ-MM-DD"),
            |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        )
    }

    fn number(&mut self, column: &str) -> Option<f64> {
        self.parsed(
            column,
            || crate::tr!("a number", "et tall"),
            |s| s.parse::<f64>().ok().filter(|x| x.is_finite()),
        )
    }

    fn count(&mut self, column: &str) -> Option<u32> {
        self.parsed(
            column,
            || crate::tr!("a whole number >= 0", "et heltall >= 0"),
            |s| s.parse().ok(),
        )
    }

    fn choice<T>(&mut self, column: &str, f: impl Fn(&str) -> Option<T>) -> Option<T> {
        self.parsed(
            column,
            || {
                crate::tr!(
                    "one of the values the contract allows",
                    "en av verdiene datakontrakten tillater"
                )
            },
            f,
        )
    }
}

/// Reads one CSV file by its header and parses each record with `parse`.
fn read_table<T>(
    dir: &Path,
    file: &'static str,
    out: &mut Vec<Violation>,
    parse: impl Fn(&mut Row) -> Option<T>,
) -> Table<T> {
    let mut table = Table {
        rows: Vec::new(),
        present: false,
        records: 0,
        complete: false,
    };
    let Some(text) = read_text(dir, file, out) else {
        return table;
    };
    table.present = true;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let Some(header) = read_header(&mut reader, file, out) else {
        // Still count the records, so the summary's row counts can be compared.
        table.records = reader.records().count();
        return table;
    };
    table.complete = true;
    for record in reader.records() {
        table.records += 1;
        let row = match record {
            Ok(record) => parse_record(&record, &header, file, &parse, out),
            Err(e) => {
                let line = e.position().map(|p| p.line());
                let message = crate::tr!("unreadable record: {e}", "uleselig rad: {e}");
                out.push(Violation::new("bad_value", file, line, message));
                None
            }
        };
        match row {
            Some(row) => table.rows.push(row),
            None => table.complete = false,
        }
    }
    table
}

/// Column name -> position, or `None` after reporting every missing column.
fn read_header(
    reader: &mut csv::Reader<&[u8]>,
    file: &'static str,
    out: &mut Vec<Violation>,
) -> Option<HashMap<String, usize>> {
    let header: HashMap<String, usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, c)| (c.trim().to_string(), i))
            .collect(),
        Err(e) => {
            let message = crate::tr!("unreadable header: {e}", "uleselig overskriftsrad: {e}");
            out.push(Violation::new("bad_value", file, Some(1), message));
            return None;
        }
    };
    let mut complete = true;
    for column in columns(file).iter().filter(|c| !header.contains_key(**c)) {
        let message = crate::tr!(
            "the header has no column {column}",
            "overskriftsraden har ikke kolonnen {column}"
        );
        out.push(Violation::new("missing_column", file, Some(1), message));
        complete = false;
    }
    complete.then_some(header)
}

/// One record as a row, or `None` after reporting each bad field.
fn parse_record<T>(
    record: &csv::StringRecord,
    header: &HashMap<String, usize>,
    file: &'static str,
    parse: impl Fn(&mut Row) -> Option<T>,
    out: &mut Vec<Violation>,
) -> Option<T> {
    let line = record.position().map_or(0, |p| p.line());
    let mut row = Row {
        line,
        record,
        header,
        errors: Vec::new(),
    };
    let parsed = parse(&mut row);
    for message in &row.errors {
        out.push(Violation::new(
            "bad_value",
            file,
            Some(line),
            message.clone(),
        ));
    }
    parsed.filter(|_| row.errors.is_empty())
}

/// The file's text without a byte-order mark, or a violation.
pub fn read_text(dir: &Path, file: &str, out: &mut Vec<Violation>) -> Option<String> {
    match crate::diagnostics::read_user_file(&dir.join(file)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            out.push(Violation::new(
                "missing_file",
                file,
                None,
                crate::tr!("the plan has no such file", "planen har ingen slik fil"),
            ));
            None
        }
        Err(e) => {
            out.push(Violation::new(
                "bad_value",
                file,
                None,
                crate::tr!("unreadable: {e}", "kan ikke leses: {e}"),
            ));
            None
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text.trim_start_matches('\u{feff}').to_string()),
            Err(_) => {
                out.push(Violation::new(
                    "bad_value",
                    file,
                    None,
                    crate::tr!("not UTF-8 text", "ikke UTF-8-tekst"),
                ));
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{run, valid_plan};

    #[test]
    fn a_missing_file_and_a_missing_column_are_reported() {
        let mut plan = valid_plan();
        plan.remove("unmet.csv");
        let report = run(&plan);
        assert!(report.codes().contains(&"missing_file"));
        let mut plan = valid_plan();
        let visits = plan["visits.csv"].replace(",trip_id,", ",trip,");
        plan.insert("visits.csv", visits);
        let report = run(&plan);
        assert!(report.codes().contains(&"missing_column"));
    }

    #[test]
    fn unparsable_fields_are_bad_values_with_their_line() {
        let mut plan = valid_plan();
        let trips = plan["trips.csv"]
            .replace("80.5", "80.5x")
            .replace("2027-01-13T08:30", "13.01.2027 08:30");
        plan.insert("trips.csv", trips);
        let report = run(&plan);
        let bad: Vec<_> = report
            .violations
            .iter()
            .filter(|v| v.code == "bad_value")
            .collect();
        assert!(bad.len() >= 2, "{bad:#?}");
        assert!(bad
            .iter()
            .all(|v| v.file == "trips.csv" && v.line == Some(2)));
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let mut plan = valid_plan();
        let visits = format!("\u{feff}{}", plan["visits.csv"]);
        plan.insert("visits.csv", visits);
        assert!(run(&plan).is_ok());
    }

    #[test]
    fn garbage_in_every_file_gives_violations_not_a_panic() {
        let mut plan = valid_plan();
        for text in plan.values_mut() {
            *text = "\"unterminated,;\n\u{0}\u{7f}x,y\nz".to_string();
        }
        let report = run(&plan);
        assert!(!report.is_ok());
        assert!(report.codes().contains(&"missing_column"));
        let mut plan = valid_plan();
        for text in plan.values_mut() {
            text.clear();
        }
        assert!(!run(&plan).is_ok());
    }
}
