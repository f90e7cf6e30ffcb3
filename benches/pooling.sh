#!/usr/bin/env bash
# Pooled continuity trade-off (issue 3, item 2): plans one quarter under
# `continuity = "preferred"` with change penalties 0, 500, 1,000 and 2,000 NOK
# and under `strict` (an infinite penalty), checks each plan, and prints the
# cost, the objective (cost less early visits' worth plus change penalties),
# the lower bound and gap when one was proven, the visits made by a
# colleague and the wall time of each.
#
#   bash benches/pooling.sh [--data data/trondheim] [--quarter 2027Q1]
#                           [--penalties "0 500 1000 2000"] [--out DIR]
#
# Plans go to --out (default target/pooling); the table is printed and written
# to pooling.md there, with the load average before each run.
set -euo pipefail
cd "$(dirname "$0")/.."

data=data/trondheim
quarter=2027Q1
penalties="0 500 1000 2000"
out=target/pooling
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --quarter) quarter=$2; shift 2 ;;
    --penalties) penalties=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

cargo build --release --quiet
bin=target/release/tilsyn
mkdir -p "$out"
chmod 700 "$out"
table="$out/pooling.md"
{
  echo "| change penalty (NOK per visit) | cost (NOK) | objective (NOK) | lower bound (NOK) | gap | visits by a colleague | unmet | wall (s) | load |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$table"
for p in $penalties strict; do
  settings="$out/settings-$p.toml"
  if [ "$p" = strict ]; then
    printf '[planning]\ncontinuity = "strict"\n' >"$settings"
  else
    printf '[planning]\ncontinuity = "preferred"\nchange_penalty_nok = %s\n' "$p" >"$settings"
  fi
  plan="$out/plan-$p"
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$bin" plan --data "$data" --quarter "$quarter" --settings "$settings" --out "$plan" >/dev/null
  end=$(date +%s.%N)
  "$bin" check --data "$data" --settings "$settings" --plan "$plan" >/dev/null
  python3 - "$plan/summary.json" "$p" "$start" "$end" "$load" >>"$table" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
p, start, end, load = sys.argv[2:]
label = "∞ (strict)" if p == "strict" else f"{int(p):,}"
bound = s.get("lower_bound_nok")
gap = s.get("gap_percent")
bound = "none" if bound is None else f"{bound:,.0f}"
gap = "unknown" if gap is None else f"{gap:.2f} %"
print(f'| {label} | {s["cost_nok"]:,.0f} | {s["objective_nok"]:,.0f} | {bound} | {gap} '
      f'| {s["visits_by_colleague"]} | {s["visits_unmet"]} '
      f'| {float(end) - float(start):.1f} | {load} |')
EOF
  tail -1 "$table"
done
echo
cat "$table"
