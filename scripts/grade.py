#!/usr/bin/env python3
"""Grades an exercise set: builds it with a student's files, runs every graded test in its
own process with a time limit, prints the score table and writes results.json (Gradescope).

  python3 scripts/grade.py hw1                      grade the reference solution
  python3 scripts/grade.py hw1 --student ~/hw1      grade a student's copy of the handout
  python3 scripts/grade.py hw1 --student DIR --json /autograder/results/results.json

Options:
  --student DIR     the directory holding the student files (default: the reference)
  --json PATH       where results.json goes (default: out/<set>/results.json)
  --build-dir DIR   the CMake build tree (default: build-grade; reused between runs)
  --jobs N          tests (and compile jobs) at a time (default: 2)
  --timeout-scale X multiply every test's time limit by X (a slower machine: 2)
  --tasks 1,3       run only these tasks' tests (the others fail, "not graded in this
                    run"): for the red-team and mutant checks
  --seed N          the seed of the hidden suites' inputs (default: a fresh one per run)
  --overlay DIR     grade a red-team attack or a mutant (exercises/common/grading/
                    overlays.py): its submission is written into --student DIR (default
                    out/overlays/<set>/<name>), only its tasks are run, and the exit
                    status is 1 unless it lost what it must
  --expect full|stubs
                    for CI: exit 1 unless the reference gets full marks ("full"), or
                    unless every test fails on its task's "not implemented" stub ("stubs")

Exit status: 0 when results.json was written (whatever the score), 1 when an --expect
failed, 2 on a usage or manifest error.
"""

import argparse
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "exercises" / "common"))

from grading import grader, overlays, results, sets  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="exercise set, e.g. hw1 (" + ", ".join(sets.discover_sets(REPO)) + ")")
    parser.add_argument("--student", type=pathlib.Path)
    parser.add_argument("--json", type=pathlib.Path)
    parser.add_argument("--build-dir", type=pathlib.Path, default=REPO / "build-grade")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout-scale", type=float, default=1.0)
    parser.add_argument("--tasks")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--overlay", type=pathlib.Path)
    parser.add_argument("--expect", choices=["full", "stubs"])
    args = parser.parse_args()

    try:
        exset = sets.find_set(REPO, args.set)
    except sets.ManifestError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    overlay = None
    if args.overlay is not None:
        try:
            overlay = overlays.load_overlay(args.overlay, exset)
            args.student = args.student or REPO / "out" / "overlays" / exset.name / overlay.name
            overlays.write_submission(overlay, exset, args.student)
        except sets.ManifestError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        if args.tasks is None:
            args.tasks = ",".join(str(t) for t in overlay.tasks)
        print(f"grade: {overlay.kind} {overlay.name}: {overlay.description}")
    if args.student is not None and not args.student.is_dir():
        print(f"error: --student {args.student}: not a directory", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print(f"error: --jobs expects a whole number >= 1, got {args.jobs}", file=sys.stderr)
        return 2
    if not args.timeout_scale > 0:
        print(f"error: --timeout-scale expects a number > 0, got {args.timeout_scale}", file=sys.stderr)
        return 2
    tasks = None
    if args.tasks:
        try:
            tasks = {int(t) for t in args.tasks.split(",")}
        except ValueError:
            print(f"error: --tasks expects task numbers like 1,3, got {args.tasks!r}", file=sys.stderr)
            return 2
        unknown = tasks - {t.number for t in exset.tasks}
        if unknown:
            print(f"error: --tasks {args.tasks}: {exset.name} has no task {sorted(unknown)}", file=sys.stderr)
            return 2
    for test in exset.tests():
        test.timeout *= args.timeout_scale
    json_path = args.json or REPO / "out" / exset.name / "results.json"

    report = grader.grade(REPO, exset, args.student, args.build_dir.resolve(), args.jobs,
                          tasks=tasks, seed=args.seed)
    results.write_results(json_path, report.results)
    print()
    print(report.results["output"])
    for w in report.warnings:
        print(f"warning: {w}")
    print(f"results: {json_path}")

    if overlay is not None:
        problems = overlays.judge(overlay, exset, report.outcomes)
        for p in problems:
            print(f"grade: {p}", file=sys.stderr)
        if problems:
            return 1
        print(f"grade: {overlay.kind} {overlay.name} lost what it must on tasks "
              f"{', '.join(map(str, overlay.tasks))}")
    if args.expect:
        problems = grader.check_expectation(report, args.expect)
        if problems:
            print(f"\ngrade: expected {args.expect!r}, but:", file=sys.stderr)
            for p in problems:
                print(f"  {p}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
