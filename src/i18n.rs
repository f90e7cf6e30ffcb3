//! The language of what people read: Norwegian bokmål or English.
//!
//! The command line sets it once at start (`--lang nb|en`, or the
//! environment variable `TILSYN_LANG`; bokmål by default), and every text a
//! user reads asks [`current`]: the terminal summary, unmet sentences,
//! calendar text and error messages. The library's own default is English,
//! so library users and unit tests get stable English text unless they set
//! it. Files for other programs (the contract's CSV columns, codes, ISO
//! dates and decimal points in CSV and JSON) never change with the language.
//!
//! Under bokmål, dates read `12.03.2027` and numbers `1 234,50` (a no-break
//! space, U+00A0, between thousands; a decimal comma), money `1 234,50 kr`;
//! under English `2027-03-12`, `1,234.50` and `NOK 1,234.50`.

use chrono::NaiveDate;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Norwegian bokmål.
    Nb,
    En,
}

impl Lang {
    /// `nb` (also `no`, `nob`, `norsk`, `bokmål`) or `en` (also `english`), any case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "nb" | "no" | "nob" | "norsk" | "bokmål" | "bokmal" | "nb-no" | "nb_no" => {
                Some(Lang::Nb)
            }
            "en" | "eng" | "english" | "en-gb" | "en-us" | "en_gb" | "en_us" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(1);

thread_local! {
    /// A language for this thread only ([`with_lang`]), over the run's.
    static OVERRIDE: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Sets the language for the rest of the run.
pub fn set(lang: Lang) {
    CURRENT.store(if lang == Lang::Nb { 0 } else { 1 }, Ordering::Relaxed);
}

/// The language texts are written in now.
pub fn current() -> Lang {
    if let Some(lang) = OVERRIDE.with(|o| o.get()) {
        return lang;
    }
    if CURRENT.load(Ordering::Relaxed) == 0 {
        Lang::Nb
    } else {
        Lang::En
    }
}

/// Runs `f` with texts in `lang` on this thread (tests of both languages
/// run side by side without touching the run's language).
pub fn with_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = OVERRIDE.with(|o| o.replace(Some(lang)));
    let out = f();
    OVERRIDE.with(|o| o.set(before));
    out
}

/// One text in both languages, `format!`-style with captured names only:
/// `tr!("Caseworker {who} is away", "Saksbehandler {who} er borte")`.
#[macro_export]
macro_rules! tr {
    ($en:literal, $nb:literal $(,)?) => {
        match $crate::i18n::current() {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::Nb => format!($nb),
        }
    };
}

/// A date for people: `12.03.2027` (nb) or `2027-03-12` (en).
pub fn date(d: NaiveDate) -> String {
    date_in(current(), d)
}

pub fn date_in(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Nb => d.format("%d.%m.%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A number with `decimals` decimals and grouped thousands.
pub fn number(x: f64, decimals: usize) -> String {
    number_in(current(), x, decimals)
}

pub fn number_in(lang: Lang, x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match lang {
        Lang::Nb => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    // "-0" and "-0.00" read as 0.
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// Money: `1 234,50 kr` (nb) or `NOK 1,234.50` (en), with `decimals` decimals.
pub fn nok(x: f64, decimals: usize) -> String {
    nok_in(current(), x, decimals)
}

pub fn nok_in(lang: Lang, x: f64, decimals: usize) -> String {
    let n = number_in(lang, x, decimals);
    match lang {
        Lang::Nb => format!("{n}\u{a0}kr"),
        Lang::En => format!("NOK {n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_in_each_language() {
        assert_eq!(number_in(Lang::Nb, 1234.5, 2), "1\u{a0}234,50");
        assert_eq!(number_in(Lang::En, 1234.5, 2), "1,234.50");
        assert_eq!(number_in(Lang::Nb, 432536.0, 0), "432\u{a0}536");
        assert_eq!(number_in(Lang::En, 1234567.891, 1), "1,234,567.9");
        assert_eq!(number_in(Lang::Nb, 999.0, 0), "999");
        assert_eq!(number_in(Lang::Nb, -1500.25, 2), "-1\u{a0}500,25");
        assert_eq!(number_in(Lang::En, -0.001, 2), "0.00");
        assert_eq!(number_in(Lang::En, 0.0, 0), "0");
    }

    #[test]
    fn money_and_dates_read_as_each_language_writes_them() {
        assert_eq!(nok_in(Lang::Nb, 1234.5, 2), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(nok_in(Lang::En, 1234.5, 2), "NOK 1,234.50");
        let d = NaiveDate::from_ymd_opt(2027, 3, 12).unwrap();
        assert_eq!(date_in(Lang::Nb, d), "12.03.2027");
        assert_eq!(date_in(Lang::En, d), "2027-03-12");
    }

    #[test]
    fn a_thread_can_write_in_the_other_language() {
        let who = "S01";
        let nb = with_lang(Lang::Nb, || crate::tr!("away {who}", "borte {who}"));
        let en = with_lang(Lang::En, || crate::tr!("away {who}", "borte {who}"));
        assert_eq!((nb.as_str(), en.as_str()), ("borte S01", "away S01"));
        let d = NaiveDate::from_ymd_opt(2027, 3, 12).unwrap();
        assert_eq!(with_lang(Lang::Nb, || date(d)), "12.03.2027");
    }

    #[test]
    fn language_names_parse() {
        assert_eq!(Lang::parse("NB"), Some(Lang::Nb));
        assert_eq!(Lang::parse("bokmål"), Some(Lang::Nb));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
