#!/usr/bin/env bash
# Departments of shapes the bundled dataset does not have (overloaded teams,
# several offices, a team of one, many small teams), generated from the real
# postcodes, each planned under every continuity and with tight `[balance]`
# limits, for a quarter and for a half-year; every plan is checked with
# `tilsyn check`. Prints one row per plan and exits 1 when a plan fails or is
# not accepted.
#
#   bash benches/shapes.sh [--out DIR]
#
# Datasets and plans go to --out (default target/shapes). About 4 minutes on
# the 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/shapes
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

cargo build --release --quiet
bin=$PWD/target/release/tilsyn
postcodes=$PWD/data/geodata/postnummer_bolstad.tsv
mkdir -p "$out"
chmod 700 "$out"
cd "$out"

# children caseworkers offices seed
shapes=(
  "60 2 1 11"    # two caseworkers, 30 children each
  "200 5 2 12"   # overloaded teams at two offices
  "120 12 4 13"  # four offices, small teams
  "30 3 1 14"
  "250 15 3 15"
)
printf '[planning]\ncontinuity = "strict"\n' >strict.toml
printf '[planning]\ncontinuity = "team"\n' >team.toml
printf '[planning]\ncontinuity = "preferred"\nchange_penalty_nok = 800\n' >preferred.toml
printf '[planning]\ncontinuity = "team"\n[balance]\nmax_visits_per_day = 2\nmax_visits_per_week = 5\nmax_hotel_nights_per_month = 3\n' >team-balance.toml

failed=0
echo "| dataset | settings | horizon | check | objective (NOK) | bound (NOK) | required | unmet | wall (s) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for shape in "${shapes[@]}"; do
  read -r children caseworkers offices seed <<<"$shape"
  data=d_${children}_${caseworkers}_${offices}_${seed}
  "$bin" generate norway --postcodes "$postcodes" --children "$children" \
    --caseworkers "$caseworkers" --offices "$offices" --seed "$seed" --out "$data" >/dev/null
  for settings in strict team preferred team-balance; do
    for horizon in "--quarter 2027Q2" "--half 2027H2"; do
      plan=p_${data}_${settings}_${horizon##* }
      start=$(date +%s.%N)
      if ! "$bin" plan --data "$data" $horizon --settings "$settings.toml" --out "$plan" >/dev/null 2>"$plan.err"; then
        echo "| $data | $settings | ${horizon##* } | plan failed: $(head -1 "$plan.err") | | | | | |"
        failed=1
        continue
      fi
      wall=$(echo "$(date +%s.%N) - $start" | bc)
      if "$bin" check --data "$data" --plan "$plan" --settings "$settings.toml" >"$plan.check" 2>&1; then
        verdict=ok
      else
        verdict="$(grep -c . "$plan.check") lines"
        failed=1
      fi
      python3 - "$plan/summary.json" "$data" "$settings" "${horizon##* }" "$verdict" "$wall" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
bound = s["lower_bound_nok"]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {sys.argv[5]} | {s['objective_nok']:,.0f} | "
      f"{'none' if bound is None else f'{bound:,.0f}'} | {s['visits_required']} | {s['visits_unmet']} | {float(sys.argv[6]):.1f} |")
EOF
    done
  done
done
exit $failed
