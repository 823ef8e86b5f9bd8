#!/usr/bin/env bash
# Renders the mixin's rules and alerts to YAML (Debian package jsonnet):
#
#   deploy/prometheus/render.sh                   rewrite callcenter_rules.yml and callcenter_alerts.yml
#                                                 here, and deploy/kubernetes/prometheusrule.yaml from them
#   deploy/prometheus/render.sh OUT_DIR           write the two files to OUT_DIR instead
#   deploy/prometheus/render.sh OUT_DIR CONFIG    likewise, with CONFIG (a jsonnet object) merged into
#                                                 _config, e.g. "{ serviceLevelTarget: 0.9 }"
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
config="${2:-{\}}"
command -v jsonnet >/dev/null || { echo "render: jsonnet not found (Debian package jsonnet)" >&2; exit 1; }
mkdir -p "$out"

render() {  # field file
  {
    echo "# Generated from deploy/prometheus/*.libsonnet by deploy/prometheus/render.sh. Do not edit."
    jsonnet -J "$here" -S --tla-code "config=$config" -e "function(config) std.manifestYamlDoc(
      ((import 'mixin.libsonnet') + { _config+:: config }).$1, indent_array_in_object=true, quote_keys=false)"
  } >"$out/$2.tmp"
  mv "$out/$2.tmp" "$out/$2"
}
render prometheusRules callcenter_rules.yml
render prometheusAlerts callcenter_alerts.yml

# The Kubernetes PrometheusRule carries the same groups (tests/deploy/check_kubernetes.sh compares).
if [ "$out" = "$here" ]; then
  node "$here/../../tests/deploy/kubernetes/gen_prometheusrule.mjs"
fi
