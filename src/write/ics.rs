//! One RFC 5545 calendar per caseworker, and one per team (all its
//! children's visits, to subscribe to): one event per visit, in Europe/Oslo
//! time with its VTIMEZONE. An event's UID is the child and the period it
//! answers for, so the same visit planned again keeps its UID and a calendar
//! re-import updates it instead of doubling it. Events name the child by
//! `child_id` only, with its placement kind, place name, the trip and the
//! trip's legs (stops by id, IATA code or hotel town, times and modes);
//! they carry no names and no addresses.
//!
//! A re-plan keeps each visit's UID, gives a moved visit the next SEQUENCE,
//! and writes a dropped visit as a `STATUS:CANCELLED` event with its UID
//! (in the calendar it leaves), so a re-import updates or removes the
//! event instead of doubling it.

use crate::plan::{CancelledVisit, Plan, PlannedTrip, PlannedVisit, StopKindOut};
use crate::tr;
use std::collections::{BTreeMap, HashMap};

const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Calendar text per caseworker id, for every caseworker with a visit and
/// every one of `caseworkers` (the contract asks a calendar of each: one
/// with no visit holds no event).
pub fn calendars<'a>(
    plan: &Plan,
    caseworkers: impl IntoIterator<Item = &'a String>,
) -> BTreeMap<String, String> {
    grouped(
        plan,
        caseworkers.into_iter().cloned(),
        |v| v.caseworker.to_string(),
        |c| c.caseworker.to_string(),
        &tr!("Follow-up visits", "Oppfølgingsbesøk"),
    )
}

/// Calendar text per team, for every team with a visit.
pub fn team_calendars(plan: &Plan) -> BTreeMap<String, String> {
    grouped(
        plan,
        std::iter::empty(),
        |v| v.team.clone(),
        |c| c.team.clone(),
        &tr!("Follow-up visits team", "Oppfølgingsbesøk team"),
    )
}

