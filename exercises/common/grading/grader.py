"""Grading one exercise set: build it against a student's files, run every graded test in
its own process, score it from the manifest, print the table, write results.json."""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import ctypes
import dataclasses
import os
import pathlib
import re
import secrets
import shutil
import signal
import subprocess
import textwrap
import threading
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


BUILD_LOG_HEAD = 20000  # characters of a build's output kept from its start
BUILD_LOG_TAIL = 40000  # and from its end (a submission can make the compiler print without end)


def cache_value(build_dir: pathlib.Path, name: str) -> str | None:
    """The value of a CMake cache entry in build_dir, None when the tree or the entry does not exist."""
    cache = build_dir / "CMakeCache.txt"
    if not cache.is_file():
        return None
    for line in cache.read_text(errors="replace").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.split(":", 1)[0] == name:
            return value
    return None


def student_dir_entry(exset: ExerciseSet) -> str:
    return f"AELAB_STUDENT_DIR_{exset.name}"


def configure(repo: pathlib.Path, build_dir: pathlib.Path, exset: ExerciseSet,
              student_dir: pathlib.Path | str | None) -> tuple[bool, str]:
    """Points the tree's student files of the set at student_dir ("" or None: the reference).
    Runs CMake only when the tree is new or points elsewhere: a regrade of the same folder
    configures nothing. (success, log)"""
    wanted = str(pathlib.Path(student_dir).resolve()) if student_dir else ""
    if cache_value(build_dir, student_dir_entry(exset)) == wanted:
        return True, ""
    command = ["cmake", "-S", str(repo), "-B", str(build_dir), f"-D{student_dir_entry(exset)}={wanted}"]
    if not (build_dir / "CMakeCache.txt").is_file():
        command += ["-DCMAKE_BUILD_TYPE=Release", "-DAELAB_TESTS=ON", "-DAELAB_BENCH=OFF", "-DAELAB_DOCS=OFF"]
    elif cache_value(build_dir, "AELAB_TESTS") in ("OFF", "0", "FALSE", "NO"):
        # The graded suites are test executables: a tree built without tests cannot grade.
        command += ["-DAELAB_TESTS=ON"]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode == 0, f"$ {' '.join(command)}\n{proc.stdout}\n"


def build_targets(build_dir: pathlib.Path, targets: list[str], jobs: int, timeout: float | None = None,
                  progress=None) -> tuple[bool, str]:
    """Builds targets, passing every progress line ("[ 42%] Building ...") to progress as it
    comes, so that a first build (every library, a minute or more) is seen to advance. The
    build is stopped after timeout seconds (a submission can make the compiler loop), and its
    log is kept to its head and tail (or print without end). (success, log)"""
    command = ["cmake", "--build", str(build_dir), "-j", str(jobs), "--target", *targets]
    head: list[str] = []
    tail: collections.deque[str] = collections.deque()
    size = {"head": 0, "tail": 0, "cut": 0}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", start_new_session=True)
    timer = None
    timed_out = threading.Event()
    if timeout is not None:
        def stop():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, stop)
        timer.start()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if size["head"] < BUILD_LOG_HEAD:
                head.append(line)
                size["head"] += len(line)
            else:
                tail.append(line)
                size["tail"] += len(line)
                while size["tail"] > BUILD_LOG_TAIL:
                    size["tail"] -= len(tail[0])
                    size["cut"] += len(tail.popleft())
            if progress is not None and line.startswith("[") and ("Building" in line or "Linking" in line):
                progress(line.rstrip())
        code = proc.wait()
    finally:
        if timer is not None:
            timer.cancel()
    cut = f"... [{size['cut']} characters of build output cut] ...\n" if size["cut"] else ""
    log = f"$ {' '.join(command)}\n" + "".join(head) + cut + "".join(tail)
    if timed_out.is_set():
        log += f"\nthe build was stopped after its time limit of {timeout:g} s\n"
        return False, log
    return code == 0, log


