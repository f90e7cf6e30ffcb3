//! The tolerant CSV reader: one input file in, a header and trimmed rows out,
//! each row pinned to the physical line it starts on.
//!
//! Users export these files from Excel or a case-management system, so the
//! reader accepts what those tools write: a UTF-8 byte-order mark, `;` or `,`
//! as separator (detected from the header line), blank lines, padding around
//! fields and extra columns. What it cannot read it reports as a [`Problem`]
//! and carries on; it never stops the caller at the first bad row.
//!
//! Line numbers are computed here from byte offsets rather than taken from
//! `csv::Position::line()`, which lags behind when blank lines are skipped.

use crate::diagnostics::{io_error, Problem, Problems};
use crate::tr;
use std::io::ErrorKind;
use std::path::Path;

/// One data row: trimmed fields and the 1-based physical line it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
    /// False when the field count differs from the header's (already
    /// reported); such a row still counts for duplicate ids but its values
    /// are not read, and no reference into its file is checked.
    pub well_formed: bool,
}

/// A file read and split into a header and rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// File name as the user knows it, e.g. `children.csv`.
    pub file: &'static str,
    /// The field separator detected from the header line.
    pub separator: u8,
    /// Physical line of the header (1 unless blank lines come first).
    pub header_line: u64,
    /// Header names, trimmed and lower-cased; empty when the file is empty.
    pub header: Vec<String>,
    /// Every non-blank data row in file order.
    pub rows: Vec<Row>,
}

impl Table {
    /// Position of a column by its lower-case name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// True when the separator is `;`, so a decimal comma is allowed.
    pub fn decimal_comma(&self) -> bool {
        self.separator == b';'
    }
}

/// Reads `<dir>/<file>`, reporting `missing_file`, `unreadable_file`,
/// `missing_column`, `duplicate_column` and `wrong_field_count`. Returns
/// `None` when the file cannot be used at all (missing, unreadable, or a
/// required column absent): its rows are then not checked, and references
/// into it are not checked either, to avoid a cascade of follow-on problems.
pub fn read_table(
    dir: &Path,
    file: &'static str,
    required: &[&str],
    problems: &mut Problems,
) -> Option<Table> {
    let text = read_text(dir, file, problems)?;
    let table = parse_table(file, &text, problems)?;
    check_columns(&table, required, problems).then_some(table)
}

fn read_text(dir: &Path, file: &'static str, problems: &mut Problems) -> Option<String> {
    let path = dir.join(file);
    let bytes = match crate::diagnostics::read_user_file(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let message = tr!("{file} was not found", "fant ikke {file}");
            let hint = tr!(
                "every dataset folder needs this file; it may hold only the header",
                "hver datamappe må ha denne filen; den kan inneholde bare overskriftsraden"
            );
            problems.push(Problem::new(file, "missing_file", message).hint(hint));
            return None;
        }
        Err(e) => {
            problems.push(Problem::new(file, "unreadable_file", io_error(&e)));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            problems.push(not_utf8(file, line));
            None
        }
    }
}

/// `unreadable_file` for a file that is not UTF-8, at the first bad line.
pub fn not_utf8(file: &str, line: u64) -> Problem {
    let message = tr!("the file is not UTF-8 text", "filen er ikke UTF-8-tekst");
    let hint = tr!(
        "save it as UTF-8 (in Excel: \"CSV UTF-8\")",
        "lagre den som UTF-8 (i Excel: «CSV UTF-8 (kommadelt)»)"
    );
    Problem::new(file, "unreadable_file", message)
        .at_line(line)
        .hint(hint)
}

/// Splits the text into header and rows. `None` only if the csv reader fails.
pub fn parse_table(file: &'static str, text: &str, problems: &mut Problems) -> Option<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = detect_separator(text);
    let lines = LineIndex::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut table = Table {
        file,
        separator,
        header_line: 1,
        header: Vec::new(),
        rows: Vec::new(),
    };
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte()));
                let detail = e.to_string();
                let message = tr!("{detail}", "filen kan ikke leses som CSV: {detail}");
                let mut p = Problem::new(file, "unreadable_file", message);
                p.line = line;
                problems.push(p);
                return None;
            }
        };
        let line = record.position().map_or(1, |p| lines.line_at(p.byte()));
        let fields: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if table.header.is_empty() {
            table.header_line = line;
            table.header = fields.iter().map(|f| f.to_lowercase()).collect();
            continue;
        }
        let well_formed = fields.len() == table.header.len();
        let row = Row {
            line,
            fields,
            well_formed,
        };
        if !well_formed {
            problems.push(wrong_field_count(&table, &row));
        }
        table.rows.push(row);
    }
    Some(table)
}

