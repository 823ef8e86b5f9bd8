#!/usr/bin/env bash
# Latency of gzip scrapes of /metrics as a ratio to plain ones, and of this tree's
# exporter to a baseline build's, all measured in the same run.
#
#   bench/gzip_scrape.sh [BUILD_DIR] [BASE_BUILD_DIR] [SCRAPES]
#
# One simulator (30 queues × 100 agents) serves three MixCall targets to two
# exporters at once, BUILD_DIR's ("after") and BASE_BUILD_DIR's ("before", e.g. a
# Release tree of the commit before the change). Each polls every 60 s (a first poll comes
# at its target's phase of that interval, so getting ready takes up to a minute; a later
# poll may land in a phase, as the figures' noise). Then SCRAPES
# plain scrapes of each exporter in turn, then SCRAPES gzip ones (curl,
# Accept-Encoding: gzip, the body left compressed).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${1:-build-bench}
BASE=${2:-build-bench-base}
N=${3:-300}
SIM=$BUILD/tools/sim/callcenter_sim
for exp in "$BUILD/src/callcenter_exporter" "$BASE/src/callcenter_exporter" "$SIM"; do
  [ -x "$exp" ] || {
    echo "missing $exp: build both trees first (bench/README.md)" >&2
    exit 1
  }
done

TMP=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$TMP"' EXIT

start_sim sim --queues 30 --agents 100 --warmup-s 0
{
  echo "global: {poll_interval: 60s, poll_timeout: 30s, stale_after: 2h}"
  echo "targets:"
  for i in 1 2 3; do echo "  - {name: site$i, vendor: mixcall, url: 'http://$SIM_ADDR/admin/'}"; done
} >"$TMP/config.yaml"

start_ready() {  # $1 = name, $2 = binary: start_exporter, then wait until every target polled once
  start_exporter "$1" "$2" "$TMP/config.yaml"
  local addr_var=ADDR_$1
  for _ in $(seq 1 700); do
    curl -fs -o /dev/null "http://${!addr_var}/-/ready" && break
    sleep 0.1
  done
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
start_ready before "$BASE/src/callcenter_exporter"
start_ready after "$BUILD/src/callcenter_exporter"
sleep 1
READY_RSS_before=$(rss_kib "$PID_before")
READY_RSS_after=$(rss_kib "$PID_after")

scrape() {  # $1 = address, $2 = plain|gzip; prints seconds and bytes received
  local enc=()
  [ "$2" = gzip ] && enc=(-H 'Accept-Encoding: gzip')
  curl -s -o /dev/null "${enc[@]}" -w '%{time_total} %{size_download}\n' "http://$1/metrics"
}
# A phase of plain scrapes, then one of gzip scrapes: mixed in one process, a gzip scrape
# of the base build frees buffers of the body's size that the next plain one then faults
# in again, which no scraper that always asks for gzip (as Prometheus) sees.
for kind in plain gzip; do
  for _ in $(seq 1 "$N"); do
    for name in before after; do
      addr_var=ADDR_$name
      scrape "${!addr_var}" "$kind" >>"$TMP/$name.$kind"
    done
  done
  for name in before after; do
    pid_var=PID_$name
    printf -v "RSS_${name}_$kind" '%s' "$(rss_kib "${!pid_var}")"
  done
done

stats() {  # $1 = file; prints "median_ms p99_ms bytes"
  sort -n "$1" | awk '{ v[NR] = $1 * 1000; b = $2 }
    END { printf "%.2f %.2f %d", v[int((NR + 1) / 2)], v[int(NR * 0.99)], b }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

SERIES=$(curl -s "http://$ADDR_after/metrics" | grep -vc '^#')
echo "rounds: $N, series per scrape: $SERIES"
printf '%-7s %-6s %10s %8s %10s %14s %11s %10s\n' build kind median_ms p99_ms bytes gzip/plain_med gzip/plain_p99 RSS_KiB
for name in before after; do
  read -r PM PP PB <<<"$(stats "$TMP/$name.plain")"
  read -r GM GP GB <<<"$(stats "$TMP/$name.gzip")"
  ready_var=READY_RSS_$name plain_rss=RSS_${name}_plain gzip_rss=RSS_${name}_gzip
  printf '%-7s %-6s %10s %8s %10s %14s %11s %10s\n' "$name" ready - - - - - "${!ready_var}"
  printf '%-7s %-6s %10s %8s %10s %14s %11s %10s\n' "$name" plain "$PM" "$PP" "$PB" 1.00 1.00 "${!plain_rss}"
  printf '%-7s %-6s %10s %8s %10s %14s %11s %10s\n' "$name" gzip "$GM" "$GP" "$GB" "$(ratio "$GM" "$PM")" \
    "$(ratio "$GP" "$PP")" "${!gzip_rss}"
  printf -v "MED_${name}_plain" '%s' "$PM"
  printf -v "MED_${name}_gzip" '%s' "$GM"
  printf -v "P99_${name}_plain" '%s' "$PP"
  printf -v "P99_${name}_gzip" '%s' "$GP"
done
for kind in plain gzip; do
  a=MED_after_$kind b=MED_before_$kind pa=P99_after_$kind pb=P99_before_$kind
  echo "after/before $kind: median $(ratio "${!a}" "${!b}"), p99 $(ratio "${!pa}" "${!pb}")"
done
