#!/usr/bin/env bash
# The main job: builds aelab and runs every chapter at full size on the default data,
# writing figures and tables to out/ and everything on one page to out/index.html.
# Extra arguments go to `aelab run all` (e.g. --data DIR, --quick, --threads N).
set -euo pipefail
cd "$(dirname "$0")/.."
# OpenMP workers that spin while they wait lose badly when another program holds a core
# (docs/performance.md); waiting passively costs little when the cores are free.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target aelab
./build/aelab run all "$@"
