#!/usr/bin/env bash
# Builds callcenter_exporter and runs it against the bundled vendor simulator.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCC_BUILD_TESTS=OFF -DCC_WERROR=OFF -DCC_SANITIZE=OFF >/dev/null
cmake --build build -j"$(nproc)" --target callcenter_exporter callcenter_sim

SIM_ADDR=127.0.0.1:9710
SIM_TLS_ADDR=127.0.0.1:9711
LISTEN=${LISTEN:-:9714}
./scripts/demo-certs.sh build/demo-tls
./build/tools/sim/callcenter_sim --listen "$SIM_ADDR" --tls-listen "$SIM_TLS_ADDR" \
  --tls-cert build/demo-tls/server.pem --tls-key build/demo-tls/server.key --queues 3 --agents 6 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://$SIM_ADDR/_sim/state" && break
  sleep 0.1
done

echo
echo "  simulator:  http://$SIM_ADDR/  (MixCall, Huawei CEC, yunhu, uContact; HTTPS on $SIM_TLS_ADDR)"
echo "  exporter:   http://localhost:${LISTEN##*:}/  (landing page)"
echo "  metrics:    http://localhost:${LISTEN##*:}/metrics"
echo
./build/src/callcenter_exporter --config.file=scripts/demo.yaml --web.listen-address="$LISTEN"