fn grouped(
    plan: &Plan,
    every: impl Iterator<Item = String>,
    key: impl Fn(&PlannedVisit) -> String,
    cancelled_key: impl Fn(&CancelledVisit) -> String,
    title: &str,
) -> BTreeMap<String, String> {
    let mut groups: BTreeMap<String, (Vec<&PlannedVisit>, Vec<&CancelledVisit>)> =
        every.map(|name| (name, Default::default())).collect();
    for v in &plan.visits {
        groups.entry(key(v)).or_default().0.push(v);
    }
    for c in &plan.cancelled {
        let (active, cancelled) = groups.entry(cancelled_key(c)).or_default();
        // A visit moved within the calendar's group stays as its new event.
        if !active
            .iter()
            .any(|v| v.child == c.child && v.period == c.period)
        {
            cancelled.push(c);
        }
    }
    let trips: HashMap<&str, &PlannedTrip> =
        plan.trips.iter().map(|t| (t.id.as_str(), t)).collect();
    let stamp = plan.issued.format("%Y%m%dT000000Z").to_string();
    groups
        .into_iter()
        .map(|(name, (visits, cancelled))| {
            let mut out = String::new();
            out.push_str("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tilsyn//tilsyn 0.1//NB\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
            line(&mut out, &format!("X-WR-CALNAME:{}", escape(&format!("{title} {name}"))));
            out.push_str("X-WR-TIMEZONE:Europe/Oslo\r\n");
            out.push_str(VTIMEZONE);
            for v in visits {
                event(&mut out, v, trips.get(v.trip_id.as_str()).copied(), &stamp);
            }
            for c in cancelled {
                cancelled_event(&mut out, c, &stamp);
            }
            out.push_str("END:VCALENDAR\r\n");
            (name, out)
        })
        .collect()
}

/// The trip's legs for people: each stop with its time, and how it was
/// reached ("09:40 fly TRD"), by id, IATA code or hotel town only.
fn legs(trip: &PlannedTrip) -> String {
    trip.stops
        .iter()
        .map(|s| {
            let at = s.arrive.or(s.depart).map(|t| match crate::i18n::current() {
                crate::i18n::Lang::Nb => t.format("%d.%m %H:%M").to_string(),
                crate::i18n::Lang::En => t.format("%m-%d %H:%M").to_string(),
            });
            let how = match s.mode_in {
                Some("flight") => tr!("plane ", "fly "),
                Some("ferry") => tr!("ferry ", "ferje "),
                Some(_) => tr!("car ", "bil "),
                None => String::new(),
            };
            let r = &s.reference;
            let what = match s.kind {
                StopKindOut::Office => tr!("office {r}", "kontor {r}"),
                StopKindOut::Child => tr!("child {r}", "barn {r}"),
                StopKindOut::Airport => tr!("airport {r}", "flyplass {r}"),
                // The label already says "hotell <town>".
                StopKindOut::Hotel => s.reference.clone(),
            };
            format!("{} {how}{what}", at.unwrap_or_default())
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn event(out: &mut String, v: &PlannedVisit, trip: Option<&PlannedTrip>, stamp: &str) {
    let uid = format!("{}-{}", v.child, v.period);
    event_head(out, &uid, stamp, (v.start, v.end), v.sequence);
    let (child, placement, place) = (&v.child, &v.placement, &v.place);
    let (caseworker, team, period, trip_id) = (&v.caseworker, &v.team, v.period, &v.trip_id);
    let summary = tr!(
        "Follow-up visit {child} ({placement}, {place})",
        "Oppfølgingsbesøk {child} ({placement}, {place})"
    );
    line(out, &format!("SUMMARY:{}", escape(&summary)));
    let kind = if v.required {
        tr!("required", "påkrevd")
    } else {
        tr!("early", "tidlig")
    };
    let mut description = tr!(
        "Child {child} ({placement}), {place}. Caseworker {caseworker}, team {team}. Period {period} ({kind}). Trip {trip_id}.",
        "Barn {child} ({placement}), {place}. Saksbehandler {caseworker}, team {team}. Periode {period} ({kind}). Reise {trip_id}."
    );
    if let Some(t) = trip {
        let legs = legs(t);
        description.push_str(&tr!("\nRoute: {legs}.", "\nReiserute: {legs}."));
    }
    line(out, &format!("DESCRIPTION:{}", escape(&description)));
    out.push_str("TRANSP:OPAQUE\r\nEND:VEVENT\r\n");
}

/// An event's first lines: UID (`<uid>@tilsyn`), stamp, times in Oslo
/// time and SEQUENCE.
fn event_head(
    out: &mut String,
    uid: &str,
    stamp: &str,
    (start, end): (chrono::NaiveDateTime, chrono::NaiveDateTime),
    sequence: u32,
) {
    let fmt = "%Y%m%dT%H%M%S";
    out.push_str("BEGIN:VEVENT\r\n");
    line(out, &format!("UID:{uid}@tilsyn"));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(
        out,
        &format!("DTSTART;TZID=Europe/Oslo:{}", start.format(fmt)),
    );
    line(out, &format!("DTEND;TZID=Europe/Oslo:{}", end.format(fmt)));
    line(out, &format!("SEQUENCE:{sequence}"));
}

/// A visit no longer in this calendar: the same UID, a higher SEQUENCE and
/// `STATUS:CANCELLED`, at the time it had.
fn cancelled_event(out: &mut String, c: &CancelledVisit, stamp: &str) {
    let uid = format!("{}-{}", c.child, c.period);
    event_head(out, &uid, stamp, (c.start, c.end), c.sequence);
    out.push_str("STATUS:CANCELLED\r\n");
    let (child, placement, place) = (&c.child, &c.placement, &c.place);
    let (period, caseworker) = (c.period, &c.caseworker);
    let summary = tr!(
        "Cancelled: follow-up visit {child} ({placement}, {place})",
        "Avlyst: oppfølgingsbesøk {child} ({placement}, {place})"
    );
    line(out, &format!("SUMMARY:{}", escape(&summary)));
    let description = tr!(
        "The visit to child {child} for period {period} was taken out of {caseworker}'s calendar when the plan was made again.",
        "Besøket hos barn {child} i periode {period} er tatt ut av kalenderen til {caseworker} ved ny planlegging."
    );
    line(out, &format!("DESCRIPTION:{}", escape(&description)));
    out.push_str("TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n");
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
