#!/usr/bin/env bash
# Fuzzes aelab's file parsers with libFuzzer under ASan + UBSan.
#   scripts/fuzz.sh                    every target, 60 s each
#   scripts/fuzz.sh <target> [seconds] one target: idx idx_gz movielens checkpoint npy
#   scripts/fuzz.sh all <seconds>      every target for <seconds> each (CI runs 15)
# Builds with clang in build-fuzz/ (AELAB_FUZZ_BUILD_DIR overrides), writes the seed corpus
# with fuzz_make_corpus, and keeps what the fuzzer learns in build-fuzz/corpus/<target>.
# Findings (crash-*, leak-*, timeout-*, oom-*) land in build-fuzz/findings/<target>; the
# script exits 1 when a target fails, and 0 with a message when clang or libFuzzer is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(idx idx_gz movielens checkpoint npy)
which="${1:-all}"
seconds="${2:-60}"
build="${AELAB_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${AELAB_FUZZ_JOBS:-2}"

if [ "$which" != all ]; then
  case " ${targets[*]} " in
    *" $which "*) targets=("$which") ;;
    *) echo "fuzz: unknown target '$which'; known: ${targets[*]}" >&2; exit 2 ;;
  esac
fi

cxx="${AELAB_FUZZ_CXX:-clang++}"
cc="${AELAB_FUZZ_CC:-clang}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz: SKIPPED: $cxx not found (apt-get install clang libclang-rt-dev)"
  exit 0
fi
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' \
  >"$probe/probe.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
  echo "fuzz: SKIPPED: $cxx cannot link -fsanitize=fuzzer (libFuzzer missing: apt-get install libclang-rt-dev)"
  exit 0
fi

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_C_COMPILER="$cc" -DAELAB_FUZZ=ON -DAELAB_SANITIZE=ON -DAELAB_TESTS=OFF \
  -DAELAB_BENCH=OFF -DAELAB_DOCS=OFF "${launcher[@]}" >/dev/null
build_targets=(fuzz_make_corpus)
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
cmake --build "$build" -j"$jobs" --target "${build_targets[@]}" >/dev/null

"$build/fuzz/fuzz_make_corpus" "$build/seeds"

# Each input goes through a scratch file (the readers take paths): in memory where the machine
# has /dev/shm, which runs the targets 1.7x faster than a disk that discards freed blocks.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  findings="$build/findings/$t"
  mkdir -p "$corpus" "$findings"
  log="$build/findings/$t.log"
  echo "fuzz: $t for ${seconds}s"
  # Inputs up to 64 KiB; 1 GiB of memory and 10 s per input are the limits a finding breaks.
  if "$build/fuzz/fuzz_$t" "$corpus" "$build/seeds/$t" -max_total_time="$seconds" \
      -rss_limit_mb=1024 -timeout=10 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$findings/" >"$log" 2>&1; then
    runs="$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')"
    echo "fuzz: $t: ${runs:-?} executions, no finding"
  else
    echo "fuzz: $t FAILED; the input is in $findings/, the report in $log:" >&2
    grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5 >&2 || true
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]}" >&2
  exit 1
fi
