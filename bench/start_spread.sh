#!/usr/bin/env bash
# How evenly the first polls of many targets spread over their poll interval:
# the largest number of targets first polled within one second, as a ratio to
# the same figure of a baseline exporter (e.g. one built from an older
# revision) run right before on the same simulator.
#
#   bench/start_spread.sh BUILD_DIR BASELINE_EXPORTER [TARGETS] [INTERVAL_S]
#
# TARGETS MixCall targets (default 600) on one simulator, poll_interval
# INTERVAL_S (default 15). Each exporter runs for one interval plus 3 s at
# --log.level=debug; a target's first poll is its first "poll ok" line, in
# seconds after the exporter's "started" line.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${1:?BUILD_DIR}
BASE_EXP=${2:?BASELINE_EXPORTER}
N=${3:-600}
INTERVAL=${4:-15}
SIM=$BUILD/tools/sim/callcenter_sim
EXP=$BUILD/src/callcenter_exporter
for b in "$SIM" "$EXP" "$BASE_EXP"; do
  [ -x "$b" ] || { echo "start_spread: not built: $b (see bench/RESULTS.md)" >&2; exit 1; }
done

TMP=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$TMP"' EXIT

start_sim sim --queues 2 --agents 3
{
  echo "global: {poll_interval: ${INTERVAL}s, poll_timeout: 5s}"
  echo "targets:"
  for i in $(seq 1 "$N"); do echo "  - {name: site-$i, vendor: mixcall, url: 'http://$SIM_ADDR/admin/'}"; done
} >"$TMP/config.yaml"

# Seconds of the day of a logfmt ts=…THH:MM:SS.mmmZ.
tod='function tod(line,  t) { match(line, /ts=[^ ]*T[0-9:.]*/); t = substr(line, RSTART, RLENGTH); sub(/.*T/, "", t);
  split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }'

run() {  # $1 = label, $2 = exporter; prints: label peak_per_second first_second_count polled
  "$2" --config.file "$TMP/config.yaml" --web.listen-address 127.0.0.1:0 --log.level debug >"$TMP/$1.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  sleep $((INTERVAL + 3))
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  awk -v label="$1" -v interval="$INTERVAL" "$tod"'
    /msg=started/ && !start { start = tod($0) }
    /msg="poll ok"/ {
      match($0, /target=[^ ]*/); t = substr($0, RSTART + 7, RLENGTH - 7)
      if (!(t in first)) { d = tod($0) - start; if (d < 0) d += 86400; first[t] = d }
    }
    END {
      for (t in first) { n++; s = int(first[t]); if (s < interval) per[s]++ }
      for (s = 0; s < interval; s++) if (per[s] > peak) peak = per[s]
      printf "%s %d %d %d\n", label, peak, per[0], n
    }' "$TMP/$1.log"
}

BASE=$(run baseline "$BASE_EXP")
NEW=$(run this "$EXP")
echo "targets=$N poll_interval=${INTERVAL}s; even spread: $(awk -v n="$N" -v i="$INTERVAL" 'BEGIN { printf "%.1f", n / i }') per second"
echo "| exporter | most first polls in one second | in the first second | targets polled | peak ratio to baseline |"
echo "|---|---|---|---|---|"
read -r _ base_peak _ _ <<<"$BASE"
for line in "$BASE" "$NEW"; do
  read -r label peak first polled <<<"$line"
  echo "| $label | $peak | $first | $polled | $(awk -v a="$peak" -v b="$base_peak" 'BEGIN { printf "%.2f", a / b }') |"
done
