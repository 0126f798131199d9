#!/usr/bin/env bash
# Checks the names in every C++ translation unit of this checkout but the tests' (and the headers
# under include/ src/ tests/ they include) with clang-tidy as .clang-tidy configures it (the naming
# rules only), and names each identifier that breaks them. ctest runs it as the entry "tidy".
# Usage: scripts/check-tidy.sh [BUILD]
#   BUILD  the build tree whose compile_commands.json lists the files (default: build)
# Cost: see doc/HACKING.md (Format and naming); parsing GLib's and spdlog's headers is most of it.
# $CHECK_TIDY_JOBS sets the parallelism.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in -*) echo "usage: scripts/check-tidy.sh [BUILD]" >&2; exit 2 ;; esac
build=$(cd "$build" 2>/dev/null && pwd) || { echo "check-tidy: no build tree at ${1:-build}" >&2; exit 2; }

clang_tidy=${CLANG_TIDY:-clang-tidy}
if ! command -v "$clang_tidy" >/dev/null; then
  echo "check-tidy: $clang_tidy is not installed; install it with scripts/setup-debian.sh --test" >&2
  exit 1
fi
if [[ ! -f $build/compile_commands.json ]]; then
  echo "check-tidy: $build/compile_commands.json is missing; configure with cmake -S . -B build first" >&2
  exit 1
fi

# The translation units of this checkout (not the generated ones in the build tree).
mapfile -t files < <(/usr/bin/python3 - "$build/compile_commands.json" "$root" "$build" <<'EOF'
import json, os, sys
db, root, build = sys.argv[1], sys.argv[2] + "/", sys.argv[3] + "/"
seen = set()
for entry in json.load(open(db)):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    # The product's code (src/, doc/, scripts/): the tests' translation units parse Catch2's single
    # header, which doubled the time of the check (447 s on a loaded 2-core machine) for names that
    # matter less; their headers are still checked where the product includes them.
    tests = root + "tests/"
    if path.startswith(root) and not path.startswith(build) and not path.startswith(tests) and path not in seen:
        seen.add(path)
        print(path)
EOF
)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "check-tidy: $build/compile_commands.json lists no file of $root" >&2
  exit 1
fi

jobs=${CHECK_TIDY_JOBS:-$(nproc)}
out=$(printf '%s\0' "${files[@]}" |
  xargs -0 -n 1 -P "$jobs" "$clang_tidy" -p "$build" --quiet \
    --header-filter="^$root/(include|src|tests)/" 2>/dev/null)
status=$?
# A header included by several files is reported once.
mapfile -t found < <(grep -E '^/.*: (warning|error): ' <<<"$out" | LC_ALL=C sort -u)

if [[ ${#found[@]} -gt 0 ]]; then
  {
    echo "check-tidy: ${#found[@]} names break .clang-tidy's naming rules (see doc/HACKING.md, Naming):"
    printf '  %s\n' "${found[@]#"$root/"}"
  } >&2
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "check-tidy: clang-tidy failed (status $status) without naming a file; run it by hand:" >&2
  echo "  $clang_tidy -p $build ${files[0]}" >&2
  exit 1
fi
echo "check-tidy: the names in all ${#files[@]} translation units follow .clang-tidy's naming rules"
