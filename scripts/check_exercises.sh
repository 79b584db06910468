#!/usr/bin/env bash
# The honesty check of every exercise set (CI). For each folder exercises/<set>/ with a
# manifest.json:
#   1. the handout is written, and holds no solution text, no hidden suite, no manifest;
#   2. the handout builds, and every graded test fails on it, on the "not implemented"
#      stub of its own task, so it scores 0;
#   3. the reference solution gets full marks;
#   4. both results.json files are valid (exercises/common/results.schema.json);
#   5. every mutant (exercises/<set>/mutants/*/) and red-team attack (tests/exercises/overlays/<set>/*/,
#      exercises/common/grading/overlays.py) loses what it must: an attack scores 0 on
#      the tasks it attacks, a mutant loses points on each of its tasks.
#
#   bash scripts/check_exercises.sh [SET...]        default: every set
# Environment: AELAB_EXERCISES_BUILD_DIR (default build, the README's tree), the CMake tree
# the grader builds in; the handout, the overlays and the reference are built in it in turn,
# and it is left configured as it was found (CI reuses its Release tree).
set -euo pipefail
cd "$(dirname "$0")/.."

python=python3
if [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi
build=${AELAB_EXERCISES_BUILD_DIR:-build}
out=out/check-exercises

if [ $# -gt 0 ]; then
  sets=("$@")
else
  mapfile -t sets < <(cd exercises && for m in */manifest.json; do [ -f "$m" ] && dirname "$m"; done)
fi
if [ ${#sets[@]} -eq 0 ]; then
  echo "check_exercises: no exercise sets"
  exit 0
fi

# grade.py leaves the tree as it found it; should a run be killed midway, the tree still
# must not stay pointed at a handout (the next check deletes it, and CMake would then refuse
# to configure): on exit every set's student files are set back to what they were here.
declare -A found_student_dir=()
for s in "${sets[@]}"; do
  found_student_dir[$s]=$(sed -n "s/^AELAB_STUDENT_DIR_$s:PATH=//p" "$build/CMakeCache.txt" 2>/dev/null || true)
done
restore_tree() {
  if [ -f "$build/CMakeCache.txt" ]; then
    local args=()
    for s in "${sets[@]}"; do
      local now want=${found_student_dir[$s]}
      if [ -n "$want" ] && [ ! -d "$want" ]; then want=""; fi  # since deleted: the reference
      now=$(sed -n "s/^AELAB_STUDENT_DIR_$s:PATH=//p" "$build/CMakeCache.txt")
      if [ -f "exercises/$s/manifest.json" ] && [ "$now" != "$want" ]; then
        args+=("-DAELAB_STUDENT_DIR_$s=$want")
      fi
    done
    if [ ${#args[@]} -gt 0 ]; then cmake -S . -B "$build" "${args[@]}" >/dev/null || true; fi
  fi
}
trap restore_tree EXIT

for set in "${sets[@]}"; do
  echo "== check_exercises: $set"
  rm -rf "$out/$set"
  mkdir -p "$out/$set"

  "$python" scripts/handout.py "$set" "$out/$set/handout" >/dev/null
  "$python" scripts/handout.py "$set" "$out/$set/handout" --check

  "$python" scripts/grade.py "$set" --student "$out/$set/handout" --build-dir "$build" \
    --json "$out/$set/handout.json" --expect stubs
  # A student's first build is clean: the stubs compile without a warning (the grader builds
  # student files without -Werror, so this is checked here, on the build log).
  if grep -E "$out/$set/handout/[^:]+:[0-9]+:[0-9]+: warning:" "$build/exercises/${set}_build.log"; then
    echo "check_exercises: $set: the handout compiles with warnings (above); a stub must build cleanly" >&2
    exit 1
  fi

  overlay_start=$SECONDS
  # Every overlay is written into one folder, which the tree points at for the whole loop: no
  # overlay reconfigures the tree, and each rebuilds only the student files it changes (and
  # those the one before it changed), not all of them.
  submission="$out/$set/overlay-under-test"
  mkdir -p "$submission"
  for f in $("$python" -c "import sys; sys.path.insert(0, 'exercises/common')
from grading import sets
import pathlib; print(' '.join(sets.find_set(pathlib.Path('.'), '$set').student_files))"); do
    cp "exercises/$set/$f" "$submission/$f"
  done
  cmake -S . -B "$build" "-DAELAB_STUDENT_DIR_$set=$(realpath "$submission")" >/dev/null
  # Mutants live with their set (exercises/<set>/mutants/); the red-team attacks, which probe the
  # shared harness, in tests/exercises/overlays/<set>/.
  for overlay in exercises/"$set"/mutants/*/ tests/exercises/overlays/"$set"/*/; do
    [ -f "$overlay/overlay.json" ] || continue
    name=$(basename "$overlay")
    mkdir -p "$out/$set/overlays"
    "$python" scripts/grade.py "$set" --overlay "$overlay" --student "$submission" \
      --build-dir "$build" --json "$out/$set/overlays/$name.json" > "$out/$set/overlays-$name.log" 2>&1 || {
      tail -n 30 "$out/$set/overlays-$name.log"
      echo "check_exercises: $set: $name did not lose what it must (log: $out/$set/overlays-$name.log)" >&2
      exit 1
    }
    tail -n 1 "$out/$set/overlays-$name.log"
  done
  echo "check_exercises: $set: red team and mutants done in $((SECONDS - overlay_start)) s"

  # The reference last, so that the tree is left built with it.
  "$python" scripts/grade.py "$set" --build-dir "$build" --json "$out/$set/reference.json" --expect full

  "$python" - "$out/$set/reference.json" "$out/$set/handout.json" <<'PY'
import json, pathlib, sys
sys.path.insert(0, "exercises/common")
from grading import results
for path in sys.argv[1:]:
    problems = results.validate(json.loads(pathlib.Path(path).read_text()))
    for p in problems:
        print(f"check_exercises: {path}: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"check_exercises: {path} is a valid results.json")
PY
  echo "== check_exercises: $set is honest (reference full marks, handout 0 on every test)"
done
