#!/usr/bin/env bash
# Build real OSRM and Valhalla routing data from the synthetic map of
# tests/engines/make_network.py, for integration tests that start the servers
# themselves.
#
#   bash tests/engines/setup.sh target/engines
#
# Needs a Python >= 3.12 (the pinned pyvalhalla and osrm-bindings wheels on PyPI
# are cp312-abi3 only; there is nothing to install for an older Python) and
# PyPI. Writes into OUT (created):
#   venv/            the Python venv with the pinned wheels (engine binaries inside)
#   net.osm.pbf      the synthetic map; network.json, its named test points
#   osrm/net.osrm.*  OSRM data, MLD pipeline (extract, partition, customize)
#   valhalla/tiles/  Valhalla graph tiles
#   valhalla/config.template.json   valhalla_service config; listen address
#                    tcp://127.0.0.1:PORT, where a test puts its own port
#   engines.env      KEY=VALUE lines for the tests (binaries, data, config)
# Idempotent: a step whose outputs are newer than its inputs is skipped.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bash tests/engines/setup.sh OUT_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

PINS="pyvalhalla==3.9.1 osrm-bindings==26.10.0 osmium==4.3.2"

t_start=$EPOCHREALTIME
t_step=$t_start
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
done_step() {
  echo "   $1 ($(elapsed "$t_step") s)"
  t_step=$EPOCHREALTIME
}
# fresh OUT IN...: OUT exists and is newer than every IN
fresh() {
  local target=$1
  shift
  [ -e "$target" ] || return 1
  local f
  for f in "$@"; do
    [ "$target" -nt "$f" ] || return 1
  done
}
# run LOG CMD...: run a build command, its output to LOG; on failure show the log's end
run() {
  local log=$1
  shift
  if ! "$@" >>"$log" 2>&1; then
    echo "error: $(basename "$1") failed; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

# --- 1. a Python >= 3.12 --------------------------------------------------
echo "== Python >= 3.12"
is_py312() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
python=""
candidates=(python3.13 python3.12)
shopt -s nullglob
candidates+=(/root/.pyenv/versions/3.1[2-9]*/bin/python3)
if command -v pyenv >/dev/null 2>&1; then
  candidates+=("$(pyenv root)"/versions/3.1[2-9]*/bin/python3)
fi
shopt -u nullglob
candidates+=(python3)
for c in "${candidates[@]}"; do
  # a pyenv shim is on PATH even when its version is not selected, and then
  # fails when run: so each candidate is run, not just looked up
  if is_py312 "$c"; then
    python=$(command -v "$c")
    break
  fi
done
if [ -z "$python" ]; then
  cat >&2 <<'EOF'
error: no Python >= 3.12 found (tried python3.13, python3.12 on PATH,
/root/.pyenv/versions/3.1[2-9]*, $(pyenv root)/versions/3.1[2-9]*, python3).
The routing engines come as PyPI wheels, pyvalhalla 3.9.1 and osrm-bindings
26.10.0, that are built only for CPython >= 3.12 (cp312-abi3 manylinux); pip
finds no matching distribution for an older Python. Install Python 3.12 or
newer (e.g. `pyenv install 3.12`, or Debian's python3 on trixie) and re-run.
EOF
  exit 1
fi
echo "   $python ($("$python" -c 'import platform; print(platform.python_version())'))"
done_step "found"

# --- 2. the venv with the pinned wheels ------------------------------------
echo "== venv with $PINS"
venv=$out/venv
vpy=$venv/bin/python
stamp=$venv/.tilsyn-pins
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$PINS" ] && "$vpy" -c 'import osmium, valhalla, osrm' 2>/dev/null; then
  done_step "present, skipped"
else
  rm -rf "$venv"
  if ! "$python" -m venv "$venv"; then
    echo "error: $python -m venv failed (on Debian, install python3-venv)" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  "$vpy" -m pip install --disable-pip-version-check --quiet --only-binary=:all: $PINS
  echo "$PINS" >"$stamp"
  done_step "installed"
fi
site=$("$vpy" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
osrm_bin=$site/osrm/bin
osrm_profile=$site/osrm/share/profiles/car.lua
valhalla_bin=$site/valhalla/bin
for b in "$osrm_bin"/osrm-extract "$osrm_bin"/osrm-partition "$osrm_bin"/osrm-customize \
  "$osrm_bin"/osrm-routed "$valhalla_bin"/valhalla_build_tiles "$valhalla_bin"/valhalla_service \
  "$osrm_profile"; do
  if [ ! -e "$b" ]; then
    echo "error: $b is missing from the installed wheels" >&2
    exit 1
  fi
done
# the binaries find their shared libraries themselves (OSRM's are linked in;
# Valhalla's carry an RPATH to the wheel's pyvalhalla.libs): check it
for b in "$osrm_bin"/osrm-routed "$valhalla_bin"/valhalla_service "$valhalla_bin"/valhalla_build_tiles; do
  if ldd "$b" | grep -q 'not found'; then
    echo "error: $b misses shared libraries:" >&2
    ldd "$b" | grep 'not found' >&2
    exit 1
  fi
done

# --- 3. the synthetic map ---------------------------------------------------
echo "== map"
pbf=$out/net.osm.pbf
if fresh "$pbf" "$here/make_network.py" && fresh "$out/network.json" "$here/make_network.py"; then
  done_step "present, skipped"
else
  "$vpy" "$here/make_network.py" "$pbf" --points "$out/network.json"
  done_step "written"
fi
if ! cmp -s "$out/network.json" "$here/network.json"; then
  echo "error: tests/engines/network.json differs from what make_network.py writes;" >&2
  echo "regenerate it: $vpy tests/engines/make_network.py $pbf --points tests/engines/network.json" >&2
  exit 1
fi

# --- 4. OSRM: extract, partition, customize (MLD) ---------------------------
echo "== OSRM data (MLD)"
osrm_dir=$out/osrm
osrm_data=$osrm_dir/net.osrm
if fresh "$osrm_dir/.built" "$pbf" "$osrm_profile"; then
  done_step "present, skipped"
else
  rm -rf "$osrm_dir"
  mkdir -p "$osrm_dir"
  cp "$pbf" "$osrm_dir/net.osm.pbf"
  log=$osrm_dir/build.log
  run "$log" "$osrm_bin/osrm-extract" -p "$osrm_profile" "$osrm_dir/net.osm.pbf"
  run "$log" "$osrm_bin/osrm-partition" "$osrm_data"
  run "$log" "$osrm_bin/osrm-customize" "$osrm_data"
  rm -f "$osrm_dir/net.osm.pbf"
  touch "$osrm_dir/.built"
  done_step "built"
fi

# --- 5. Valhalla: config and tiles -----------------------------------------
echo "== Valhalla tiles"
v_dir=$out/valhalla
v_config=$v_dir/config.template.json
if fresh "$v_dir/.built" "$pbf" "$here/setup.sh" "$valhalla_bin/valhalla_build_tiles"; then
  done_step "present, skipped"
else
  rm -rf "$v_dir"
  mkdir -p "$v_dir/tiles"
  # valhalla_build_config is the wheel's Python helper (console script); the
  # unused data sources are dropped so the service logs no errors about them
  "$venv/bin/valhalla_build_config" \
    --mjolnir-tile-dir "$v_dir/tiles" \
    --mjolnir-concurrency 1 \
    --logging-color false \
    --httpd-service-listen 'tcp://127.0.0.1:PORT' \
    --httpd-service-drain-seconds 0 \
    --httpd-service-shutdown-seconds 0 \
    >"$v_dir/config.generated.json"
  "$vpy" - "$v_dir/config.generated.json" "$v_config" <<'EOF'
import json, sys
src, dst = sys.argv[1:]
c = json.load(open(src))
m = c["mjolnir"]
for key in ("tile_extract", "traffic_extract", "admin", "timezone", "landmarks"):
    m.pop(key, None)
c["additional_data"].pop("elevation", None)
json.dump(c, open(dst, "w"), indent=2)
EOF
  rm "$v_dir/config.generated.json"
  run "$v_dir/build.log" "$valhalla_bin/valhalla_build_tiles" -c "$v_config" "$pbf"
  touch "$v_dir/.built"
  done_step "built"
fi

# --- 6. engines.env -----------------------------------------------------------
cat >"$out/engines.env.tmp" <<EOF
OSRM_ROUTED=$osrm_bin/osrm-routed
OSRM_DATA=$osrm_data
OSRM_ALGORITHM=mld
VALHALLA_SERVICE=$valhalla_bin/valhalla_service
VALHALLA_CONFIG=$v_config
VALHALLA_LISTEN_PLACEHOLDER=tcp://127.0.0.1:PORT
VALHALLA_CONCURRENCY=1
ENGINES_NETWORK=$here/network.json
ENGINES_PYTHON=$vpy
EOF
mv "$out/engines.env.tmp" "$out/engines.env"
echo "== wrote $out/engines.env"
sed 's/^/   /' "$out/engines.env"
echo "== total $(elapsed "$t_start") s; $(du -sh "$out" | cut -f1) in $out"
