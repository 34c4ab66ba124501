#!/usr/bin/env bash
# Peak memory (RSS) of a 100,001-neuron f–I sweep that records spikes only, streamed to a CSV file:
# the lab model, 200 ms, Euler, dt 0.025 ms, 1 and 2 worker threads. Needs GNU time (/usr/bin/time).
#   bash bench/sweep-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null
out=$(mktemp -d)
for w in 1 2; do
  /usr/bin/time -f "workers $w: peak RSS %M KB, %e s wall" node dist/cli/main.js sweep --amplitude 0:10:0.0001 --out "$out/w$w.csv" --workers "$w" 2>&1 | grep -E "^workers|wrote"
done
cmp "$out/w1.csv" "$out/w2.csv" && echo "identical results on 1 and 2 workers"
rm -rf "$out"
