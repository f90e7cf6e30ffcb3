//! One RFC 5545 calendar per caseworker: one event per visit, in Europe/Oslo
//! time with its VTIMEZONE. An event's UID is the child and the period it
//! answers for, so the same visit planned again keeps its UID and a calendar
//! re-import updates it instead of doubling it. Events name the child by
//! `child_id` only; they carry no names and no addresses.

use crate::plan::{Plan, PlannedVisit};
use std::collections::BTreeMap;

const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Calendar text per caseworker id, for every caseworker with a visit.
pub fn calendars(plan: &Plan) -> BTreeMap<String, String> {
    let mut by_caseworker: BTreeMap<String, Vec<&PlannedVisit>> = BTreeMap::new();
    for v in &plan.visits {
        by_caseworker
            .entry(v.caseworker.to_string())
            .or_default()
            .push(v);
    }
    let stamp = plan.horizon.start.format("%Y%m%dT000000Z").to_string();
    by_caseworker
        .into_iter()
        .map(|(cw, visits)| {
            let mut out = String::new();
            out.push_str("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tilsyn//tilsyn 0.1//NB\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
            line(&mut out, &format!("X-WR-CALNAME:{}", escape(&format!("Oppfølgingsbesøk {cw}"))));
            out.push_str("X-WR-TIMEZONE:Europe/Oslo\r\n");
            out.push_str(VTIMEZONE);
            for v in visits {
                event(&mut out, v, &stamp);
            }
            out.push_str("END:VCALENDAR\r\n");
            (cw, out)
        })
        .collect()
}

fn event(out: &mut String, v: &PlannedVisit, stamp: &str) {
    let fmt = "%Y%m%dT%H%M%S";
    out.push_str("BEGIN:VEVENT\r\n");
    line(out, &format!("UID:{}-{}@tilsyn", v.child, v.period));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(
        out,
        &format!("DTSTART;TZID=Europe/Oslo:{}", v.start.format(fmt)),
    );
    line(
        out,
        &format!("DTEND;TZID=Europe/Oslo:{}", v.end.format(fmt)),
    );
    out.push_str("SEQUENCE:0\r\n");
    line(
        out,
        &format!(
            "SUMMARY:{}",
            escape(&format!("Oppfølgingsbesøk {}", v.child))
        ),
    );
    let kind = if v.required { "påkrevd" } else { "tidlig" };
    let description = format!(
        "Barn {} ({}), {}. Periode {} ({kind}). Reise {}.",
        v.child, v.placement, v.place, v.period, v.trip_id
    );
    line(out, &format!("DESCRIPTION:{}", escape(&description)));
    out.push_str("TRANSP:OPAQUE\r\nEND:VEVENT\r\n");
}

/// Escapes TEXT values (RFC 5545, 3.3.11).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Appends a content line folded at 75 octets (RFC 5545, 3.1), never inside a
/// UTF-8 character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for ch in content.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("DESCRIPTION:{}", "ø".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{}\r\n", "ø".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
