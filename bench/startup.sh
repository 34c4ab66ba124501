#!/usr/bin/env bash
# Whole-process wall time of the CLI, start-up included: medians of N runs (default 11) of
#   node -e 0                       Node's own start-up (the floor)
#   spikelab --version              Node + loading the CLI entry
#   spikelab fi --json --steps 1 --start-ms 0 --stop-ms 1 --duration-ms 1   start-up of the `fi` path with almost no simulation
#   spikelab fi --json              the lab's f–I sweep (51 neurons × 8000 Euler steps), printed as JSON
# NODE_EXTRA_CA_CERTS is unset for every run (on this machine it adds ~70 ms to each Node start).
#   bash bench/startup.sh [runs]          (builds first; set NO_BUILD=1 to skip)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
[ -n "${NO_BUILD:-}" ] || npm run build >/dev/null
bin=$(node -p 'require("./package.json").bin.spikelab')
unset NODE_EXTRA_CA_CERTS NODE_OPTIONS
median() { # wall times in ms of `runs` runs of "$@", median printed
  local ts=() s e
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s%N)
    "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
    e=$(date +%s%N)
    ts+=($(((e - s) / 1000)))
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%8.1f ms  (min %.1f, max %.1f)", m/1000, a[1]/1000, a[NR]/1000}'
}
echo "node $(node --version), $runs runs each, medians of whole-process wall time; bin: $bin"
printf '%-72s %s\n' "node -e 0" "$(median node -e 0)"
printf '%-72s %s\n' "spikelab --version" "$(median node "$bin" --version)"
printf '%-72s %s\n' "spikelab fi --json --steps 1 --start-ms 0 --stop-ms 1 --duration-ms 1" "$(median node "$bin" fi --json --steps 1 --start-ms 0 --stop-ms 1 --duration-ms 1)"
printf '%-72s %s\n' "spikelab fi --json (lab sweep, 51 × 8000 steps)" "$(median node "$bin" fi --json)"
