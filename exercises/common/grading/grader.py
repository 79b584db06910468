"""Grading one exercise set: build it against a student's files, run every graded test in
its own process, score it from the manifest, print the table, write results.json."""

from __future__ import annotations

import concurrent.futures
import ctypes
import dataclasses
import os
import pathlib
import re
import secrets
import shutil
import subprocess
import textwrap
import time

from . import results as results_mod
from .runner import ListingError, Outcome, list_tests, run_test
from .sets import ExerciseSet

FAILURE_WIDTH = 100  # columns of a first-failure line in the score table
NOT_GRADED = "not graded in this run (--tasks)"


@dataclasses.dataclass
class Report:
    exset: ExerciseSet
    outcomes: dict[str, Outcome]
    hidden: set[str]
    warnings: list[str]
    built: bool
    results: dict

    @property
    def score(self) -> float:
        return self.results["score"]


def _first_build_errors(log: str, limit: int = 3) -> list[str]:
    errors = [l.strip() for l in log.splitlines()
              if re.search(r"\berror\b|undefined reference|CMake Error", l)]
    return errors[:limit] or ["the build failed (see the build log)"]


def build_set(repo: pathlib.Path, build_dir: pathlib.Path, exset: ExerciseSet,
              student_dir: pathlib.Path | None, jobs: int) -> tuple[bool, str]:
    """Configures and builds <set>_graded; (success, log)."""
    configure = ["cmake", "-S", str(repo), "-B", str(build_dir),
                 f"-DAELAB_STUDENT_DIR_{exset.name}={student_dir.resolve() if student_dir else ''}"]
    if not (build_dir / "CMakeCache.txt").is_file():
        configure += ["-DCMAKE_BUILD_TYPE=Release", "-DAELAB_TESTS=ON", "-DAELAB_BENCH=OFF",
                      "-DAELAB_DOCS=OFF"]
    log = ""
    for command in (configure,
                    ["cmake", "--build", str(build_dir), "-j", str(jobs), "--target", f"{exset.name}_graded"]):
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        log += f"$ {' '.join(command)}\n{proc.stdout}\n"
        if proc.returncode != 0:
            return False, log
    return True, log


def _listing(build_dir: pathlib.Path, exset: ExerciseSet) -> list[tuple[str, pathlib.Path]]:
    listing = build_dir / "exercises" / f"{exset.name}_graded_suites.txt"
    return [(kind, pathlib.Path(path)) for kind, path in
            (line.split(" ", 1) for line in listing.read_text().splitlines() if line.strip())]


def graded_suites(build_dir: pathlib.Path, exset: ExerciseSet) -> list[tuple[pathlib.Path, bool]]:
    """(executable, hidden) of every graded suite, as CMake listed them."""
    return [(path, kind == "hidden") for kind, path in _listing(build_dir, exset) if kind in ("visible", "hidden")]


def student_runner(build_dir: pathlib.Path, exset: ExerciseSet) -> pathlib.Path | None:
    """The set's student runner (<set>_student), the one program holding the student's code."""
    return next((path for kind, path in _listing(build_dir, exset) if kind == "runner"), None)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 without Landlock."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # landlock_create_ruleset
    except (OSError, AttributeError):
        return 0
    return max(0, abi)


def sandbox_warnings() -> list[str]:
    """What the student runner's confinement lacks on this machine (exercises/README.md)."""
    if os.geteuid() == 0 or landlock_abi() > 0:
        return []
    return ["the grader is not root and the kernel has no Landlock: the student runner runs as "
            "your own user and can read and write whatever you can (grade as root, e.g. in a "
            "container, for the full sandbox)"]


def test_environment(jobs: int, runner: pathlib.Path | None = None, seed: int | None = None) -> dict[str, str]:
    """The graded tests' environment: the runner they spawn, and the seed of the hidden
    suites' inputs (drawn per run; the tests never pass it on to the runner)."""
    env = dict(os.environ)
    # Tests run `jobs` at a time; more OpenMP threads than cores would slow every one of them.
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // jobs)))
    env["AELAB_GRADING"] = "1"
    env["AELAB_HIDDEN_SEED"] = str(secrets.randbits(48) if seed is None else seed)
    if runner is not None:
        env["AELAB_STUDENT_RUNNER"] = str(runner)
    return env


