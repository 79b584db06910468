#!/usr/bin/env bash
# Builds aelab and runs every test (the README's test command).
#   bash scripts/test.sh               Release build in build/
#   bash scripts/test.sh --sanitize    ASan + UBSan build in build-sanitize/
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-sanitize
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DAELAB_SANITIZE=ON -DAELAB_BENCH=OFF -DAELAB_DOCS=OFF)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # The sanitizer pass leaves the slow end-to-end suites to the Release pass.
  export AELAB_SANITIZER_BUILD=1
fi

bash scripts/setup.sh
cmake -S . -B "$build" "${cmake_args[@]}" >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2 ${AELAB_CTEST_ARGS:-}
