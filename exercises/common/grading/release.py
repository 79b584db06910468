"""The student release: one self-contained tree a course hands out.

It holds the framework, the chapters, the docs and, for every released set, the student's
handout (given files, stubs, visible suites) in the set's own folder, with a manifest of
the visible tests only; no solution text of any set, no hidden suite, no mutant, no
red-team attack and none of the instructor's tools. Inside it,

    python3 scripts/grade.py hw1

builds the student's own exercises/hw1 files and grades them with the visible tests.

check_release() proves by content, not by file names, that a release gives nothing away:
every release file is searched for the lines of every solution region and the distinctive
lines of every hidden suite of every set of the instructor's repository, released or not.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

from . import handout as handout_mod
from . import markers
from .sets import HIDDEN_DIR, MANIFEST, MUTANTS_DIR, ExerciseSet, discover_sets, find_set

# Instructor-only files: the tools that need the reference, the attacks, CI, the tools' tests.
EXCLUDED_PREFIXES = (
    ".ci/",
    "tests/exercises/overlays/",
    "scripts/check_exercises.sh",
    "scripts/check_release.sh",
    "scripts/handout.py",
    "scripts/release.py",
    "scripts/gradescope.py",
)
EXCLUDED_RE = re.compile(r"^tests/exercises/[^/]*\.py$")
RELEASE_NOTE = "RELEASE.md"
# A hidden suite's line longer than this, found in a file outside its set's public files,
# is its text; shorter ones (a brace, "EXPECT_TRUE(ok);") prove nothing.
HIDDEN_LINE_MIN = 20

_TEST_RE = re.compile(r"\bTEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)")


def repo_files(repo: pathlib.Path) -> list[str]:
    """The repository's files (tracked, and new ones git does not ignore), relative paths."""
    try:
        out = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], check=True, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout
        names = sorted({n for n in out.decode().split("\0") if n})
        return [n for n in names if (repo / n).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = re.compile(r"^(build[^/]*|out|\.git)(/|$)")
        return sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")
                      if p.is_file() and not skip.match(p.relative_to(repo).as_posix()))


def suite_test_names(sources: list[pathlib.Path]) -> set[str]:
    """"Suite.Test" of every TEST / TEST_F / TEST_P in the sources."""
    names: set[str] = set()
    for source in sources:
        names.update(f"{m.group(1)}.{m.group(2)}" for m in _TEST_RE.finditer(source.read_text()))
    return names


def release_manifest(exset: ExerciseSet) -> dict:
    """The set's manifest with the visible tests only (the hidden ones' names stay out too);
    its points are theirs, and it says how many the full set has."""
    data = json.loads((exset.dir / MANIFEST).read_text())
    visible = suite_test_names(exset.suite_sources(hidden=False))
    tasks = []
    for task in data["tasks"]:
        tests = [t for t in task["tests"] if t["name"] in visible]
        if tests:
            tasks.append(dict(task, tests=tests))
    data["tasks"] = tasks
    data["points"] = sum(float(t["points"]) for task in tasks for t in task["tests"])
    data["release_of_points"] = exset.points
    return data


def release_files(repo: pathlib.Path, released: list[str], revision: str = "") -> dict[str, bytes]:
    """Relative path -> content of every file of the release of the sets `released`."""
    all_sets = discover_sets(repo)
    set_prefixes = tuple(f"exercises/{s}/" for s in all_sets)
    files: dict[str, bytes] = {}
    for rel in repo_files(repo):
        if rel.startswith(EXCLUDED_PREFIXES) or EXCLUDED_RE.match(rel) or rel.startswith(set_prefixes):
            continue
        files[rel] = (repo / rel).read_bytes()
    for name in released:
        exset = find_set(repo, name)
        for rel, text in handout_mod.handout_files(exset).items():
            files[f"exercises/{name}/{rel}"] = text.encode()
        files[f"exercises/{name}/{MANIFEST}"] = (json.dumps(release_manifest(exset), indent=2) + "\n").encode()
    lines = [f"# aelab: student release{' of ' + revision if revision else ''}", "",
             "This tree is aelab with the homework sets of this course: the framework, the chapters,",
             "the docs and, for each set, the files you are given, the stubs you replace and the",
             "visible graded tests. Build and grade a set here (the first build compiles every",
             "library: a few minutes on 2 cores; later grades recompile your files only):", "",
             "```sh", "bash scripts/setup.sh                 # the Debian packages, once"]
    for name in released:
        exset = find_set(repo, name)
        lines.append(f"python3 scripts/grade.py {name}          # {exset.label}: edit "
                     + ", ".join(f"exercises/{name}/{f}" for f in exset.student_files))
    lines += ["```", "",
              "The grade here counts the visible tests only; the course grades your files with",
              "hidden tests as well (see each set's README.md).", ""]
    files[RELEASE_NOTE] = "\n".join(lines).encode()
    return files