fn wrong_field_count(table: &Table, row: &Row) -> Problem {
    let (have, want) = (row.fields.len(), table.header.len());
    let sep = table.separator as char;
    // Point at the first field that is missing, or the first one too many.
    let column = have.min(want) as u64 + 1;
    let message = tr!(
        "this row has {have} fields but the header has {want}",
        "denne raden har {have} felt, men overskriftsraden har {want}"
    );
    let hint = tr!(
        "each row needs one value per header column, separated by '{sep}'; \
         put a value containing '{sep}' in double quotes",
        "hver rad må ha én verdi per kolonne i overskriftsraden, skilt med «{sep}»; \
         sett en verdi som inneholder «{sep}», i doble anførselstegn"
    );
    Problem::new(table.file, "wrong_field_count", message)
        .at(row.line, column)
        .hint(hint)
}

/// Reports required columns the header lacks, and required columns that
/// appear twice (which one was meant cannot be known). True when all is well.
/// An empty file has no header and counts as a table without rows.
pub fn check_columns(table: &Table, required: &[&str], problems: &mut Problems) -> bool {
    if table.header.is_empty() {
        return true;
    }
    let mut ok = true;
    for name in required {
        let count = table.header.iter().filter(|h| h == name).count();
        if count == 0 {
            ok = false;
            let found = table.header.join(&(table.separator as char).to_string());
            let message = tr!(
                "the header has no column `{name}`",
                "kolonnen `{name}` mangler i overskriftsraden"
            );
            let hint = tr!(
                "add `{name}` to the header (found: {found})",
                "legg `{name}` til i overskriftsraden (fant: {found})"
            );
            problems.push(
                Problem::new(table.file, "missing_column", message)
                    .at_line(table.header_line)
                    .hint(hint),
            );
        } else if count > 1 {
            ok = false;
            let second = table.header.iter().enumerate().filter(|(_, h)| h == name);
            let column = second.map(|(i, _)| i as u64 + 1).nth(1).unwrap_or(1);
            let message = tr!(
                "the header has column `{name}` more than once",
                "kolonnen `{name}` står mer enn én gang i overskriftsraden"
            );
            let hint = tr!("keep one of them", "behold bare én av dem");
            problems.push(
                Problem::new(table.file, "duplicate_column", message)
                    .at(table.header_line, column)
                    .hint(hint),
            );
        }
    }
    ok
}

