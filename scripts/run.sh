#!/usr/bin/env bash
# The main job: builds aelab and runs every chapter at full size on the default data,
# writing figures and tables to out/ and everything on one page to out/index.html.
# Extra arguments go to `aelab run all` (e.g. --data DIR, --quick, --threads N).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target aelab
./build/aelab run all "$@"
