#!/usr/bin/env bash
# Installs the Debian packages needed to build, test and run callcenter_exporter.
# Nothing is downloaded at build time; everything comes from Debian bookworm.
set -euo pipefail

PACKAGES=(
  cmake g++ make git pkg-config ca-certificates curl openssl
  libboost1.81-dev          # Asio/Beast (1.74's coroutines do not build with GCC 12 in C++20)
  prometheus-cpp-dev        # tests only: our exposition writer is compared with its serializer
  rapidjson-dev libyaml-cpp-dev libssl-dev libcrypt-dev zlib1g-dev
  googletest libgtest-dev
  prometheus                # promtool and a real Prometheus for the end-to-end test
  prometheus-alertmanager   # amtool checks the example alertmanager.yml
  jsonnet                   # renders the rules and alerts mixin (deploy/prometheus)
  dpkg-dev file             # cpack -G DEB: dpkg-shlibdeps computes the package's dependencies
  systemd groff-base man-db # systemd-analyze verify, man page lint
  clang-format              # the C++ style check (scripts/format.sh --check)
  universal-ctags           # function lengths (tests/style/check_function_length.sh)
)
# Node.js for the dashboard and Kubernetes manifest validators (npm packages, pinned by
# package-lock.json). Debian's nodejs/npm unless a Node.js with npm is already installed.
if ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
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
