#!/usr/bin/env bash
# Validates deploy/kubernetes/ (see tests/deploy/kubernetes/validate.mjs for what is checked):
# every document of every manifest against the Kubernetes / prometheus-operator schemas
# (npm packages kubernetes-models and @kubernetes-models/prometheus-operator, pinned in
# tests/deploy/kubernetes/package-lock.json), how the objects fit together, and that
# prometheusrule.yaml is generated from deploy/prometheus/.
#
#   tests/deploy/check_kubernetes.sh [--exporter BINARY]
#
# --exporter BINARY also runs `BINARY --config.check` on the ConfigMap's configuration.
# Needs node (>= 18) and npm: Debian packages nodejs and npm. Installs the npm packages with
# `npm ci` into tests/deploy/kubernetes/node_modules when they are missing or out of date.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/kubernetes" && pwd)"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "check_kubernetes: FAIL: $tool not found (Debian packages nodejs and npm)" >&2; exit 1; }
done
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ]; then
  echo "check_kubernetes: FAIL: node $(node --version) is too old, need >= 18" >&2
  exit 1
fi

# node_modules is current when it was installed from this very package-lock.json.
stamp="$dir/node_modules/.installed-from-lock"
want="$(sha256sum "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "check_kubernetes: npm ci in ${dir}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

node "$dir/validate.mjs" "$@"
