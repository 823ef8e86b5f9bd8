#!/usr/bin/env bash
# Builds callcenter_exporter and runs it against the bundled vendor simulator.
# Ctrl-C, or SIGINT/SIGTERM sent to this script, stops both.
#
# The exporter logs to the terminal; the simulator to $DEMO_DIR/demo-sim.log.
# Environment (all optional):
#   LISTEN              the exporter's listen address (default :9714)
#   SIM_PORT, SIM_TLS_PORT  the simulator's HTTP and HTTPS ports on 127.0.0.1 (9710, 9711)
#   DEMO_DIR            certificates, the simulator's log and the rendered configuration (build)
#   DEMO_EXPORTER, DEMO_SIM  already built binaries: with both, nothing is installed or built
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_DIR=${DEMO_DIR:-build}
if [ -n "${DEMO_EXPORTER:-}" ] && [ -n "${DEMO_SIM:-}" ]; then
  exporter=$DEMO_EXPORTER
  sim=$DEMO_SIM
else
  ./scripts/install-deps.sh --runtime
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCC_BUILD_TESTS=OFF -DCC_WERROR=OFF -DCC_SANITIZE=OFF >/dev/null
  cmake --build build -j"$(nproc)" --target callcenter_exporter callcenter_sim
  exporter=build/src/callcenter_exporter
  sim=build/tools/sim/callcenter_sim
fi

SIM_ADDR=127.0.0.1:${SIM_PORT:-9710}
SIM_TLS_ADDR=127.0.0.1:${SIM_TLS_PORT:-9711}
LISTEN=${LISTEN:-:9714}
mkdir -p "$DEMO_DIR"
DEMO_DIR=$(cd "$DEMO_DIR" && pwd)
./scripts/demo-certs.sh "$DEMO_DIR/demo-tls"
# scripts/demo.yaml with this run's ports and certificate directory.
sed -e "s#127.0.0.1:9710#$SIM_ADDR#g" -e "s#127.0.0.1:9711#$SIM_TLS_ADDR#g" \
  -e "s#\.\./build/demo-tls/#$DEMO_DIR/demo-tls/#g" scripts/demo.yaml >"$DEMO_DIR/demo.yaml"

# Both programs run in the background and this shell waits for them: bash runs a trap only
# between commands, so a foreground exporter would hold off SIGINT until it exited by itself.
# Background children of a script ignore SIGINT; SIGTERM is what stops them.
pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -eq 0 ] && return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 100); do  # the exporter ends vendor sessions first, within about 2 s
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$sim" --listen "$SIM_ADDR" --tls-listen "$SIM_TLS_ADDR" --tls-cert "$DEMO_DIR/demo-tls/server.pem" \
  --tls-key "$DEMO_DIR/demo-tls/server.key" --queues 3 --agents 6 >"$DEMO_DIR/demo-sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://$SIM_ADDR/_sim/state" && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$DEMO_DIR/demo-sim.log" >&2; exit 1; }
  sleep 0.1
done

echo
echo "  simulator:  http://$SIM_ADDR/  (MixCall, Huawei CEC, yunhu, uContact; HTTPS on $SIM_TLS_ADDR)"
echo "              its log: $DEMO_DIR/demo-sim.log"
echo "  exporter:   http://localhost:${LISTEN##*:}/  (landing page; its log follows)"
echo "  metrics:    http://localhost:${LISTEN##*:}/metrics"
echo
"$exporter" --config.file="$DEMO_DIR/demo.yaml" --web.listen-address="$LISTEN" &
pids+=($!)
# Whichever ends first (say the exporter cannot bind its port) ends the demo.
status=0
wait -n "${pids[@]}" || status=$?
exit "$status"
