#!/usr/bin/env bash
# Checks deploy/systemd/callcenter_exporter.service with systemd-analyze.
#
#   tests/deploy/check_systemd.sh            verify a temporary copy of the repository's unit whose
#                                            ExecStart runs /bin/true (the exporter need not be
#                                            installed; the man: link is not followed)
#   tests/deploy/check_systemd.sh UNIT_PATH  verify an installed unit as it is, e.g.
#                                            /lib/systemd/system/callcenter_exporter.service
#                                            (its binary and man page must be installed)
#
# Then: the hardening directives below must be set, and `systemd-analyze security --offline`
# must rate the unit's exposure at most 2.0 (of 10). Needs the Debian package `systemd`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
name=callcenter_exporter.service

command -v systemd-analyze >/dev/null || { echo "check_systemd: systemd-analyze not found (Debian package systemd)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ $# -ge 1 ]; then
  unit="$1"
  [ -f "$unit" ] || { echo "check_systemd: no such file: $unit" >&2; exit 1; }
  verify_opts=()
else
  src="$repo/deploy/systemd/$name"
  grep -q '^ExecStart=/usr/bin/callcenter_exporter ' "$src" ||
    { echo "check_systemd: $src: ExecStart does not run /usr/bin/callcenter_exporter" >&2; exit 1; }
  # The unit must keep its own name: systemd-analyze derives the unit type from it.
  unit="$tmp/$name"
  sed 's#^ExecStart=/usr/bin/callcenter_exporter #ExecStart=/bin/true #' "$src" >"$unit"
  verify_opts=(--man=no)
fi

fail=0
echo "check_systemd: systemd-analyze verify ${verify_opts[*]} $unit"
# verify prints problems on stderr but may still exit 0 for some of them: treat any output as failure.
if ! out="$(systemd-analyze verify "${verify_opts[@]}" "$unit" 2>&1)" || [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  echo "check_systemd: FAIL: systemd-analyze verify" >&2
  fail=1
fi

# Settings that must not be lost in an edit (exact lines).
required=(
  "User=callcenter_exporter"
  "Group=callcenter_exporter"
  "EnvironmentFile=-/etc/default/callcenter_exporter"
  "ExecReload=/bin/kill -HUP \$MAINPID"
  "Restart=on-failure"
  "LimitNOFILE=65536"
  "NoNewPrivileges=yes"
  "CapabilityBoundingSet="
  "AmbientCapabilities="
  "ProtectSystem=strict"
  "ProtectHome=yes"
  "PrivateTmp=yes"
  "PrivateDevices=yes"
  "ProtectKernelTunables=yes"
  "ProtectKernelModules=yes"
  "ProtectKernelLogs=yes"
  "ProtectControlGroups=yes"
  "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"
  "RestrictNamespaces=yes"
  "LockPersonality=yes"
  "MemoryDenyWriteExecute=yes"
  "SystemCallFilter=@system-service"
  "SystemCallArchitectures=native"
)
for line in "${required[@]}"; do
  if ! grep -qxF -- "$line" "$unit"; then
    echo "check_systemd: FAIL: $unit lacks the line: $line" >&2
    fail=1
  fi
done
grep -qE '^ExecStart=[^ ]+ --config\.file=/etc/callcenter_exporter/config\.yaml \$ARGS$' "$unit" ||
  { echo "check_systemd: FAIL: ExecStart is not '<binary> --config.file=/etc/callcenter_exporter/config.yaml \$ARGS'" >&2; fail=1; }

# --threshold is in tenths: 20 = exposure 2.0.
if ! systemd-analyze security --offline=true --threshold=20 "$unit" >"$tmp/security.txt" 2>&1; then
  cat "$tmp/security.txt" >&2
  echo "check_systemd: FAIL: systemd-analyze security rates the exposure above 2.0" >&2
  fail=1
fi
grep -F 'Overall exposure level' "$tmp/security.txt" | sed 's/^→ */check_systemd: /' || true

if [ "$fail" -ne 0 ]; then
  exit 1
fi
echo "check_systemd: OK"
