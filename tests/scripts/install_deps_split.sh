#!/usr/bin/env bash
# scripts/install-deps.sh separates what building and running need (--runtime, the demo) from
# what the tests add, and both sets are what this build used: every header and library the
# exporter and the simulator were compiled and linked with belongs to a package that
# --runtime installs (or one of its dependencies), every one the tests used to a package of
# the full set; the runtime set does not pull in the Prometheus server or GoogleTest. Run on
# a machine where the full set is installed: apt-get and sudo are stubbed to prove that
# nothing is installed then.
# usage: install_deps_split.sh BUILD_DIR   (a tree built with the tests)
set -euo pipefail
build=$(cd "${1:?usage: install_deps_split.sh BUILD_DIR}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "install_deps_split: FAIL: $*" >&2; fail=1; }

"$repo/scripts/install-deps.sh" --runtime --list | sort -u >"$tmp/runtime"
"$repo/scripts/install-deps.sh" --list | sort -u >"$tmp/all"
[ -s "$tmp/runtime" ] || { echo "install_deps_split: --runtime --list printed nothing" >&2; exit 1; }
extra=$(comm -23 "$tmp/runtime" "$tmp/all")
[ -z "$extra" ] || bad "in --runtime but not in the full set: $extra"

# Everything each set brings, as apt resolves it on this machine (installed packages).
closure() {
  xargs apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances <"$1" 2>/dev/null | grep -v '^[ <]' | sed 's/:.*//' | sort -u
}
closure "$tmp/runtime" >"$tmp/runtime.closure"
closure "$tmp/all" >"$tmp/all.closure"
for p in prometheus googletest libgtest-dev prometheus-cpp-dev; do
  ! grep -qx "$p" "$tmp/runtime.closure" || bad "--runtime pulls in $p, which only the tests need"
done

# The Debian packages of the headers (compiler depfiles) and libraries (link lines) that the
# given CMake target directories used; files of the source and build trees are ours.
packages_used() {
  local dirs=("$@")
  {
    find "${dirs[@]}" -name '*.o.d' -print0 | xargs -0 cat | tr ' \\' '\n\n'
    find "${dirs[@]}" -name link.txt -print0 | xargs -0 cat | tr ' ' '\n'
  } | grep '^/' | grep -vE "^($repo|$build)/" | grep -E '\.(h|hpp|hxx|ipp|tcc|inc|def|so|a)$|/include/' |
    sort -u >"$tmp/files"
  [ -s "$tmp/files" ] || { echo "install_deps_split: no depfiles under ${dirs[*]}" >&2; exit 1; }
  xargs dpkg -S <"$tmp/files" 2>"$tmp/unowned" | sed 's/: .*//' | tr ',' '\n' | sed 's/^ *//; s/:.*//' | sort -u
  if [ -s "$tmp/unowned" ]; then bad "files of no package: $(head -3 "$tmp/unowned")"; fi
}
cd "$build"
runtime_targets=(src collectors tools/sim/CMakeFiles/callcenter_sim.dir tools/sim/CMakeFiles/cc_sim.dir
  tools/sim/CMakeFiles/cc_sim_common.dir tools/sim/huawei_cec tools/sim/mixcall tools/sim/ucontact tools/sim/yunhu)
packages_used "${runtime_targets[@]}" >"$tmp/runtime.used"
packages_used tests tools/sim/CMakeFiles/sim_tests.dir >"$tmp/test.used"
missing=$(comm -23 "$tmp/runtime.used" "$tmp/runtime.closure")
[ -z "$missing" ] || bad "the exporter and the simulator build with packages --runtime does not install: $missing"
missing=$(comm -23 "$tmp/test.used" "$tmp/all.closure")
[ -z "$missing" ] || bad "the tests build with packages install-deps.sh does not install: $missing"
grep -qx libgtest-dev "$tmp/test.used" || bad "the tests' depfiles name no GoogleTest header: wrong build directory?"

# With every package present, neither set touches apt (stubs that record a call).
mkdir "$tmp/bin"
for tool in apt-get sudo; do printf '#!/bin/sh\necho "%s $*" >>"%s/called"\nexit 1\n' "$tool" "$tmp" >"$tmp/bin/$tool"; done
chmod +x "$tmp/bin/"*
PATH="$tmp/bin:$PATH" "$repo/scripts/install-deps.sh" --runtime || bad "install-deps.sh --runtime failed with everything installed"
PATH="$tmp/bin:$PATH" "$repo/scripts/install-deps.sh" || bad "install-deps.sh failed with everything installed"
[ ! -s "$tmp/called" ] || bad "install-deps.sh ran $(cat "$tmp/called") although everything is installed"

[ "$fail" -eq 0 ] && echo "install_deps_split: OK: $(wc -l <"$tmp/runtime") runtime packages" \
  "($(wc -l <"$tmp/runtime.closure") with dependencies) cover the $(wc -l <"$tmp/runtime.used") packages the" \
  "exporter and simulator build used; the full set adds $(($(wc -l <"$tmp/all") - $(wc -l <"$tmp/runtime")))" \
  "for the tests ($(wc -l <"$tmp/test.used") packages used by their build)"
exit "$fail"
