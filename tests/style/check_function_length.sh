#!/usr/bin/env bash
# No function of the daemon (src/) or of a vendor (collectors/) is longer than
# MAX lines (default 60), so each reads in one sitting. Universal Ctags finds
# the functions and where they end. Prints the offenders; exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/../.."
max=${1:-60}
command -v ctags >/dev/null || { echo "check_function_length: ctags not installed (scripts/install-deps.sh)" >&2; exit 2; }
ctags --version | grep -q "Universal Ctags" || { echo "check_function_length: needs Universal Ctags" >&2; exit 2; }

list=$(ctags -x --languages=C++ --kinds-C++=f --fields=+ne --_xformat='%{line} %{end} %{input} %{name}' -R src collectors)
[ -n "$list" ] || { echo "check_function_length: ctags found no functions" >&2; exit 2; }
long=$(awk -v max="$max" '$2 - $1 + 1 > max { print $3 ":" $1 ": " $4 " is " $2 - $1 + 1 " lines (max " max ")" }' <<<"$list")
if [ -n "$long" ]; then
  echo "$long"
  exit 1
fi
echo "check_function_length: $(wc -l <<<"$list") functions, none over $max lines"
