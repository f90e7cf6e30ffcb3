"""Parse a plan's calendars with the `icalendar` library (RFC 5545), as a
calendar program would, and check them against visits.csv.

    python tests/ical/check_calendars.py PLAN_DIR
    python tests/ical/check_calendars.py --reimport OLD_PLAN_DIR NEW_PLAN_DIR

- every calendars/<caseworker_id>.ics and team_calendars/<team>.ics parses;
- each has one VEVENT per visit of that caseworker (or of the team's
  children), with a UID, DTSTART and DTEND in Europe/Oslo, and no UID twice;
- the caseworker calendars together hold every visit exactly once;
- no event text carries a coordinate;
- events with STATUS:CANCELLED (a re-plan's) are not counted as visits.

With --reimport, it imports each calendar of OLD_PLAN_DIR into a store keyed
by UID, as a calendar program keeps a subscribed or imported calendar, then
re-imports the same file of NEW_PLAN_DIR: an event with a known UID
replaces the stored one when its SEQUENCE is not lower (and removes it when
cancelled); an unknown UID is added. Afterwards each store must hold
exactly the new plan's visits of that calendar, once each, at their new
times: a re-import updates calendars instead of doubling them. A visit that
moved must carry a higher SEQUENCE than before.

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


def cancelled(ev):
    return str(ev.get("STATUS", "")).upper() == "CANCELLED"


def events(path):
    cal = Calendar.from_ical(path.read_bytes())
    found = []
    for ev in cal.walk("VEVENT"):
        if cancelled(ev):
            continue
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


def parsed(path):
    """UID -> (SEQUENCE, cancelled, start, end) of every event in the file."""
    out = {}
    for ev in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        uid = str(ev.get("UID", ""))
        if uid in out:
            fail(f"{path}: UID {uid} twice")
        seq = int(ev.get("SEQUENCE", 0))
        out[uid] = (seq, cancelled(ev), ev.get("DTSTART").dt, ev.get("DTEND").dt)
    return out


def reimport(old_dir, new_dir):
    def visits(plan, key):
        with open(plan / "visits.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        out = {}
        for r in rows:
            out.setdefault(key(r), []).append(r)
        return out

    moved = 0
    for folder, key in (("calendars", lambda r: r["caseworker_id"]), ("team_calendars", None)):
        new_files = {p.name: p for p in (new_dir / folder).glob("*.ics")}
        old_files = {p.name: p for p in (old_dir / folder).glob("*.ics")}
        for name in sorted(set(new_files) | set(old_files)):
            store = {}
            if name in old_files:
                for uid, (seq, gone, start, end) in parsed(old_files[name]).items():
                    if not gone:
                        store[uid] = (seq, start, end)
            before = dict(store)
            if name in new_files:
                for uid, (seq, gone, start, end) in parsed(new_files[name]).items():
                    if uid in store and seq < store[uid][0]:
                        fail(f"{folder}/{name}: {uid} has SEQUENCE {seq}, below the {store[uid][0]} imported before")
                    if gone:
                        store.pop(uid, None)
                    else:
                        store[uid] = (seq, start, end)
            for uid, (seq, start, end) in store.items():
                if uid in before and (before[uid][1], before[uid][2]) != (start, end):
                    if seq <= before[uid][0]:
                        fail(f"{folder}/{name}: {uid} moved but its SEQUENCE stayed {seq}")
                    moved += 1
            if key is None:
                continue
            want = visits(new_dir, key).get(name[:-4], [])
            if len(store) != len(want):
                fail(f"{folder}/{name}: after re-import {len(store)} events, the new plan has {len(want)} visits")
            starts = sorted(str(s.replace(tzinfo=None))[:16] for (_, s, _) in store.values())
            expect = sorted(r["start"].replace("T", " ") for r in want)
            if starts != expect:
                fail(f"{folder}/{name}: after re-import the events are not at the new plan's times")
    print(f"check_calendars: re-importing {new_dir} over {old_dir}: {moved} events moved "
          f"with a higher SEQUENCE, no duplicates; ok")


def main():
    if sys.argv[1] == "--reimport":
        reimport(Path(sys.argv[2]), Path(sys.argv[3]))
        return
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
