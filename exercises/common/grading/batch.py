"""Batch grading: every student folder of a submissions folder, one after the other, on
one build tree.

Each student's files are copied into one staging folder of the tree
(build/exercises/<set>_submission), so the tree is configured once and only the student
files recompile from one student to the next. A student is graded as `grade.py --student`
grades: every test in its own process with its time limit, the build with its own, so a
crash, an endless loop or endless output costs that student only. Writes
<out>/<student>/results.json and <out>/grades.csv (the points of every task).
"""

from __future__ import annotations

import csv
import dataclasses
import pathlib
import shutil
import time
import traceback

from . import grader
from . import results as results_mod
from .sets import ExerciseSet

SKIPPED_PARTS = {"__MACOSX", "__pycache__"}


@dataclasses.dataclass
class StudentRow:
    student: str
    score: float
    task_points: dict[int, float]
    built: bool
    seconds: float
    results_path: pathlib.Path | None
    error: str = ""


def find_submissions(folder: pathlib.Path) -> list[pathlib.Path]:
    """The student folders: the subfolders of `folder`, by name (hidden ones left out)."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def locate_student_files(exset: ExerciseSet, folder: pathlib.Path) -> dict[str, pathlib.Path]:
    """Where a submission holds each student file: at its top, else the one file of that
    name anywhere below (an upload of a zipped folder nests them). A name found twice below
    and not at the top counts as missing: which one was meant is a guess."""
    found: dict[str, pathlib.Path] = {}
    for name in exset.student_files:
        top = folder / name
        if top.is_file():
            found[name] = top
            continue
        below = [p for p in folder.rglob(pathlib.PurePath(name).name)
                 if p.is_file() and not (SKIPPED_PARTS & set(p.relative_to(folder).parts))
                 and p.as_posix().endswith("/" + name)]
        if len(below) == 1:
            found[name] = below[0]
    return found


def stage(exset: ExerciseSet, folder: pathlib.Path, staging: pathlib.Path) -> list[str]:
    """Copies a submission's student files into staging (replacing the last one's); returns
    the names it lacks. The copies get a fresh time stamp, so the build recompiles them."""
    staging.mkdir(parents=True, exist_ok=True)
    for name in exset.student_files:
        (staging / name).unlink(missing_ok=True)
    found = locate_student_files(exset, folder)
    for name, path in found.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return [n for n in exset.student_files if n not in found]


def task_points(exset: ExerciseSet, outcomes: dict) -> dict[int, float]:
    return {task.number: sum(t.points for t in task.tests if outcomes[t.name].passed) for task in exset.tasks}


def grade_submissions(repo: pathlib.Path, exset: ExerciseSet, submissions: pathlib.Path,
                      build_dir: pathlib.Path, out_dir: pathlib.Path, jobs: int = 2,
                      seed: int | None = None, build_timeout: float | None = None,
                      tasks: set[int] | None = None, log=print) -> list[StudentRow]:
    folders = find_submissions(submissions)
    staging = build_dir / "exercises" / f"{exset.name}_submission"
    out_dir.mkdir(parents=True, exist_ok=True)
    log(f"grade: {len(folders)} submissions of {exset.name} in {submissions}, staged one at a time "
        f"in {staging}")
    # The libraries every student shares are built first, without the students' time limit.
    ok, build_log = grader.configure(repo, build_dir, exset, None) if not (
        build_dir / "CMakeCache.txt").is_file() else (True, "")
    if ok:
        ok, more = grader.build_targets(build_dir, [f"aelab_ex_{exset.name}_given"], jobs, progress=log)
        build_log += more
    if not ok:
        raise RuntimeError(f"the given code of {exset.name} does not build:\n{build_log[-3000:]}")

    rows: list[StudentRow] = []
    for folder in folders:
        name = folder.name
        start = time.monotonic()
        results_path = out_dir / name / "results.json"
        try:
            stage(exset, folder, staging)
            report = grader.grade(repo, exset, staging, build_dir, jobs, log=lambda _: None, seed=seed, tasks=tasks,
                                  build_timeout=build_timeout, who=f"{name} ({folder})")
            results_mod.write_results(results_path, report.results)
            row = StudentRow(name, report.score, task_points(exset, report.outcomes), report.built,
                             time.monotonic() - start, results_path)
        except Exception as e:  # noqa: BLE001 - one broken submission must not stop the batch
            row = StudentRow(name, 0.0, {t.number: 0.0 for t in exset.tasks}, False,
                             time.monotonic() - start, None,
                             f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")
        rows.append(row)
        status = "" if row.built else ("  (grading failed: " + row.error.splitlines()[0] + ")" if row.error
                                        else "  (does not build)")
        log(f"grade: {name}: {row.score:g}/{exset.points:g} in {row.seconds:.1f} s{status}")
    return rows


def write_csv(path: pathlib.Path, exset: ExerciseSet, rows: list[StudentRow]) -> None:
    """One row per student: the score, the points of every task, whether it built, the
    seconds its grading took and its results.json."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student", "score", "max_score"]
                     + [f"task {t.number} ({t.points:g})" for t in exset.tasks]
                     + ["built", "seconds", "results"])
        for r in rows:
            out.writerow([r.student, f"{r.score:g}", f"{exset.points:g}"]
                         + [f"{r.task_points[t.number]:g}" for t in exset.tasks]
                         + ["yes" if r.built else "no", f"{r.seconds:.1f}",
                            str(r.results_path) if r.results_path else r.error.splitlines()[0]])
