//! Reads follow-up visits and follow-up frequencies from the national
//! child-welfare register's XML extract, in the shape of `Barnevern_v4.xsd`
//! (Statistics Norway, version 4.0.1).
//!
//! What is read, and nothing else:
//!
//! - `/Barnevern/Sak/@Journalnummer`: the municipality's case number, used as
//!   the child's id. The schema requires it on every `Sak`.
//! - `/Barnevern/Sak/Tiltak/Oppfolging/Hyppighet/@Kode` (`4` = four a year,
//!   standard; `2` = two a year, reduced) and `.../Hyppighet/@StartDato`.
//!   A `Hyppighet` has no end date in the schema: it is in force until the
//!   next `Hyppighet` of the same measure starts, or until the measure ends
//!   (`/Barnevern/Sak/Tiltak/Konklusjon/@SluttDato`).
//! - `/Barnevern/Sak/Tiltak/Oppfolging/Utfort/@UtfortDato`: a follow-up visit
//!   carried out by the responsible department.
//! - `ErSlettet` on `Sak` and `Tiltak`, and `Sak/Slettet` with
//!   `Type="Tiltak"`: deleted cases and measures are skipped.
//!
//! `Tilsyn` (supervision by an independent party), plans, decisions and
//! everything else in the extract are ignored, and so is any element or
//! attribute this reader does not know. `Personalia` (national identity
//! number, birth date) is never read, and no message quotes a value from the
//! file other than a short frequency code.
//!
//! The schema has no target namespace, so the register's elements carry none.
//! A file whose root declares a default namespace is read all the same: the
//! reader takes the root's namespace, whatever it is, as the register's, and
//! ignores elements of other namespaces as foreign extensions.
//!
//! The schema allows exactly one `Sak` per file (one child's case); this
//! reader also accepts several, so a department can gather its cases in one
//! file.

use crate::diagnostics::Problem;
use crate::tr;
use chrono::NaiveDate;
use roxmltree::{Document, Node};

/// A follow-up visit carried out, as the register holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterVisit {
    /// The case's `Journalnummer`.
    pub child_id: String,
    /// `Utfort/@UtfortDato`.
    pub date: NaiveDate,
    /// 1-based line of the `Utfort` element.
    pub line: u64,
}

/// A follow-up frequency in force from a date (4 or 2 a year).
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterFrequency {
    /// The case's `Journalnummer`.
    pub child_id: String,
    /// `Hyppighet/@StartDato`.
    pub from: NaiveDate,
    /// Last day in force, inclusive: the day before the measure's next
    /// `Hyppighet` starts, or the measure's `Konklusjon/@SluttDato`, whichever
    /// comes first. `None` while still in force.
    pub to: Option<NaiveDate>,
    /// `Hyppighet/@Kode`: 4 or 2.
    pub per_year: u8,
    /// 1-based line of the `Hyppighet` element.
    pub line: u64,
}

/// Everything read from one register file. Visits are in file order;
/// frequencies are grouped by measure in file order, each measure's by start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    pub visits: Vec<RegisterVisit>,
    pub frequencies: Vec<RegisterFrequency>,
}

fn frequency_hint() -> String {
    tr!(
        "Kode=\"4\" is four follow-up visits a year (standard), \
         Kode=\"2\" two a year (reduced)",
        "Kode=\"4\" er fire oppfølgingsbesøk i året (standard), \
         Kode=\"2\" to i året (redusert)"
    )
}

fn date_hint() -> String {
    tr!(
        "write the date as YYYY-MM-DD, e.g. 2027-03-15",
        "skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2027-03-15"
    )
}

/// Reads a register extract. `display` is the file name as the user knows
/// it, for the problems. Returns every problem found, each with line and
/// column, or the visits and frequencies when there are none.
pub fn read_register(text: &str, display: &str) -> Result<Register, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => return Err(vec![not_xml(display, &e, &lines)]),
    };
    let root = doc.root_element();
    let mut reader = Reader {
        display,
        lines,
        namespace: root.tag_name().namespace().map(str::to_string),
        problems: Vec::new(),
        register: Register::default(),
    };
    reader.read_root(root);
    if reader.problems.is_empty() {
        Ok(reader.register)
    } else {
        Err(reader.problems)
    }
}

struct Reader<'a> {
    display: &'a str,
    lines: LineIndex<'a>,
    /// The root element's namespace, taken as the register's.
    namespace: Option<String>,
    problems: Vec<Problem>,
    register: Register,
}

/// A `Hyppighet` read without problems.
struct Frequency {
    from: NaiveDate,
    per_year: u8,
    line: u64,
    /// Byte offset of the element, for problems.
    at: usize,
}