def write_release(repo: pathlib.Path, out: pathlib.Path, released: list[str], force: bool = False,
                  revision: str = "") -> list[str]:
    files = release_files(repo, released, revision)  # fails before touching `out`
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty; pass --force to replace it")
        shutil.rmtree(out)
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if (repo / rel).is_file() and (repo / rel).stat().st_mode & 0o111:
            target.chmod(0o755)
    return sorted(files)


def _release_texts(out: pathlib.Path) -> dict[str, str]:
    texts = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if not path.is_file() or rel.parts[0].startswith("build") or rel.parts[0] == "out":
            continue
        try:
            texts[rel.as_posix()] = path.read_text()
        except UnicodeDecodeError:
            continue  # data and images: no source text in them
    return texts


CODE_SUFFIXES = {".cpp", ".hpp", ".h", ".c", ".py", ".cmake", ".sh", ".txt"}


def public_lines(repo: pathlib.Path) -> set[str]:
    """Lines any release shows by design, which prove nothing when found: those of the
    framework's code (outside the sets' folders; the docs are not in it, they are searched)
    and every set's given files (what its handout shows anyway)."""
    set_prefixes = tuple(f"exercises/{s}/" for s in discover_sets(repo))
    lines: set[str] = set()
    for rel in repo_files(repo):
        path = repo / rel
        if rel.startswith(set_prefixes) or (path.suffix not in CODE_SUFFIXES and path.name != "CMakeLists.txt"):
            continue
        try:
            lines.update(markers.normalise(l) for l in path.read_text().splitlines())
        except UnicodeDecodeError:
            continue
    for name in discover_sets(repo):
        lines |= handout_mod._public_lines(find_set(repo, name))
    return lines


def check_release(repo: pathlib.Path, out: pathlib.Path) -> list[str]:
    """Problems of a written release; empty when it gives nothing away. Searched for: every
    line of every solution region and every distinctive line of every hidden suite, of
    every set of the repository (released or not), but lines the framework's code or a set's
    given files show anyway (a "return result;" proves nothing)."""
    problems: list[str] = []
    texts = _release_texts(out)
    for path in out.rglob("*"):
        if path.is_dir() and path.name in (HIDDEN_DIR, MUTANTS_DIR) and "build" not in path.parts:
            problems.append(f"{path}: a {path.name} folder is in the release")
    public = public_lines(repo)
    public_blob = "\n".join(public)
    visible_lines: set[str] = set()
    for name in discover_sets(repo):
        visible_lines |= {markers.normalise(l) for source in find_set(repo, name).suite_sources(hidden=False)
                          for l in source.read_text().splitlines()}
    for name in discover_sets(repo):
        exset = find_set(repo, name)
        for student_file in exset.student_files:
            reference = (exset.dir / student_file).read_text()
            secrets = markers.secret_lines(reference, str(exset.dir / student_file)) - public
            # A secret is also sought inside longer lines (commented out, say): not one the
            # public code holds inside its own ("iterations = 0;" in "int iterations = 0;").
            secrets = {l for l in secrets if l not in public_blob}
            for rel, text in texts.items():
                for line in sorted(handout_mod._leaks(secrets, text)):
                    problems.append(f"{out / rel}: holds solution text of {name}/{student_file}: {line!r}")
        for hidden in exset.suite_sources(hidden=True):
            body = {markers.normalise(l) for l in hidden.read_text().splitlines()}
            distinctive = {l for l in body if len(l) > HIDDEN_LINE_MIN and l not in public_blob} - visible_lines
            for rel, text in texts.items():
                shared = handout_mod._leaks(distinctive, text)
                if shared:
                    problems.append(f"{out / rel}: holds {len(shared)} lines of the hidden suite "
                                    f"{name}/{HIDDEN_DIR}/{hidden.name}, e.g. {sorted(shared)[0]!r}")
    return problems
