#!/usr/bin/env bash
# Start the real OSRM and Valhalla servers built by setup.sh, query them with
# curl, check the answers, stop both servers.
#
#   bash tests/engines/smoke.sh target/engines
#
# Each server binds 127.0.0.1 on a free port; both are stopped by pid (SIGTERM)
# when the script ends, however it ends. Exit 0 only if every check passed.
set -uo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/engines.env" ]; then
  echo "usage: bash tests/engines/smoke.sh OUT_DIR   (OUT_DIR from tests/engines/setup.sh)" >&2
  exit 2
fi
out=$(cd "$1" && pwd)
command -v curl >/dev/null || { echo "error: curl is needed" >&2; exit 2; }
while IFS='=' read -r key value; do
  [ -n "$key" ] && export "$key=$value"
done <"$out/engines.env"
py=$ENGINES_PYTHON
net=$ENGINES_NETWORK

run=$(mktemp -d "${TMPDIR:-/tmp}/tilsyn-engines.XXXXXX")
osrm_pid=""
valhalla_pid=""
valhalla2_pid=""
stop() {
  local pid
  for pid in $osrm_pid $valhalla_pid $valhalla2_pid; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in $osrm_pid $valhalla_pid $valhalla2_pid; do
    wait "$pid" 2>/dev/null
  done
  osrm_pid=""
  valhalla_pid=""
  valhalla2_pid=""
}
trap 'stop; rm -rf "$run"' EXIT
trap 'exit 130' INT TERM