/// A measure's `Konklusjon/@SluttDato` and where it stands.
struct MeasureEnd {
    date: NaiveDate,
    at: usize,
}

impl Reader<'_> {
    fn read_root(&mut self, root: Node) {
        if root.tag_name().name() != "Barnevern" {
            let name = root.tag_name().name();
            let message = tr!(
                "the root element is <{name}>, not <Barnevern>",
                "rotelementet er <{name}>, ikke <Barnevern>"
            );
            let hint = tr!(
                "this reader takes the child-welfare register's XML extract \
                 (Barnevern_v4.xsd), whose root element is <Barnevern>",
                "her leses barnevernsregisterets XML-uttrekk \
                 (Barnevern_v4.xsd), der rotelementet er <Barnevern>"
            );
            self.report(root.range().start, "wrong_root", message, &hint);
            return;
        }
        let cases: Vec<Node> = self.children(root, "Sak").collect();
        if cases.is_empty() {
            let message = tr!(
                "<Barnevern> holds no <Sak>",
                "<Barnevern> inneholder ingen <Sak>"
            );
            let hint = tr!(
                "a register extract holds a <Sak> (one child's case) under <Barnevern>",
                "et registeruttrekk har en <Sak> (ett barns sak) under <Barnevern>"
            );
            self.report(root.range().start, "no_case", message, &hint);
        }
        for sak in cases {
            self.read_case(sak);
        }
    }

    fn read_case(&mut self, sak: Node) {
        if is_deleted(sak) {
            return;
        }
        let child_id = self.case_id(sak);
        let deleted: Vec<&str> = self
            .children(sak, "Slettet")
            .filter(|s| s.attribute("Type").map(str::trim) == Some("Tiltak"))
            .filter_map(|s| s.attribute("Id").map(str::trim))
            .collect();
        for tiltak in self.children(sak, "Tiltak").collect::<Vec<_>>() {
            let listed = tiltak
                .attribute("Id")
                .is_some_and(|id| deleted.contains(&id.trim()));
            if !is_deleted(tiltak) && !listed {
                self.read_measure(tiltak, child_id.as_deref());
            }
        }
    }

    /// `Sak/@Journalnummer`, or `None` after reporting why it cannot be used.
    fn case_id(&mut self, sak: Node) -> Option<String> {
        let hint = tr!(
            "every <Sak> needs Journalnummer, the municipality's case number, \
             which this reader uses as the child's id",
            "hver <Sak> må ha Journalnummer, kommunens saksnummer, \
             som brukes som barnets id"
        );
        let Some(attr) = sak.attribute_node("Journalnummer") else {
            let message = tr!("<Sak> has no Journalnummer", "<Sak> mangler Journalnummer");
            self.report(sak.range().start, "missing_case_id", message, &hint);
            return None;
        };
        let id = attr.value().trim();
        if id.is_empty() {
            let message = tr!(
                "<Sak> has an empty Journalnummer",
                "<Sak> har et tomt Journalnummer"
            );
            self.report(attr.range().start, "missing_case_id", message, &hint);
            return None;
        }
        if id.len() == 11 && id.bytes().all(|b| b.is_ascii_digit()) {
            let message = tr!(
                "Journalnummer has 11 digits, the shape of a national identity \
                 number; it is not kept",
                "Journalnummer har 11 sifre, samme form som et fødselsnummer; \
                 det blir ikke lest inn"
            );
            let hint = tr!(
                "use the case number from the case system, never a fødselsnummer \
                 or D-number",
                "bruk saksnummeret fra fagsystemet, aldri et fødselsnummer \
                 eller D-nummer"
            );
            self.report(
                attr.range().start,
                "case_id_like_national_id",
                message,
                &hint,
            );
            return None;
        }
        Some(id.to_string())
    }

    /// One `Tiltak`: its follow-up frequencies and visits, if it has any.
    fn read_measure(&mut self, tiltak: Node, child_id: Option<&str>) {
        let follow_ups: Vec<Node> = self.children(tiltak, "Oppfolging").collect();
        if follow_ups.is_empty() {
            return;
        }
        let end = self.measure_end(tiltak);
        let mut frequencies = Vec::new();
        for oppfolging in follow_ups {
            for hyppighet in self.children(oppfolging, "Hyppighet").collect::<Vec<_>>() {
                let per_year = self.frequency_code(hyppighet);
                let from = self.date(hyppighet, "StartDato");
                if let (Some(per_year), Some(from)) = (per_year, from) {
                    frequencies.push(Frequency {
                        from,
                        per_year,
                        line: self.line_of(hyppighet),
                        at: hyppighet.range().start,
                    });
                }
            }
            for utfort in self.children(oppfolging, "Utfort").collect::<Vec<_>>() {
                let date = self.date(utfort, "UtfortDato");
                if let (Some(date), Some(child_id)) = (date, child_id) {
                    let line = self.line_of(utfort);
                    self.register.visits.push(RegisterVisit {
                        child_id: child_id.to_string(),
                        date,
                        line,
                    });
                }
            }
        }
        self.push_frequencies(frequencies, end, child_id);
    }

    /// Orders a measure's frequencies by start, closes each at the next
    /// one's start or the measure's end, and reports clashes.
    fn push_frequencies(
        &mut self,
        mut frequencies: Vec<Frequency>,
        end: Option<MeasureEnd>,
        child_id: Option<&str>,
    ) {
        frequencies.sort_by_key(|f| (f.from, f.at));
        for pair in frequencies.windows(2) {
            if let [a, b] = pair {
                if a.from == b.from {
                    let line = a.line;
                    let message = tr!(
                        "this Hyppighet starts on the same day as the one on line {line} \
                         in the same measure",
                        "denne Hyppighet starter samme dag som den på linje {line} \
                         i samme tiltak"
                    );
                    let hint = tr!(
                        "a measure's Hyppighet elements each start on their own day; \
                         remove the duplicate",
                        "Hyppighet-elementene i et tiltak må starte på hver sin dag; \
                         fjern duplikatet"
                    );
                    self.report(b.at, "duplicate_frequency_start", message, &hint);
                }
            }
        }
        if let Some(end) = &end {
            for f in frequencies.iter().filter(|f| f.from > end.date) {
                let line = f.line;
                let message = tr!(
                    "the measure ends (Konklusjon SluttDato) before the Hyppighet on line {line} starts",
                    "tiltaket slutter (Konklusjon SluttDato) før Hyppighet på linje {line} starter"
                );
                let hint = tr!(
                    "a measure ends (Konklusjon SluttDato) on or after the day each of its \
                     Hyppighet starts; check both dates",
                    "et tiltak kan ikke slutte (Konklusjon SluttDato) før noen av dets \
                     Hyppighet starter; sjekk begge datoene"
                );
                self.report(end.at, "end_before_start", message, &hint);
            }
        }
        let Some(child_id) = child_id else {
            return;
        };
        let mut out = Vec::with_capacity(frequencies.len());
        let mut later_start: Option<NaiveDate> = None;
        let mut previous: Option<NaiveDate> = None;
        for f in frequencies.iter().rev() {
            if let Some(p) = previous.filter(|p| *p > f.from) {
                later_start = Some(p);
            }
            previous = Some(f.from);
            let until_next = later_start.and_then(|d| d.pred_opt());
            let to = match (until_next, end.as_ref().map(|e| e.date)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            out.push(RegisterFrequency {
                child_id: child_id.to_string(),
                from: f.from,
                to,
                per_year: f.per_year,
                line: f.line,
            });
        }
        out.reverse();
        self.register.frequencies.extend(out);
    }

    /// `Tiltak/Konklusjon/@SluttDato`, when the measure has ended.
    fn measure_end(&mut self, tiltak: Node) -> Option<MeasureEnd> {
        let konklusjon = self.children(tiltak, "Konklusjon").next()?;
        let date = self.date(konklusjon, "SluttDato")?;
        let at = konklusjon
            .attribute_node("SluttDato")
            .map_or(konklusjon.range().start, |a| a.range().start);
        Some(MeasureEnd { date, at })
    }

    /// `Hyppighet/@Kode` as visits a year.
    fn frequency_code(&mut self, hyppighet: Node) -> Option<u8> {
        let Some(attr) = hyppighet.attribute_node("Kode") else {
            let message = tr!("<Hyppighet> has no Kode", "<Hyppighet> mangler Kode");
            self.report(
                hyppighet.range().start,
                "invalid_frequency",
                message,
                &frequency_hint(),
            );
            return None;
        };
        match attr.value().trim() {
            "4" => Some(4),
            "2" => Some(2),
            other => {
                // A short code is safe to quote; a long value might be anything.
                let shown = if other.chars().count() <= 3 {
                    tr!(" \"{other}\"", " «{other}»")
                } else {
                    String::new()
                };
                let message = tr!(
                    "Hyppighet Kode{shown} is neither 4 nor 2",
                    "Hyppighet Kode{shown} er verken 4 eller 2"
                );
                self.report(
                    attr.range().start,
                    "invalid_frequency",
                    message,
                    &frequency_hint(),
                );
                None
            }
        }
    }

    /// A required `YYYY-MM-DD` date attribute; `None` after reporting.
    fn date(&mut self, node: Node, name: &str) -> Option<NaiveDate> {
        let element = node.tag_name().name();
        let Some(attr) = node.attribute_node(name) else {
            let message = tr!("<{element}> has no {name}", "<{element}> mangler {name}");
            let hint = tr!(
                "add {name}=\"YYYY-MM-DD\"",
                "legg til {name}=\"ÅÅÅÅ-MM-DD\""
            );
            self.report(node.range().start, "missing_date", message, &hint);
            return None;
        };
        if attr.value().trim().is_empty() {
            let message = tr!(
                "{name} on <{element}> is empty",
                "{name} på <{element}> er tom"
            );
            self.report(attr.range().start, "missing_date", message, &date_hint());
            return None;
        }
        match parse_date(attr.value()) {
            Ok(date) => Some(date),
            Err(hint) => {
                // The value is not quoted: the file is personal data.
                let message = tr!(
                    "{name} on <{element}> is not a date (YYYY-MM-DD)",
                    "{name} på <{element}> er ikke en dato (ÅÅÅÅ-MM-DD)"
                );
                self.report(attr.range().start, "invalid_date", message, &hint);
                None
            }
        }
    }

    /// Child elements called `name` in the register's namespace.
    fn children<'n, 'i: 'n>(
        &self,
        node: Node<'n, 'i>,
        name: &'static str,
    ) -> impl Iterator<Item = Node<'n, 'i>> + 'n {
        let namespace = self.namespace.clone();
        node.children().filter(move |n| {
            n.is_element()
                && n.tag_name().name() == name
                && n.tag_name().namespace() == namespace.as_deref()
        })
    }

    fn line_of(&self, node: Node) -> u64 {
        self.lines.position(node.range().start).0
    }

    fn report(&mut self, at: usize, code: &'static str, message: String, hint: &str) {
        let (line, column) = self.lines.position(at);
        let problem = Problem::new(self.display, code, message)
            .at(line, column)
            .hint(hint);
        self.problems.push(problem);
    }
}

