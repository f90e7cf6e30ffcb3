"""Parse a plan's calendars with the `icalendar` library (RFC 5545), as a
calendar program would, and check them against visits.csv.

    python tests/ical/check_calendars.py PLAN_DIR

- every calendars/<caseworker_id>.ics and team_calendars/<team>.ics parses;
- each has one VEVENT per visit of that caseworker (or of the team's
  children), with a UID, DTSTART and DTEND in Europe/Oslo, and no UID twice;
- the caseworker calendars together hold every visit exactly once;
- no event text carries a coordinate.

Exits 1 with a message on the first failure.
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

from icalendar import Calendar


def fail(message):
    print(f"check_calendars: {message}", file=sys.stderr)
    sys.exit(1)


def events(path):
    cal = Calendar.from_ical(path.read_bytes())
    found = []
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID", ""))
        start, end = ev.get("DTSTART"), ev.get("DTEND")
        if not uid or start is None or end is None:
            fail(f"{path}: an event lacks UID, DTSTART or DTEND")
        if str(start.dt.tzinfo) != "Europe/Oslo" and start.params.get("TZID") != "Europe/Oslo":
            fail(f"{path}: {uid} is not in Europe/Oslo")
        if not end.dt > start.dt:
            fail(f"{path}: {uid} ends before it starts")
        text = f"{ev.get('SUMMARY', '')} {ev.get('DESCRIPTION', '')}"
        if re.search(r"\b\d{1,2}\.\d{4,}\b", text):
            fail(f"{path}: {uid} carries something like a coordinate")
        found.append(uid)
    dup = [u for u, n in Counter(found).items() if n > 1]
    if dup:
        fail(f"{path}: UID {dup[0]} twice")
    return found


def main():
    plan = Path(sys.argv[1])
    with open(plan / "visits.csv", newline="", encoding="utf-8") as f:
        visits = list(csv.DictReader(f))
    per_cw = Counter(v["caseworker_id"] for v in visits)
    total = 0
    for path in sorted((plan / "calendars").glob("*.ics")):
        uids = events(path)
        if len(uids) != per_cw[path.stem]:
            fail(f"{path}: {len(uids)} events for {per_cw[path.stem]} visits")
        total += len(uids)
    if total != len(visits):
        fail(f"calendars hold {total} events for {len(visits)} visits")
    team_total = 0
    for path in sorted((plan / "team_calendars").glob("*.ics")):
        team_total += len(events(path))
    if team_total != len(visits):
        fail(f"team calendars hold {team_total} events for {len(visits)} visits")
    print(f"check_calendars: {plan}: {total} events in {len(per_cw)} caseworker calendars "
          f"and the team calendars parse with icalendar; ok")


if __name__ == "__main__":
    main()
