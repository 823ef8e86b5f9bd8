#!/usr/bin/env bash
# One name for the configuration file everywhere (issue 12 item 5): the default of
# --config.file (from --help), the example at the root of the repository, the example and the
# conffile the package installs (from a real `cmake --install` into a scratch DESTDIR), the
# systemd unit, the Docker image, the Kubernetes manifests, the man page and the docs.
# usage: check_config_names.sh EXPORTER_BINARY BUILD_DIR
set -euo pipefail
exporter=${1:?usage: check_config_names.sh EXPORTER BUILD_DIR}
build=${2:?usage: check_config_names.sh EXPORTER BUILD_DIR}
cd "$(dirname "$0")/../.."
fail=0
bad() { echo "check_config_names: FAIL: $*" >&2; fail=1; }

name=$("$exporter" --help | sed -n 's/^ *--config.file=PATH .*(default: \([^)]*\)).*/\1/p')
[ -n "$name" ] || { echo "check_config_names: no default in --help of --config.file" >&2; exit 1; }
[ "$name" = "$(basename "$name")" ] || bad "the default $name is not a bare file name in the working directory"
echo "check_config_names: --config.file defaults to $name"

[ -f "$name" ] || bad "no example $name at the root of the repository"
"$exporter" --config.check --config.file="$name" >/dev/null || bad "the example $name does not pass --config.check"
grep -qx "/etc/callcenter_exporter/$name" deploy/debian/conffiles || bad "deploy/debian/conffiles does not list /etc/callcenter_exporter/$name"

# What the package installs: the install rules run for real, into a scratch root.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
DESTDIR="$root" cmake --install "$build" >/dev/null
conf=$(find "$root" -path '*/etc/callcenter_exporter/*' -type f)
example=$(find "$root" -path '*/share/doc/callcenter_exporter/examples/*' -type f)
[ "$(basename "$conf")" = "$name" ] || bad "the installed conffile is '${conf#"$root"}', not .../etc/callcenter_exporter/$name"
[ "$(basename "$example")" = "$name" ] ||
  bad "the installed example is '${example#"$root"}', not .../share/doc/callcenter_exporter/examples/$name"
cmp -s "$example" "$name" || bad "the installed example differs from ./$name"

# Every --config.file of ours that a user reads or runs names a file of that name; the demo's
# own scripts/demo.yaml is the one other configuration, prometheus*.yml are Prometheus' own.
shipped=(README.md docs deploy tools/sim/README.md "$name")
hits=0
while IFS= read -r hit; do
  value=${hit##*[= ]}
  [ "$(basename -- "$value")" = "$name" ] || bad "--config.file names $value in: $hit"
  hits=$((hits + 1))
done < <(grep -rshoE -- '-config\\?\.file[= ][^ "'"'"'`$]*\.ya?ml' "${shipped[@]}" | grep -vE 'scripts/demo\.yaml$|prometheus[^/]*\.yml$')
[ "$hits" -gt 0 ] || bad "found no --config.file in ${shipped[*]}"
for other in callcenter_exporter.yml config.example.yaml config.example.yml; do
  users=$(grep -rslF --exclude="$(basename "$0")" "$other" "${shipped[@]}" scripts src tests CMakeLists.txt cmake || true)
  [ -z "$users" ] || bad "the old name $other is still used in: $(echo $users)"
done
# The ConfigMap's key is the file name the Deployment mounts.
grep -qE "^  $name: \|" deploy/kubernetes/configmap.yaml || bad "the ConfigMap has no key $name"
grep -qE "path: $name\$" deploy/kubernetes/deployment.yaml || bad "the Deployment does not mount $name"

[ "$fail" -eq 0 ] && echo "check_config_names: OK: one name, $name ($hits uses of --config.file agree)"
exit "$fail"
