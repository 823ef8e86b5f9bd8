#!/usr/bin/env bash
# Builds everything with warnings as errors and ASan+UBSan, then runs every
# test (unit, integration against the simulator, end-to-end with Prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

# The Debian package, from a Release tree of its own; a ctest test installs, runs and purges it.
cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DCC_BUILD_TESTS=OFF -DCC_WERROR=ON \
  -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
cmake --build build-pkg -j"$(nproc)" --target callcenter_exporter cc_man_page
rm -f build-pkg/callcenter_exporter_*.deb
(cd build-pkg && cpack -G DEB >/dev/null)
deb=$(ls build-pkg/callcenter_exporter_*.deb)

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DCC_WERROR=ON -DCC_SANITIZE=ON \
  -DCC_PACKAGE_DEB="$PWD/$deb" >/dev/null
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure -j"$(nproc)" --timeout 300

# The libFuzzer targets (fuzz/README.md), in a clang tree of their own with ASan+UBSan:
# each runs its regression inputs, then fuzzes a copy of its seeds for CC_FUZZ_SECONDS.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCC_FUZZ=ON -DCC_BUILD_TESTS=OFF \
  -DCC_WERROR=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target cc_fuzzers
ctest --test-dir build-fuzz --output-on-failure -j"$(nproc)" --timeout 300
