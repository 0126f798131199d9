#!/usr/bin/env bash
# Checks that every C++ file under include/ src/ tests/ doc/ scripts/ is formatted as .clang-format
# says (clang-format --dry-run --Werror) and names each file that is not. ctest runs it as
# the entry "format".
# Usage: scripts/check-format.sh [--fix] [ROOT]
#   --fix  rewrite those files with clang-format instead (formatting only)
#   ROOT   the tree to check (default: this checkout)
set -uo pipefail

fix=0
root="$(dirname "$0")/.."
for arg in "$@"; do
  case $arg in
    --fix) fix=1 ;;
    -*) echo "usage: scripts/check-format.sh [--fix] [ROOT]" >&2; exit 2 ;;
    *) root=$arg ;;
  esac
done
cd "$root" || exit 2

clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format is not installed; install it with scripts/setup-debian.sh --test" >&2
  exit 1
fi

dirs=()
for d in include src tests doc scripts; do [[ -d $d ]] && dirs+=("$d"); done
files=()
if [[ ${#dirs[@]} -gt 0 ]]; then
  mapfile -t files < <(find "${dirs[@]}" -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \
                          -o -name '*.c' -o -name '*.cpp.in' \) | LC_ALL=C sort)
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "check-format: no C++ files under include/ src/ tests/ doc/ scripts/ in $(pwd)" >&2
  exit 1
fi

# A template (*.cpp.in) is C++ too: clang-format reads it from stdin under its C++ name.
format() {  # FILE [clang-format options...]: the formatted text on stdout
  local f=$1; shift
  "$clang_format" "$@" --assume-filename="${f%.in}" < "$f"
}

bad=()
first_error=
for f in "${files[@]}"; do
  if ! err=$(format "$f" --dry-run --Werror 2>&1 >/dev/null); then
    bad+=("$f")
    [[ -z $first_error ]] && first_error=$err
  fi
done

if [[ $fix -eq 1 ]]; then
  for f in "${bad[@]}"; do
    out=$(format "$f") && printf '%s\n' "$out" > "$f" || { echo "check-format: cannot format $f" >&2; exit 1; }
  done
  echo "check-format: reformatted ${#bad[@]} of ${#files[@]} files"
  exit 0
fi

if [[ ${#bad[@]} -gt 0 ]]; then
  {
    echo "check-format: ${#bad[@]} of ${#files[@]} C++ files are not formatted as .clang-format says:"
    printf '  %s\n' "${bad[@]}"
    echo "The first difference, in ${bad[0]}:"
    printf '%s\n' "$first_error" | head -n 12
    echo "Fix them with: scripts/check-format.sh --fix  (or clang-format -i FILE)"
  } >&2
  exit 1
fi
echo "check-format: all ${#files[@]} C++ files are formatted as .clang-format says"