failures=0
pass() { echo "  ok    $*"; }
fail() {
  echo "  FAIL  $*"
  failures=$((failures + 1))
}
# check DESCRIPTION PYTHON-EXPRESSION FILE...: the expression, over the JSON
# files loaded as a, b, ... (and the test points as net), must be true
check() {
  local what=$1 expr=$2
  shift 2
  if "$py" - "$expr" "$net" "$@" <<'EOF'; then pass "$what"; else fail "$what"; fi
import json, sys
expr, netfile, *files = sys.argv[1:]
net = json.load(open(netfile))
env = {"net": net}
for name, f in zip("abcdefgh", files):
    env[name] = json.load(open(f))
try:
    ok = eval(expr, env)
except Exception as e:  # a missing key is a failed check, shown
    print(f"        ({type(e).__name__}: {e})")
    ok = False
sys.exit(0 if ok else 1)
EOF
}
# pyrun CODE ARGS...: run Python code with the test points loaded as net
pyrun() {
  local code=$1
  shift
  "$py" -c "import json, sys; net = json.load(open('$net')); $code" "$@"
}
free_port() {
  "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
# get URL FILE: HTTP GET, body to FILE, prints the status code
get() { curl -s -o "$2" -w '%{http_code}' "$1"; }
# post URL JSON FILE: HTTP POST of a JSON body, body to FILE, prints the status code
post() { curl -s -o "$3" -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$1"; }
# wait_up NAME URL PID: until URL answers 200 (at most 30 s)
wait_up() {
  local name=$1 url=$2 pid=$3 t0
  t0=$(now)
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail "$name exited at start; its log:"
      sed 's/^/        /' "$run/$name.log"
      return 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; then
      pass "$name answers after $(since "$t0") s"
      return 0
    fi
    sleep 0.05
  done
  fail "$name did not answer within 30 s"
  return 1
}

# --- the points -----------------------------------------------------------------
# matrix order: office, the homes, ferry_home
names=$(pyrun 'print(" ".join(["office"] + [h["name"] for h in net["homes"]] + ["ferry_home"]))')
osrm_coords=$(pyrun 'ps = [net["office"]] + net["homes"] + [net["ferry_home"]]; print(";".join("%s,%s" % (p["lon"], p["lat"]) for p in ps))')
n=$(wc -w <<<"$names")
radiuses=$(pyrun 'print(";".join(["2000"] * int(sys.argv[1])))' "$n")
office=$(pyrun 'p = net["office"]; print(p["lon"], p["lat"], sep=",")')
ferry=$(pyrun 'p = net["ferry_home"]; print(p["lon"], p["lat"], sep=",")')
island=$(pyrun 'p = net["island_home"]; print(p["lon"], p["lat"], sep=",")')
i_ferry=$((n - 1))
# Valhalla locations: each with search_cutoff 2000 (metres): no snap beyond it
vloc() { pyrun 'p = eval(sys.argv[1], {"net": net}); print(json.dumps({"lat": p["lat"], "lon": p["lon"], "search_cutoff": 2000}))' "$1"; }
v_all=$(pyrun 'ps = [net["office"]] + net["homes"] + [net["ferry_home"]]; print(json.dumps([{"lat": p["lat"], "lon": p["lon"], "search_cutoff": 2000} for p in ps]))')
v_office=$(vloc 'net["office"]')
v_ferry=$(vloc 'net["ferry_home"]')
v_island=$(vloc 'net["island_home"]')
v_home=$(vloc 'net["homes"][0]')

# print_matrix FILE EXPR-FOR-ROWS UNIT-DIVISOR LABEL
print_matrix() {
  "$py" - "$1" "$2" "$3" "$4" $names <<'EOF'
import json, sys
f, expr, div, label, *names = sys.argv[1:]
rows = eval(expr, {"d": json.load(open(f))})
print(f"        {label}")
print("        " + " " * 13 + "".join(f"{n[:9]:>10}" for n in names))
for name, row in zip(names, rows):
    cells = ["      null" if v is None else f"{v / float(div):10.1f}" for v in row]
    print(f"        {name[:12]:<13}" + "".join(cells))
EOF
}

# --- start both servers ------------------------------------------------------------
echo "== start servers"
op=$(free_port)
t0=$(now)
"$OSRM_ROUTED" --algorithm "$OSRM_ALGORITHM" --ip 127.0.0.1 --port "$op" "$OSRM_DATA" >"$run/osrm-routed.log" 2>&1 &
osrm_pid=$!
wait_up osrm-routed "http://127.0.0.1:$op/nearest/v1/driving/$office" "$osrm_pid" || exit 1

vp=$(free_port)
sed "s|$VALHALLA_LISTEN_PLACEHOLDER|tcp://127.0.0.1:$vp|" "$VALHALLA_CONFIG" >"$run/valhalla.json"
"$VALHALLA_SERVICE" "$run/valhalla.json" "$VALHALLA_CONCURRENCY" >"$run/valhalla_service.log" 2>&1 &
valhalla_pid=$!
wait_up valhalla_service "http://127.0.0.1:$vp/status" "$valhalla_pid" || exit 1
echo "  (osrm-routed pid $osrm_pid port $op; valhalla_service pid $valhalla_pid port $vp; $(since "$t0") s for both)"

O="http://127.0.0.1:$op"
V="http://127.0.0.1:$vp"

# --- OSRM ---------------------------------------------------------------------------
echo "== OSRM /table: office, homes, ferry_home (radiuses 2000 m each)"
code=$(get "$O/table/v1/driving/$osrm_coords?annotations=duration,distance&radiuses=$radiuses" "$run/o_table.json")
[ "$code" = 200 ] && pass "HTTP 200" || fail "HTTP $code"
check 'code is "Ok", keys code, durations, distances, sources, destinations' \
  'a["code"] == "Ok" and {"code", "durations", "distances", "sources", "destinations"} <= set(a)' "$run/o_table.json"
print_matrix "$run/o_table.json" 'd["durations"]' 60 "durations, minutes (rows from, columns to)"
print_matrix "$run/o_table.json" 'd["distances"]' 1000 "distances, km"
check "every pair reachable" 'all(v is not None for r in a["durations"] + a["distances"] for v in r)' "$run/o_table.json"
check "office <-> ferry_home takes >= 25 min both ways (the ferry)" \
  "a['durations'][0][$i_ferry] >= 1500 and a['durations'][$i_ferry][0] >= 1500" "$run/o_table.json"
check "town trips (office <-> town homes) under 5 min" \
  "all(a['durations'][0][j] < 300 and a['durations'][j][0] < 300 for j in range(1, $i_ferry - 1))" "$run/o_table.json"
check "village_home is 14-20 km by road" "14000 < a['distances'][0][$i_ferry - 1] < 20000" "$run/o_table.json"
check "snap distances (sources[].distance, m) all under 50 m" 'all(s["distance"] < 50 for s in a["sources"])' "$run/o_table.json"

echo "== OSRM /table with island_home (radiuses 2000 m)"
code=$(get "$O/table/v1/driving/$office;$island?annotations=duration,distance&radiuses=2000;2000" "$run/o_island.json")
echo "        HTTP $code $(cat "$run/o_island.json")"
[ "$code" = 400 ] && pass "HTTP 400" || fail "HTTP $code, want 400"
check 'code "NoSegment" naming coordinate 1' 'a["code"] == "NoSegment" and "coordinate 1" in a["message"]' "$run/o_island.json"
code=$(get "$O/table/v1/driving/$office;$island?annotations=duration" "$run/o_island_nolimit.json")
check "without radiuses OSRM snaps island_home to a road > 10 km away (no default limit)" \
  'a["code"] == "Ok" and a["destinations"][1]["distance"] > 10000' "$run/o_island_nolimit.json"

echo "== OSRM /table with the ferry excluded (exclude=ferry): an unreachable pair"
code=$(get "$O/table/v1/driving/$office;$ferry?annotations=duration,distance&radiuses=2000;2000&exclude=ferry" "$run/o_excl.json")
echo "        HTTP $code durations $(pyrun 'print(json.load(open(sys.argv[1]))["durations"])' "$run/o_excl.json")"
check 'HTTP 200 body, code "Ok", unreachable pair null in durations and distances' \
  'a["code"] == "Ok" and a["durations"][0][1] is None and a["distances"][1][0] is None' "$run/o_excl.json"
code=$(get "$O/route/v1/driving/$office;$ferry?exclude=ferry" "$run/o_excl_route.json")
echo "        /route: HTTP $code $(cat "$run/o_excl_route.json")"
check '/route gives code "NoRoute"' 'a["code"] == "NoRoute"' "$run/o_excl_route.json"

echo "== OSRM /route office -> ferry_home (overview=full, geometries=polyline6, steps=true)"
code=$(get "$O/route/v1/driving/$office;$ferry?overview=full&geometries=polyline6&steps=true&radiuses=2000;2000" "$run/o_route.json")
[ "$code" = 200 ] && pass "HTTP 200" || fail "HTTP $code"
pyrun 'd = json.load(open(sys.argv[1]))["routes"][0]; print("        duration %s s, distance %s m, geometry %s..." % (d["duration"], d["distance"], d["geometry"][:32]))' "$run/o_route.json"
check "a step with mode ferry lasting 25 min (1,490 s or more: segment durations are rounded)" \
  'any(s["mode"] == "ferry" and s["duration"] >= 1490 for l in a["routes"][0]["legs"] for s in l["steps"])' "$run/o_route.json"
check "route duration equals the table's office -> ferry_home" \
  "abs(a['routes'][0]['duration'] - b['durations'][0][$i_ferry]) < 1" "$run/o_route.json" "$run/o_table.json"

# decode_ends FILE EXPR PRECISION: first and last point of an encoded polyline
decode_check() {
  local what=$1 file=$2 expr=$3 starts=$4 ends=$5
  if "$py" - "$file" "$expr" "$starts" "$ends" <<'EOF'; then pass "$what"; else fail "$what"; fi
import json, sys
f, expr, starts, ends = sys.argv[1:]
d = json.load(open(f))
s = eval(expr, {"d": d})
def decode(s, precision):
    pts, i, lat, lon = [], 0, 0, 0
    while i < len(s):
        vals = []
        for _ in range(2):
            shift = result = 0
            while True:
                b = ord(s[i]) - 63
                i += 1
                result |= (b & 0x1F) << shift
                shift += 5
                if b < 0x20:
                    break
            vals.append(~(result >> 1) if result & 1 else result >> 1)
        lat += vals[0]
        lon += vals[1]
        pts.append((lat / 10**precision, lon / 10**precision))
    return pts
a = eval(starts, {"d": d, "json": json})
b = eval(ends, {"d": d, "json": json})
pts = decode(s, 6)
near = lambda p, q: abs(p[0] - q[0]) < 2e-5 and abs(p[1] - q[1]) < 2e-5
ok = near(pts[0], a) and near(pts[-1], b)
print(f"        {len(pts)} points, first {pts[0]}, last {pts[-1]} (precision 6)")
sys.exit(0 if ok else 1)
EOF
}
decode_check "geometry decodes at precision 6 to the snapped waypoints" "$run/o_route.json" \
  'd["routes"][0]["geometry"]' \
  '(d["waypoints"][0]["location"][1], d["waypoints"][0]["location"][0])' \
  '(d["waypoints"][1]["location"][1], d["waypoints"][1]["location"][0])'

# --- Valhalla ---------------------------------------------------------------------
echo "== Valhalla /sources_to_targets: office, homes, ferry_home (search_cutoff 2000 m each)"
body="{\"sources\":$v_all,\"targets\":$v_all,\"costing\":\"auto\"}"
code=$(post "$V/sources_to_targets" "$body" "$run/v_matrix.json")
[ "$code" = 200 ] && pass "HTTP 200" || fail "HTTP $code"
check "keys sources_to_targets, sources, targets, units kilometers, algorithm" \
  'set(a) >= {"sources_to_targets", "sources", "targets", "units"} and a["units"] == "kilometers"' "$run/v_matrix.json"
print_matrix "$run/v_matrix.json" '[[c["time"] for c in r] for r in d["sources_to_targets"]]' 60 "time, minutes"
print_matrix "$run/v_matrix.json" '[[c["distance"] for c in r] for r in d["sources_to_targets"]]' 1 "distance, km"
check "every pair reachable" 'all(c["time"] is not None for r in a["sources_to_targets"] for c in r)' "$run/v_matrix.json"
check "office <-> ferry_home takes >= 25 min both ways" \
  "a['sources_to_targets'][0][$i_ferry]['time'] >= 1500 and a['sources_to_targets'][$i_ferry][0]['time'] >= 1500" "$run/v_matrix.json"

echo "== the engines agree (each pair within 35 % or 2 min)"
if "$py" - "$run/o_table.json" "$run/v_matrix.json" $names <<'EOF'; then pass "durations agree"; else fail "durations disagree"; fi
import json, sys
o, v, *names = sys.argv[1:]
o = json.load(open(o))["durations"]
v = [[c["time"] for c in r] for r in json.load(open(v))["sources_to_targets"]]
bad, worst = 0, (0, "")
for i, a in enumerate(names):
    for j, b in enumerate(names):
        x, y = o[i][j], v[i][j]
        diff = abs(x - y)
        if diff > max(120, 0.35 * max(x, y)):
            bad += 1
            print(f"        {a} -> {b}: OSRM {x:.0f} s, Valhalla {y:.0f} s")
        if max(x, y) > 0 and diff / max(x, y) > worst[0]:
            worst = (diff / max(x, y), f"{a} -> {b}: OSRM {x:.0f} s, Valhalla {y:.0f} s")
print(f"        largest relative difference {worst[0]:.0%} ({worst[1]})")
sys.exit(1 if bad else 0)
EOF

echo "== Valhalla /sources_to_targets with island_home (search_cutoff 2000 m)"
code=$(post "$V/sources_to_targets" "{\"sources\":[$v_office],\"targets\":[$v_office,$v_island],\"costing\":\"auto\"}" "$run/v_island.json")
echo "        HTTP $code $(cat "$run/v_island.json")"
[ "$code" = 400 ] && pass "HTTP 400" || fail "HTTP $code, want 400"
check "error_code 170 (the matrix checks connectivity; island_home snapped nowhere)" \
  'a["error_code"] == 170 and a["status_code"] == 400' "$run/v_island.json"
echo "== Valhalla /route with island_home (search_cutoff 2000 m)"
code=$(post "$V/route" "{\"locations\":[$v_office,$v_island],\"costing\":\"auto\"}" "$run/v_island_route.json")
echo "        HTTP $code $(cat "$run/v_island_route.json")"
check 'HTTP 400, error_code 171 "No suitable edges near location"' \
  'a["error_code"] == 171 and a["error"] == "No suitable edges near location"' "$run/v_island_route.json"
plain() { pyrun 'p = eval(sys.argv[1], {"net": net}); print(json.dumps({"lat": p["lat"], "lon": p["lon"]}))' "$1"; }
code=$(post "$V/sources_to_targets" "{\"sources\":[$(plain 'net["office"]')],\"targets\":[$(plain 'net["island_home"]')],\"costing\":\"auto\"}" "$run/v_island_nolimit.json")
check "without search_cutoff Valhalla snaps island_home > 10 km away (default cutoff 35 km)" \
  'a["sources_to_targets"][0][0]["time"] is not None' "$run/v_island_nolimit.json"

echo "== Valhalla /sources_to_targets with the ferry excluded (exclude_polygons): an unreachable pair"
# a band across the ferry line, about 3.5 km by 0.7 km: Valhalla refuses polygons
# longer than service_limits.max_exclude_polygons_length (10,000 m by default)
poly=$(pyrun 'f = net["ferry_home"]; o = net["office"]; lat = (o["lat"] + f["lat"]) / 2; print(json.dumps([[[10.39, lat - 0.003], [10.46, lat - 0.003], [10.46, lat + 0.003], [10.39, lat + 0.003], [10.39, lat - 0.003]]]))')
code=$(post "$V/sources_to_targets" "{\"sources\":[$v_office,$v_ferry],\"targets\":[$v_office,$v_home],\"costing\":\"auto\",\"exclude_polygons\":$poly}" "$run/v_excl.json")
echo "        HTTP $code row ferry_home: $(pyrun 'print(json.dumps(json.load(open(sys.argv[1]))["sources_to_targets"][1]))' "$run/v_excl.json")"
check 'HTTP 200, unreachable pairs {"from_index","to_index","time":null,"distance":null,"cost":null}' \
  'a["sources_to_targets"][1][0]["time"] is None and a["sources_to_targets"][1][1]["distance"] is None and a["sources_to_targets"][0][1]["time"] > 0' "$run/v_excl.json"
code=$(post "$V/sources_to_targets" "{\"sources\":[$v_office,$v_ferry],\"targets\":[$v_office,$v_home],\"costing\":\"auto\",\"exclude_polygons\":$poly,\"verbose\":false}" "$run/v_excl_concise.json")
echo "        verbose=false: HTTP $code $(cat "$run/v_excl_concise.json")"
check 'verbose=false: sources_to_targets {"durations", "distances"} with null' \
  'a["sources_to_targets"]["durations"][1][0] is None' "$run/v_excl_concise.json"

echo "== Valhalla /route office -> ferry_home"
code=$(post "$V/route" "{\"locations\":[$v_office,$v_ferry],\"costing\":\"auto\",\"directions_type\":\"none\"}" "$run/v_route.json")
[ "$code" = 200 ] && pass "HTTP 200" || fail "HTTP $code"
pyrun 't = json.load(open(sys.argv[1]))["trip"]; s = t["summary"]; print("        time %s s, length %s km, has_ferry %s, shape %s..." % (s["time"], s["length"], s["has_ferry"], t["legs"][0]["shape"][:32]))' "$run/v_route.json"
check "trip.status 0, has_ferry, time >= 25 min" \
  'a["trip"]["status"] == 0 and a["trip"]["summary"]["has_ferry"] and a["trip"]["summary"]["time"] >= 1500' "$run/v_route.json"
check "route time equals the matrix's office -> ferry_home (to the second)" \
  "abs(a['trip']['summary']['time'] - b['sources_to_targets'][0][$i_ferry]['time']) <= 1" "$run/v_route.json" "$run/v_matrix.json"
# (trip.locations echoes the input points; the snapped ones are the matrix's)
decode_check "shape decodes at precision 6 to the snapped locations" "$run/v_route.json" \
  'd["trip"]["legs"][0]["shape"]' \
  "(lambda m: (m['sources'][0]['lat'], m['sources'][0]['lon']))(json.load(open('$run/v_matrix.json')))" \
  "(lambda m: (m['targets'][$i_ferry]['lat'], m['targets'][$i_ferry]['lon']))(json.load(open('$run/v_matrix.json')))"

# --- Valhalla without the connectivity check ---------------------------------------
echo "== Valhalla with loki.use_connectivity false: island_home in a matrix"
vp2=$(free_port)
"$py" - "$run/valhalla.json" "$run/valhalla-noconn.json" "$vp2" <<'EOF'
import json, sys
src, dst, port = sys.argv[1:]
c = json.load(open(src))
c["loki"]["use_connectivity"] = False
c["httpd"]["service"]["listen"] = f"tcp://127.0.0.1:{port}"
json.dump(c, open(dst, "w"), indent=2)
EOF
"$VALHALLA_SERVICE" "$run/valhalla-noconn.json" "$VALHALLA_CONCURRENCY" >"$run/valhalla_noconn.log" 2>&1 &
valhalla2_pid=$!
if wait_up valhalla_noconn "http://127.0.0.1:$vp2/status" "$valhalla2_pid"; then
  V2="http://127.0.0.1:$vp2"
  m="\"sources\":[$v_office,$v_island],\"targets\":[$v_office,$v_home],\"costing\":\"auto\""
  code=$(post "$V2/sources_to_targets" "{$m,\"verbose\":false}" "$run/v2_concise.json")
  echo "        verbose=false: HTTP $code $(cat "$run/v2_concise.json")"
  check "verbose=false: HTTP 200, island_home's row null, the rest filled" \
    'a["sources_to_targets"]["durations"][1] == [None, None] and a["sources_to_targets"]["durations"][0][1] > 0' \
    "$run/v2_concise.json"
  code=$(post "$V2/sources_to_targets" "{$m}" "$run/v2_verbose.json")
  echo "        verbose=true (the default): HTTP $code $(cat "$run/v2_verbose.json")"
  echo "        (Valhalla 3.9.1 fails to write the verbose form with an unsnapped location)"
fi

# --- stop ---------------------------------------------------------------------------
echo "== stop servers (SIGTERM by pid)"
for name in osrm-routed valhalla_service valhalla_noconn; do
  case $name in
    osrm-routed) pid=$osrm_pid port=$op ;;
    valhalla_service) pid=$valhalla_pid port=$vp ;;
    valhalla_noconn) pid=$valhalla2_pid port=$vp2 ;;
  esac
  [ -n "$pid" ] || continue
  t0=$(now)
  kill -TERM "$pid"
  wait "$pid"
  rc=$?
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    fail "$name still answers on port $port"
  else
    pass "$name (pid $pid) stopped after $(since "$t0") s, exit status $rc"
  fi
done
osrm_pid=""
valhalla_pid=""
valhalla2_pid=""

echo
if [ "$failures" -eq 0 ]; then
  echo "smoke: all checks passed"
else
  echo "smoke: $failures check(s) failed"
  exit 1
fi
