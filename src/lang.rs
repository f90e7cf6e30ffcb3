//! The language a user reads, and how numbers, money and dates are written
//! in it: Norwegian bokmål (`nb`, the default: the department is Norwegian)
//! or English (`en`).
//!
//! Written forms, so every writer (the HTML report now; the terminal summary
//! and calendar text later) says the same thing the same way:
//!
//! | what | `nb` | `en` |
//! | --- | --- | --- |
//! | date | `12.03.2027` | `2027-03-12` |
//! | date and time | `12.03.2027 08:30` | `2027-03-12 08:30` |
//! | number | `1 234,50` | `1,234.50` |
//! | money | `1 234,50 kr` | `NOK 1,234.50` |
//! | percent | `12,5 %` | `12.5%` |
//!
//! Under `nb` the thousands separator is U+00A0 NO-BREAK SPACE (Språkrådet
//! writes a space; a no-break one keeps `1 234` on one line, and unlike the
//! narrow U+202F it is in every font and terminal), the decimal sign a
//! comma. Digits are plain ASCII in both languages, and a negative number
//! starts with an ASCII `-`.
//!
//! Words are not kept here: each writer keeps a small table of its strings
//! per language (see `report::text`), so no `if lang == ...` is scattered
//! through the code.

use chrono::{NaiveDate, NaiveDateTime};
use std::fmt;
use std::str::FromStr;

/// The no-break space that groups thousands under `nb`.
pub const NB_THOUSANDS: char = '\u{a0}';

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and file names: `nb` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::Nb => (NB_THOUSANDS, ','),
            Lang::En => (',', '.'),
        }
    }

    /// `x` with `decimals` decimals (half away from zero) and grouped
    /// thousands; `-` for a value that is not a number. A value that rounds
    /// to zero has no sign.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "-".to_string();
        }
        let (thousands, point) = self.separators();
        // Half away from zero, as money is rounded (`Ore::from_nok`), not
        // the half-to-even of `format!`.
        let scale = 10f64.powi(decimals.min(12) as i32);
        let fixed = format!("{:.*}", decimals, (x.abs() * scale).round() / scale);
        let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
        let mut out = String::with_capacity(fixed.len() + whole.len() / 3 + 1);
        let zero = fixed.bytes().all(|b| b == b'0' || b == b'.');
        if x < 0.0 && !zero {
            out.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(thousands);
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push(point);
            out.push_str(fraction);
        }
        out
    }

    /// A whole number with grouped thousands.
    pub fn integer(self, n: i64) -> String {
        self.number(n as f64, 0)
    }

    /// An amount in Norwegian kroner: `1 234,50 kr` or `NOK 1,234.50`.
    pub fn money(self, nok: f64, decimals: usize) -> String {
        let n = self.number(nok, decimals);
        match self {
            Lang::Nb => format!("{n}{NB_THOUSANDS}kr"),
            Lang::En => format!("NOK {n}"),
        }
    }

    /// A share in percent: `12,5 %` or `12.5%`.
    pub fn percent(self, x: f64, decimals: usize) -> String {
        let n = self.number(x, decimals);
        match self {
            Lang::Nb => format!("{n}{NB_THOUSANDS}%"),
            Lang::En => format!("{n}%"),
        }
    }

    /// `12.03.2027` or `2027-03-12`.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::Nb => d.format("%d.%m.%Y").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// `12.03.2027 08:30` or `2027-03-12 08:30` (local wall time).
    pub fn date_time(self, t: NaiveDateTime) -> String {
        format!("{} {}", self.date(t.date()), t.format("%H:%M"))
    }

    /// A day without its year, for tables within one plan: `12.03.` or `03-12`.
    pub fn day_month(self, d: NaiveDate) -> String {
        match self {
            Lang::Nb => d.format("%d.%m.").to_string(),
            Lang::En => d.format("%m-%d").to_string(),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language code that is not `nb`, `no`, `nob`, `en` or `eng`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a language tilsyn writes (hint: write nb for Norwegian bokmål or en for English)",
            self.0
        )
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// `nb`, `no`, `nob` (bokmål) or `en`, `eng`, any case; `nb-NO` and
    /// `en_GB` style tags are read by their language part.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let language = t.split(['-', '_']).next().unwrap_or("");
        match language {
            "nb" | "no" | "nob" => Ok(Lang::Nb),
            "en" | "eng" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NBSP: &str = "\u{a0}";

    fn nb(s: &str) -> String {
        s.replace(' ', NBSP)
    }

    #[test]
    fn languages_parse_from_their_codes() {
        for code in ["nb", "NO", "nob", " nb-NO "] {
            assert_eq!(code.parse::<Lang>(), Ok(Lang::Nb), "{code}");
        }
        for code in ["en", "EN", "eng", "en_GB"] {
            assert_eq!(code.parse::<Lang>(), Ok(Lang::En), "{code}");
        }
        let err = "nn".parse::<Lang>().unwrap_err();
        assert!(err.to_string().contains("\"nn\""), "{err}");
        assert!("".parse::<Lang>().is_err());
        assert_eq!(Lang::default(), Lang::Nb);
        assert_eq!(Lang::En.to_string(), "en");
    }

    #[test]
    fn numbers_group_thousands_in_each_languages_style() {
        assert_eq!(Lang::Nb.number(1234.5, 2), nb("1 234,50"));
        assert_eq!(Lang::En.number(1234.5, 2), "1,234.50");
        assert_eq!(Lang::Nb.number(1234567.0, 0), nb("1 234 567"));
        assert_eq!(Lang::En.number(1234567.0, 0), "1,234,567");
        assert_eq!(Lang::Nb.number(999.0, 0), "999");
        assert_eq!(Lang::Nb.number(100000.0, 1), nb("100 000,0"));
        assert_eq!(Lang::En.number(0.125, 2), "0.13");
        assert_eq!(Lang::Nb.number(-4321.0, 0), nb("-4 321"));
        assert_eq!(Lang::En.number(-0.001, 1), "0.0", "no sign on zero");
        assert_eq!(Lang::Nb.number(f64::NAN, 1), "-");
        assert_eq!(Lang::Nb.integer(12_345), nb("12 345"));
        // Plain ASCII digits, one no-break space, nothing else.
        assert!(Lang::Nb
            .number(9_876_543.21, 2)
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '\u{a0}'));
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(Lang::Nb.money(1234.5, 2), nb("1 234,50 kr"));
        assert_eq!(Lang::En.money(1234.5, 2), "NOK 1,234.50");
        assert_eq!(Lang::Nb.money(250000.0, 0), nb("250 000 kr"));
        assert_eq!(Lang::En.money(-20.0, 0), "NOK -20");
        assert_eq!(Lang::Nb.percent(12.5, 1), nb("12,5 %"));
        assert_eq!(Lang::En.percent(12.5, 1), "12.5%");
    }

    #[test]
    fn dates_in_each_languages_style() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 12).unwrap();
        assert_eq!(Lang::Nb.date(d), "12.03.2027");
        assert_eq!(Lang::En.date(d), "2027-03-12");
        let t = d.and_hms_opt(8, 30, 0).unwrap();
        assert_eq!(Lang::Nb.date_time(t), "12.03.2027 08:30");
        assert_eq!(Lang::En.date_time(t), "2027-03-12 08:30");
        assert_eq!(Lang::Nb.day_month(d), "12.03.");
        assert_eq!(Lang::En.day_month(d), "03-12");
    }
}
