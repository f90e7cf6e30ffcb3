//! Problems found in user input, each pinned to a file, line and column.
//!
//! Input checking never stops at the first problem: every check runs and
//! pushes into a [`Problems`] list, and the caller refuses to plan when the
//! list is not empty. Each problem has a stable code (for scripts and tests)
//! and a hint (for people).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File name as the user knows it, e.g. `children.csv`.
    pub file: String,
    /// 1-based physical line, when the problem has one.
    pub line: Option<u64>,
    /// 1-based column (CSV field number, or character column in TOML).
    pub column: Option<u64>,
    /// Stable short code, e.g. `invalid_number`.
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(file: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(mut self, line: u64, column: u64) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}: {}", self.code, self.message)?;
        if let Some(hint) = &self.hint {
            let label = crate::tr!("hint", "tips");
            write!(f, " ({label}: {hint})")?;
        }
        Ok(())
    }
}

/// Reads a file the user named. A pipe or a device is refused as
/// unreadable: it would be read until it ends, and with no writer never.
pub fn read_user_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            crate::tr!(
                "not a regular file (a pipe or a device)",
                "ikke en vanlig fil (et rør eller en enhet)"
            ),
        ));
    }
    std::fs::read(path)
}

/// [`read_user_file`] as UTF-8 text (`InvalidData` when it is not).
pub fn read_user_text(path: &std::path::Path) -> std::io::Result<String> {
    String::from_utf8(read_user_file(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// An error reading a file, for people: the operating system's own words in
/// English (as before), a sentence in bokmål for the common cases.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let detail = e.to_string();
    match e.kind() {
        ErrorKind::NotFound => crate::tr!("{detail}", "filen finnes ikke"),
        ErrorKind::PermissionDenied => crate::tr!("{detail}", "ingen tilgang til å lese filen"),
        ErrorKind::InvalidData => crate::tr!("{detail}", "filen er ikke UTF-8-tekst"),
        _ => crate::tr!("{detail}", "filen kan ikke leses: {detail}"),
    }
}

/// Every problem found in one dataset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn codes(&self) -> Vec<&'static str> {
        self.0.iter().map(|p| p.code).collect()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};

    #[test]
    fn problem_prints_file_line_column_code_and_hint() {
        let p = Problem::new(
            "children.csv",
            "invalid_number",
            "lat \"6x\" is not a number",
        )
        .at(4, 6)
        .hint("write 63.43");
        assert_eq!(
            p.to_string(),
            "children.csv:4:6: invalid_number: lat \"6x\" is not a number (hint: write 63.43)"
        );
        let q = Problem::new("offices.csv", "missing_file", "not found");
        assert_eq!(q.to_string(), "offices.csv: missing_file: not found");
    }

    fn sample() -> Problem {
        Problem::new("children.csv", "invalid_number", "lat «6x» er ikke et tall")
            .at(4, 6)
            .hint("skriv et desimaltall som 63.43")
    }

    #[test]
    fn the_hint_is_called_tips_in_bokmal_and_the_shape_stays() {
        let text = with_lang(Lang::Nb, || sample().to_string());
        assert_eq!(
            text,
            "children.csv:4:6: invalid_number: lat «6x» er ikke et tall \
             (tips: skriv et desimaltall som 63.43)"
        );
    }

    #[test]
    fn the_hint_is_called_hint_in_english() {
        let text = with_lang(Lang::En, || sample().to_string());
        assert!(
            text.ends_with("(hint: skriv et desimaltall som 63.43)"),
            "{text}"
        );
        assert!(
            text.starts_with("children.csv:4:6: invalid_number: "),
            "{text}"
        );
    }

    #[test]
    fn file_errors_read_in_either_language() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(with_lang(Lang::Nb, || io_error(&e)), "filen finnes ikke");
        assert_eq!(with_lang(Lang::En, || io_error(&e)), e.to_string());
    }
}