def grade(repo: pathlib.Path, exset: ExerciseSet, student_dir: pathlib.Path | None,
          build_dir: pathlib.Path, jobs: int = 2, log=print, tasks: set[int] | None = None,
          seed: int | None = None) -> Report:
    """Builds and grades; `tasks` limits the run to those tasks' tests (the others fail
    as "not graded in this run"), `seed` fixes the hidden seed (default: a random one)."""
    start = time.monotonic()
    who = f"the student files in {student_dir}" if student_dir else "the reference solution"
    for warning in sandbox_warnings():
        log(f"grade: warning: {warning}")
    log(f"grade: building {exset.name} with {who} in {build_dir} ...")
    built, build_log = build_set(repo, build_dir, exset, student_dir, jobs)
    if os.geteuid() == 0:
        # The runner drops to an unprivileged uid: it must not reach the build tree (the
        # test executables, the reference's objects, the runs' reports).
        os.chmod(build_dir, 0o700)
    log_path = build_dir / "exercises" / f"{exset.name}_build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(build_log)

    outcomes: dict[str, Outcome] = {}
    hidden: set[str] = set()
    warnings: list[str] = []
    if not built:
        errors = _first_build_errors(build_log)
        summary = "the submission does not build: " + errors[0]
        tail = "\n".join(build_log.splitlines()[-60:])
        for test in exset.tests():
            outcomes[test.name] = Outcome(test.name, False, summary, "\n".join(errors) + "\n\n" + tail, 0.0)
        log(f"grade: the build failed; the log is in {log_path}")
    else:
        env = test_environment(jobs, student_runner(build_dir, exset), seed)
        where: dict[str, pathlib.Path] = {}
        listing_errors: list[str] = []
        for executable, is_hidden in graded_suites(build_dir, exset):
            try:
                names = list_tests(executable, env=env)
            except ListingError as e:
                # It crashed before main (a static initialiser of a student file, say): its
                # tests are missing below and fail with this message.
                listing_errors.append(str(e))
                continue
            for name in names:
                where[name] = executable
                if is_hidden:
                    hidden.add(name)
        graded_names = {t.name for t in exset.tests()}
        for name in sorted(set(where) - graded_names):
            warnings.append(f"{where[name].name}: test {name} is not in the manifest, so it carries no points")
        runs_dir = build_dir / "exercises" / f"{exset.name}_runs"
        shutil.rmtree(runs_dir, ignore_errors=True)

        def run_one(test):
            if tasks is not None and test.task not in tasks:
                return Outcome(test.name, False, NOT_GRADED, NOT_GRADED, 0.0)
            if test.name not in where:
                if listing_errors:
                    first = listing_errors[0].splitlines()
                    return Outcome(test.name, False, first[0], "\n".join(listing_errors), 0.0)
                summary = "this test is missing from the built suites"
                return Outcome(test.name, False, summary, summary, 0.0)
            return run_test(where[test.name], test.name, test.timeout, runs_dir / test.name, env,
                            hide_source=test.name in hidden)

        missing = [t.name for t in exset.tests() if t.name not in where]
        for name in missing:
            warnings.append(f"manifest test {name} is in no graded suite")
        warnings.extend(e.splitlines()[0] for e in listing_errors)
        log(f"grade: running {len(exset.tests())} graded tests, {jobs} at a time, each in its own process ...")
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            for outcome in pool.map(run_one, exset.tests()):
                outcomes[outcome.name] = outcome

    table = score_table(exset, outcomes, student_dir)
    results = results_mod.build_results(exset, outcomes, hidden, time.monotonic() - start, table)
    return Report(exset, outcomes, hidden, warnings, built, results)


def score_table(exset: ExerciseSet, outcomes: dict[str, Outcome], student_dir: pathlib.Path | None) -> str:
    """The points of every task, then the first failure of each task that lost points,
    whole and wrapped: its hint (the test's own message) is what helps a student."""
    who = str(student_dir) if student_dir else "reference solution"
    rows = [("Task", "Title", "Points", "Result")]
    failures: list[tuple[int, Outcome]] = []
    earned_total = 0.0
    for task in exset.tasks:
        task_outcomes = [outcomes[t.name] for t in task.tests]
        earned = sum(t.points for t, o in zip(task.tests, task_outcomes) if o.passed)
        earned_total += earned
        failed = [o for o in task_outcomes if not o.passed]
        if failed and all(o.summary == NOT_GRADED for o in failed):
            result = "not graded"
        else:
            result = "passed" if not failed else f"failed {len(failed)}/{len(task_outcomes)}"
            if failed:
                failures.append((task.number, failed[0]))
        rows.append((str(task.number), task.title, f"{earned:g}/{task.points:g}", result))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"{exset.label}: {exset.title} — graded: {who}"]
    for r in rows:
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(4)).rstrip())
    lines.append(f"Total: {earned_total:g}/{exset.points:g}")
    if failures:
        lines.append("")
        lines.append("First failure of each task:")
        for number, outcome in failures:
            lines.append(f"  task {number}  {outcome.name}")
            text = " ".join(outcome.summary.split())
            lines.extend(textwrap.wrap(text, FAILURE_WIDTH, initial_indent="    ",
                                       subsequent_indent="    "))
    return "\n".join(lines)


def check_expectation(report: Report, expect: str) -> list[str]:
    """Why a report does not meet what CI expects: "full" marks, or "stubs" (every test
    fails on the "not implemented" stub of its own task)."""
    problems = [f"warning: {w}" for w in report.warnings]
    for test in report.exset.tests():
        outcome = report.outcomes[test.name]
        if expect == "full" and not outcome.passed:
            problems.append(f"{test.name} fails on the reference: {outcome.summary}")
        if expect == "stubs":
            stub = f"{report.exset.label} task {test.task}:"
            if outcome.passed:
                problems.append(f"{test.name} passes on the handout: it cannot tell a stub from a solution")
            elif stub not in outcome.summary or "not implemented" not in outcome.summary:
                problems.append(f"{test.name} fails on the handout, but not on the stub of task "
                                f"{test.task}: {outcome.summary}")
    if expect == "full" and report.score != report.exset.points:
        problems.append(f"the reference scores {report.score:g}/{report.exset.points:g}")
    if expect == "stubs" and report.score != 0:
        problems.append(f"the handout scores {report.score:g}, not 0")
    return problems
