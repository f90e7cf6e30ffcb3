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
//! The written forms of dates, numbers and money are [`crate::lang`]'s;
//! the functions here use them in the current language.

use chrono::NaiveDate;
use std::sync::atomic::{AtomicU8, Ordering};

pub use crate::lang::Lang;

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
    current().date(d)
}

/// A number with `decimals` decimals and grouped thousands.
pub fn number(x: f64, decimals: usize) -> String {
    current().number(x, decimals)
}

/// Money: `1 234,50 kr` (nb) or `NOK 1,234.50` (en), with `decimals` decimals.
pub fn nok(x: f64, decimals: usize) -> String {
    current().money(x, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_can_write_in_the_other_language() {
        let who = "S01";
        let nb = with_lang(Lang::Nb, || crate::tr!("away {who}", "borte {who}"));
        let en = with_lang(Lang::En, || crate::tr!("away {who}", "borte {who}"));
        assert_eq!((nb.as_str(), en.as_str()), ("borte S01", "away S01"));
        let d = NaiveDate::from_ymd_opt(2027, 3, 12).unwrap();
        assert_eq!(with_lang(Lang::Nb, || date(d)), "12.03.2027");
        assert_eq!(with_lang(Lang::En, || nok(1234.5, 2)), "NOK 1,234.50");
        assert_eq!(with_lang(Lang::Nb, || number(432536.0, 0)), "432\u{a0}536");
    }
}
