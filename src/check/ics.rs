//! The caseworkers' calendars (`calendars/<caseworker_id>.ics`).
//!
//! Caseworkers import these into Outlook, Google or their phones, so they must
//! be RFC 5545 calendars with one event per visit (the contract allows one
//! more per trip), each with a UID, DTSTART and DTEND, and every visit must
//! be there at its time. Times are read either as Europe/Oslo wall time
//! (`TZID=Europe/Oslo`, which needs a VTIMEZONE) or as UTC (`...Z`), and
//! compared in Oslo wall time. The files travel outside the department, so
//! they may not carry a caseworker's name or a child's home coordinates.

use super::read::{read_text, show, VisitRow};
use super::{Context, Violation};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Oslo;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One unfolded content line.
struct Property {
    line: u64,
    name: String,
    params: String,
    value: String,
}

/// One VEVENT, as far as the rules (and a re-plan reading the calendars
/// before it) need.
pub(crate) struct Event {
    pub line: u64,
    pub uid: Option<String>,
    pub start: Option<Result<NaiveDateTime, String>>,
    pub end: Option<Result<NaiveDateTime, String>>,
    /// `SEQUENCE`, when given and a number.
    pub sequence: Option<u32>,
    /// `STATUS:CANCELLED`: a visit a re-plan dropped from this calendar.
    pub cancelled: bool,
}

/// The events of a calendar's text.
pub(crate) fn read_events(text: &str) -> Vec<Event> {
    collect_events(&unfold(text))
}

pub fn check(ctx: &Context, plan_dir: &Path, out: &mut Vec<Violation>) {
    let mut visits: BTreeMap<&str, Vec<&VisitRow>> = BTreeMap::new();
    for v in &ctx.files.visits.rows {
        visits.entry(&v.caseworker_id).or_default().push(v);
    }
    let files = calendar_files(plan_dir);
    for caseworker in visits.keys() {
        if !files.contains(&caseworker.to_string()) {
            let file = format!("calendars/{caseworker}.ics");
            let message = crate::tr!(
                "{caseworker} has visits but no calendar",
                "{caseworker} har besøk, men ingen kalender"
            );
            out.push(Violation::new("missing_file", &file, None, message));
        }
    }
    let mut uids: HashMap<String, String> = HashMap::new();
    for stem in &files {
        let file = format!("calendars/{stem}.ics");
        let Some(text) = read_text(plan_dir, &file, out) else {
            continue;
        };
        let properties = unfold(&text);
        check_privacy(ctx, &file, &properties, out);
        let (events, cancelled): (Vec<Event>, Vec<Event>) =
            check_structure(&file, &properties, out)
                .into_iter()
                .partition(|e| !e.cancelled);
        for e in &events {
            if let Some(uid) = &e.uid {
                if let Some(other) = uids.insert(uid.clone(), file.clone()) {
                    let message = crate::tr!(
                        "UID {uid} is also used in {other}",
                        "UID {uid} brukes også i {other}"
                    );
                    out.push(Violation::new("calendar", &file, Some(e.line), message));
                }
            }
        }
        // A cancelled event takes a visit out of this calendar; the same UID
        // may live on in a colleague's, but not beside it here.
        for e in &cancelled {
            if let Some(uid) = &e.uid {
                if events.iter().any(|a| a.uid.as_ref() == Some(uid)) {
                    let message = crate::tr!(
                        "UID {uid} is both cancelled and planned here",
                        "UID {uid} er både avlyst og planlagt her"
                    );
                    out.push(Violation::new("calendar", &file, Some(e.line), message));
                }
            }
        }
        if !ctx.caseworkers.contains_key(stem.as_str()) {
            let message = crate::tr!(
                "{stem} is not in caseworkers.csv",
                "{stem} finnes ikke i caseworkers.csv"
            );
            out.push(Violation::new("unknown_ref", &file, None, message));
        }
        let mine = visits.get(stem.as_str()).map_or(&[][..], Vec::as_slice);
        let trips = ctx
            .trips
            .values()
            .filter(|t| t.caseworker_id == *stem)
            .count();
        check_events(&file, &events, mine, trips, out);
    }
}

