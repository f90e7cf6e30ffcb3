//! Reading single values out of a row: required text, numbers (with the
//! decimal comma Norwegian Excel writes when the separator is `;`), strict
//! `YYYY-MM-DD` dates and coordinates.
//!
//! [`Cells`] wraps one row and reports every bad value as a [`Problem`] at the
//! row's line and the field's column, then returns `None`, so a row parser
//! can read all its fields, let each report, and only then give up.

use super::table::{Row, Table};
use crate::demand::{FIRST_YEAR, LAST_YEAR};
use crate::diagnostics::{Problem, Problems};
use crate::model::LatLon;
use crate::tr;
use chrono::{Datelike, NaiveDate};

/// The fields of one well-formed row, with problem reporting.
pub struct Cells<'a> {
    table: &'a Table,
    row: &'a Row,
    problems: &'a mut Problems,
    /// False once any problem was reported for this row. Cross-reference
    /// checks run only on rows whose own fields were all fine.
    pub ok: bool,
}

impl<'a> Cells<'a> {
    pub fn new(table: &'a Table, row: &'a Row, problems: &'a mut Problems) -> Self {
        Self {
            table,
            row,
            problems,
            ok: true,
        }
    }

    /// The trimmed value and 1-based column of a header column. Columns were
    /// checked when the table was read; a name not in the header reads as empty.
    fn raw(&self, name: &str) -> (&'a str, u64) {
        let row: &'a Row = self.row;
        match self.table.column(name) {
            Some(i) => (row.fields.get(i).map_or("", |f| f.as_str()), i as u64 + 1),
            None => ("", 0),
        }
    }

    /// Reports a problem with the value in column `name`.
    pub fn report(&mut self, name: &str, code: &'static str, message: String, hint: String) {
        let (_, column) = self.raw(name);
        self.ok = false;
        self.problems.push(
            Problem::new(self.table.file, code, message)
                .at(self.row.line, column)
                .hint(hint),
        );
    }

    /// A value that may be empty.
    pub fn optional_text(&self, name: &str) -> &'a str {
        self.raw(name).0
    }

    /// A value that must not be empty.
    pub fn text(&mut self, name: &str) -> Option<&'a str> {
        let value = self.raw(name).0;
        if value.is_empty() {
            self.report(
                name,
                "empty_value",
                tr!("`{name}` is empty", "`{name}` er tomt"),
                tr!(
                    "every row needs a value for `{name}`",
                    "hver rad må ha en verdi i `{name}`"
                ),
            );
            return None;
        }
        Some(value)
    }

    /// An id (of an office, a caseworker or a child): not empty, at most
    /// `MAX_ID_CHARS` characters and `MAX_ID_BYTES` bytes, no control characters and nothing that
    /// would lead out of a folder, since a caseworker's id names their
    /// calendar file (`calendars/<caseworker_id>.ics`).
    pub fn id(&mut self, name: &str) -> Option<&'a str> {
        let value = self.text(name)?;
        let bad = value.chars().count() > MAX_ID_CHARS
            || value.len() > MAX_ID_BYTES
            || value == "."
            || value == ".."
            || value
                .chars()
                .any(|c| c.is_control() || c == '/' || c == '\\');
        if bad {
            let shown: String = value.escape_debug().take(40).collect();
            self.report(
                name,
                "invalid_id",
                tr!(
                    "`{name}` \"{shown}\" is not a usable id",
                    "`{name}` «{shown}» kan ikke brukes som id"
                ),
                tr!(
                    "an id is at most {MAX_ID_CHARS} characters ({MAX_ID_BYTES} bytes as UTF-8), with no control characters, `/` or `\\`, and not `.` or `..`",
                    "en id har høyst {MAX_ID_CHARS} tegn ({MAX_ID_BYTES} byte som UTF-8), uten kontrolltegn, `/` eller `\\`, og er ikke `.` eller `..`"
                ),
            );
            return None;
        }
        Some(value)
    }

    /// A required decimal number.
    pub fn number(&mut self, name: &str) -> Option<f64> {
        let value = self.text(name)?;
        match parse_decimal(value, self.table.decimal_comma()) {
            Ok(n) => Some(n),
            Err(hint) => {
                let message = tr!(
                    "`{name}` \"{value}\" is not a number",
                    "`{name}` «{value}» er ikke et tall"
                );
                self.report(name, "invalid_number", message, hint);
                None
            }
        }
    }

    /// A required `YYYY-MM-DD` date.
    pub fn date(&mut self, name: &str) -> Option<NaiveDate> {
        let value = self.text(name)?;
        self.parse_date_in(name, value)
    }

    /// A `YYYY-MM-DD` date or nothing. `None` means a problem was reported.
    pub fn optional_date(&mut self, name: &str) -> Option<Option<NaiveDate>> {
        let value = self.raw(name).0;
        if value.is_empty() {
            return Some(None);
        }
        self.parse_date_in(name, value).map(Some)
    }

    fn parse_date_in(&mut self, name: &str, value: &str) -> Option<NaiveDate> {
        match parse_date(value) {
            Ok(d) => Some(d),
            Err(hint) => {
                let message = tr!(
                    "`{name}` \"{value}\" is not a date (YYYY-MM-DD)",
                    "`{name}` «{value}» er ikke en dato (ÅÅÅÅ-MM-DD)"
                );
                self.report(name, "invalid_date", message, hint);
                None
            }
        }
    }

    /// The `lat` and `lon` columns as a WGS84 position.
    pub fn location(&mut self) -> Option<LatLon> {
        let lat = self.number("lat");
        let lon = self.number("lon");
        if let Some(lat) = lat.filter(|v| !(-90.0..=90.0).contains(v)) {
            let hint = tr!(
                "latitude lies between -90 and 90 (Norway: 57 to 72); \
                 check that lat and lon are not swapped",
                "breddegraden ligger mellom -90 og 90 (Norge: 57 til 72); \
                 sjekk at lat og lon ikke er byttet om"
            );
            // Bokmål quotes the value as written in the file.
            let written = self.raw("lat").0;
            let message = tr!(
                "lat {lat} is out of range",
                "lat «{written}» er utenfor gyldig område"
            );
            self.report("lat", "lat_out_of_range", message, hint);
        }
        if let Some(lon) = lon.filter(|v| !(-180.0..=180.0).contains(v)) {
            let hint = tr!(
                "longitude lies between -180 and 180 (Norway: 4 to 32)",
                "lengdegraden ligger mellom -180 og 180 (Norge: 4 til 32)"
            );
            let written = self.raw("lon").0;
            let message = tr!(
                "lon {lon} is out of range",
                "lon «{written}» er utenfor gyldig område"
            );
            self.report("lon", "lon_out_of_range", message, hint);
        }
        let (lat, lon) = (lat?, lon?);
        let in_range = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        in_range.then(|| LatLon::new(lat, lon))
    }
}

