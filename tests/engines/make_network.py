#!/usr/bin/env python3
"""Write a small synthetic OpenStreetMap extract for the routing-engine tests.

Usage: make_network.py OUT.osm.pbf [--points OUT.json]

The map is made up, placed around real coordinates in Trøndelag (origin
63.43 N, 10.40 E) so that distances and speeds come out at Norwegian scale:

- Elvby, a town: a 6 x 6 grid of streets 200 m apart (residential, with two
  secondary streets through the middle, one tertiary street and one one-way
  street), split into a few dozen named ways;
- Fv 900, a primary road of about 15 km from the town's south-east corner to
  Åsbygda, a village with a small street grid;
- Fergeveien, from the town's north edge to a quay, and a car ferry
  (route=ferry, motor_vehicle=yes, duration=00:25) of about 6 km to a quay
  across the water at Nesvik, a village whose only road link is the ferry;
- Ytterøya, an island more than 10 km from any road, with no roads at all
  (only its outline, tagged place=island, which no engine routes on).

--points writes the named test points (office, homes, ferry_home,
island_home) as JSON; tests/engines/network.json is that file, committed.
The output is deterministic: the same script always writes the same map.
"""

import argparse
import datetime
import json
import math
import os
import sys

import osmium
from osmium.osm.mutable import Node, Way

ORIGIN_LAT = 63.4300
ORIGIN_LON = 10.4000
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(ORIGIN_LAT))
TIMESTAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
CHANGESET = 1


def to_latlon(x, y):
    """Metres east (x) and north (y) of the origin to (lat, lon), rounded to 7 places."""
    return (
        round(ORIGIN_LAT + y / M_PER_DEG_LAT, 7),
        round(ORIGIN_LON + x / M_PER_DEG_LON, 7),
    )


class Map:
    def __init__(self):
        self.nodes = {}  # (x, y) -> id; shared positions are shared nodes
        self.node_list = []  # (id, lat, lon, tags)
        self.ways = []  # (id, [node ids], tags)
        self.next_node = 1
        self.next_way = 1

    def node(self, x, y, tags=None):
        key = (round(x, 3), round(y, 3))
        if key in self.nodes and not tags:
            return self.nodes[key]
        nid = self.next_node
        self.next_node += 1
        lat, lon = to_latlon(x, y)
        self.node_list.append((nid, lat, lon, tags or {}))
        if not tags:
            self.nodes[key] = nid
        return nid

    def way(self, points, tags, step=None):
        """A way through the points (metres); with step, extra nodes at most step apart."""
        pts = [points[0]]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            n = 1
            if step:
                n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
            for i in range(1, n + 1):
                pts.append((x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n))
        ids = [self.node(x, y) for x, y in pts]
        wid = self.next_way
        self.next_way += 1
        self.ways.append((wid, ids, tags))
        return wid

    def write(self, path):
        if os.path.exists(path):
            os.remove(path)
        writer = osmium.SimpleWriter(path)
        try:
            meta = dict(version=1, visible=True, changeset=CHANGESET, timestamp=TIMESTAMP,
                        uid=1, user="tilsyn-tests")
            for nid, lat, lon, tags in self.node_list:
                writer.add_node(Node(id=nid, location=(lon, lat), tags=tags, **meta))
            for wid, ids, tags in self.ways:
                writer.add_way(Way(id=wid, nodes=ids, tags=tags, **meta))
        finally:
            writer.close()