/// The caseworker ids that have a calendar file, sorted.
fn calendar_files(plan_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(plan_dir.join("calendars")) else {
        return Vec::new();
    };
    let mut stems: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".ics")
                .map(str::to_string)
        })
        .collect();
    stems.sort();
    stems
}

/// Joins folded lines (a line starting with a space or tab continues the one
/// before) and splits each into name, parameters and value.
fn unfold(text: &str) -> Vec<Property> {
    let mut logical: Vec<(u64, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), logical.last_mut()) {
            (Some(rest), Some((_, previous))) => previous.push_str(rest),
            _ if raw.is_empty() => {}
            _ => logical.push((i as u64 + 1, raw.to_string())),
        }
    }
    logical
        .into_iter()
        .map(|(line, text)| {
            // The value starts at the first colon outside a quoted parameter.
            let mut quoted = false;
            let colon = text.char_indices().find_map(|(i, c)| {
                quoted ^= c == '"';
                (c == ':' && !quoted).then_some(i)
            });
            let (head, value) = match colon {
                Some(i) => (&text[..i], &text[i + 1..]),
                None => (text.as_str(), ""),
            };
            let (name, params) = head.split_once(';').unwrap_or((head, ""));
            Property {
                line,
                name: name.trim().to_ascii_uppercase(),
                params: params.to_string(),
                value: value.to_string(),
            }
        })
        .collect()
}

/// Calendar-level properties and the events, each with its own checks.
fn check_structure(file: &str, props: &[Property], out: &mut Vec<Violation>) -> Vec<Event> {
    let mut report = |line: Option<u64>, message: String| {
        out.push(Violation::new("calendar", file, line, message));
    };
    let is = |p: &Property, name: &str, value: &str| {
        p.name == name && p.value.trim().eq_ignore_ascii_case(value)
    };
    if !props.first().is_some_and(|p| is(p, "BEGIN", "VCALENDAR")) {
        report(
            Some(1),
            crate::tr!(
                "the file does not start with BEGIN:VCALENDAR",
                "filen begynner ikke med BEGIN:VCALENDAR"
            ),
        );
    }
    if !props.last().is_some_and(|p| is(p, "END", "VCALENDAR")) {
        report(
            None,
            crate::tr!(
                "the file does not end with END:VCALENDAR",
                "filen slutter ikke med END:VCALENDAR"
            ),
        );
    }
    if !props.iter().any(|p| is(p, "VERSION", "2.0")) {
        report(None, crate::tr!("no VERSION:2.0", "mangler VERSION:2.0"));
    }
    if !props
        .iter()
        .any(|p| p.name == "PRODID" && !p.value.trim().is_empty())
    {
        report(None, crate::tr!("no PRODID", "mangler PRODID"));
    }
    let uses_tzid = props
        .iter()
        .any(|p| p.params.to_ascii_uppercase().contains("TZID="));
    if uses_tzid && !props.iter().any(|p| is(p, "TZID", "Europe/Oslo")) {
        report(
            None,
            crate::tr!(
                "times use TZID but there is no VTIMEZONE for Europe/Oslo",
                "tidspunktene bruker TZID, men det finnes ingen VTIMEZONE for Europe/Oslo"
            ),
        );
    }
    let events = collect_events(props);
    for e in &events {
        let fields = [
            ("UID", e.uid.is_some()),
            ("DTSTART", e.start.is_some()),
            ("DTEND", e.end.is_some()),
        ];
        for (name, present) in fields {
            if !present {
                report(
                    Some(e.line),
                    crate::tr!("the event has no {name}", "hendelsen mangler {name}"),
                );
            }
        }
        for time in [&e.start, &e.end] {
            if let Some(Err(message)) = time {
                report(Some(e.line), message.clone());
            }
        }
    }
    events
}