/// The longest id the planner takes, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// The longest id the planner takes, in bytes of UTF-8: a caseworker's id
/// names a calendar file, and file names hold at most 255 bytes (64
/// Norwegian letters take 128; 64 emoji would take 256).
pub const MAX_ID_BYTES: usize = 128;

/// Parses a plain decimal number: optional sign, digits, optional fraction.
/// A decimal comma is accepted only when the file uses `;` as separator.
/// Exponents, thousands separators, `inf` and `NaN` are refused. The error
/// is a hint for the user.
pub fn parse_decimal(value: &str, decimal_comma: bool) -> Result<f64, String> {
    let example = if decimal_comma { "63,43" } else { "63.43" };
    let plain_hint = || {
        tr!(
            "write a plain number such as {example}",
            "skriv et desimaltall som {example}"
        )
    };
    let normalised = if value.contains(',') {
        if !decimal_comma {
            let fixed = value.replace(',', ".");
            return Err(tr!(
                "this file uses ',' between values, so write a decimal point: {fixed}",
                "denne filen skiller verdiene med «,», så bruk punktum som desimaltegn: {fixed}"
            ));
        }
        if value.contains('.') || value.matches(',').count() > 1 {
            let plain = plain_hint();
            return Err(tr!(
                "{plain}, without thousands separators",
                "{plain}, uten tusenskilletegn"
            ));
        }
        value.replace(',', ".")
    } else {
        value.to_string()
    };
    let unsigned = normalised.strip_prefix(['-', '+']).unwrap_or(&normalised);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = digits_only(whole) && digits_only(fraction) && !unsigned.is_empty();
    if !well_formed || unsigned == "." {
        return Err(plain_hint());
    }
    normalised.parse::<f64>().map_err(|_| plain_hint())
}

/// Parses a strict `YYYY-MM-DD` date. The error is a hint; when the value
/// looks like a date in another common form (`15.03.2027`, `15/3/2027`,
/// `2027-3-15`, `2027-03-15 00:00`) the hint gives the form to write.
pub fn parse_date(value: &str) -> Result<NaiveDate, String> {
    let b = value.as_bytes();
    let strict_shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if strict_shape {
        if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            if !(FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
                return Err(tr!(
                    "the planner takes years from {FIRST_YEAR} to {LAST_YEAR}",
                    "planleggeren tar år fra {FIRST_YEAR} til {LAST_YEAR}"
                ));
            }
            return Ok(d);
        }
        return Err(tr!(
            "there is no such day in the calendar",
            "datoen finnes ikke i kalenderen"
        ));
    }
    match guess_date(value) {
        Some(d) => {
            let strict = d.format("%Y-%m-%d");
            Err(tr!("write {strict}", "skriv {strict}"))
        }
        None => Err(tr!(
            "write the date as YYYY-MM-DD, e.g. 2027-03-15",
            "skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2027-03-15"
        )),
    }
}

