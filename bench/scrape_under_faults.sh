#!/usr/bin/env bash
# Scrape latency of /metrics while one vendor misbehaves, as a ratio to the
# latency with every vendor healthy, measured in the same run.
#
#   bench/scrape_under_faults.sh [BUILD_DIR] [SCRAPES]
#
# Four MixCall targets on one simulator stay healthy; a fifth target points at
# a second simulator whose fault is switched: none (baseline), hang, slow, html,
# http500, and finally that simulator is killed (down).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${1:-build-rel}
N=${2:-300}
SIM=$BUILD/tools/sim/callcenter_sim
EXP=$BUILD/src/callcenter_exporter
[ -x "$SIM" ] && [ -x "$EXP" ] || {
  echo "build first: cmake -S . -B $BUILD -DCMAKE_BUILD_TYPE=Release && cmake --build $BUILD" >&2
  exit 1
}

TMP=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$TMP"' EXIT

start_sim good --queues 10 --agents 20
GOOD=$SIM_ADDR
start_sim bad --queues 10 --agents 20
BAD=$SIM_ADDR
BAD_PID=$SIM_PID

{
  echo "global: {poll_interval: 1s, poll_timeout: 900ms, stale_after: 1h}"
  echo "targets:"
  for i in 1 2 3 4; do
    echo "  - {name: good$i, vendor: mixcall, url: 'http://$GOOD/admin/'}"
  done
  echo "  - {name: flaky, vendor: mixcall, url: 'http://$BAD/admin/'}"
} >"$TMP/config.yaml"
start_exporter exp "$EXP" "$TMP/config.yaml"
ADDR=$ADDR_exp
# Ready: every target polled once.
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://$ADDR/-/ready" && break
  sleep 0.1
done

measure() {  # prints "median p99 max" in ms over N scrapes
  for _ in $(seq 1 "$N"); do
    curl -s -o /dev/null -w '%{time_total}\n' "http://$ADDR/metrics"
  done | sort -n | awk '{ v[NR] = $1 * 1000 }
    END { printf "%.2f %.2f %.2f", v[int(NR * 0.5)], v[int(NR * 0.99)], v[NR] }'
}

SERIES=$(curl -s "http://$ADDR/metrics" | grep -vc '^#')
echo "scrapes per phase: $N, series per scrape: $SERIES"
printf '%-10s %10s %10s %10s %14s\n' phase median_ms p99_ms max_ms median_ratio
read -r BASE P99 MAX <<<"$(measure)"
printf '%-10s %10s %10s %10s %14s\n' healthy "$BASE" "$P99" "$MAX" 1.00
for fault in hang slow html http500 down; do
  if [ "$fault" = down ]; then
    kill "$BAD_PID"
  else
    curl -fs -X POST "http://$BAD/_sim/fault?mode=$fault&delay_ms=5000" >/dev/null
  fi
  sleep 2  # let the flaky target's polls start failing
  read -r MED P99 MAX <<<"$(measure)"
  UP=$(curl -s "http://$ADDR/metrics" | sed -n 's/^callcenter_up{target="flaky",collector="queueinfo"} //p')
  printf '%-10s %10s %10s %10s %14s   flaky up=%s\n' "$fault" "$MED" "$P99" "$MAX" \
    "$(awk -v a="$MED" -v b="$BASE" 'BEGIN { printf "%.2f", a / b }')" "$UP"
done
