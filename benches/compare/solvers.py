"""Runs one solver on a tilsyn-vrp/1 instance and writes its solution.

    python solvers.py {pyvrp,ortools,vroom} INSTANCE.json BUDGET_SECONDS OUT.json

Each solver gets the same problem (see README, "Against other solvers"):
vehicles are caseworker-days with their office, working window and cap;
clients have their service time and start windows; the arc cost is the
instance's cost matrix (øre) and the travel time its duration matrix
(minutes). Each runs single-threaded with a fixed seed for the budget.
The solution lists routes as (vehicle, client order); the checker
(check.py) recomputes everything else from the instance.
"""

import json
import sys
import time

# A client left out costs this much, so leaving one out never pays but a
# solver still returns its best routes (OR-Tools; VROOM does so itself).
UNSERVED_PENALTY = 10**9


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def solve_pyvrp(inst, budget):
    """PyVRP: one vehicle type per caseworker-day with its own window and
    shift duration; one window per client, the hull of its day windows. The
    hull is the same problem only when rules.hull_is_exact (see export.rs),
    so other instances are refused rather than solved loosely."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    if not inst["rules"]["hull_is_exact"]:
        raise SystemExit("pyvrp: this instance needs per-day windows; PyVRP takes one per client")
    locs = inst["locations"]
    depots_loc = sorted({v["depot"] for v in inst["vehicles"]})
    depot_index = {loc: k for k, loc in enumerate(depots_loc)}
    depots = [pyvrp.Depot(location=loc) for loc in depots_loc]
    clients = [
        pyvrp.Client(
            location=c["location"],
            service_duration=c["service"],
            tw_early=c["hull"][0],
            tw_late=c["hull"][1],
            required=True,
        )
        for c in inst["clients"]
    ]
    vtypes = [
        pyvrp.VehicleType(
            num_available=1,
            start_depot=depot_index[v["depot"]],
            end_depot=depot_index[v["depot"]],
            tw_early=v["tw"][0],
            tw_late=v["tw"][1],
            shift_duration=v["max_duration"],
            unit_distance_cost=1,
            unit_duration_cost=0,
        )
        for v in inst["vehicles"]
    ]
    import numpy as np

    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(x=0, y=0) for _ in locs],
        clients=clients,
        depots=depots,
        vehicle_types=vtypes,
        distance_matrices=[np.array(inst["cost"], dtype=np.int64)],
        duration_matrices=[np.array(inst["duration"], dtype=np.int64)],
    )
    t = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(budget), seed=1, display=False)
    seconds = time.perf_counter() - t
    sol = res.best
    routes = []
    served = set()
    for r in sol.routes():
        visits = [a.idx for a in r.schedule() if a.is_client()]
        if visits:
            routes.append({"vehicle": r.vehicle_type(), "clients": visits})
            served.update(visits)
    unassigned = [c for c in range(len(inst["clients"])) if c not in served]
    note = "" if res.is_feasible() else "PyVRP reports its best solution infeasible"
    return routes, unassigned, int(round(res.cost())) if res.is_feasible() else None, seconds, note


def solve_ortools(inst, budget):
    """OR-Tools routing: start/end node per caseworker-day, a time dimension
    (transit = travel + service at the origin, waiting allowed), each
    vehicle's start and end within its window and its span within the cap,
    each client's start inside the union of its day windows (range plus
    removed gaps) and allowed only on its caseworker's vehicles. Arc cost =
    the cost matrix. Guided local search for the budget."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    clients, vehicles = inst["clients"], inst["vehicles"]
    nc, nv = len(clients), len(vehicles)
    # Nodes: 0..nc-1 clients, then start and end of each vehicle.
    loc = [c["location"] for c in clients] + [v["depot"] for v in vehicles] * 2
    service = [c["service"] for c in clients] + [0] * (2 * nv)
    starts = [nc + k for k in range(nv)]
    ends = [nc + nv + k for k in range(nv)]
    manager = pywrapcp.RoutingIndexManager(len(loc), nv, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    cost, dur = inst["cost"], inst["duration"]

    def arc_cost(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return cost[loc[a]][loc[b]]

    def transit(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return dur[loc[a]][loc[b]] + service[a]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(arc_cost))
    horizon = max(v["tw"][1] for v in vehicles) + 1
    routing.AddDimension(routing.RegisterTransitCallback(transit), horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for k, v in enumerate(vehicles):
        time_dim.CumulVar(routing.Start(k)).SetRange(v["tw"][0], v["tw"][1])
        time_dim.CumulVar(routing.End(k)).SetRange(v["tw"][0], v["tw"][1])
        time_dim.SetSpanUpperBoundForVehicle(v["max_duration"], k)
    by_cw = {}
    for k, v in enumerate(vehicles):
        by_cw.setdefault(v["caseworker"], []).append(k)
    for i, c in enumerate(clients):
        index = manager.NodeToIndex(i)
        tws = c["time_windows"]
        var = time_dim.CumulVar(index)
        var.SetRange(tws[0][0], tws[-1][1])
        for a, b in zip(tws, tws[1:]):
            var.RemoveInterval(a[1] + 1, b[0] - 1)
        # (SetAllowedVehiclesForIndex does not take a Python list in this
        # OR-Tools release; the vehicle variable says the same, -1 = unserved.)
        routing.VehicleVar(index).SetValues([-1] + by_cw.get(c["caseworker"], []))
        routing.AddDisjunction([index], UNSERVED_PENALTY)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(budget * 1000))
    t = time.perf_counter()
    sol = routing.SolveWithParameters(params)
    seconds = time.perf_counter() - t
    if sol is None:
        return [], list(range(nc)), None, seconds, "OR-Tools found no solution"
    routes, served = [], set()
    for k in range(nv):
        index = routing.Start(k)
        visits = []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node < nc:
                visits.append(node)
            index = sol.Value(routing.NextVar(index))
        if visits:
            routes.append({"vehicle": k, "clients": visits})
            served.update(visits)
    unassigned = [c for c in range(nc) if c not in served]
    return routes, unassigned, sol.ObjectiveValue() - UNSERVED_PENALTY * len(unassigned), seconds, ""


def solve_vroom(inst, budget):
    """VROOM: a vehicle per caseworker-day with its window and the
    caseworker as skill; a job per client with its exact day windows. VROOM
    has no cap on the working day with waiting, only on travel time, so the
    service is folded into the travel times (minutes from the start of one
    visit to the arrival at the next) and the cap is max_travel_time: with
    one visiting window a day only the first visit can wait, and that wait
    is never part of the shortest working day, so the two caps agree."""
    import vroom
    from datetime import timedelta

    locs = inst["locations"]
    clients, vehicles = inst["clients"], inst["vehicles"]
    service_at = [0] * len(locs)
    for c in clients:
        service_at[c["location"]] = c["service"]
    dur = inst["duration"]
    folded = [[dur[a][b] + (service_at[a] if a != b else 0) for b in range(len(locs))] for a in range(len(locs))]
    problem = vroom.Input()
    problem.set_durations_matrix("car", folded)
    problem.set_costs_matrix("car", inst["cost"])
    for k, v in enumerate(vehicles):
        problem.add_vehicle(
            vroom.Vehicle(
                k + 1,
                start=v["depot"],
                end=v["depot"],
                profile="car",
                skills={v["caseworker"]},
                time_window=vroom.TimeWindow(v["tw"][0], v["tw"][1]),
                max_travel_time=v["max_duration"],
            )
        )
    for i, c in enumerate(clients):
        problem.add_job(
            vroom.Job(
                i + 1,
                location=c["location"],
                skills={c["caseworker"]},
                time_windows=[vroom.TimeWindow(a, b) for a, b in c["time_windows"]],
            )
        )
    t = time.perf_counter()
    sol = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=budget))
    seconds = time.perf_counter() - t
    routes = {}
    df = sol.routes
    for row in df.itertuples():
        if row.type == "job":
            routes.setdefault(int(row.vehicle_id) - 1, []).append(int(row.id) - 1)
    served = {c for r in routes.values() for c in r}
    unassigned = [c for c in range(len(clients)) if c not in served]
    out = [{"vehicle": k, "clients": v} for k, v in sorted(routes.items())]
    return out, unassigned, int(sol.summary.cost), seconds, ""


SOLVERS = {"pyvrp": solve_pyvrp, "ortools": solve_ortools, "vroom": solve_vroom}


def main(argv):
    if len(argv) != 5 or argv[1] not in SOLVERS:
        raise SystemExit(__doc__)
    name, inst_path, budget, out = argv[1], argv[2], float(argv[3]), argv[4]
    inst = load(inst_path)
    routes, unassigned, reported, seconds, note = SOLVERS[name](inst, budget)
    solution = {
        "solver": name,
        "budget_s": budget,
        "seconds": seconds,
        "reported_cost": reported,
        "routes": routes,
        "unassigned": unassigned,
        "note": note,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(solution, f)
    print(f"{name} {budget:g} s: {len(routes)} routes, {len(unassigned)} unassigned, {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv)