/// `ErSlettet="true"` (or `1`): the case system has deleted the record.
fn is_deleted(node: Node) -> bool {
    node.attribute("ErSlettet")
        .map(str::trim)
        .is_some_and(|v| v == "true" || v == "1")
}

/// A strict `YYYY-MM-DD` date (surrounding blanks allowed, as `xs:date`
/// collapses them). The error is a hint that quotes nothing from the value.
fn parse_date(value: &str) -> Result<NaiveDate, String> {
    let value = value.trim();
    let b = value.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shaped {
        return Err(date_hint());
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        tr!(
            "there is no such day in the calendar",
            "datoen finnes ikke i kalenderen"
        )
    })
}

/// The parser's complaint as a problem at the parser's position. Messages
/// name markup (tags, attributes) but never quote text from the file.
fn not_xml(display: &str, e: &roxmltree::Error, lines: &LineIndex) -> Problem {
    use roxmltree::Error as E;
    let at_end = matches!(
        e,
        E::NoRootNode | E::UnclosedRootNode | E::UnexpectedEndOfStream
    );
    let (line, column) = if at_end {
        lines.position(usize::MAX)
    } else {
        let pos = e.pos();
        (u64::from(pos.row), u64::from(pos.col))
    };
    let what = match e {
        E::NoRootNode => tr!("there is no root element", "det finnes ikke noe rotelement"),
        E::UnclosedRootNode | E::UnexpectedEndOfStream => tr!(
            "the file ends before the root element is closed",
            "filen slutter før rotelementet er lukket"
        ),
        E::UnknownEntityReference(..) | E::MalformedEntityReference(_) => tr!(
            "an `&` that starts no known entity",
            "en `&` som ikke innleder noen kjent entitet"
        ),
        E::NonXmlChar(..) => tr!(
            "a character that XML does not allow",
            "et tegn som XML ikke tillater"
        ),
        E::DtdDetected => tr!(
            "a DTD (<!DOCTYPE ...>), which the register does not use",
            "en DTD (<!DOCTYPE ...>), som registeret ikke bruker"
        ),
        E::EntityResolver(..) => tr!("an external entity", "en ekstern entitet"),
        other => match crate::i18n::current() {
            crate::i18n::Lang::En => other
                .to_string()
                .replace(&format!(" at {}", other.pos()), ""),
            crate::i18n::Lang::Nb => parser_detail_nb(other),
        },
    };
    let hint = match e {
        E::UnknownEntityReference(..) | E::MalformedEntityReference(_) => {
            tr!("write a literal & as &amp;", "skriv tegnet & som &amp;")
        }
        E::UnclosedRootNode | E::UnexpectedEndOfStream => tr!(
            "the file may be cut short; export it again from the case system",
            "filen kan være avkuttet; eksporter den på nytt fra fagsystemet"
        ),
        _ => tr!(
            "the file must be the register's XML extract (Barnevern_v4.xsd)",
            "filen må være registerets XML-uttrekk (Barnevern_v4.xsd)"
        ),
    };
    let message = tr!("not well-formed XML: {what}", "ugyldig XML: {what}");
    Problem::new(display, "not_xml", message)
        .at(line, column)
        .hint(hint)
}

