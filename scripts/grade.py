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

from grading import grader, results, sets  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="exercise set, e.g. hw1 (" + ", ".join(sets.discover_sets(REPO)) + ")")
    parser.add_argument("--student", type=pathlib.Path)
    parser.add_argument("--json", type=pathlib.Path)
    parser.add_argument("--build-dir", type=pathlib.Path, default=REPO / "build-grade")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout-scale", type=float, default=1.0)
    parser.add_argument("--expect", choices=["full", "stubs"])
    args = parser.parse_args()

    try:
        exset = sets.find_set(REPO, args.set)
    except sets.ManifestError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.student is not None and not args.student.is_dir():
        print(f"error: --student {args.student}: not a directory", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print(f"error: --jobs expects a whole number >= 1, got {args.jobs}", file=sys.stderr)
        return 2
    if not args.timeout_scale > 0:
        print(f"error: --timeout-scale expects a number > 0, got {args.timeout_scale}", file=sys.stderr)
        return 2
    for test in exset.tests():
        test.timeout *= args.timeout_scale
    json_path = args.json or REPO / "out" / exset.name / "results.json"

    report = grader.grade(REPO, exset, args.student, args.build_dir.resolve(), args.jobs)
    results.write_results(json_path, report.results)
    print()
    print(report.results["output"])
    for w in report.warnings:
        print(f"warning: {w}")
    print(f"results: {json_path}")

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
