#!/usr/bin/env bash
# scripts/get_data.sh against file:// URLs: a small fake ml-100k.zip made here downloads and
# verifies; a wrong checksum fails; an unreachable URL fails with the by-hand instructions.
set -euo pipefail
script="$1/scripts/get_data.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/ml-100k"
printf '1\t1\t5\t881250949\n2\t1\t3\t881250950\n' > "$work/src/ml-100k/u.data"
printf '1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n' > "$work/src/ml-100k/u.item"
(cd "$work/src" && zip -q -r ../ml-100k.zip ml-100k)
(cd "$work/src/ml-100k" && sha256sum u.data u.item) > "$work/sums"

AELAB_DATA_DIR="$work/out" AELAB_ML100K_URL="file://$work" AELAB_DATA_SHA256="$work/sums" \
  bash "$script" ml-100k
cmp "$work/out/ml-100k/u.data" "$work/src/ml-100k/u.data"

# One wrong sum: must fail, name the file, and leave nothing behind.
sed '1s/^[0-9a-f]*/0000000000000000000000000000000000000000000000000000000000000000/' "$work/sums" > "$work/bad"
if AELAB_DATA_DIR="$work/out2" AELAB_ML100K_URL="file://$work" AELAB_DATA_SHA256="$work/bad" \
  bash "$script" ml-100k 2> "$work/err"; then
  echo "FAIL: a wrong checksum was accepted"; exit 1
fi
grep -q "u.data has sha256" "$work/err" || { echo "FAIL: message"; cat "$work/err"; exit 1; }
[ ! -e "$work/out2/ml-100k" ] || { echo "FAIL: a bad download was installed"; exit 1; }

# No network (a URL that does not exist): a clear message saying where to put the files.
if AELAB_DATA_DIR="$work/out3" AELAB_ML100K_URL="file://$work/nowhere" bash "$script" ml-100k 2> "$work/err"; then
  echo "FAIL: a missing archive was accepted"; exit 1
fi
grep -q "put its files in $work/out3/ml-100k/" "$work/err" || { echo "FAIL: message"; cat "$work/err"; exit 1; }
if bash "$script" nonsense 2> /dev/null; then echo "FAIL: unknown data set accepted"; exit 1; fi
echo "get_data.sh: all checks passed"
