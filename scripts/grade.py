#!/usr/bin/env python3
"""Grades an exercise set: builds it with a student's files, runs every graded test in its
own process with a time limit, prints the score table and writes results.json (Gradescope).

  python3 scripts/grade.py hw1                      grade the reference solution (in a
                                                    student release: your own files)
  python3 scripts/grade.py hw1 --student ~/hw1      grade a student's copy of the handout
  python3 scripts/grade.py hw1 --student DIR --json /autograder/results/results.json
  python3 scripts/grade.py hw1 --submissions DIR    grade every student folder of DIR,
                                                    write out/hw1/batch/grades.csv

It builds in the repository's build/ tree (the one the README builds; created when
missing), recompiling only what changed, and leaves the tree configured and with the
permissions it found.

Exit status: 0 when results.json was written (whatever the score), 1 when an --expect
failed, 2 on a usage or manifest error.
"""

import argparse
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "exercises" / "common"))

from grading import batch, grader, overlays, results, sets  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="the exercise set, e.g. hw1 (" + ", ".join(sets.discover_sets(REPO)) + ")")
    parser.add_argument("--student", type=pathlib.Path, metavar="DIR",
                        help="the folder holding the student files (default: the set's own files "
                             "in exercises/SET: the reference, or a release's student files)")
    parser.add_argument("--submissions", type=pathlib.Path, metavar="DIR",
                        help="batch: grade every subfolder of DIR as one student's submission, on one "
                             "build tree; writes each results.json and grades.csv into --out")
    parser.add_argument("--out", type=pathlib.Path, metavar="DIR",
                        help="with --submissions: where <student>/results.json and grades.csv go "
                             "(default: out/SET/batch)")
    parser.add_argument("--json", type=pathlib.Path, metavar="PATH",
                        help="where results.json goes (default: out/SET/results.json)")
    parser.add_argument("--build-dir", type=pathlib.Path, default=REPO / "build", metavar="DIR",
                        help="the CMake build tree, reused between runs (default: build/, the "
                             "README's tree; configured with tests when new)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="tests run, and compile jobs, at a time (default: 2)")
    parser.add_argument("--timeout-scale", type=float, default=1.0, metavar="X",
                        help="multiply every test's time limit by X (a slower machine: 2)")
    parser.add_argument("--build-timeout", type=float, default=1800.0, metavar="SECONDS",
                        help="stop a build that takes longer (a submission that makes the compiler "
                             "loop); the submission then scores 0 (default: 1800)")
    parser.add_argument("--tasks", metavar="1,3",
                        help="run only these tasks' tests; the others fail as \"not graded in this "
                             "run\" (the red-team and mutant checks)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="the seed of the hidden suites' inputs (default: a fresh one per run)")
    parser.add_argument("--overlay", type=pathlib.Path, metavar="DIR",
                        help="grade a red-team attack or a mutant (exercises/common/grading/overlays.py): "
                             "its submission is written into --student DIR (default "
                             "out/overlays/SET/<name>), only its tasks run, and the exit status is 1 "
                             "unless it lost what it must")
    parser.add_argument("--expect", choices=["full", "stubs"],
                        help="for CI: exit 1 unless every test passes (full), or unless every test "
                             "fails on the \"not implemented\" stub of its own task (stubs)")
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
    build_dir = args.build_dir.resolve()

    if args.submissions is not None:
        if not args.submissions.is_dir():
            print(f"error: --submissions {args.submissions}: not a directory", file=sys.stderr)
            return 2
        if args.student or args.overlay or args.expect:
            print("error: --submissions grades the folders of DIR: it takes no --student, --overlay "
                  "or --expect", file=sys.stderr)
            return 2
        out_dir = (args.out or REPO / "out" / exset.name / "batch").resolve()
        with grader.tree_left_as_found(REPO, build_dir, [exset]):
            rows = batch.grade_submissions(REPO, exset, args.submissions.resolve(), build_dir, out_dir,
                                           args.jobs, args.seed, args.build_timeout, tasks)
        csv_path = out_dir / "grades.csv"
        batch.write_csv(csv_path, exset, rows)
        if rows:
            mean = sum(r.seconds for r in rows) / len(rows)
            print(f"grade: {len(rows)} students, {mean:.1f} s per student on average")
        print(f"grades: {csv_path}")
        return 0

    student, who = args.student, None
    if student is not None and grader.missing_student_files(exset, student):
        # An upload of a zipped folder nests the files: found once each below, they are graded.
        found = batch.locate_student_files(exset, student)
        if len(found) == len(exset.student_files):
            staging = build_dir / "exercises" / f"{exset.name}_submission"
            batch.stage(exset, student, staging)
            print(f"grade: the student files are below {student}: "
                  + ", ".join(str(p.relative_to(student)) for p in found.values()))
            student, who = staging, str(args.student)
    with grader.tree_left_as_found(REPO, build_dir, [exset]):
        report = grader.grade(REPO, exset, student, build_dir, args.jobs, tasks=tasks, seed=args.seed,
                              build_timeout=args.build_timeout, progress=print, who=who)
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
