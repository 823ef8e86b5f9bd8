#!/usr/bin/env bash
# Scrape latency of a client whose basic auth credentials are already
# remembered, while N connections send wrong passwords, as a ratio to the
# latency without them, measured in the same run.
#
#   bench/auth_flood.sh [BUILD_DIR] [SCRAPES] [ATTACKERS...]
#
# The exporter serves one MixCall target (10 queues × 20 agents) behind
# basic_auth_users with a cost-10 bcrypt hash. The legitimate scraper runs
# SCRAPES sequential `curl -u` scrapes of /metrics; each attacker is one curl
# process sending requests back to back on a keep-alive connection, each with
# another wrong password (so none is answered from the remembered verdicts).
# Phases: no attacker (baseline), then each count in ATTACKERS (default 8 16).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${1:-build-bench}
N=${2:-300}
shift $(($# < 2 ? $# : 2))
COUNTS=("${@:-8 16}")
read -r -a COUNTS <<<"${COUNTS[*]}"
SIM=$BUILD/tools/sim/callcenter_sim
EXP=$BUILD/src/callcenter_exporter
[ -x "$SIM" ] && [ -x "$EXP" ] || {
  echo "build first: cmake -S . -B $BUILD -DCMAKE_BUILD_TYPE=Release && cmake --build $BUILD" >&2
  exit 1
}

TMP=$(mktemp -d)
PIDS=()
ATTACK_PIDS=()
trap 'touch "$TMP/stop"; kill $(cat "$TMP"/attack*.pid 2>/dev/null) "${ATTACK_PIDS[@]}" "${PIDS[@]}" 2>/dev/null || true; rm -rf "$TMP"' EXIT

start_sim sim --queues 10 --agents 20

cat >"$TMP/config.yaml" <<EOF
global: {poll_interval: 1s, poll_timeout: 900ms, stale_after: 1h}
targets:
  - {name: hq, vendor: mixcall, url: 'http://$SIM_ADDR/admin/'}
EOF
# bcrypt of "bench-secret" at cost 10 (htpasswd -nbBC 10 prometheus bench-secret).
cat >"$TMP/web.yml" <<'EOF'
basic_auth_users:
  prometheus: $2b$10$cmlk.kI5zq.kJ2uGOk9d6en1ZUA52CdCfN.0SbNUn64E231vdU3tq
EOF
start_exporter exp "$EXP" "$TMP/config.yaml" --web.config.file "$TMP/web.yml"
ADDR=$ADDR_exp
AUTH=(-u prometheus:bench-secret)
for _ in $(seq 1 100); do  # ready (every target polled once); the verdict is now remembered
  curl -fs -o /dev/null "${AUTH[@]}" "http://$ADDR/-/ready" && break
  sleep 0.1
done

measure() {  # prints "median p99 max failed" in ms over N scrapes
  for _ in $(seq 1 "$N"); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 "${AUTH[@]}" "http://$ADDR/metrics"
  done | sort -k2 -n | awk '{ v[NR] = $2 * 1000; if ($1 != 200) bad++ }
    END { printf "%.2f %.2f %.2f %d", v[int(NR * 0.5)], v[int(NR * 0.99)], v[NR], bad }'
}

attack() {  # $1 = attacker number; runs until $TMP/stop exists
  local cfg=$TMP/attack$1.cfg round=0
  ( while [ ! -e "$TMP/stop" ]; do
    round=$((round + 1))
    for j in $(seq 1 1000); do  # 1000 requests on one connection, each with its own wrong password
      [ "$j" = 1 ] || echo next
      # The status goes to stderr, which is not buffered: the process is killed at the end.
      printf 'url = "http://%s/metrics"\nuser = "prometheus:wrong-%s-%s-%s"\noutput = "/dev/null"\nwrite-out = "%%{stderr}%%{http_code}\\n"\n' \
        "$ADDR" "$1" "$round" "$j"
    done >"$cfg"
    curl -s -K "$cfg" &
    echo $! >"$TMP/attack$1.pid"
    wait $! || true
  done 2>>"$TMP/attack$1.codes" ) &
  ATTACK_PIDS+=($!)
}

stop_attack() {
  touch "$TMP/stop"
  kill $(cat "$TMP"/attack*.pid) 2>/dev/null || true
  wait "${ATTACK_PIDS[@]}" 2>/dev/null || true
  rm -f "$TMP/stop" "$TMP"/attack*.pid
}

SERIES=$(curl -s "${AUTH[@]}" "http://$ADDR/metrics" | grep -vc '^#')
echo "scrapes per phase: $N, series per scrape: $SERIES, hash cost 10"
printf '%-10s %10s %10s %10s %8s %12s %12s %10s %10s\n' attackers median_ms p99_ms max_ms failed \
  median_ratio p99_ratio attack_401 attack_503
read -r BASE BASE99 MAX BAD <<<"$(measure)"
printf '%-10s %10s %10s %10s %8s %12s %12s\n' 0 "$BASE" "$BASE99" "$MAX" "$BAD" 1.00 1.00
for n in "${COUNTS[@]}"; do
  ATTACK_PIDS=()
  for i in $(seq 1 "$n"); do attack "$i"; done
  sleep 1  # let the attack reach its pace
  read -r MED P99 MAX BAD <<<"$(measure)"
  stop_attack
  C401=$(cat "$TMP"/attack*.codes | grep -c '^401' || true)
  C503=$(cat "$TMP"/attack*.codes | grep -c '^503' || true)
  rm -f "$TMP"/attack*.codes
  printf '%-10s %10s %10s %10s %8s %12s %12s %10s %10s\n' "$n" "$MED" "$P99" "$MAX" "$BAD" \
    "$(awk -v a="$MED" -v b="$BASE" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$P99" -v b="$BASE99" 'BEGIN { printf "%.2f", a / b }')" "$C401" "$C503"
done
