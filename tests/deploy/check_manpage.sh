#!/usr/bin/env bash
# Checks docs/callcenter_exporter.1 against the binary and for troff problems.
#
#   tests/deploy/check_manpage.sh BINARY [MANPAGE]
#
# - every --flag that `BINARY --help` prints has an entry in the man page's OPTIONS section, and
#   every entry there is a flag that --help prints;
# - where --help prints "(default: X)", X appears in that flag's entry;
# - `groff -man -ww -z` (Debian package groff-base) and, where installed, `man --warnings -l`
#   (man-db) render the page without a warning.
# MANPAGE defaults to the repository's docs/callcenter_exporter.1; a compressed installed page
# (/usr/share/man/man1/callcenter_exporter.1.gz) works too.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BINARY [MANPAGE]" >&2
  exit 2
fi
binary="$1"
page="${2:-$repo/docs/callcenter_exporter.1}"
[ -x "$binary" ] || { echo "check_manpage: not an executable: $binary" >&2; exit 1; }
[ -f "$page" ] || { echo "check_manpage: no such file: $page" >&2; exit 1; }
command -v groff >/dev/null || { echo "check_manpage: groff not found (Debian package groff-base)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
case "$page" in
  *.gz) gzip -dc "$page" >"$tmp/page.1" ;;
  *) cp "$page" "$tmp/page.1" ;;
esac
src="$tmp/page.1"
fail=0

# --help: one flag per line, indented, "--name[=ARG]   text [(default: X)]".
"$binary" --help >"$tmp/help.txt"
grep -E '^[[:space:]]+--[a-z]' "$tmp/help.txt" |
  sed -E 's/^[[:space:]]+(--[a-z][a-z0-9.-]*).*/\1/' | sort -u >"$tmp/help_flags"
[ -s "$tmp/help_flags" ] || { echo "check_manpage: FAIL: no --flag found in '$binary --help'" >&2; exit 1; }

# The man page's OPTIONS section, with troff escapes reduced to plain text: '\-' is '-',
# font changes, '\c' and '\&' vanish, and the request name at the start of a line is dropped.
awk '/^\.SH /{ in_opts = ($0 ~ /^\.SH "?OPTIONS"?[[:space:]]*$/); next } in_opts' "$src" |
  sed -E 's/\\-/-/g; s/\\f(\[[^]]*\]|\(..|.)//g; s/\\c//g; s/\\&//g; s/\\e/\\/g' >"$tmp/options.txt"
[ -s "$tmp/options.txt" ] || { echo "check_manpage: FAIL: $page has no .SH OPTIONS section" >&2; exit 1; }

# Entries: the line after each .TP is the tag; the flags are the --words in it. Each entry is
# written to "$tmp/entry.<flag>" (tag and body) to look for the default in.
awk -v dir="$tmp" '
  /^\.TP/ { want_tag = 1; next }
  want_tag {
    want_tag = 0; n = 0
    line = $0
    while (match(line, /--[a-z][a-z0-9.-]*[a-z0-9]/)) {
      flag = substr(line, RSTART, RLENGTH); flags[++n] = flag
      print flag > (dir "/man_flags_raw")
      line = substr(line, RSTART + RLENGTH)
    }
    cur = n
  }
  { for (i = 1; i <= cur; i++) print > (dir "/entry." flags[i]) }
' "$tmp/options.txt"
sort -u "$tmp/man_flags_raw" >"$tmp/man_flags" 2>/dev/null || : >"$tmp/man_flags"

while read -r f; do
  echo "check_manpage: FAIL: $f is printed by --help but has no entry in the OPTIONS of $page" >&2
  fail=1
done < <(comm -23 "$tmp/help_flags" "$tmp/man_flags")
while read -r f; do
  echo "check_manpage: FAIL: $f has an entry in the OPTIONS of $page but --help does not print it" >&2
  fail=1
done < <(comm -13 "$tmp/help_flags" "$tmp/man_flags")

# Defaults printed by --help must appear in the flag's entry.
while IFS=$'\t' read -r flag default; do
  entry="$tmp/entry.$flag"
  [ -f "$entry" ] || continue  # reported above
  if ! grep -qF -- "$default" "$entry"; then
    echo "check_manpage: FAIL: --help gives $flag the default '$default', its man page entry does not mention it" >&2
    fail=1
  fi
done < <(grep -E '^[[:space:]]+--[a-z].*\(default: [^)]*\)' "$tmp/help.txt" |
           sed -E 's/^[[:space:]]+(--[a-z][a-z0-9.-]*).*\(default: ([^)]*)\).*/\1\t\2/')

# Rendering warnings: any output of a renderer is a failure (groff exits 0 on warnings).
report_warnings() {  # renderer output
  if [ -n "$2" ]; then
    printf '%s\n' "$2" >&2
    echo "check_manpage: FAIL: $1 warns" >&2
    fail=1
  else
    echo "check_manpage: $1: no warning"
  fi
}
report_warnings "groff -man -ww -z" "$(groff -man -ww -z "$src" 2>&1 || true)"
if command -v man >/dev/null; then
  out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$src" 2>&1 >/dev/null)" || fail=1
  report_warnings "man --warnings -l" "$out"
else
  echo "check_manpage: man (man-db) not installed, only groff checked"
fi

if [ "$fail" -ne 0 ]; then
  exit 1
fi
echo "check_manpage: OK ($(wc -l <"$tmp/help_flags") flags match --help)"
