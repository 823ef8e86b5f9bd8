#!/usr/bin/env bash
# /metrics at scale against its two baselines, measured with wrk in the same run:
#   limit   bench/same_bytes_server: the exporter's own body (plain and gzip, captured once)
#           sent by a server that does nothing else, the physical limit of a scrape here;
#   exposer bench/exposer_server: prometheus-cpp's Exposer with the same series, the usual
#           way to write a C++ exporter (Collect + Serialize, and its gzip, per scrape).
#
#   bench/scale.sh BUILD_DIR SCENARIO [RUNS] [SECONDS]
#
# BUILD_DIR: a Release tree with -DCC_BUILD_BENCH=ON (bench/README.md). SCENARIO:
#   100k          3 MixCall targets of 30 queues × 100 agents (~100,000 series)
#   1m            30 such targets (~1,000,000 series)
#   1000-targets  1,000 MixCall targets of 2 queues × 8 agents (~235,000 series with the
#                 exporter's own series per target)
# Each of RUNS (default 3) runs wrk for SECONDS (default 5) per server and mode, the three
# servers in turn: "plain x1" (one connection), "gzip x1" and "gzip x8" (eight connections,
# Accept-Encoding: gzip, as Prometheus asks). Prints the median over runs of wrk's p50
# and p99 latency per server, and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${1:?usage: bench/scale.sh BUILD_DIR 100k|1m|1000-targets [RUNS] [SECONDS]}
SCENARIO=${2:?usage: bench/scale.sh BUILD_DIR 100k|1m|1000-targets [RUNS] [SECONDS]}
RUNS=${3:-3}
SECONDS_PER=${4:-5}
SIM=$BUILD/tools/sim/callcenter_sim
for bin in "$BUILD/src/callcenter_exporter" "$SIM" "$BUILD/bench/same_bytes_server" "$BUILD/bench/exposer_server"; do
  [ -x "$bin" ] || { echo "missing $bin: build a Release tree with -DCC_BUILD_BENCH=ON" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

case "$SCENARIO" in
  100k) QUEUES=30 AGENTS=100 TARGETS=3 INTERVAL=30s ;;
  1m) QUEUES=30 AGENTS=100 TARGETS=30 INTERVAL=60s ;;
  1000-targets) QUEUES=2 AGENTS=8 TARGETS=1000 INTERVAL=30s ;;
  *) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac

TMP=$(mktemp -d)
PIDS=()
# A failed run keeps its servers' logs (and says where) instead of deleting them.
trap 'rc=$?; kill "${PIDS[@]}" 2>/dev/null || true
      if [ "$rc" -ne 0 ]; then echo "failed; logs kept in $TMP" >&2; else rm -rf "$TMP"; fi' EXIT

start_sim sim --queues "$QUEUES" --agents "$AGENTS" --warmup-s 0
{
  echo "global: {poll_interval: $INTERVAL, poll_timeout: 20s, stale_after: 2h}"
  echo "targets:"
  for i in $(seq 1 "$TARGETS"); do echo "  - {name: site$i, vendor: mixcall, url: 'http://$SIM_ADDR/admin/'}"; done
} >"$TMP/config.yaml"
start_exporter exporter "$BUILD/src/callcenter_exporter" "$TMP/config.yaml"
# Every target's first poll comes at its phase of the interval (start spread).
for _ in $(seq 1 900); do
  curl -fs -o /dev/null "http://$ADDR_exporter/-/ready" && break
  sleep 0.1
done
curl -fs -o /dev/null "http://$ADDR_exporter/-/ready" || { echo "exporter not ready" >&2; exit 1; }

# The limit serves the bytes the exporter answers (the gzip ones as they came).
curl -fs -o "$TMP/plain" "http://$ADDR_exporter/metrics"
curl -fs -H 'Accept-Encoding: gzip' -o "$TMP/gzip" "http://$ADDR_exporter/metrics"
gzip -t <"$TMP/gzip"
SERIES=$(grep -vc '^#' "$TMP/plain")
"$BUILD/bench/same_bytes_server" "$TMP/plain" "$TMP/gzip" >"$TMP/limit.log" 2>&1 &
PIDS+=($!)
ADDR_limit=$(listen_address "$TMP/limit.log" "listening address=")
"$BUILD/bench/exposer_server" "$TMP/plain" >"$TMP/exposer.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 1200); do grep -q "listening address=" "$TMP/exposer.log" && break; sleep 0.1; done
ADDR_exposer=$(listen_address "$TMP/exposer.log" "listening address=")
echo "scenario $SCENARIO: $SERIES series, $(wc -c <"$TMP/plain") bytes plain, $(wc -c <"$TMP/gzip") gzip;" \
  "exposer: $(sed -n 's/^series=//p' "$TMP/exposer.log") series; $RUNS runs of ${SECONDS_PER}s per server and mode"

# ms of a wrk latency figure ("812.00us", "5.61ms", "1.02s").
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.3f", n }'; }
run_wrk() {  # $1 = server, $2 = mode, $3 = run; appends "p50 p99 requests" to $TMP/$1.$2
  local addr_var=ADDR_$1 args=(-t1 -c1)
  case "$2" in
    gzip1) args+=(-H 'Accept-Encoding: gzip') ;;
    gzip8) args=(-t2 -c8 -H 'Accept-Encoding: gzip') ;;
  esac
  if ! wrk "${args[@]}" -d"${SECONDS_PER}s" --timeout 60s --latency "http://${!addr_var}/metrics" >"$TMP/wrk.out"; then
    echo "wrk failed against $1 (${!addr_var}), mode $2, run $3" >&2
    return 1
  fi
  local p50 p99 n
  p50=$(awk '$1 == "50%" { print $2 }' "$TMP/wrk.out")
  p99=$(awk '$1 == "99%" { print $2 }' "$TMP/wrk.out")
  n=$(awk '/requests in/ { print $1 }' "$TMP/wrk.out")
  echo "$(to_ms "$p50") $(to_ms "$p99") $n" >>"$TMP/$1.$2"
}
for run in $(seq 1 "$RUNS"); do
  for mode in plain1 gzip1 gzip8; do
    for server in limit exporter exposer; do run_wrk "$server" "$mode" "$run"; done
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { awk -v c="$2" '{ print $c }' "$TMP/$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-7s %-9s %9s %9s %9s %13s %13s %15s %15s\n' mode server p50_ms p99_ms requests \
  p50/limit p99/limit exposer/this_p50 exposer/this_p99
for mode in plain1 gzip1 gzip8; do
  L50=$(col "limit.$mode" 1) L99=$(col "limit.$mode" 2)
  E50=$(col "exposer.$mode" 1) E99=$(col "exposer.$mode" 2)
  for server in limit exporter exposer; do
    P50=$(col "$server.$mode" 1) P99=$(col "$server.$mode" 2) N=$(col "$server.$mode" 3)
    printf '%-7s %-9s %9s %9s %9s %13s %13s %15s %15s\n' "$mode" "$server" "$P50" "$P99" "$N" \
      "$(ratio "$P50" "$L50")" "$(ratio "$P99" "$L99")" "$(ratio "$E50" "$P50")" "$(ratio "$E99" "$P99")"
  done
done
echo "exporter VmRSS $(awk '/^VmRSS/ { print $2, $3 }' "/proc/$PID_exporter/status"), VmHWM $(awk '/^VmHWM/ { print $2, $3 }' "/proc/$PID_exporter/status")"