/// The XML parser's other complaints in bokmål (its own text is English).
/// Names and characters are quoted as the parser quotes them.
fn parser_detail_nb(e: &roxmltree::Error) -> String {
    use roxmltree::Error as E;
    match e {
        E::InvalidXmlPrefixUri(_) => "prefikset «xml» er knyttet til feil URI".to_string(),
        E::UnexpectedXmlUri(_) => {
            "URI-en til navnerommet «xml» er brukt med et annet prefiks".to_string()
        }
        E::UnexpectedXmlnsUri(_) => "URI-en til «xmlns» kan ikke deklareres".to_string(),
        E::InvalidElementNamePrefix(_) => {
            "prefikset «xmlns» kan ikke brukes på et element".to_string()
        }
        E::DuplicatedNamespace(name, _) => format!("navnerommet «{name}» er allerede definert"),
        E::UnknownNamespace(name, _) => format!("ukjent navneromsprefiks «{name}»"),
        E::UnexpectedCloseTag(expected, actual, _) => {
            format!("forventet sluttaggen </{expected}>, ikke </{actual}>")
        }
        E::UnexpectedEntityCloseTag(_) => "uventet sluttagg".to_string(),
        E::EntityReferenceLoop(_) => "mulig sløyfe i entitetsreferanser".to_string(),
        E::InvalidAttributeValue(_) => "et «<» i en attributtverdi".to_string(),
        E::DuplicatedAttribute(name, _) => format!("attributtet «{name}» står to ganger"),
        E::UnexpectedDeclaration(_) => "en XML-deklarasjon på feil sted".to_string(),
        E::NodesLimitReached => "for mange noder".to_string(),
        E::AttributesLimitReached => "for mange attributter".to_string(),
        E::NamespacesLimitReached => "for mange navnerom".to_string(),
        E::InvalidName(_) => "et ugyldig navn".to_string(),
        E::InvalidChar(expected, actual, _) => {
            let (expected, actual) = (*expected as char, *actual as char);
            format!("forventet «{expected}», ikke «{actual}»")
        }
        E::InvalidChar2(expected, actual, _) => {
            let actual = *actual as char;
            format!("forventet {expected}, ikke «{actual}»")
        }
        E::InvalidString(expected, _) => format!("forventet «{expected}»"),
        E::InvalidExternalID(_) => "ugyldig ExternalID".to_string(),
        E::InvalidComment(_) => "en kommentar som inneholder «--»".to_string(),
        E::InvalidCharacterData(_) => "«]]>» i tegndata".to_string(),
        E::UnknownToken(_) => "ukjent innhold".to_string(),
        other => other
            .to_string()
            .replace(&format!(" at {}", other.pos()), ""),
    }
}

