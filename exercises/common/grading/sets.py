"""Exercise sets: a folder under exercises/ with a manifest.json.

    exercises/<set>/manifest.json        tasks, the points of every graded test, student files
    exercises/<set>/README.md            the student's instructions
    exercises/<set>/*.hpp, *.cpp         the set's code; the manifest's student_files hold
                                         the solution regions (see markers.py)
    exercises/<set>/main.cpp             optional: the program <set> (e.g. the full experiment)
    exercises/<set>/tests/*_test.cpp     graded suites the student gets (visibility "visible")
    exercises/<set>/hidden_tests/*_test.cpp
                                         graded suites kept out of the handout
                                         (visibility "after_published")

The manifest:

    {
      "label": "HW1",                     used in stub messages: "HW1 task 3: ..."
      "title": "...",
      "points": 100,                      must equal the sum over the tests
      "student_files": ["pca.cpp", ...],
      "timeout_seconds": 60,              per test, unless a test says otherwise
      "release_of_points": 100,           only in a student release (release.py): its manifest
                                          lists the visible tests, worth "points" of these
      "tasks": [
        {"task": 1, "title": "...",
         "tests": [{"name": "Suite.Test", "points": 5}, {"name": ..., "timeout_seconds": 300}]}
      ]
    }
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import re

VISIBLE_DIR = "tests"
HIDDEN_DIR = "hidden_tests"
# Plausible wrong answers (overlays on the reference) that CI must see lose points; never handed out.
MUTANTS_DIR = "mutants"
MANIFEST = "manifest.json"
HIDDEN_VISIBILITY = "after_published"


class ManifestError(ValueError):
    pass


@dataclasses.dataclass
class GradedTest:
    name: str  # GoogleTest's "Suite.Test"
    points: float
    timeout: float
    task: int


@dataclasses.dataclass
class Task:
    number: int
    title: str
    tests: list[GradedTest]

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)


@dataclasses.dataclass
class ExerciseSet:
    name: str
    dir: pathlib.Path
    label: str
    title: str
    points: float
    student_files: list[str]
    tasks: list[Task]
    # A student release's manifest lists the visible tests only; this is the whole set's total.
    release_of_points: float | None = None

    def tests(self) -> list[GradedTest]:
        return [t for task in self.tasks for t in task.tests]

    def test(self, name: str) -> GradedTest | None:
        return next((t for t in self.tests() if t.name == name), None)

    def suite_sources(self, hidden: bool) -> list[pathlib.Path]:
        folder = self.dir / (HIDDEN_DIR if hidden else VISIBLE_DIR)
        return sorted(folder.glob("*_test.cpp")) if folder.is_dir() else []


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise ManifestError(message)


def load_set(set_dir: pathlib.Path) -> ExerciseSet:
    path = set_dir / MANIFEST
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise ManifestError(f"{path}: cannot read the manifest: {e}") from e
    where = str(path)
    for key in ("label", "title", "points", "student_files", "tasks"):
        _require(key in data, f"{where}: missing key '{key}'")
    default_timeout = float(data.get("timeout_seconds", 60))
    student_files = list(data["student_files"])
    _require(bool(student_files), f"{where}: student_files is empty")
    for f in student_files:
        _require((set_dir / f).is_file(), f"{where}: student file '{f}' does not exist in {set_dir}")
    tasks: list[Task] = []
    seen: set[str] = set()
    for entry in data["tasks"]:
        _require({"task", "title", "tests"} <= entry.keys(), f"{where}: a task needs task, title and tests: {entry}")
        number = int(entry["task"])
        tests = []
        for t in entry["tests"]:
            _require({"name", "points"} <= t.keys(), f"{where}: task {number}: a test needs name and points: {t}")
            name = t["name"]
            _require(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_/]*", name) is not None,
                     f"{where}: task {number}: '{name}' is not a GoogleTest name Suite.Test")
            _require(name not in seen, f"{where}: test '{name}' is listed twice")
            _require(float(t["points"]) > 0, f"{where}: test '{name}' carries no points")
            seen.add(name)
            tests.append(GradedTest(name, float(t["points"]), float(t.get("timeout_seconds", default_timeout)), number))
        _require(bool(tests), f"{where}: task {number} has no tests")
        tasks.append(Task(number, entry["title"], tests))
    numbers = [t.number for t in tasks]
    _require(numbers == sorted(set(numbers)), f"{where}: task numbers must be distinct and ascending: {numbers}")
    total = sum(t.points for t in tasks)
    _require(abs(total - float(data["points"])) < 1e-9,
             f"{where}: the tests carry {total:g} points but the manifest says {data['points']}")
    release_of = data.get("release_of_points")
    return ExerciseSet(set_dir.name, set_dir, data["label"], data["title"], float(data["points"]),
                       student_files, tasks, None if release_of is None else float(release_of))


def discover_sets(repo: pathlib.Path) -> list[str]:
    """Names of every exercise set: the folders of exercises/ holding a manifest."""
    return sorted(p.parent.name for p in (repo / "exercises").glob(f"*/{MANIFEST}"))


def find_set(repo: pathlib.Path, name: str) -> ExerciseSet:
    set_dir = repo / "exercises" / name
    if not (set_dir / MANIFEST).is_file():
        known = ", ".join(discover_sets(repo)) or "none"
        raise ManifestError(f"no exercise set '{name}' (no {set_dir / MANIFEST}); sets: {known}")
    return load_set(set_dir)


_TABLE_ROW_RE = re.compile(r"^\|\s*(\d+)\.\s[^|]*\|\s*(\d+(?:\.\d+)?)\s*\|")
_HEADER_RE = re.compile(r"Task (\d+) \((\d+(?:\.\d+)?) points\)")
_TOTAL_RE = re.compile(r"^# .*\((\d+(?:\.\d+)?) points\)")


def stated_points_problems(exset: ExerciseSet) -> list[str]:
    """Where the set's README (its table "| 3. title | 15 | ...", its title "(100
    points)") or headers ("Task 3 (15 points)") state points that differ from the
    manifest, which is the one source of the points."""
    by_task = {t.number: t.points for t in exset.tasks}
    problems = []
    files = [exset.dir / "README.md"] + sorted(exset.dir.glob("*.hpp"))
    for path in files:
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path}:{number}"
            stated = [(int(m.group(1)), float(m.group(2))) for m in _HEADER_RE.finditer(line)]
            row = _TABLE_ROW_RE.match(line) if path.name == "README.md" else None
            if row:
                stated.append((int(row.group(1)), float(row.group(2))))
            for task, points in stated:
                if task not in by_task:
                    problems.append(f"{where}: states points for task {task}, which the manifest does not have")
                elif points != by_task[task]:
                    problems.append(f"{where}: task {task} is worth {by_task[task]:g} points in the manifest, "
                                    f"not {points:g}")
            total = _TOTAL_RE.match(line) if path.name == "README.md" else None
            if total and float(total.group(1)) != exset.points:
                problems.append(f"{where}: the set is worth {exset.points:g} points in the manifest, "
                                f"not {float(total.group(1)):g}")
    return problems