/// Reads day-first (`15.03.2027`) and year-first (`2027-3-15`) dates with
/// `.`, `/` or `-`, ignoring a time of day, to suggest the strict form.
fn guess_date(value: &str) -> Option<NaiveDate> {
    let date_part = value.split([' ', 'T']).next()?;
    let parts: Vec<&str> = date_part.split(['.', '/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let [na, nb, nc] = numbers.as_slice() else {
        return None;
    };
    let (year, month, day) = match (a.len(), c.len()) {
        (4, 1..=2) if b.len() <= 2 => (*na, *nb, *nc),
        (1..=2, 4) if b.len() <= 2 => (*nc, *nb, *na),
        // Two-digit years in a Norwegian register are this century.
        (1..=2, 2) if b.len() <= 2 => (2000 + *nc, *nb, *na),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};

    #[test]
    fn decimal_comma_only_with_semicolon_files() {
        assert_eq!(parse_decimal("63,43", true), Ok(63.43));
        assert_eq!(parse_decimal("63.43", true), Ok(63.43));
        assert_eq!(parse_decimal("-7", false), Ok(-7.0));
        assert_eq!(parse_decimal("0,8", true), Ok(0.8));
        let hint = parse_decimal("63,43", false).unwrap_err();
        assert!(hint.contains("63.43"), "{hint}");
    }

    #[test]
    fn odd_numbers_are_refused() {
        for bad in [
            "", "abc", "1e5", "inf", "NaN", ".", "-", "1.2.3", "1 000", "80%",
        ] {
            assert!(parse_decimal(bad, false).is_err(), "{bad}");
        }
        assert!(parse_decimal("1.234,5", true).is_err());
        assert!(parse_decimal("1,2,3", true).is_err());
    }

    #[test]
    fn dates_are_strict_and_hints_give_the_strict_form() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_date("2027-03-15"), Ok(d(2027, 3, 15)));
        assert_eq!(parse_date("15.03.2027").unwrap_err(), "write 2027-03-15");
        assert_eq!(parse_date("5/3/2027").unwrap_err(), "write 2027-03-05");
        assert_eq!(parse_date("2027-3-5").unwrap_err(), "write 2027-03-05");
        assert_eq!(parse_date("15.03.27").unwrap_err(), "write 2027-03-15");
        assert_eq!(
            parse_date("2027-03-15 00:00:00").unwrap_err(),
            "write 2027-03-15"
        );
        assert!(parse_date("2027-02-30")
            .unwrap_err()
            .contains("no such day"));
        assert!(parse_date("mars").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("+2027-03-15").is_err());
    }

    #[test]
    fn hints_for_numbers_and_dates_in_bokmal() {
        with_lang(Lang::Nb, || {
            assert_eq!(
                parse_decimal("6x", true).unwrap_err(),
                "skriv et desimaltall som 63,43"
            );
            assert_eq!(
                parse_decimal("1.234,5", true).unwrap_err(),
                "skriv et desimaltall som 63,43, uten tusenskilletegn"
            );
            assert_eq!(
                parse_decimal("63,43", false).unwrap_err(),
                "denne filen skiller verdiene med «,», så bruk punktum som desimaltegn: 63.43"
            );
            assert_eq!(
                parse_date("2027-02-30").unwrap_err(),
                "datoen finnes ikke i kalenderen"
            );
            assert_eq!(parse_date("15.03.2027").unwrap_err(), "skriv 2027-03-15");
            assert_eq!(
                parse_date("mars").unwrap_err(),
                "skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2027-03-15"
            );
        });
    }

    #[test]
    fn hints_for_numbers_and_dates_in_english() {
        with_lang(Lang::En, || {
            assert_eq!(
                parse_decimal("6x", false).unwrap_err(),
                "write a plain number such as 63.43"
            );
            assert_eq!(
                parse_decimal("1,2,3", true).unwrap_err(),
                "write a plain number such as 63,43, without thousands separators"
            );
            assert_eq!(
                parse_date("2027-02-30").unwrap_err(),
                "there is no such day in the calendar"
            );
            assert_eq!(
                parse_date("mars").unwrap_err(),
                "write the date as YYYY-MM-DD, e.g. 2027-03-15"
            );
        });
    }
}
