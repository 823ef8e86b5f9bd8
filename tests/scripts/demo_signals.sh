#!/usr/bin/env bash
# scripts/demo.sh, the README's first command, run for real with this tree's binaries (nothing
# installed or built) on free ports: once /metrics serves the four simulated vendors, SIGNAL
# sent to the script's pid alone (not to a terminal's process group) must stop the script,
# the exporter and the simulator, and free their ports. The two programs' logs stay apart:
# the simulator's in its own file, every line of it logfmt, neither sharing the other's
# shutdown message.
# usage: demo_signals.sh EXPORTER SIM INT|TERM
set -euo pipefail
exporter=${1:?usage: demo_signals.sh EXPORTER SIM SIGNAL}
sim=${2:?usage: demo_signals.sh EXPORTER SIM SIGNAL}
signal=${3:?usage: demo_signals.sh EXPORTER SIM SIGNAL}
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
demo=""
cleanup() {
  if [ -n "$demo" ]; then kill -KILL "$demo" 2>/dev/null || true; fi
  for p in ${children:-}; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "demo_signals: FAIL: $*" >&2; echo "--- demo output:" >&2; cat "$tmp/out" >&2 || true; exit 1; }

# A port nothing listens on now (the demo's own ports are often taken by a running demo),
# below the kernel's ephemeral range: a test running beside this one that binds port 0,
# or connects anywhere, is given a port from that range and could take it before the demo.
ephemeral_low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$ephemeral_low" -gt 11024 ] || ephemeral_low=32768
free_port() {
  local p
  while :; do
    p=$((10000 + RANDOM % (ephemeral_low - 10000)))
    case " ${ports:-} " in *" $p "*) continue ;; esac
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
ports=""
sim_port=$(free_port); ports="$sim_port"
tls_port=$(free_port); ports="$ports $tls_port"
exp_port=$(free_port); ports="$ports $exp_port"

# Job control: without it bash starts background commands with SIGINT ignored, and a script
# cannot trap a signal ignored on entry; a terminal's Ctrl-C reaches it with SIGINT intact.
set -m
DEMO_EXPORTER=$exporter DEMO_SIM=$sim DEMO_DIR="$tmp/demo" SIM_PORT=$sim_port SIM_TLS_PORT=$tls_port \
  LISTEN=127.0.0.1:$exp_port "$repo/scripts/demo.sh" >"$tmp/out" 2>&1 &
demo=$!
set +m

all_up() {  # every target of scripts/demo.yaml has a collector up
  local t
  curl -fs "http://127.0.0.1:$exp_port/metrics" >"$tmp/metrics" 2>/dev/null || return 1
  for t in demo-mixcall demo-huawei demo-yunhu demo-ucontact; do
    grep -qE "^callcenter_up\{(.*,)?target=\"$t\"(,.*)?\} 1$" "$tmp/metrics" || return 1
  done
}
up=0
for _ in $(seq 1 300); do
  all_up && { up=1; break; }
  kill -0 "$demo" 2>/dev/null || fail "demo.sh exited before /metrics served"
  sleep 0.1
done
[ "$up" -eq 1 ] || fail "/metrics never showed the four demo targets up: $(grep '^callcenter_up' "$tmp/metrics" | tr '\n' ' ')"
children=$(ps -o pid= --ppid "$demo" | xargs)
[ "$(echo $children | wc -w)" -eq 2 ] || fail "expected the exporter and the simulator under demo.sh, found: $children"
for p in $children; do
  comm=$(ps -o comm= -p "$p")
  case "$comm" in callcenter_expo* | callcenter_sim) ;; *) fail "unexpected child $p ($comm)" ;; esac
done

kill "-$signal" "$demo"
gone=0
for _ in $(seq 1 150); do  # a generous bound, not a timing assertion
  if ! kill -0 "$demo" 2>/dev/null && ! kill -0 $children 2>/dev/null; then
    gone=1
    break
  fi
  sleep 0.1
done
[ "$gone" -eq 1 ] || fail "SIG$signal to demo.sh left running: $(ps -o pid=,comm= -p "$demo,${children// /,}" | xargs)"
status=0
wait "$demo" || status=$?
demo=""
for port in $sim_port $tls_port $exp_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port still accepts connections"; fi
done
case "$signal" in INT) want=130 ;; TERM) want=143 ;; *) want="" ;; esac
[ -z "$want" ] || [ "$status" -eq "$want" ] || fail "demo.sh exited $status after SIG$signal, not $want"

# The logs: each program stopped gracefully (its own shutdown message), the simulator's
# lines only in its file, all logfmt.
simlog="$tmp/demo/demo-sim.log"
grep -q 'msg="callcenter_sim shutting down"' "$simlog" || fail "the simulator did not log its shutdown: $(cat "$simlog")"
grep -q 'msg="shutting down"' "$tmp/out" || fail "the exporter did not log its shutdown"
grep -qF "its log: $tmp/demo/demo-sim.log" "$tmp/out" || fail "the printed URLs do not say where the simulator's log is"
if grep -E '^ts=' "$tmp/out" | grep -qE 'msg="?callcenter_sim|scheme=https? address='; then
  fail "simulator log lines in the demo's output"
fi
[ -s "$simlog" ] || fail "empty simulator log"
logfmt='^ts=[^ ]+ level=(debug|info|warn|error) msg=("([^"\\]|\\.)*"|[^ "=]+)( [a-z0-9_.]+=("([^"\\]|\\.)*"|[^ "=]*))*$'
bad=$(grep -vcE "$logfmt" "$simlog" || true)
[ "$bad" -eq 0 ] || fail "$bad simulator log line(s) are not logfmt: $(grep -vE "$logfmt" "$simlog" | head -3)"
echo "demo_signals: OK: SIG$signal stopped demo.sh (exit $status), the exporter and the simulator;" \
  "$(wc -l <"$simlog") logfmt lines in the simulator's log"
