#!/usr/bin/env bash
# Checks the Prometheus and Alertmanager files in deploy/prometheus/:
#
#   1. the jsonnet mixin renders, and the committed callcenter_rules.yml / callcenter_alerts.yml
#      are exactly what it renders (a stale file fails: run deploy/prometheus/render.sh);
#   2. the mixin's grafanaDashboards import the four dashboards/*.json, and every recording rule
#      those dashboards query is defined;
#   3. promtool check rules on both rule files;
#   4. promtool test rules on every deploy/prometheus/tests/*.yml;
#   5. promtool check config on prometheus.yml, prometheus-probe.yml and prometheus-probe-sharded.yml
#      (their rule_files resolve);
#   6. amtool check-config on alertmanager.yml.
#
# Needs the Debian packages jsonnet, prometheus (promtool) and prometheus-alertmanager (amtool).
# A missing tool is a failure, not a skip. Runs from any directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dir="$repo/deploy/prometheus"
name=check_prometheus_files

missing=()
command -v jsonnet >/dev/null || missing+=("jsonnet (Debian package jsonnet)")
command -v promtool >/dev/null || missing+=("promtool (Debian package prometheus)")
command -v amtool >/dev/null || missing+=("amtool (Debian package prometheus-alertmanager)")
if [ ${#missing[@]} -gt 0 ]; then
  for m in "${missing[@]}"; do echo "$name: FAIL: not installed: $m" >&2; done
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
step() { echo "$name: $*"; }
bad() { echo "$name: FAIL: $*" >&2; fail=1; }

step "render the mixin (deploy/prometheus/render.sh) and compare with the committed YAML"
if "$dir/render.sh" "$tmp/rendered"; then
  for f in callcenter_rules.yml callcenter_alerts.yml; do
    if ! diff -u "$dir/$f" "$tmp/rendered/$f" >"$tmp/diff" 2>&1; then
      cat "$tmp/diff" >&2
      bad "deploy/prometheus/$f is stale: run deploy/prometheus/render.sh"
    fi
  done
else
  bad "the jsonnet does not render"
fi

step "mixin grafanaDashboards import dashboards/*.json; the recording rules they query exist"
if uids="$(jsonnet -J "$dir" -S -e "std.join(' ', std.sort([d.uid for d in std.objectValues((import 'mixin.libsonnet').grafanaDashboards)]))" 2>"$tmp/err")"; then
  want="callcenter-agents callcenter-exporter callcenter-queue callcenter-wallboard"
  [ "$uids" = "$want" ] || bad "dashboard uids are '$uids', want '$want'"
  # Every "expr" of every panel and variable; recording rules are the names with colons in them.
  exprs="$(jsonnet -J "$dir" -S -e '
    local walk(v) =
      if std.isObject(v) then
        std.flattenArrays([walk(v[k]) for k in std.objectFields(v)])
        + (if std.objectHas(v, "expr") && std.isString(v.expr) then [v.expr] else [])
      else if std.isArray(v) then std.flattenArrays([walk(x) for x in v])
      else [];
    std.join("\n", walk((import "mixin.libsonnet").grafanaDashboards))')"
  used="$(printf '%s\n' "$exprs" | grep -oE '[a-z_]+:callcenter_[a-z0-9_]+(:[a-z0-9_]+)?' | sort -u || true)"
  defined="$(grep -oE '^ *record: "?[^"]+' "$dir/callcenter_rules.yml" | sed -E 's/^ *record: "?//' | sort -u)"
  [ -n "$used" ] || bad "found no recording rule in the dashboards' queries"
  echo "$name:   the dashboards query $(printf '%s\n' "$used" | grep -c .) recording rules"
  undefined="$(comm -23 <(printf '%s\n' "$used") <(printf '%s\n' "$defined"))"
  [ -z "$undefined" ] || bad "dashboards query recording rules that callcenter_rules.yml does not define: $(echo $undefined)"
else
  cat "$tmp/err" >&2
  bad "grafanaDashboards do not evaluate (dashboards/*.json missing or not JSON?)"
fi

step "every alert has labels.severity, summary, description, and a runbook_url whose section is in docs/runbook.md"
alerts="$(grep -oE '^ *- alert: "?[A-Za-z]+' "$dir/callcenter_alerts.yml" | sed -E 's/.*alert: "?//' | sort -u)"
[ -n "$alerts" ] || bad "no alerts found in callcenter_alerts.yml"
for a in $alerts; do
  grep -qx "## $a" "$repo/docs/runbook.md" || bad "docs/runbook.md has no section '## $a'"
done
n_alerts="$(grep -cE '^ *- alert: ' "$dir/callcenter_alerts.yml")"
for key in 'severity: ' 'summary: ' 'description: ' 'runbook_url: "docs/runbook.md#callcenter'; do
  n="$(grep -cF "$key" "$dir/callcenter_alerts.yml")"
  [ "$n" -eq "$n_alerts" ] || bad "$n_alerts alerting rules but $n with '$key'"
done

step "every recording rule and every alert is exercised by a test in deploy/prometheus/tests/"
for r in $(grep -oE '^ *record: "?[^"]+' "$dir/callcenter_rules.yml" | sed -E 's/^ *record: "?//'); do
  grep -qE "(expr: '|labels: ')$r[{']" "$dir"/tests/*.yml || bad "no test evaluates recording rule $r"
done
for a in $alerts; do
  grep -qE "alertname: $a\$" "$dir"/tests/*.yml || bad "no test of alert $a"
done

step "promtool check rules"
promtool check rules "$dir/callcenter_rules.yml" "$dir/callcenter_alerts.yml" || bad "promtool check rules"

tests=("$dir"/tests/*.yml)
[ -e "${tests[0]}" ] || { bad "no test files in deploy/prometheus/tests/"; tests=(); }
for t in "${tests[@]}"; do
  step "promtool test rules ${t#"$repo"/}"
  promtool test rules "$t" || bad "promtool test rules ${t#"$repo"/}"
done

for c in prometheus.yml prometheus-probe.yml prometheus-probe-sharded.yml; do
  step "promtool check config deploy/prometheus/$c"
  promtool check config "$dir/$c" || bad "promtool check config deploy/prometheus/$c"
done

step "amtool check-config deploy/prometheus/alertmanager.yml"
amtool check-config "$dir/alertmanager.yml" || bad "amtool check-config deploy/prometheus/alertmanager.yml"

if [ "$fail" -ne 0 ]; then
  echo "$name: FAILED" >&2
  exit 1
fi
echo "$name: OK"