def build():
    m = Map()

    # --- Elvby: rows y = 0..1000 (east-west), columns x = 0..1000 (north-south)
    grid = [0, 200, 400, 600, 800, 1000]
    row_names = ["Sørgata", "Skolegata", "Kongens gate", "Kirkegata", "Parkveien", "Nordre gate"]
    col_names = ["Vestre gate", "Bakkegata", "Torggata", "Prinsens gate", "Elvegata", "Østre gate"]

    def street_tags(name, kind, extra=None):
        t = {"highway": kind, "name": name}
        if kind == "residential":
            t["maxspeed"] = "30"
        t.update(extra or {})
        return t

    for y, name in zip(grid, row_names):
        kind = "secondary" if y == 400 else "residential"
        extra = {"oneway": "yes"} if y == 200 else None  # Skolegata: one-way eastbound
        # each street is two ways, split at x = 400 (and secondary gets its ref)
        if kind == "secondary":
            extra = {"ref": "Fv 901"}
        m.way([(0, y), (400, y)], street_tags(name, kind, extra), step=100)
        m.way([(400, y), (1000, y)], street_tags(name, kind, extra), step=100)
    for x, name in zip(grid, col_names):
        kind = "residential"
        extra = None
        if x == 600:
            kind, extra = "secondary", {"ref": "Fv 902"}
        elif x == 0:
            kind = "tertiary"
        m.way([(x, 0), (x, 600)], street_tags(name, kind, extra), step=100)
        m.way([(x, 600), (x, 1000)], street_tags(name, kind, extra), step=100)
    # a couple of cul-de-sacs
    m.way([(200, 600), (300, 700)], street_tags("Lindealléen", "residential"), step=50)
    m.way([(800, 200), (900, 300)], street_tags("Bjørkeveien", "residential"), step=50)

    # --- Fv 900: primary road from the town's south-east corner to Åsbygda (~15 km)
    route = [(1000, 0), (2500, -1500), (5000, -3000), (8000, -5000), (11000, -7500), (13000, -9000)]
    fv = {"highway": "primary", "ref": "Fv 900", "maxspeed": "80"}
    m.way(route[:3], dict(fv, name="Åsveien"), step=250)
    m.way(route[2:5], dict(fv), step=250)
    m.way(route[4:], dict(fv, name="Åsveien"), step=250)

    # --- Åsbygda: a 3 x 3 grid, 150 m apart, north-west corner at the road's end
    vx, vy = 13000, -9000
    vgrid = [0, 150, 300]
    for j, dy in enumerate(vgrid):
        m.way([(vx, vy - dy), (vx + 300, vy - dy)],
              street_tags(f"Bygdevegen {j + 1}", "residential"), step=75)
    for i, dx in enumerate(vgrid):
        m.way([(vx + dx, vy), (vx + dx, vy - 300)],
              street_tags(f"Tverrvegen {i + 1}", "residential"), step=75)

    # --- Fergeveien to the quay, the ferry, and Nesvik across the water
    m.way([(400, 1000), (400, 1600)], {"highway": "secondary", "name": "Fergeveien",
                                       "ref": "Fv 903"}, step=100)
    quay_a = (400, 1600)
    quay_b = (1500, 7500)
    m.way([quay_a, (700, 3000), (1200, 5500), quay_b],
          {"route": "ferry", "motor_vehicle": "yes", "foot": "yes", "bicycle": "yes",
           "duration": "00:25", "name": "Elvby–Nesvik"}, step=500)
    m.way([quay_b, (1500, 7700)], {"highway": "secondary", "name": "Nesvikvegen",
                                   "ref": "Fv 903"}, step=100)
    nx, ny = 1500, 7700
    for j, dy in enumerate([0, 200, 400]):
        m.way([(nx, ny + dy), (nx + 600, ny + dy)],
              street_tags(f"Strandvegen {j + 1}", "residential"), step=100)
    for i, dx in enumerate([0, 200, 400, 600]):
        m.way([(nx + dx, ny), (nx + dx, ny + 400)],
              street_tags(f"Nesbakken {i + 1}", "residential"), step=100)

    # --- Ytterøya: an island outline, no roads (nothing routable)
    ix, iy, r = -12000, 12000, 800
    ring = [(ix + r * math.cos(a * math.pi / 6), iy + r * math.sin(a * math.pi / 6))
            for a in range(12)]
    ids = [m.node(x, y) for x, y in ring]
    wid = m.next_way
    m.next_way += 1
    m.ways.append((wid, ids + [ids[0]], {"place": "island", "name": "Ytterøya"}))
    m.node(ix, iy, {"place": "locality", "name": "Ytterøya"})

    points = {
        "office": ("Elvby office, Kongens gate by Prinsens gate (15 m off the street)", 620, 415),
        "homes": [
            ("home_nordre", "Nordre gate, 12 m off", 210, 1012),
            ("home_ostre", "Østre gate, 15 m off", 985, 150),
            ("home_torg", "Torggata, 5 m off", 395, 560),
            ("home_elve", "Elvegata, 10 m off", 810, 690),
            ("home_skole", "Skolegata (one-way), 5 m off", 50, 205),
            ("village_home", "Åsbygda, Bygdevegen 2 (via Fv 900, ~15 km)", vx + 220, vy - 140),
        ],
        "ferry_home": ("Nesvik, Strandvegen 2 (only by the 25-minute ferry)", nx + 310, ny + 190),
        "island_home": ("Ytterøya, no roads within 10 km", ix + 100, iy - 50),
    }
    return m, points


def point(name, note, x, y):
    lat, lon = to_latlon(x, y)
    return {"name": name, "lat": round(lat, 6), "lon": round(lon, 6), "note": note}


def points_json(points):
    office = point("office", *points["office"])
    homes = [point(*h) for h in points["homes"]]
    return {
        "about": "Named test points on the synthetic map written by "
                 "tests/engines/make_network.py (regenerate with --points). "
                 "All but island_home lie within 15 m of a road.",
        "origin": {"lat": ORIGIN_LAT, "lon": ORIGIN_LON},
        "office": office,
        "homes": homes,
        "ferry_home": point("ferry_home", *points["ferry_home"]),
        "island_home": point("island_home", *points["island_home"]),
        "notes": [
            "Town Elvby: 6 x 6 street grid 200 m apart around 63.43 N, 10.40 E; "
            "Skolegata is one-way eastbound.",
            "village_home is in Åsbygda, ~15 km south-east by the primary road Fv 900 "
            "(maxspeed 80).",
            "ferry_home is in Nesvik, reached only by the ferry Elvby–Nesvik "
            "(route=ferry, motor_vehicle=yes, duration=00:25, ~6 km); any trip there "
            "takes at least 25 minutes.",
            "island_home is on Ytterøya, more than 10 km from any road: snapping with a "
            "2,000 m limit fails (OSRM NoSegment; Valhalla error 171 for /route, 170 for "
            "/sources_to_targets, which checks connectivity after snapping).",
        ],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="output .osm.pbf")
    ap.add_argument("--points", help="also write the named test points as JSON here")
    args = ap.parse_args()
    m, points = build()
    tmp = args.out + ".tmp.osm.pbf"
    m.write(tmp)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {len(m.node_list)} nodes, {len(m.ways)} ways", file=sys.stderr)
    if args.points:
        with open(args.points, "w", encoding="utf-8") as f:
            json.dump(points_json(points), f, ensure_ascii=False, indent=2)
            f.write("\n")
        print(f"wrote {args.points}", file=sys.stderr)


if __name__ == "__main__":
    main()
