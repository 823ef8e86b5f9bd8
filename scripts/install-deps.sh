#!/usr/bin/env bash
# Installs the Debian bookworm packages callcenter_exporter needs; nothing is downloaded at
# build time. Two sets:
#   --runtime  build and run the exporter and the demo (scripts/demo.sh): compiler, CMake, the
#              libraries, curl and openssl for the demo's simulator.
#   (default)  also everything the tests use (scripts/test.sh), including the whole Prometheus
#              server (for promtool and the end-to-end test; Debian starts its service on
#              port 9090 when installing it) and Alertmanager (for amtool).
#   --bench    the default set plus what the benchmarks use (bench/README.md): Google
#              Benchmark and wrk.
# README.md says how much each set downloads and installs.
# --list prints the packages of the set, one a line, and installs nothing.
# The installed exporter itself needs only its shared libraries (the .deb's Depends).
set -euo pipefail

usage() { echo "usage: install-deps.sh [--runtime | --bench] [--list]" >&2; exit 2; }
runtime_only=0
bench=0
list=0
for arg in "$@"; do
  case "$arg" in
    --runtime) runtime_only=1 ;;
    --bench) bench=1 ;;
    --list) list=1 ;;
    *) usage ;;
  esac
done

RUNTIME=(
  cmake g++ make git pkg-config ca-certificates
  libboost1.81-dev          # Asio/Beast (1.74's coroutines do not build with GCC 12 in C++20)
  rapidjson-dev libyaml-cpp-dev libssl-dev libcrypt-dev zlib1g-dev
  curl openssl              # the demo: waits for the simulator, makes its TLS certificate
)
TEST=(
  googletest libgtest-dev   # unit, integration and end-to-end tests
  prometheus-cpp-dev        # our exposition writer is compared with its serializer
  prometheus                # the whole server: promtool (rules, rule tests, config) and the
                            # end-to-end test, where a real Prometheus scrapes the exporter
  prometheus-alertmanager   # amtool checks the example alertmanager.yml
  jsonnet                   # renders the rules and alerts mixin (deploy/prometheus)
  dpkg-dev file             # cpack -G DEB: dpkg-shlibdeps computes the package's dependencies
  systemd groff-base man-db # systemd-analyze verify, man page lint
  clang-format              # the C++ style check (scripts/format.sh --check)
  clang libclang-rt-14-dev  # the fuzz targets (fuzz/): clang's libFuzzer, ASan and UBSan runtimes
  universal-ctags           # function lengths (tests/style/check_function_length.sh)
  procps                    # ps, in the demo's signal test
)
BENCH=(
  libbenchmark-dev          # the in-process benchmarks (bench/*_bench.cpp)
  wrk                       # HTTP load for bench/scale.sh
)
[ "$runtime_only" -eq 1 ] && [ "$bench" -eq 1 ] && usage
PACKAGES=("${RUNTIME[@]}")
if [ "$runtime_only" -eq 0 ]; then
  PACKAGES+=("${TEST[@]}")
  [ "$bench" -eq 1 ] && PACKAGES+=("${BENCH[@]}")
  # Node.js for the dashboard and Kubernetes manifest validators (npm packages, pinned by
  # package-lock.json). Debian's nodejs/npm unless a Node.js with npm is already installed.
  if ! command -v npm >/dev/null; then
    PACKAGES+=(nodejs npm)
  fi
fi

if [ "$list" -eq 1 ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d-free containers may fail to start the prometheus service; that is fine, we never use it.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
