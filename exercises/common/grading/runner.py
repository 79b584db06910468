"""Runs one GoogleTest test in its own process, with a time limit.

A student's crash or endless loop then costs only the test it happens in: the process is
killed (with everything it started) when the time limit passes, and a signal or an
abort is reported as that test's failure.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import re
import signal
import subprocess
import tempfile
import time

OUTPUT_HEAD = 2000  # characters of a test's output kept from its start
OUTPUT_TAIL = 6000  # and from its end


class ListingError(RuntimeError):
    """A suite executable that cannot even list its tests (it crashed at start-up)."""


@dataclasses.dataclass
class Outcome:
    name: str
    passed: bool
    summary: str  # one line: "passed", or the first failure
    output: str  # what the test printed, and the failure messages
    seconds: float


def _read_capped(path: pathlib.Path) -> str:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    if len(text) <= OUTPUT_HEAD + OUTPUT_TAIL:
        return text
    cut = len(text) - OUTPUT_HEAD - OUTPUT_TAIL
    return f"{text[:OUTPUT_HEAD]}\n... [{cut} characters cut] ...\n{text[-OUTPUT_TAIL:]}"


def _run(command: list[str], timeout: float, cwd: pathlib.Path, env: dict[str, str] | None
         ) -> tuple[int | None, str, float]:
    """(return code or None on time-out, combined output, seconds)."""
    cwd.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        log = pathlib.Path(tmp) / "output.txt"
        start = time.monotonic()
        with open(log, "wb") as sink:
            # A session of its own: the time-out kills the test and any process it started.
            proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                code: int | None = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
                code = None
        return code, _read_capped(log), time.monotonic() - start


def list_tests(executable: pathlib.Path, timeout: float = 60, env: dict[str, str] | None = None) -> list[str]:
    """The "Suite.Test" names an executable holds (GoogleTest's --gtest_list_tests)."""
    code, output, _ = _run([str(executable), "--gtest_list_tests"], timeout, executable.parent, env)
    if code != 0:
        reason = "timed out" if code is None else describe_exit(code)
        raise ListingError(f"{executable.name} --gtest_list_tests {reason}:\n{output}")
    names: list[str] = []
    suite = None
    for line in output.splitlines():
        if not line.strip():
            continue
        body = line.split("#", 1)[0].rstrip()  # typed and parametrised tests add "# GetParam() = ..."
        if not line.startswith(" "):
            suite = body.strip()
        elif suite:
            names.append(suite + body.strip())
    return names


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"crashed ({name})"
    return f"exited with code {code}"


# Lines GoogleTest writes for a failed assertion, before the test's own message: the
# comparison, its operands' values, and the continuation lines of EXPECT_EQ / EXPECT_NEAR.
_ASSERTION_LINE = re.compile(
    r"^(\s|Expected|Value of:|Actual:|Which is:|With diff:|The difference between|"
    r"Failed$|[^\s].* evaluates to |Death test|Result of:|  Actual)")

SHORT_ASSERTION = 100  # characters of the assertion kept after the hint


def split_failure(failure_text: str) -> tuple[str, str, str]:
    """(where, assertion, hint) of a GoogleTest failure: the file:line, GoogleTest's own
    text of the failed check, and the message the test added to it (the hint for the
    student), each folded to one line."""
    lines = [l.rstrip() for l in failure_text.strip().splitlines() if l.strip()]
    if not lines:
        return "", "failed", ""
    where, body = lines[0].strip(), lines[1:]
    assertion: list[str] = []
    i = 0
    while i < len(body) and (i == 0 or _ASSERTION_LINE.match(body[i])
                             or assertion[-1].endswith((", where", ", and", ","))):
        assertion.append(body[i].strip())
        i += 1
    return where, " ".join(assertion), " ".join(l.strip() for l in body[i:])


def first_failure(failure_text: str, hide_source: bool = False) -> str:
    """One line from a GoogleTest failure message: the test's hint first, then where and
    what failed, shortened. hide_source (hidden tests) keeps the hint only: no file, line
    or expression of the instructor's test reaches the student."""
    where, assertion, hint = split_failure(failure_text)
    if not where:
        return "failed"
    # GoogleTest's wrapping of an exception escaping the test says little; keep its message.
    thrown = re.fullmatch(r'C\+\+ exception with description "(.*)" thrown in (.*)\.', assertion)
    if thrown:
        where_thrown = "" if thrown.group(2) == "the test body" else f" in {thrown.group(2)}"
        return f"exception{where_thrown}: {thrown.group(1)}"
    if hide_source:
        return hint or "a hidden check failed (hidden tests do not show their source)"
    if len(assertion) > SHORT_ASSERTION:
        assertion = assertion[:SHORT_ASSERTION - 3] + "..."
    if where == "unknown file":
        located = assertion
    else:
        # "/long/path/task1_test.cpp:42" -> "task1_test.cpp:42"
        located = f"{os.path.basename(where)}: {assertion}"
    return f"{hint} [{located}]" if hint else located


def run_test(executable: pathlib.Path, name: str, timeout: float, cwd: pathlib.Path,
             env: dict[str, str] | None = None, hide_source: bool = False) -> Outcome:
    """Runs one test. hide_source (hidden suites): the outcome carries the failure's hint
    only, never the test's output, file names, lines or expressions."""
    outcome = _run_test(executable, name, timeout, cwd, env, hide_source)
    if hide_source and not outcome.passed:
        outcome.output = f"{outcome.summary}\n(a hidden test shows no more than this)"
    return outcome


def _run_test(executable: pathlib.Path, name: str, timeout: float, cwd: pathlib.Path,
              env: dict[str, str] | None, hide_source: bool) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        report = pathlib.Path(tmp) / "report.json"
        command = [str(executable), f"--gtest_filter={name}", f"--gtest_output=json:{report}",
                   "--gtest_color=no"]
        code, output, seconds = _run(command, timeout, cwd, env)
        if code is None:
            summary = f"time limit of {timeout:g} s exceeded (the test was stopped)"
            return Outcome(name, False, summary, f"{output}\n{summary}", seconds)
        result = None
        if report.is_file():
            try:
                result = _find_test(json.loads(report.read_text()), name)
            except (json.JSONDecodeError, KeyError, TypeError):
                result = None
    if result is None:
        if code != 0:
            summary = describe_exit(code) + " before the test finished"
        else:
            summary = "the test did not run (is it in the suite?)"
        return Outcome(name, False, summary, f"{output}\n{summary}", seconds)
    failures = result.get("failures", [])
    if failures:
        summary = first_failure(failures[0].get("failure", ""), hide_source)
        return Outcome(name, False, summary, output, seconds)
    if result.get("result") == "SKIPPED" or result.get("status") == "NOTRUN":
        return Outcome(name, False, "skipped (a skipped test earns no points)", output, seconds)
    if code != 0:
        summary = describe_exit(code) + " after the test"
        return Outcome(name, False, summary, f"{output}\n{summary}", seconds)
    return Outcome(name, True, "passed", output, seconds)


def _find_test(report: dict, name: str) -> dict | None:
    suite_name, test_name = name.split(".", 1)
    for suite in report.get("testsuites", []):
        if suite.get("name") != suite_name:
            continue
        for test in suite.get("testsuite", []):
            if test.get("name") == test_name:
                return test
    return None
