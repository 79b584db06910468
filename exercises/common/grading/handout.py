"""The student handout of an exercise set, and the check that it gives nothing away.

The handout is the set's folder with
  - every student file's solution regions replaced by stubs (markers.py),
  - the hidden suites (hidden_tests/), the mutants (mutants/) and the manifest left out,
  - everything else (README, headers, visible suites, main.cpp) copied as it is.
"""

from __future__ import annotations

import pathlib
import shutil

from . import markers
from .sets import HIDDEN_DIR, MANIFEST, MUTANTS_DIR, ExerciseSet, stated_points_problems

SKIPPED_NAMES = {"__pycache__", ".DS_Store"}


def handout_files(exset: ExerciseSet) -> dict[str, str]:
    """Relative path -> text of every file of the handout."""
    files: dict[str, str] = {}
    for path in sorted(exset.dir.rglob("*")):
        rel = path.relative_to(exset.dir)
        if not path.is_file() or SKIPPED_NAMES & set(rel.parts):
            continue
        if rel.parts[0] in (HIDDEN_DIR, MUTANTS_DIR) or rel.as_posix() == MANIFEST:
            continue
        text = path.read_text()
        if rel.as_posix() in exset.student_files:
            files[rel.as_posix()] = markers.strip_solutions(text, exset.label, str(path))
        elif markers.ANY_MARKER_RE.search(text):
            raise markers.MarkerError(
                f"{path}: solution markers in a file that is not a student file of {exset.name} "
                f"(student_files: {', '.join(exset.student_files)}); the build takes this file "
                f"from the repository, so a stub here would never be compiled")
        else:
            files[rel.as_posix()] = text
    return files


def write_handout(exset: ExerciseSet, out: pathlib.Path, force: bool = False) -> list[str]:
    """Writes the handout into `out` (new or empty, or replaced with force). Returns its files."""
    files = handout_files(exset)  # fails before touching `out` when a marker is malformed
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty; pass --force to replace it")
        shutil.rmtree(out)
    for rel, text in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return sorted(files)


def check_handout(exset: ExerciseSet, out: pathlib.Path) -> list[str]:
    """Problems with a written handout; empty when it is honest."""
    problems: list[str] = stated_points_problems(exset)
    texts: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            try:
                texts[path.relative_to(out).as_posix()] = path.read_text()
            except UnicodeDecodeError:
                problems.append(f"{path}: not a text file")
    if (out / HIDDEN_DIR).exists():
        problems.append(f"{out / HIDDEN_DIR}: hidden suites must not be handed out")
    if (out / MUTANTS_DIR).exists():
        problems.append(f"{out / MUTANTS_DIR}: mutants (wrong answers made from the reference) must not be handed out")
    if MANIFEST in texts:
        problems.append(f"{out / MANIFEST}: the grading manifest must not be handed out")
    for rel, text in texts.items():
        if markers.ANY_MARKER_RE.search(text):
            problems.append(f"{out / rel}: contains a solution marker")
    for student_file in exset.student_files:
        if student_file not in texts:
            problems.append(f"{out / student_file}: student file missing from the handout")
    public = _public_lines(exset)
    for student_file in exset.student_files:
        reference = (exset.dir / student_file).read_text()
        secrets = markers.secret_lines(reference, str(exset.dir / student_file)) - public
        for rel, text in texts.items():
            for line in sorted(_leaks(secrets, text)):
                problems.append(f"{out / rel}: holds solution text of {student_file}: {line!r}")
        for region in markers.parse_regions(reference):
            if region.task is None:
                continue
            stub = markers.stub_lines(region, exset.label)[-1].strip()
            if stub not in {l.strip() for l in texts.get(student_file, "").splitlines()}:
                problems.append(f"{out / student_file}: no stub for task {region.task} ({region.name})")
    for hidden in exset.suite_sources(hidden=True):
        body = {markers.normalise(l) for l in hidden.read_text().splitlines()
                if len(markers.normalise(l)) > 20}
        for rel, text in texts.items():
            if rel.endswith(hidden.name):
                problems.append(f"{out / rel}: a hidden suite was handed out")
            shared = body & {markers.normalise(l) for l in text.splitlines()}
            if len(shared) > len(body) // 2 and body:
                problems.append(f"{out / rel}: shares most of its lines with the hidden suite {hidden.name}")
    return problems


def _public_lines(exset: ExerciseSet) -> set[str]:
    """Lines the handout shows anyway: those of the set's other handed-out files (a visible
    test may well say "loss.backward();" too). They prove nothing when found."""
    public: set[str] = set()
    for path in exset.dir.rglob("*"):
        rel = path.relative_to(exset.dir)
        if (not path.is_file() or rel.parts[0] in (HIDDEN_DIR, MUTANTS_DIR) or rel.as_posix() == MANIFEST
                or rel.as_posix() in exset.student_files or SKIPPED_NAMES & set(rel.parts)):
            continue
        try:
            public.update(markers.normalise(l) for l in path.read_text().splitlines())
        except UnicodeDecodeError:
            continue
    return public


def _leaks(secrets: set[str], text: str) -> set[str]:
    """Secret lines found in text: as a whole line, or inside a line (commented out, say)
    when long enough that a match cannot be chance."""
    lines = {markers.normalise(l) for l in text.splitlines()}
    found = secrets & lines
    long_secrets = [s for s in secrets - found if len(s) >= 12]
    for line in lines:
        found.update(s for s in long_secrets if s in line)
    return found
