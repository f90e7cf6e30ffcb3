#!/usr/bin/env bash
# Scale bench (issue 3, item 5): generates Norway-wide datasets of growing size,
# plans 2027Q1 for each, checks the plan, and prints wall time, peak memory and
# the plan's figures, one row per size.
#
#   bash benches/scale.sh [--sizes "358:23:1 1000:60:3 3000:180:6 10000:600:20"]
#                         [--settings FILE] [--seed 2027] [--out DIR]
#
# Each size is children:caseworkers:offices. Datasets and plans go to --out
# (default target/scale); the table is printed and written to scale.md there.
# Times are wall-clock on whatever else the machine is doing: the load average
# is printed with each row.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="358:23:1 1000:60:3 3000:180:6 10000:600:20"
settings=
seed=2027
out=target/scale
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --settings) settings=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }

cargo build --release --quiet
bin=target/release/tilsyn
mkdir -p "$out"
chmod 700 "$out"
table="$out/scale.md"
{
  echo "| children | caseworkers | offices | required | unmet | cost (NOK) | objective (NOK) | gap (%) | wall (s) | peak memory (MB) | load |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$table"
for size in $sizes; do
  IFS=: read -r children caseworkers offices <<<"$size"
  data="$out/data-$children"
  plan="$out/plan-$children"
  "$bin" generate norway --children "$children" --caseworkers "$caseworkers" \
    --offices "$offices" --seed "$seed" --out "$data" >/dev/null
  extra=()
  [ -z "$settings" ] || extra=(--settings "$settings")
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %M" -o "$out/time-$children" \
    "$bin" plan --data "$data" --quarter 2027Q1 --out "$plan" "${extra[@]}" >/dev/null
  "$bin" check --data "$data" --plan "$plan" "${extra[@]}" >/dev/null
  read -r wall kb <"$out/time-$children"
  python3 - "$plan/summary.json" "$children" "$caseworkers" "$offices" "$wall" "$kb" "$load" >>"$table" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
children, caseworkers, offices, wall, kb, load = sys.argv[2:]
gap = "no bound" if s["gap_percent"] is None else f'{s["gap_percent"]:.2f}'
print(f'| {children} | {caseworkers} | {offices} | {s["visits_required"]} | {s["visits_unmet"]} '
      f'| {s["cost_nok"]:,.0f} | {s["objective_nok"]:,.0f} | {gap} | {float(wall):.1f} '
      f'| {int(kb) / 1024:.0f} | {load} |')
EOF
  tail -1 "$table"
done
echo
cat "$table"
