#!/usr/bin/env bash
# Every benchmark's command line behaves as every other aelab program's: --help prints the
# options and exits 0; a bad option or value exits 2 with "error: ... (see <program> --help)".
#   bash bench/check_command_line.sh <bench_gemm> <bench_pca> <bench_train>
set -uo pipefail
failures=0
check() {  # program, expected exit, pattern the output must hold, arguments...
  local program=$1 want=$2 pattern=$3 name out code
  shift 3
  name=$(basename "$program")
  out=$("$program" "$@" 2>&1)
  code=$?
  if [ "$code" -ne "$want" ] || ! grep -qE -e "$pattern" <<<"$out"; then
    echo "FAIL: $name $* exited $code (want $want), output:"
    echo "$out" | head -5
    echo "  does not match: $pattern"
    failures=$((failures + 1))
  else
    echo "ok: $name $* -> $code"
  fi
}
for program in "$@"; do
  name=$(basename "$program")
  check "$program" 0 "--threads" --help
  check "$program" 2 "^error: .*nosuch.*\(see $name --help\)" --nosuch
  check "$program" 2 "^error: .*--threads.*\(see $name --help\)" --threads
done
[ "$failures" -eq 0 ]
