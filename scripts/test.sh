#!/usr/bin/env bash
# Builds everything with warnings as errors and ASan+UBSan, then runs every
# test (unit, integration against the simulator, end-to-end with Prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DCC_WERROR=ON -DCC_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure -j"$(nproc)" --timeout 300
