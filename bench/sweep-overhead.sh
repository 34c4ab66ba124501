#!/usr/bin/env bash
# Whole-process cost of `spikelab sweep` where no prefix can be shared: N lab neurons that differ in gNa
# (30 … 70 mS/cm²), 10 µA/cm², Euler with fast math, 8,000 steps, 2 workers, streamed to a CSV file. Runs two
# builds alternately (before, after: each a copied dist/ folder inside this repository, so that
# node_modules resolves), REPEATS times per size, and prints wall and CPU (user + sys) seconds of each
# run with the load average, and whether the two CSV files are byte-identical. Needs GNU time.
#   bash bench/sweep-overhead.sh scratch/dist-before dist [REPEATS=3] [POINTS=100000 20000]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=$(cd "$1" && pwd) after=$(cd "$2" && pwd) repeats=${3:-3}
shift $(($# < 3 ? $# : 3))
out=$(mktemp -d)
for n in "${@:-100000 20000}"; do
  for n1 in $n; do
    step=$(node -e "console.log(40 / $n1)")
    last=$(node -e "console.log(Number((30 + ($n1 - 1) * 40 / $n1).toFixed(9)))")
    for _ in $(seq "$repeats"); do
      for v in before after; do
        dist=$([ $v = before ] && echo "$before" || echo "$after")
        rm -f "$out/$v.csv"*
        /usr/bin/time -o "$out/t" -f "%e %U %S" node "$dist/cli/main.js" sweep --param "gNa=30:$last:$step" --amplitude 10 \
          --workers 2 --fast-math --out "$out/$v.csv" 2>/dev/null
        read -r wall user sys <"$out/t"
        echo "$v $n1 points: $wall s wall, $(node -e "console.log(($user + $sys).toFixed(2))") CPU s, load $(cut -d' ' -f1 /proc/loadavg)"
      done
      cmp -s "$out/before.csv" "$out/after.csv" && echo "  identical CSV" || echo "  CSV DIFFERS"
    done
  done
done
rm -rf "$out"
cd "$root"
