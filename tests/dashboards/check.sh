#!/usr/bin/env bash
# Checks the Grafana dashboards (dashboards/*.json): generated from dashboards/src, structure,
# PromQL and metric names, and the @grafana/schema types. See dashboards/README.md.
#
#   tests/dashboards/check.sh [--clean]      (from any directory)
#
# Needs node (>= 18) and npm (Debian: nodejs npm) and promtool (Debian: prometheus); installs
# the pinned npm packages of package-lock.json into tests/dashboards/node_modules with `npm ci`
# when they are missing or older than the lock file. Fails, never skips, without them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "tests/dashboards/check.sh: FAIL: $1 not found (Debian package: $2)" >&2
    exit 1
  fi
}
need node nodejs
need npm npm
need promtool prometheus

major="$(node -p 'process.versions.node.split(".")[0]')"
if (( major < 18 )); then
  echo "tests/dashboards/check.sh: FAIL: node $(node --version) is too old (need >= 18)" >&2
  exit 1
fi

# npm ci when node_modules is missing or was installed from another lock file.
stamp="$here/node_modules/.callcenter-package-lock.json"
if [[ ! -d "$here/node_modules" ]] || ! cmp -s "$here/package-lock.json" "$stamp"; then
  (cd "$here" && npm ci --no-audit --no-fund)
  cp "$here/package-lock.json" "$stamp"
fi

exec node "$here/check.mjs" "$@"