def build_set(repo: pathlib.Path, build_dir: pathlib.Path, exset: ExerciseSet,
              student_dir: pathlib.Path | None, jobs: int, timeout: float | None = None,
              progress=None) -> tuple[bool, str]:
    """Configures (when needed) and builds <set>_graded; (success, log)."""
    ok, log = configure(repo, build_dir, exset, student_dir)
    if not ok:
        return False, log
    ok, build_log = build_targets(build_dir, [f"{exset.name}_graded"], jobs, timeout, progress)
    return ok, log + build_log


@contextlib.contextmanager
def tree_left_as_found(repo: pathlib.Path, build_dir: pathlib.Path, exsets: list[ExerciseSet]):
    """Grading points the tree at a student's files and, as root, closes it (0700). On the
    way out the tree is configured and opened as it was found: a developer's build/ goes on
    building the reference (or whatever it built before)."""
    before = {s.name: cache_value(build_dir, student_dir_entry(s)) for s in exsets}
    mode = build_dir.stat().st_mode & 0o7777 if build_dir.exists() else None
    try:
        yield
    finally:
        if (build_dir / "CMakeCache.txt").is_file():
            restore = []
            for s in exsets:
                old = before[s.name] or ""
                if old and not pathlib.Path(old).is_dir():
                    old = ""  # it pointed at a folder since deleted: the reference, rather than a broken tree
                if cache_value(build_dir, student_dir_entry(s)) != old:
                    restore.append(f"-D{student_dir_entry(s)}={old}")
            if restore:
                subprocess.run(["cmake", "-S", str(repo), "-B", str(build_dir), *restore],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if build_dir.exists():
            os.chmod(build_dir, mode if mode is not None else 0o755)


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


def missing_student_files(exset: ExerciseSet, student_dir: pathlib.Path | None) -> list[str]:
    if student_dir is None:
        return []
    return [f for f in exset.student_files if not (student_dir / f).is_file()]


def grade(repo: pathlib.Path, exset: ExerciseSet, student_dir: pathlib.Path | None,
          build_dir: pathlib.Path, jobs: int = 2, log=print, tasks: set[int] | None = None,
          seed: int | None = None, build_timeout: float | None = None, progress=None,
          who: str | None = None) -> Report:
    """Builds and grades; `tasks` limits the run to those tasks' tests (the others fail
    as "not graded in this run"), `seed` fixes the hidden seed (default: a random one),
    `progress` receives the build's progress lines, `who` names the submission in the table."""
    start = time.monotonic()
    named = who or (str(student_dir) if student_dir else None)
    who = who or (f"the student files in {student_dir}" if student_dir else "the reference solution")
    for warning in sandbox_warnings():
        log(f"grade: warning: {warning}")
    missing = missing_student_files(exset, student_dir)
    if missing:
        built = False
        build_log = (f"error: the submission has no {', '.join(missing)} "
                     f"(the student files of {exset.name} are: {', '.join(exset.student_files)})\n")
    else:
        if not (build_dir / "CMakeCache.txt").is_file():
            log(f"grade: {build_dir} is a new build tree: the first build compiles every library "
                f"(a few minutes on 2 cores); later grades recompile the student files only")
        log(f"grade: building {exset.name} with {who} in {build_dir} ...")
        built, build_log = build_set(repo, build_dir, exset, student_dir, jobs, build_timeout, progress)
    log_path = build_dir / "exercises" / f"{exset.name}_build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(build_log)
    if os.geteuid() == 0:
        # The runner drops to an unprivileged uid: it must not reach the build tree (the
        # test executables, the reference's objects, the runs' reports). tree_left_as_found
        # gives the tree its mode back afterwards.
        os.chmod(build_dir, 0o700)

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

    table = score_table(exset, outcomes, named)
    results = results_mod.build_results(exset, outcomes, hidden, time.monotonic() - start, table)
    return Report(exset, outcomes, hidden, warnings, built, results)


def score_table(exset: ExerciseSet, outcomes: dict[str, Outcome], student_dir: pathlib.Path | str | None) -> str:
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
    if exset.release_of_points is not None:
        lines.append(f"(the visible tests only: the course also grades hidden tests; the whole set "
                     f"is worth {exset.release_of_points:g} points)")
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
