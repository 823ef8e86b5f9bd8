#!/bin/sh
# One fuzz target as CI runs it (the Fuzz.<name> ctest tests):
#   run_fuzzer.sh FUZZER SECONDS REGRESSIONS_DIR ARTIFACTS_DIR SEED…
# Every file of REGRESSIONS_DIR (inputs that once crashed) is run once as a
# plain input; then the fuzzer runs for SECONDS on a scratch corpus holding a
# copy of the SEEDs (files, or the files of directories): libFuzzer writes new
# inputs into its corpus directory, and the fixtures are not its to change.
# A crash, leak, sanitizer report, timeout or memory blow-up fails the test;
# the input that caused it is left in ARTIFACTS_DIR to be added to regressions.
set -eu
fuzzer=$1 seconds=$2 regressions=$3 artifacts=$4
shift 4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for seed in "$@"; do
  if [ -d "$seed" ]; then
    find "$seed" -maxdepth 1 -type f -exec cp {} "$scratch/" \;
  else
    cp "$seed" "$scratch/"
  fi
done
[ -n "$(ls "$scratch")" ] || { echo "run_fuzzer: no seed inputs in: $*" >&2; exit 1; }
mkdir -p "$artifacts"
# Inputs up to 16 KiB reach the listener's 8 KiB header limit; ten seconds per
# input is far above any honest parse (ASan included): more is a hang; 2 GiB is
# far above any honest footprint: more is a blow-up.
set -- -rss_limit_mb=2048 -timeout=10 -max_len=16384 -artifact_prefix="$artifacts/"
found=0
for input in "$regressions"/*; do
  [ -f "$input" ] || continue
  found=$((found + 1))
  "$fuzzer" "$@" "$input"
done
echo "run_fuzzer: $found regression inputs ran clean"
exec "$fuzzer" "$@" -max_total_time="$seconds" -print_final_stats=1 "$scratch"
