"""The one checker of every solver's solution, from the instance file only.

    python check.py INSTANCE.json SOLUTION.json... [--md TABLE.md] [--csv TABLE.csv]

It reads a solution as routes (vehicle, client order) and unassigned
clients, and re-derives everything else: each client served at most once
and listed otherwise as unassigned, by a vehicle of its own caseworker, each
vehicle used at most once; each route timed by trying every whole-minute
departure in the vehicle's window (all data are whole minutes, so a
feasible timing has one) with every visit as early as possible: each visit
must start inside one of the client's windows, on the vehicle's own day, on
a day of the client's range, inside the visiting hours of the rules, and the
vehicle must be back in its window and within the cap. The cost is the sum
of the cost matrix over the routes' arcs, whatever the solver said.

Prints a table (solver, budget, cost, time, clients served, cost / best);
best is the cheapest solution that serves every client and breaks no rule.
Exit code 1 when any solution breaks a rule.
"""

import csv
import json
import sys

SLOT = 1440


def time_route(inst, vehicle, clients):
    """Shortest feasible (depart, starts, back), or None."""
    v = inst["vehicles"][vehicle]
    dur = inst["duration"]
    best = None
    for t0 in range(v["tw"][0], v["tw"][1] + 1):
        at, t, starts, ok = v["depot"], t0, [], True
        for c in clients:
            cl = inst["clients"][c]
            arrive = t + dur[at][cl["location"]]
            start = None
            for a, b in cl["time_windows"]:
                if b >= arrive:
                    start = max(a, arrive)
                    break
            if start is None:
                ok = False
                break
            starts.append(start)
            t = start + cl["service"]
            at = cl["location"]
        if not ok:
            continue
        back = t + dur[at][v["depot"]]
        if back <= v["tw"][1] and back - t0 <= v["max_duration"]:
            if best is None or back - t0 < best[2] - best[0]:
                best = (t0, starts, back)
    return best


def check(inst, sol):
    """(violations, cost in øre, clients served)."""
    bad = []
    nc, nv = len(inst["clients"]), len(inst["vehicles"])
    rules, days = inst["rules"], inst["days"]
    count = [0] * nc
    used = [False] * nv
    cost = 0
    for r in sol["routes"]:
        k, route = r["vehicle"], r["clients"]
        if not (0 <= k < nv) or any(not (0 <= c < nc) for c in route):
            bad.append(f"route on vehicle {k}: index out of range")
            continue
        if used[k]:
            bad.append(f"vehicle {k} used twice")
        used[k] = True
        v = inst["vehicles"][k]
        for c in route:
            count[c] += 1
            if inst["clients"][c]["caseworker"] != v["caseworker"]:
                bad.append(f"client {inst['clients'][c]['id']} on caseworker {v['caseworker']}'s vehicle")
        timing = time_route(inst, k, route)
        if timing is None:
            bad.append(f"vehicle {k} ({v['date']}): route {route} has no feasible timing")
        else:
            slot = (v["caseworker"] * days + v["day"]) * SLOT
            for c, s in zip(route, timing[1]):
                cl = inst["clients"][c]
                tod = s - slot
                if not (0 <= tod < SLOT) or not (cl["days"][0] <= v["day"] <= cl["days"][1]):
                    bad.append(f"client {cl['id']} visited outside its days")
                if tod < rules["visit_earliest"] or tod + cl["service"] > rules["visit_latest"]:
                    bad.append(f"client {cl['id']} visited outside the visiting hours")
        at = v["depot"]
        for c in route:
            cost += inst["cost"][at][inst["clients"][c]["location"]]
            at = inst["clients"][c]["location"]
        cost += inst["cost"][at][v["depot"]]
    for c in sol["unassigned"]:
        if 0 <= c < nc:
            if count[c]:
                bad.append(f"client {inst['clients'][c]['id']} both served and unassigned")
    for c, n in enumerate(count):
        if n > 1:
            bad.append(f"client {inst['clients'][c]['id']} served {n} times")
    served = sum(1 for n in count if n == 1)
    missing = [c for c, n in enumerate(count) if n == 0 and c not in set(sol["unassigned"])]
    if missing:
        bad.append(f"{len(missing)} clients neither served nor listed as unassigned")
    return bad, cost, served


def main(argv):
    args = argv[1:]
    md = csv_path = None
    if "--md" in args:
        i = args.index("--md")
        md = args[i + 1]
        del args[i : i + 2]
    if "--csv" in args:
        i = args.index("--csv")
        csv_path = args[i + 1]
        del args[i : i + 2]
    if len(args) < 2:
        raise SystemExit(__doc__)
    with open(args[0], encoding="utf-8") as f:
        inst = json.load(f)
    nc = len(inst["clients"])
    rows, failed = [], False
    for path in args[1:]:
        with open(path, encoding="utf-8") as f:
            sol = json.load(f)
        bad, cost, served = check(inst, sol)
        said = sol.get("reported_cost", sol.get("cost"))
        if said is not None and said != cost:
            print(f"{path}: note: the solver reported cost {said} øre, the routes cost {cost}", file=sys.stderr)
        failed |= bool(bad)
        for b in bad[:20]:
            print(f"{path}: {b}", file=sys.stderr)
        rows.append(
            {
                "solver": sol["solver"],
                "budget_s": sol.get("budget_s"),
                "cost_nok": cost / 100,
                "seconds": sol["seconds"],
                "served": served,
                "ok": not bad,
                "note": sol.get("note", ""),
            }
        )
    complete = [r["cost_nok"] for r in rows if r["ok"] and r["served"] == nc]
    best = min(complete) if complete else None
    lines = [
        "| solver | budget (s) | cost (NOK) | over best (NOK) | time (s) | clients served | cost / best |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if not r["ok"]:
            ratio = "breaks a rule"
        elif r["served"] < nc:
            ratio = f"n/a: {nc - r['served']} unserved"
        else:
            ratio = f"{r['cost_nok'] / best:.5f}"
        r["cost_over_best"] = ratio
        over = f"{r['cost_nok'] - best:,.2f}" if best is not None and r["ok"] and r["served"] == nc else "-"
        budget = "none" if r["budget_s"] is None else f"{r['budget_s']:g}"
        lines.append(
            f"| {r['solver']} | {budget} | {r['cost_nok']:,.2f} | {over} | {r['seconds']:.2f} | {r['served']}/{nc} | {ratio} |"
        )
    print("\n".join(lines))
    if md:
        with open(md, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    if csv_path:
        with open(csv_path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
