#!/usr/bin/env bash
# The Debian package as a user gets it: built by cpack from a Release tree, installed with
# dpkg -i (the libraries dpkg-shlibdeps named in Depends are installed on a machine that
# built it; dpkg refuses the package otherwise), checked file by file, the installed binary
# run as the package's user against the simulator, then purged.
#
#   tests/deploy/package_test.sh DEB SIM_BINARY
#
# Needs root (or sudo): it installs and removes the package on this machine. It leaves the
# machine as it found it unless the package was installed before (then it refuses to run).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 DEB SIM_BINARY" >&2; exit 2; }
deb="$(readlink -f "$1")"
sim="$2"
[ -f "$deb" ] || { echo "package_test: no package at $1" >&2; exit 1; }
[ -x "$sim" ] || { echo "package_test: no simulator at $2" >&2; exit 1; }

SUDO=""
AS_USER=(runuser -u callcenter_exporter --)
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "package_test: needs root or sudo to install $deb" >&2; exit 1; }
  SUDO="sudo -n"  # never wait for a password prompt
  AS_USER=(sudo -n -u callcenter_exporter)
fi
# Only on a machine that never had the package or its user: the purge at the end would
# delete an administrator's configuration (a removed but not purged package) or user.
status=$(dpkg-query -W -f='${db:Status-Status}' callcenter_exporter 2>/dev/null || true)
if [ -n "$status" ] && [ "$status" != "not-installed" ]; then
  echo "package_test: callcenter_exporter is $status here; not touching it" >&2
  exit 1
fi
if getent passwd callcenter_exporter >/dev/null; then
  echo "package_test: a user callcenter_exporter exists already; not touching it" >&2
  exit 1
fi

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # The purge removes the user, which userdel refuses while its processes run.
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  $SUDO dpkg --purge callcenter_exporter >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
step() { echo "package_test: $*"; }

step "package fields"
dpkg-deb --info "$deb" > "$tmp/info"
grep -q '^ Package: callcenter_exporter$' "$tmp/info"
# dpkg-shlibdeps filled in the libraries the binary links (yaml-cpp, OpenSSL, …).
grep -E '^ Depends: .*libssl3' "$tmp/info" >/dev/null || { cat "$tmp/info"; echo "package_test: Depends lacks libssl3" >&2; exit 1; }
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles > "$tmp/conffiles"
diff <(sort "$tmp/conffiles") <(printf '/etc/callcenter_exporter/config.yaml\n/etc/default/callcenter_exporter\n')

step "install"
$SUDO dpkg -i "$deb" >/dev/null 2>&1 || $SUDO dpkg -i "$deb"
for f in /usr/bin/callcenter_exporter /etc/callcenter_exporter/config.yaml /etc/default/callcenter_exporter \
         /lib/systemd/system/callcenter_exporter.service /usr/share/man/man1/callcenter_exporter.1.gz \
         /usr/share/doc/callcenter_exporter/examples/config.yaml /usr/share/doc/callcenter_exporter/README.md \
         /usr/share/callcenter_exporter/prometheus/callcenter_rules.yml \
         /usr/share/callcenter_exporter/prometheus/callcenter_alerts.yml \
         /usr/share/callcenter_exporter/dashboards/callcenter-wallboard.json; do
  [ -f "$f" ] || { echo "package_test: $f not installed" >&2; exit 1; }
done
getent passwd callcenter_exporter >/dev/null || { echo "package_test: no system user" >&2; exit 1; }
[ "$(stat -c '%U:%G %a' /etc/callcenter_exporter)" = "root:callcenter_exporter 750" ]

step "installed configuration, unit, man page and rules"
/usr/bin/callcenter_exporter --version
"${AS_USER[@]}" /usr/bin/callcenter_exporter --config.check \
  --config.file=/etc/callcenter_exporter/config.yaml
"$here/check_systemd.sh" /lib/systemd/system/callcenter_exporter.service
"$here/check_manpage.sh" /usr/bin/callcenter_exporter /usr/share/man/man1/callcenter_exporter.1.gz
promtool check rules /usr/share/callcenter_exporter/prometheus/callcenter_rules.yml \
  /usr/share/callcenter_exporter/prometheus/callcenter_alerts.yml

step "the installed binary, as the package user, against the simulator"
# Both programs pick a free port and print it: "msg=listening scheme=http address=ADDR" and "msg=listening address=ADDR".
address_in() {  # log marker
  for _ in $(seq 1 100); do
    addr=$(grep -o "$2[^ ]*" "$1" 2>/dev/null | head -n 1 | sed "s/^$2//")
    [ -n "$addr" ] && { echo "$addr"; return 0; }
    sleep 0.1
  done
  cat "$1" >&2
  return 1
}
"$sim" --listen 127.0.0.1:0 --queues 2 --agents 3 > "$tmp/sim.log" 2>&1 &
pids+=($!)
sim_addr=$(address_in "$tmp/sim.log" "scheme=http address=")
chmod 755 "$tmp"
cat > "$tmp/config.yaml" <<EOF
global: {poll_interval: 1s, poll_timeout: 800ms}
targets:
  - {name: pkg, vendor: mixcall, url: 'http://$sim_addr/admin/'}
EOF
chmod 644 "$tmp/config.yaml"
"${AS_USER[@]}" /usr/bin/callcenter_exporter --config.file="$tmp/config.yaml" \
  --web.listen-address=127.0.0.1:0 > "$tmp/exporter.log" 2>&1 &
pids+=($!)
exp_addr=$(address_in "$tmp/exporter.log" "msg=listening address=")
for _ in $(seq 1 100); do
  if curl -fs "http://$exp_addr/metrics" > "$tmp/metrics" 2>/dev/null &&
     grep -q '^callcenter_up{.*target="pkg".*} 1$' "$tmp/metrics"; then
    break
  fi
  sleep 0.2
done
grep -q '^callcenter_up{.*target="pkg".*} 1$' "$tmp/metrics" ||
  { cat "$tmp/exporter.log" "$tmp/sim.log"; echo "package_test: target never up" >&2; exit 1; }
series=$(grep -c '^callcenter_queue_agents{' "$tmp/metrics")
[ "$series" -eq 18 ] || { echo "package_test: $series callcenter_queue_agents series, want 18 (2 queues x 9 states)" >&2; exit 1; }
promtool check metrics < "$tmp/metrics"

step "purge"
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
pids=()
$SUDO dpkg --purge callcenter_exporter >/dev/null 2>&1 || $SUDO dpkg --purge callcenter_exporter
[ ! -e /usr/bin/callcenter_exporter ] && [ ! -e /etc/callcenter_exporter ]
! getent passwd callcenter_exporter >/dev/null || { echo "package_test: user left after purge" >&2; exit 1; }
step "ok"