fn collect_events(props: &[Property]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut current: Option<Event> = None;
    for p in props {
        let value = p.value.trim();
        match (p.name.as_str(), current.as_mut()) {
            ("BEGIN", _) if value.eq_ignore_ascii_case("VEVENT") => {
                current = Some(Event {
                    line: p.line,
                    uid: None,
                    start: None,
                    end: None,
                    sequence: None,
                    cancelled: false,
                });
            }
            ("END", Some(_)) if value.eq_ignore_ascii_case("VEVENT") => {
                events.extend(current.take())
            }
            ("UID", Some(e)) if !value.is_empty() => e.uid = Some(value.to_string()),
            ("DTSTART", Some(e)) => e.start = Some(parse_time(&p.params, value)),
            ("DTEND", Some(e)) => e.end = Some(parse_time(&p.params, value)),
            ("SEQUENCE", Some(e)) => e.sequence = value.parse().ok(),
            ("STATUS", Some(e)) => e.cancelled = value.eq_ignore_ascii_case("CANCELLED"),
            _ => {}
        }
    }
    events
}

/// A DATE-TIME in Oslo wall time: `TZID=Europe/Oslo` local, or UTC with `Z`.
fn parse_time(params: &str, value: &str) -> Result<NaiveDateTime, String> {
    let tzid = params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("TZID")
            .then(|| v.trim().trim_matches('"').to_string())
    });
    let parse = |s: &str| {
        NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%S").map_err(|_| {
            crate::tr!(
                "\"{value}\" is not a date-time YYYYMMDDTHHMMSS",
                "«{value}» er ikke et tidspunkt ÅÅÅÅMMDDTttmmss"
            )
        })
    };
    if let Some(utc) = value.strip_suffix('Z') {
        return Ok(Oslo.from_utc_datetime(&parse(utc)?).naive_local());
    }
    match tzid.as_deref() {
        Some("Europe/Oslo") => parse(value),
        Some(other) => Err(crate::tr!(
            "time zone {other} is not Europe/Oslo",
            "tidssonen {other} er ikke Europe/Oslo"
        )),
        None => Err(crate::tr!(
            "\"{value}\" is a floating time: give TZID=Europe/Oslo or UTC (Z)",
            "«{value}» er et flytende tidspunkt uten tidssone: oppgi TZID=Europe/Oslo eller UTC (Z)"
        )),
    }
}

/// One event per visit (plus, optionally, one per trip), and each visit at
/// its own start and end; cancelled events are not counted.
fn check_events(
    file: &str,
    events: &[Event],
    visits: &[&VisitRow],
    trips: usize,
    out: &mut Vec<Violation>,
) {
    if events.len() != visits.len() && events.len() != visits.len() + trips {
        let (n, visits) = (events.len(), visits.len());
        let message = crate::tr!(
            "{n} events for {visits} visits (and {trips} trips): one event per visit is required",
            "{n} hendelser for {visits} besøk (og {trips} reiser): det kreves én hendelse per besøk"
        );
        out.push(Violation::new("calendar", file, None, message));
    }
    let mut used = vec![false; events.len()];
    let times: Vec<Option<(NaiveDateTime, Option<NaiveDateTime>)>> = events
        .iter()
        .map(|e| Some((e.start.clone()?.ok()?, e.end.clone().and_then(Result::ok))))
        .collect();
    for v in visits {
        let free = |used: &[bool], exact: bool| {
            (0..events.len()).find(|&i| {
                !used[i]
                    && times[i].is_some_and(|(s, e)| s == v.start && (!exact || e == Some(v.end)))
            })
        };
        let message = match (free(&used, true), free(&used, false)) {
            (Some(i), _) => {
                used[i] = true;
                continue;
            }
            (None, Some(i)) => {
                used[i] = true;
                let (line, end) = (v.line, show(v.end));
                crate::tr!(
                    "the event for the visit on visits.csv line {line} does not end at {end}",
                    "hendelsen for besøket på linje {line} i visits.csv slutter ikke {end}"
                )
            }
            (None, None) => {
                let (start, line) = (show(v.start), v.line);
                crate::tr!(
                    "no event starts at {start} for the visit on visits.csv line {line}",
                    "ingen hendelse begynner {start} for besøket på linje {line} i visits.csv"
                )
            }
        };
        out.push(Violation::new("calendar", file, None, message));
    }
}

