#!/usr/bin/env bash
# CI: the student release (scripts/release.py) of every set is honest and works by itself:
#   1. it is written from scratch and holds no solution text of any set and no line of any
#      hidden suite (searched by content);
#   2. it configures and builds every set's graded targets on its own (nothing but the
#      release's files: the build tree is inside it);
#   3. grade.py inside it grades the release's own stubs with the visible tests, and every
#      one of them fails on the "not implemented" stub of its task.
# Only the graded targets are built; with ccache installed the release's compiles are its hits.
#
#   bash scripts/check_release.sh [DIR]         default DIR: out/release
set -euo pipefail
cd "$(dirname "$0")/.."
python=python3
if [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi
release=${1:-out/release}
start=$SECONDS

"$python" scripts/release.py "$release" --force
"$python" scripts/release.py "$release" --check

launcher=()
if command -v ccache >/dev/null; then
  # Paths are rewritten relative to this folder, so the release's files hit the repository's objects.
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$release" -B "$release/build" -DCMAKE_BUILD_TYPE=Release -DAELAB_BENCH=OFF -DAELAB_DOCS=OFF \
  "${launcher[@]}" >/dev/null
echo "check_release: configured after $((SECONDS - start)) s"

# The release lives inside out/, where the data search (./data, ../shared/data) does not reach
# the repository's data sets; a student runs scripts/get_data.sh in the release instead. Point
# the graded experiments at the data this checkout sees (HW5's needs MovieLens-100K).
if [ -z "${AELAB_DATA:-}" ]; then
  for dir in ../shared/data data; do
    if [ -d "$dir" ]; then export AELAB_DATA=$(cd "$dir" && pwd); break; fi
  done
fi

mapfile -t sets < <(cd "$release/exercises" && for m in */manifest.json; do [ -f "$m" ] && dirname "$m"; done)
for set in "${sets[@]}"; do
  (cd "$release" && "$python" scripts/grade.py "$set" --json "out/$set/stubs.json" --expect stubs)
done
echo "check_release: the release builds, and its visible tests fail on the stubs of ${sets[*]} ($((SECONDS - start)) s)"
