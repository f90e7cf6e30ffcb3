#!/usr/bin/env bash
# Against the best solvers, side by side (issue 3, item 6).
#
# Exports the routing core of a quarter's plan (day trips by car, one vehicle
# per caseworker-day, one client per required visit) as a JSON instance,
# solves it with PyVRP, OR-Tools and VROOM at equal time budgets, one thread
# each, and with `tilsyn solve-vrp`; checks every solution with the one
# checker (check.py, from the instance file only) and prints the table.
#
#   bash benches/compare/run.sh [--data DIR] [--quarter 2027Q1] [--budgets "1 10 60"] [--out DIR]
#
# The solvers go into a venv (default target/compare-venv, or $VENV) from
# PyPI at the versions pinned in requirements.txt. Results (instance,
# solutions, table.md, table.csv, machine.txt) go to --out, default
# benches/compare/results/<dataset>-<quarter>; the JSON files there are
# git-ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."

data=data/trondheim
quarter=2027Q1
budgets="1 10 60"
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --quarter) quarter=$2; shift 2 ;;
    --budgets) budgets=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

[ -n "$out" ] || out="benches/compare/results/$(basename "$data")-$quarter"

venv=${VENV:-target/compare-venv}
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating the venv $venv"
  python3 -m venv "$venv"
fi
echo "== installing the solvers (requirements.txt)"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r benches/compare/requirements.txt
py="$venv/bin/python"

echo "== building tilsyn"
cargo build --release --quiet
bin=target/release/tilsyn

mkdir -p "$out"
chmod 700 "$out"
inst="$out/instance.json"
echo "== exporting $data $quarter"
"$bin" export-vrp --data "$data" --quarter "$quarter" --out "$inst"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "load before: $(uptime)"
} >"$out/machine.txt"

# One thread each: the solvers' own settings, and no BLAS or OpenMP pool.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

echo "== tilsyn solve-vrp"
"$bin" solve-vrp "$inst" --out "$out/tilsyn.json"
solutions=("$out/tilsyn.json")
for b in $budgets; do
  for s in pyvrp ortools vroom; do
    echo "== $s, budget $b s"
    if "$py" benches/compare/solvers.py "$s" "$inst" "$b" "$out/$s-$b.json"; then
      solutions+=("$out/$s-$b.json")
    else
      echo "$s at $b s failed; it is left out of the table" >&2
    fi
  done
done
echo "load after: $(uptime)" >>"$out/machine.txt"

echo "== checking every solution (check.py) and the table"
status=0
"$py" benches/compare/check.py "$inst" "${solutions[@]}" --md "$out/table.md" --csv "$out/table.csv" || status=$?
cat "$out/machine.txt"
exit $status
