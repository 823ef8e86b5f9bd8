#!/usr/bin/env bash
# Memory of the exporter per series, after many polls, as bytes above an exporter with
# no target, for this tree's build and a baseline build measured in the same run.
#
#   bench/memory.sh [BUILD_DIR] [BASE_BUILD_DIR] [POLLS]
#
# One simulator (30 queues × 100 agents) serves three MixCall targets (~100,000
# series) to two exporters at once, BUILD_DIR's ("after") and BASE_BUILD_DIR's
# ("before"), each polling every second; a third exporter (BUILD_DIR's) has no target.
# Once every collector of both has polled POLLS times (default 12), prints per build:
# VmRSS above the empty exporter's, per series; and VmHWM (the peak) above it, as a
# multiple of the live data, taken as the size of a plain scrape.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${1:-build-bench}
BASE=${2:-build-bench-base}
POLLS=${3:-12}
SIM=$BUILD/tools/sim/callcenter_sim
for b in "$BUILD/src/callcenter_exporter" "$BASE/src/callcenter_exporter" "$SIM"; do
  [ -x "$b" ] || { echo "missing $b: build both trees first (bench/README.md)" >&2; exit 1; }
done

TMP=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$TMP"' EXIT

start_sim sim --queues 30 --agents 100 --warmup-s 0
{
  echo "global: {poll_interval: 1s, poll_timeout: 900ms, stale_after: 1h}"
  echo "targets:"
  for i in 1 2 3; do echo "  - {name: site$i, vendor: mixcall, url: 'http://$SIM_ADDR/admin/'}"; done
} >"$TMP/config.yaml"
echo "targets: []" >"$TMP/empty.yaml"

status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
start_exporter empty "$BUILD/src/callcenter_exporter" "$TMP/empty.yaml"
start_exporter before "$BASE/src/callcenter_exporter" "$TMP/config.yaml"
start_exporter after "$BUILD/src/callcenter_exporter" "$TMP/config.yaml"

fewest_polls() {  # $1 = address: the least callcenter_polls_total of its collectors
  curl -s "http://$1/metrics" | awk '/^callcenter_polls_total/ { if (m == "" || $2 < m) m = $2 } END { print m + 0 }'
}
for name in before after; do
  addr_var=ADDR_$name
  for _ in $(seq 1 600); do
    [ "$(fewest_polls "${!addr_var}")" -ge "$POLLS" ] && break
    sleep 0.5
  done
done
sleep 1
EMPTY=$(status_kib "$PID_empty" VmRSS)

printf '%-7s %8s %10s %10s %13s %15s\n' build series rss_kib hwm_kib rss_B_per_series peak_per_live
for name in before after; do
  addr_var=ADDR_$name
  pid_var=PID_$name
  curl -s -o "$TMP/$name.txt" "http://${!addr_var}/metrics"
  series=$(grep -vc '^#' "$TMP/$name.txt")
  live=$(wc -c <"$TMP/$name.txt")
  rss=$(status_kib "${!pid_var}" VmRSS)
  hwm=$(status_kib "${!pid_var}" VmHWM)
  awk -v n="$name" -v s="$series" -v l="$live" -v r="$rss" -v h="$hwm" -v e="$EMPTY" 'BEGIN {
    printf "%-7s %8d %10d %10d %13.0f %15.1f\n", n, s, r, h, (r - e) * 1024 / s, (h - e) * 1024 / l }'
done
echo "empty exporter: VmRSS $EMPTY KiB"