/// Picks `;` or `,`, whichever occurs more often outside double quotes on the
/// header line. A tie (including neither) falls back to `,`.
pub fn detect_separator(text: &str) -> u8 {
    let header = text.trim_start_matches(['\r', '\n', ' ', '\t']);
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Maps byte offsets to 1-based physical line numbers.
struct LineIndex<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let newlines = text.match_indices('\n').map(|(i, _)| i).collect();
        Self {
            bytes: text.as_bytes(),
            newlines,
        }
    }

    /// The line a record at `byte` starts on. The csv reader reports the
    /// offset before any blank lines it skipped, so step over those first.
    fn line_at(&self, byte: u64) -> u64 {
        let len = self.bytes.len();
        let mut at = usize::try_from(byte).unwrap_or(len).min(len);
        while matches!(self.bytes.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.newlines.partition_point(|&n| n < at) as u64 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};

    fn parse(text: &str) -> (Table, Problems) {
        let mut problems = Problems::default();
        let table = parse_table("t.csv", text, &mut problems).expect("parses");
        (table, problems)
    }

    #[test]
    fn separator_is_whichever_occurs_more_outside_quotes() {
        assert_eq!(detect_separator("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_separator("a,b\n"), b',');
        assert_eq!(detect_separator("\"x;y;z\",b\n"), b',');
        assert_eq!(detect_separator("single\n"), b',');
        assert_eq!(detect_separator("\n\na;b"), b';');
    }

    #[test]
    fn lines_are_physical_despite_blank_lines_crlf_and_quoted_newlines() {
        let (t, p) = parse("\u{feff}A ; B\r\n\r\n1;2\r\n\"x\ny\";3\n  \n;\n5;6\n");
        assert!(p.is_empty());
        assert_eq!(t.header, vec!["a", "b"]);
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4, 8]);
        assert_eq!(t.rows[1].fields, vec!["x\ny", "3"]);
    }

    #[test]
    fn header_after_blank_lines_keeps_its_line() {
        let (t, _) = parse("\n\nid,name\nS01, Kari \n");
        assert_eq!(t.header_line, 3);
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(t.rows[0].fields, vec!["S01", "Kari"]);
    }

    #[test]
    fn wrong_field_count_points_at_first_missing_or_extra_field() {
        let (t, p) = parse("a,b,c\n1,2\n1,2,3,4\n1,2,3\n");
        let ok: Vec<bool> = t.rows.iter().map(|r| r.well_formed).collect();
        assert_eq!(ok, vec![false, false, true]);
        assert_eq!(p.codes(), vec!["wrong_field_count", "wrong_field_count"]);
        assert_eq!((p.0[0].line, p.0[0].column), (Some(2), Some(3)));
        assert_eq!((p.0[1].line, p.0[1].column), (Some(3), Some(4)));
    }

    #[test]
    fn empty_text_is_a_table_without_header_or_rows() {
        let (t, p) = parse("");
        assert!(t.header.is_empty() && t.rows.is_empty() && p.is_empty());
    }

    #[test]
    fn missing_and_duplicate_columns_are_reported_on_the_header_line() {
        let mut problems = Problems::default();
        let t = parse_table("t.csv", "id;lat;lat\n", &mut problems).unwrap();
        assert!(!check_columns(&t, &["id", "lat", "lon"], &mut problems));
        assert_eq!(problems.codes(), vec!["duplicate_column", "missing_column"]);
        assert_eq!(problems.0[0].column, Some(3));
        assert_eq!(problems.0[1].line, Some(1));
    }

    #[test]
    fn files_that_are_absent_or_not_utf8_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("latin1.csv"), b"id\nK\xf8benhavn\n").unwrap();
        let mut problems = Problems::default();
        assert!(read_table(dir.path(), "none.csv", &[], &mut problems).is_none());
        assert!(read_table(dir.path(), "latin1.csv", &[], &mut problems).is_none());
        assert_eq!(problems.codes(), vec!["missing_file", "unreadable_file"]);
        assert_eq!(problems.0[1].line, Some(2));
    }

    /// The problems of a header without `lat` and with `id` twice, a short
    /// row, and a file that is not UTF-8, as printed.
    fn printed() -> Vec<String> {
        let mut problems = Problems::default();
        let t = parse_table("t.csv", "id;id;lon\n1;2\n", &mut problems).unwrap();
        check_columns(&t, &["id", "lat"], &mut problems);
        problems.push(not_utf8("t.csv", 3));
        problems.0.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn header_and_row_problems_in_bokmal() {
        let p = with_lang(Lang::Nb, printed);
        assert_eq!(
            p,
            vec![
                "t.csv:2:3: wrong_field_count: denne raden har 2 felt, men overskriftsraden har 3 \
                 (tips: hver rad må ha én verdi per kolonne i overskriftsraden, skilt med «;»; \
                 sett en verdi som inneholder «;», i doble anførselstegn)",
                "t.csv:1:2: duplicate_column: kolonnen `id` står mer enn én gang i overskriftsraden \
                 (tips: behold bare én av dem)",
                "t.csv:1: missing_column: kolonnen `lat` mangler i overskriftsraden \
                 (tips: legg `lat` til i overskriftsraden (fant: id;id;lon))",
                "t.csv:3: unreadable_file: filen er ikke UTF-8-tekst \
                 (tips: lagre den som UTF-8 (i Excel: «CSV UTF-8 (kommadelt)»))",
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        let mut problems = Problems::default();
        with_lang(Lang::Nb, || {
            read_table(dir.path(), "offices.csv", &[], &mut problems);
        });
        assert_eq!(problems.0[0].message, "fant ikke offices.csv");
    }

    #[test]
    fn header_and_row_problems_in_english() {
        let p = with_lang(Lang::En, printed);
        assert_eq!(
            p[2],
            "t.csv:1: missing_column: the header has no column `lat` \
             (hint: add `lat` to the header (found: id;id;lon))"
        );
        assert_eq!(
            p[3],
            "t.csv:3: unreadable_file: the file is not UTF-8 text \
             (hint: save it as UTF-8 (in Excel: \"CSV UTF-8\"))"
        );
    }
}
