"""Overlays: a submission made as a small change of the handout or of the reference
solution, with the tasks it must lose points on. Red-team attacks (attempts to forge a
grade) and mutants (plausible wrong answers) are both overlays; CI grades every one.

    <overlay>/overlay.json
      {"kind": "attack" | "mutant",
       "base": "handout" | "reference",     the student files it starts from
       "description": "...",
       "tasks": [1, 3],                     attack: must score 0 on each of these tasks;
                                            mutant: must lose points on each of them
       "edits": [                           applied in order to the base's student files
         {"file": "pca.cpp", "replace": "old text (found exactly once)", "with": "new text"},
         {"file": "pca.cpp", "append": "snippet.cpp"},        a file of the overlay, appended
         {"file": "pca.cpp", "prepend_file": "snippet.cpp"},  ... or put first
         {"file": "pca.cpp", "prepend": "#include <cstdlib>\\n"}]}
"""

from __future__ import annotations

import dataclasses
import json
import pathlib

from . import handout as handout_mod
from .sets import ExerciseSet, ManifestError


@dataclasses.dataclass
class Overlay:
    name: str
    dir: pathlib.Path
    kind: str
    base: str
    description: str
    tasks: list[int]
    edits: list[dict]


def load_overlay(path: pathlib.Path, exset: ExerciseSet) -> Overlay:
    where = path / "overlay.json"
    try:
        data = json.loads(where.read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise ManifestError(f"{where}: cannot read the overlay: {e}") from e
    for key in ("kind", "base", "description", "tasks", "edits"):
        if key not in data:
            raise ManifestError(f"{where}: missing key '{key}'")
    if data["kind"] not in ("attack", "mutant") or data["base"] not in ("handout", "reference"):
        raise ManifestError(f"{where}: kind must be attack or mutant, base handout or reference")
    numbers = {t.number for t in exset.tasks}
    tasks = [int(t) for t in data["tasks"]]
    if not tasks or not set(tasks) <= numbers:
        raise ManifestError(f"{where}: tasks {tasks} must be a non-empty list of {exset.name}'s tasks {sorted(numbers)}")
    for edit in data["edits"]:
        if edit.get("file") not in exset.student_files:
            raise ManifestError(f"{where}: an edit of '{edit.get('file')}', which is not a student file "
                                f"({', '.join(exset.student_files)})")
    return Overlay(path.name, path, data["kind"], data["base"], data["description"], tasks, data["edits"])


def find_overlays(root: pathlib.Path, exset: ExerciseSet) -> list[Overlay]:
    """The overlays of a set: every <root>/<set>/*/overlay.json."""
    return [load_overlay(p.parent, exset) for p in sorted((root / exset.name).glob("*/overlay.json"))]


def submission_files(overlay: Overlay, exset: ExerciseSet) -> dict[str, str]:
    """The student files of the overlay's submission."""
    if overlay.base == "handout":
        all_files = handout_mod.handout_files(exset)
        files = {f: all_files[f] for f in exset.student_files}
    else:
        files = {f: (exset.dir / f).read_text() for f in exset.student_files}
    where = overlay.dir / "overlay.json"
    for edit in overlay.edits:
        name = edit["file"]
        text = files[name]
        if "replace" in edit:
            count = text.count(edit["replace"])
            if count != 1:
                raise ManifestError(f"{where}: '{edit['replace']}' occurs {count} times in the {overlay.base}'s "
                                    f"{name}, expected once")
            text = text.replace(edit["replace"], edit["with"])
        elif "append" in edit:
            text += (overlay.dir / edit["append"]).read_text()
        elif "prepend_file" in edit:
            text = (overlay.dir / edit["prepend_file"]).read_text() + text
        elif "prepend" in edit:
            text = edit["prepend"] + text
        else:
            raise ManifestError(f"{where}: an edit needs replace/with, append, prepend or prepend_file: {edit}")
        files[name] = text
    return files


def write_submission(overlay: Overlay, exset: ExerciseSet, out: pathlib.Path) -> None:
    """Writes the overlay's student files into out. A file whose text is already there is
    left untouched, so that overlays graded one after another in the same folder rebuild
    only the files they change (scripts/check_exercises.sh grades every overlay so)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in submission_files(overlay, exset).items():
        path = out / name
        try:
            if path.read_text() == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        path.write_text(text)


def judge(overlay: Overlay, exset: ExerciseSet, outcomes: dict) -> list[str]:
    """Why the graded overlay did not lose what it must; empty when it did."""
    problems = []
    for task in exset.tasks:
        if task.number not in overlay.tasks:
            continue
        passed = [t for t in task.tests if outcomes[t.name].passed]
        earned = sum(t.points for t in passed)
        if overlay.kind == "attack" and passed:
            problems.append(f"attack {overlay.name} earned {earned:g} points on task {task.number}: "
                            + ", ".join(t.name for t in passed))
        if overlay.kind == "mutant" and earned == task.points:
            problems.append(f"mutant {overlay.name} keeps all {task.points:g} points of task {task.number}: "
                            f"no test of the task tells it from the reference")
    return problems