/// No caseworker name and no child's home coordinates in a calendar.
fn check_privacy(ctx: &Context, file: &str, props: &[Property], out: &mut Vec<Violation>) {
    for p in props {
        let text = unescape(&format!("{};{}:{}", p.name, p.params, p.value)).to_lowercase();
        for c in &ctx.data.caseworkers {
            let name = c.name.trim().to_lowercase();
            if name.chars().count() >= 2 && contains_word(&text, &name) {
                let (id, property) = (&c.id, &p.name);
                let message = crate::tr!(
                    "the name of caseworker {id} appears in {property}",
                    "navnet til saksbehandler {id} står i {property}"
                );
                out.push(Violation::new("privacy", file, Some(p.line), message));
            }
        }
        let numbers = decimals(&text);
        // 0.005 degrees is about 500 m: close enough to point at the home.
        let near = |x: f64| numbers.iter().any(|n| (n - x).abs() <= 0.005);
        for child in &ctx.data.children {
            if near(child.location.lat) && near(child.location.lon) {
                let (id, property) = (&child.id, &p.name);
                let message = crate::tr!(
                    "the home coordinates of child {id} appear in {property}",
                    "koordinatene til hjemmet til barn {id} står i {property}"
                );
                out.push(Violation::new("privacy", file, Some(p.line), message));
            }
        }
    }
}

fn unescape(text: &str) -> String {
    text.replace("\\n", " ")
        .replace("\\N", " ")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// `needle` occurs in `haystack` not glued to a letter or digit on either side.
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Decimal numbers with at least two digits after the point, e.g. `63.43`.
/// Times like `20270113T093000` have no point and are never picked up.
fn decimals(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|s| s.split_once('.').is_some_and(|(_, f)| f.len() >= 2))
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{run, valid_plan, with};
    use super::*;

    #[test]
    fn utc_and_local_times_read_as_oslo_wall_time() {
        let local = parse_time("TZID=Europe/Oslo", "20270113T093000").unwrap();
        let utc = parse_time("", "20270113T083000Z").unwrap();
        assert_eq!(local, utc);
        let summer = parse_time("", "20270615T070000Z").unwrap();
        assert_eq!(summer.format("%H:%M").to_string(), "09:00");
        assert!(parse_time("", "20270113T093000").is_err());
    }

    #[test]
    fn folded_lines_are_joined() {
        let p = unfold("BEGIN:VEVENT\r\nSUMMARY:Oppf\r\n ølging\r\nEND:VEVENT\r\n");
        assert_eq!(p.len(), 3);
        assert_eq!((p[1].value.as_str(), p[2].line), ("Oppfølging", 4));
    }

    #[test]
    fn a_missing_calendar_and_a_missing_event_are_reported() {
        let mut plan = valid_plan();
        plan.remove("calendars/K2.ics");
        assert_eq!(run(&plan).codes(), vec!["missing_file"]);
        let plan = with(
            valid_plan(),
            "calendars/K1.ics",
            "UID:C1-2027H1@tilsyn\n",
            "",
        );
        assert_eq!(run(&plan).codes(), vec!["calendar"]);
        let plan = with(valid_plan(), "calendars/K2.ics", "T100000Z", "T110000Z");
        assert_eq!(run(&plan).codes(), vec!["calendar"]);
    }

    #[test]
    fn names_and_home_coordinates_are_privacy_violations() {
        let plan = with(
            valid_plan(),
            "calendars/K1.ics",
            "SUMMARY:Besøk C1",
            "SUMMARY:Besøk C1 med Kari Nordmann",
        );
        assert_eq!(run(&plan).codes(), vec!["privacy"]);
        let plan = with(
            valid_plan(),
            "calendars/K2.ics",
            "END:VEVENT",
            "GEO:67.2800;14.4000\nEND:VEVENT",
        );
        assert_eq!(run(&plan).codes(), vec!["privacy"]);
    }
}