/// Byte offsets to 1-based line and character column.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// Line and column of a byte offset (clamped to the end of the text).
    fn position(&self, at: usize) -> (u64, u64) {
        let at = at.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= at).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..at)
            .map_or(at.saturating_sub(start), |s| s.chars().count());
        (line as u64, column as u64 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_lang, Lang};
    use proptest::prelude::*;

    const VALID: &str = include_str!("../../tests/fixtures/register/valid.xml");

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn visit(child: &str, date: NaiveDate, line: u64) -> RegisterVisit {
        RegisterVisit {
            child_id: child.to_string(),
            date,
            line,
        }
    }

    fn frequency(
        child: &str,
        from: NaiveDate,
        to: Option<NaiveDate>,
        per_year: u8,
        line: u64,
    ) -> RegisterFrequency {
        RegisterFrequency {
            child_id: child.to_string(),
            from,
            to,
            per_year,
            line,
        }
    }

    fn expected_valid() -> Register {
        Register {
            visits: vec![
                visit("TEST-0001", d(2027, 1, 20), 24),
                visit("TEST-0001", d(2027, 4, 14), 25),
                visit("TEST-0001", d(2027, 8, 25), 26),
                visit("TEST-0001", d(2027, 11, 3), 27),
                visit("TEST-0002", d(2027, 2, 10), 54),
                visit("TEST-0002", d(2027, 5, 20), 55),
                visit("TEST-0002", d(2027, 9, 14), 56),
            ],
            frequencies: vec![
                frequency("TEST-0001", d(2026, 8, 15), None, 4, 23),
                frequency("TEST-0002", d(2026, 1, 10), Some(d(2027, 6, 30)), 4, 52),
                frequency("TEST-0002", d(2027, 7, 1), None, 2, 53),
                frequency("TEST-0003", d(2027, 3, 1), Some(d(2027, 12, 31)), 4, 69),
            ],
        }
    }

    fn read_fixture(name: &str) -> Result<Register, Vec<Problem>> {
        let path = format!(
            "{}/tests/fixtures/register/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        read_register(&text, name)
    }

    /// Code and line of each problem.
    fn codes(problems: &[Problem]) -> Vec<(&'static str, u64)> {
        problems
            .iter()
            .map(|p| (p.code, p.line.unwrap_or(0)))
            .collect()
    }

    #[test]
    fn valid_fixture_gives_exactly_the_expected_visits_and_frequencies() {
        let register = read_fixture("valid.xml").unwrap();
        assert_eq!(register, expected_valid());
    }

    #[test]
    fn each_invalid_fixture_gives_its_code_at_its_line() {
        let cases = [
            ("not_xml.xml", "not_xml", 6),
            ("wrong_root.xml", "wrong_root", 2),
            ("bad_frequency.xml", "invalid_frequency", 14),
            ("bad_date.xml", "invalid_date", 15),
            ("missing_visit_date.xml", "missing_date", 15),
            ("missing_case_id.xml", "missing_case_id", 5),
            ("end_before_start.xml", "end_before_start", 17),
        ];
        for (file, code, line) in cases {
            let problems = read_fixture(file).unwrap_err();
            assert_eq!(codes(&problems), vec![(code, line)], "{file}: {problems:?}");
            let p = &problems[0];
            assert_eq!(p.file, file);
            assert!(p.column.is_some_and(|c| c >= 1), "{file}: {p}");
            assert!(p.hint.is_some(), "{file}: {p}");
        }
    }

    #[test]
    fn problems_point_at_the_attribute() {
        let problems = read_fixture("bad_frequency.xml").unwrap_err();
        // `Kode="3"` on line 14 starts in column 93.
        assert_eq!(
            problems[0].to_string(),
            "bad_frequency.xml:14:93: invalid_frequency: Hyppighet Kode \"3\" is neither 4 nor 2 \
             (hint: Kode=\"4\" is four follow-up visits a year (standard), Kode=\"2\" two a year (reduced))"
        );
        let problems = read_fixture("not_xml.xml").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "not_xml.xml:6:5: not_xml: not well-formed XML: expected 'Sak' tag, not 'Sakk' \
             (hint: the file must be the register's XML extract (Barnevern_v4.xsd))"
        );
    }

    #[test]
    fn a_file_with_two_problems_reports_both() {
        let problems = read_fixture("two_problems.xml").unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![("invalid_frequency", 14), ("invalid_date", 15)]
        );
        assert_eq!(
            problems[1].hint.as_deref(),
            Some("there is no such day in the calendar")
        );
    }

    #[test]
    fn the_register_namespace_is_whatever_the_root_uses() {
        let with_default = VALID.replacen(
            "<Barnevern ",
            "<Barnevern xmlns=\"urn:example:barnevern\" ",
            1,
        );
        assert_eq!(read_register(&with_default, "ns.xml"), Ok(expected_valid()));
        let prefixed = VALID
            .replace(
                "<Barnevern ",
                "<bv:Barnevern xmlns:bv=\"urn:example:barnevern\" ",
            )
            .replace("</Barnevern>", "</bv:Barnevern>");
        let prefixed = [
            "Sak",
            "Tiltak",
            "Oppfolging",
            "Hyppighet",
            "Utfort",
            "Konklusjon",
        ]
        .iter()
        .fold(prefixed, |text, name| {
            text.replace(&format!("<{name} "), &format!("<bv:{name} "))
                .replace(&format!("<{name}>"), &format!("<bv:{name}>"))
                .replace(&format!("</{name}>"), &format!("</bv:{name}>"))
        });
        assert_eq!(read_register(&prefixed, "bv.xml"), Ok(expected_valid()));
        // In the prefixed file the unprefixed elements left (Plan, Lovhjemmel,
        // ...) are in no namespace: foreign to the register, and ignored.
        // An element of another namespace is ignored too, even one named Sak.
        let foreign = VALID.replacen(
            "    <Sak ",
            "    <x:Sak xmlns:x=\"urn:other\" Journalnummer=\"\"/>\n    <Sak ",
            1,
        );
        let mut shifted = expected_valid();
        shifted.visits.iter_mut().for_each(|v| v.line += 1);
        shifted.frequencies.iter_mut().for_each(|f| f.line += 1);
        assert_eq!(read_register(&foreign, "x.xml"), Ok(shifted));
    }

    #[test]
    fn deleted_cases_and_measures_are_skipped() {
        // valid.xml already has a Tiltak with ErSlettet="true" and a visit.
        let deleted_case = VALID.replacen(
            "Journalnummer=\"TEST-0002\"",
            "Journalnummer=\"TEST-0002\" ErSlettet=\"true\"",
            1,
        );
        let register = read_register(&deleted_case, "del.xml").unwrap();
        assert!(register.visits.iter().all(|v| v.child_id != "TEST-0002"));
        assert!(register
            .frequencies
            .iter()
            .all(|f| f.child_id != "TEST-0002"));
        let listed = VALID.replacen(
            "    </Sak>\n    <Sak Id=\"00000000-0000-4000-8000-000000000301\"",
            "        <Slettet Id=\"00000000-0000-4000-8000-000000000202\" Type=\"Tiltak\" SluttDato=\"2027-12-01\"/>\n    </Sak>\n    <Sak Id=\"00000000-0000-4000-8000-000000000301\"",
            1,
        );
        assert_ne!(listed, VALID);
        let register = read_register(&listed, "slettet.xml").unwrap();
        assert_eq!(register.visits.len(), 4);
        assert_eq!(register.frequencies.len(), 2);
    }

    #[test]
    fn not_xml_at_all() {
        let problems = read_register("child;date\nc1;2027-01-01\n", "visits.csv").unwrap_err();
        assert_eq!(codes(&problems), vec![("not_xml", 1)]);
        let problems = read_register("", "empty.xml").unwrap_err();
        assert_eq!(codes(&problems), vec![("not_xml", 1)]);
        let doctype = "<!DOCTYPE Barnevern [<!ENTITY a \"b\">]><Barnevern/>";
        let problems = read_register(doctype, "dtd.xml").unwrap_err();
        assert_eq!(codes(&problems), vec![("not_xml", 1)]);
    }

    #[test]
    fn a_register_without_a_case_is_refused() {
        let text = "<Barnevern>\n  <Fagsystem/>\n</Barnevern>\n";
        let problems = read_register(text, "x.xml").unwrap_err();
        assert_eq!(codes(&problems), vec![("no_case", 1)]);
    }

    #[test]
    fn frequencies_sharing_a_start_and_ends_before_later_frequencies() {
        let text = r#"<Barnevern>
  <Sak Journalnummer="K-1">
    <Tiltak>
      <Oppfolging>
        <Hyppighet StartDato="2027-01-01" Kode="4"/>
        <Hyppighet StartDato="2027-07-01" Kode="2"/>
        <Hyppighet StartDato="2027-01-01" Kode="2"/>
      </Oppfolging>
      <Konklusjon SluttDato="2027-03-31"/>
    </Tiltak>
  </Sak>
</Barnevern>
"#;
        let problems = read_register(text, "x.xml").unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![("duplicate_frequency_start", 7), ("end_before_start", 9)]
        );
        // Without the duplicate and the early end, the first frequency ends
        // at the measure's end when that comes before the next one starts.
        let text = text
            .replace(
                "        <Hyppighet StartDato=\"2027-01-01\" Kode=\"2\"/>\n",
                "",
            )
            .replace("2027-03-31", "2027-12-31");
        let register = read_register(&text, "x.xml").unwrap();
        assert_eq!(
            register.frequencies,
            vec![
                frequency("K-1", d(2027, 1, 1), Some(d(2027, 6, 30)), 4, 5),
                frequency("K-1", d(2027, 7, 1), Some(d(2027, 12, 31)), 2, 6),
            ]
        );
        let early = text.replace("2027-12-31", "2027-03-31");
        let problems = read_register(&early, "x.xml").unwrap_err();
        assert_eq!(codes(&problems), vec![("end_before_start", 8)]);
    }

    #[test]
    fn identity_numbers_and_birth_dates_are_never_kept_or_echoed() {
        // Dummy values of the right shape, not real numbers.
        let text = r#"<Barnevern>
  <Sak Journalnummer="00000000000" Fodselsnummer="00000000001" Fodseldato="2015-02-03">
    <Personalia Id="x" StartDato="2020-01-01" Fodselsnummer="00000000002" Fodseldato="2015-02-04" Kjonn="1"/>
    <Tiltak>
      <Oppfolging>
        <Hyppighet StartDato="00000000003" Kode="00000000004"/>
        <Utfort UtfortDato="2015-02-05T00:00:00"/>
      </Oppfolging>
    </Tiltak>
  </Sak>
</Barnevern>
"#;
        let problems = read_register(text, "x.xml").unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("case_id_like_national_id", 2),
                ("invalid_frequency", 6),
                ("invalid_date", 6),
                ("invalid_date", 7),
            ]
        );
        let printed: String = problems.iter().map(|p| format!("{p}\n{p:?}\n")).collect();
        for secret in ["00000000000", "0000000000", "2015-02-0", "2015"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
    }

    #[test]
    fn every_truncated_prefix_of_a_valid_file_is_read_without_panic() {
        let mut oks = 0;
        for end in (0..=VALID.len()).filter(|i| VALID.is_char_boundary(*i)) {
            match read_register(&VALID[..end], "cut.xml") {
                Ok(_) => oks += 1,
                Err(problems) => {
                    assert!(!problems.is_empty());
                    assert!(problems
                        .iter()
                        .all(|p| p.line.is_some() && p.column.is_some()));
                }
            }
        }
        // Only the prefixes that keep `</Barnevern>` whole are complete.
        assert_eq!(oks, 2);
    }

    #[test]
    fn register_problems_in_bokmal() {
        // Problems print in the language of the moment, so print them here.
        let read = |file| {
            with_lang(Lang::Nb, || {
                let problems = read_fixture(file).unwrap_err();
                let printed: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                (problems, printed)
            })
        };
        assert_eq!(
            read("bad_frequency.xml").1[0],
            "bad_frequency.xml:14:93: invalid_frequency: Hyppighet Kode «3» er verken 4 eller 2 \
             (tips: Kode=\"4\" er fire oppfølgingsbesøk i året (standard), Kode=\"2\" to i året \
             (redusert))"
        );
        assert_eq!(
            read("not_xml.xml").1[0],
            "not_xml.xml:6:5: not_xml: ugyldig XML: forventet sluttaggen </Sak>, ikke </Sakk> \
             (tips: filen må være registerets XML-uttrekk (Barnevern_v4.xsd))"
        );
        let (two, _) = read("two_problems.xml");
        assert_eq!(
            two[1].message,
            "UtfortDato på <Utfort> er ikke en dato (ÅÅÅÅ-MM-DD)"
        );
        assert_eq!(
            two[1].hint.as_deref(),
            Some("datoen finnes ikke i kalenderen")
        );
        let (missing, _) = read("missing_case_id.xml");
        assert_eq!(missing[0].message, "<Sak> mangler Journalnummer");
        let (root, _) = read("wrong_root.xml");
        assert!(
            root[0].message.starts_with("rotelementet er <"),
            "{:?}",
            root[0]
        );
        let cut = with_lang(Lang::Nb, || {
            let problems = read_register("<Barnevern>\n<Sak>", "x.xml").unwrap_err();
            problems[0].to_string()
        });
        assert_eq!(
            cut,
            "x.xml:2:6: not_xml: ugyldig XML: filen slutter før rotelementet er lukket \
             (tips: filen kan være avkuttet; eksporter den på nytt fra fagsystemet)"
        );
    }

    #[test]
    fn register_problems_in_english() {
        let (missing, two) = with_lang(Lang::En, || {
            let missing = read_fixture("missing_case_id.xml").unwrap_err()[0].to_string();
            (missing, read_fixture("two_problems.xml").unwrap_err())
        });
        assert_eq!(
            missing,
            "missing_case_id.xml:5:5: missing_case_id: <Sak> has no Journalnummer \
             (hint: every <Sak> needs Journalnummer, the municipality's case number, which this \
             reader uses as the child's id)"
        );
        assert_eq!(
            two[1].message,
            "UtfortDato on <Utfort> is not a date (YYYY-MM-DD)"
        );
    }

    proptest! {
        #[test]
        fn any_edit_of_a_valid_file_is_read_without_panic(
            at in 0usize..4000,
            cut in 0usize..40,
            insert in "[<>/=\"'&;a-zA-Z0-9 \n:-]{0,12}",
        ) {
            let mut text = VALID.to_string();
            let start = (0..=at.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (start..=(start + cut).min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(start);
            text.replace_range(start..end, &insert);
            if let Err(problems) = read_register(&text, "edit.xml") {
                prop_assert!(!problems.is_empty());
                prop_assert!(problems.iter().all(|p| p.line.is_some() && p.column.is_some()));
            }
        }

        #[test]
        fn any_text_is_read_without_panic(text in "\\PC{0,200}") {
            let _ = read_register(&text, "any.xml");
        }
    }
}
