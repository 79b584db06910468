#!/usr/bin/env python3
"""CI: homework as instructors receive it, checked end to end on hw1 (they build and run the
real set, so they run in CI after the Release tests, not in CTest):

  BatchGrading   grade.py --submissions on the Release tree (AELAB_GRADING_BUILD_DIR,
                 default build/): a folder with the reference, a submission that does not
                 compile, the handout and two mutants gives the CSV the overlays predict,
                 and the tree is left configured as it was found.
  Gradescope     the autograder zip, unpacked into a temporary root (AELAB_AUTOGRADER_ROOT),
                 set up and run: the reference scores 100, the handout 0.

    AELAB_GRADING_BUILD_DIR=build python3 tests/exercises/distribution_check.py [-k Batch]
"""

import csv
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from support import REPO

from grading import gradescope, handout, overlays, sets  # noqa: E402

PYTHON = sys.executable
SET = "hw1"
# Tasks 1-5 grade functions in seconds; task 6 trains (its tests run in the Gradescope check).
BATCH_TASKS = [1, 2, 3, 4, 5]
MUTANTS = ["mutant_covariance_over_n", "mutant_relu_for_sigmoid"]


def build_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("AELAB_GRADING_BUILD_DIR", REPO / "build")).resolve()


def cache_entry(tree: pathlib.Path, name: str) -> str | None:
    for line in (tree / "CMakeCache.txt").read_text().splitlines():
        if line.split(":", 1)[0] == name and "=" in line:
            return line.split("=", 1)[1]
    return None


def write_files(folder: pathlib.Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)


class BatchGrading(unittest.TestCase):
    def test_csv_of_reference_broken_handout_and_mutants(self):
        exset = sets.find_set(REPO, SET)
        tree = build_dir()
        self.assertTrue((tree / "CMakeCache.txt").is_file(), f"{tree}: no build tree (AELAB_GRADING_BUILD_DIR)")
        before = cache_entry(tree, f"AELAB_STUDENT_DIR_{SET}")
        mode = tree.stat().st_mode & 0o7777
        with tempfile.TemporaryDirectory() as tmp:
            subs = pathlib.Path(tmp) / "submissions"
            reference = {f: (exset.dir / f).read_text() for f in exset.student_files}
            stubs = {f: t for f, t in handout.handout_files(exset).items() if f in exset.student_files}
            write_files(subs / "a_reference", reference)
            broken = dict(reference)
            broken[exset.student_files[0]] += "\nthis line is not C++\n"
            write_files(subs / "b_does_not_compile", broken)
            write_files(subs / "c_handout" / "nested", stubs)  # an upload of a zipped folder
            expected_lost = {}
            for name in MUTANTS:
                overlay = overlays.load_overlay(exset.dir / "mutants" / name, exset)
                write_files(subs / f"d_{name}", overlays.submission_files(overlay, exset))
                expected_lost[f"d_{name}"] = set(overlay.tasks)
            out = pathlib.Path(tmp) / "out"
            start = time.monotonic()
            proc = subprocess.run([PYTHON, str(REPO / "scripts" / "grade.py"), SET, "--submissions", str(subs),
                                   "--out", str(out), "--build-dir", str(tree),
                                   "--tasks", ",".join(map(str, BATCH_TASKS))],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            print(proc.stdout[-3000:], f"\nbatch of 5: {time.monotonic() - start:.0f} s", file=sys.stderr)
            self.assertEqual(proc.returncode, 0, proc.stdout[-3000:])
            with open(out / "grades.csv") as f:
                rows = {r["student"]: r for r in csv.DictReader(f)}
            self.assertEqual(sorted(rows), sorted(p.name for p in subs.iterdir()))
            points = {t.number: t.points for t in exset.tasks}
            column = {t.number: f"task {t.number} ({t.points:g})" for t in exset.tasks}

            def earned(student):
                return {n: float(rows[student][column[n]]) for n in points}

            graded_total = sum(points[n] for n in BATCH_TASKS)
            self.assertEqual(earned("a_reference"), {n: (points[n] if n in BATCH_TASKS else 0) for n in points})
            self.assertEqual(float(rows["a_reference"]["score"]), graded_total)
            for student in ("b_does_not_compile", "c_handout"):
                self.assertEqual(float(rows[student]["score"]), 0, student)
            self.assertEqual(rows["b_does_not_compile"]["built"], "no")
            self.assertEqual(rows["c_handout"]["built"], "yes")
            for student, lost in expected_lost.items():
                # The overlay names the tasks it must lose points on; a wrong sigmoid may well
                # cost a later task (the training step) too, so the others are not pinned.
                got = earned(student)
                for n in lost:
                    self.assertLess(got[n], points[n], f"{student} keeps every point of task {n}")
                self.assertLess(float(rows[student]["score"]), graded_total, student)
            # The covariance mutant touches task 1 alone: every other graded task keeps its points,
            # so the student graded before it (one that does not compile) left nothing behind.
            got = earned("d_mutant_covariance_over_n")
            for n in BATCH_TASKS:
                if n != 1:
                    self.assertEqual(got[n], points[n], f"the covariance mutant loses points on task {n}")
            for student in rows:
                results = json.loads((out / student / "results.json").read_text())
                self.assertEqual(float(results["score"]), float(rows[student]["score"]), student)
                self.assertGreater(float(rows[student]["seconds"]), 0)
        self.assertEqual(cache_entry(tree, f"AELAB_STUDENT_DIR_{SET}"), before, "the tree was left reconfigured")
        self.assertEqual(tree.stat().st_mode & 0o7777, mode, "the tree was left with other permissions")


class Gradescope(unittest.TestCase):
    def test_reference_scores_100_and_handout_0(self):
        exset = sets.find_set(REPO, SET)
        # Under the repository, so that with ccache (base dir: the repository) the compiles of
        # the unpacked copy hit the objects of the same sources built elsewhere in it.
        root = REPO / "out" / "gradescope-check" / SET
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        package = root / "autograder.zip"
        subprocess.run([PYTHON, str(REPO / "scripts" / "gradescope.py"), SET, "--out", str(package)], check=True)
        gradescope.unpack(package, root)
        env = dict(os.environ, AELAB_AUTOGRADER_ROOT=str(root))
        env.setdefault("CCACHE_BASEDIR", str(REPO))
        start = time.monotonic()
        subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"\nsetup.sh: {time.monotonic() - start:.0f} s", file=sys.stderr)
        submissions = {
            "reference": {f: (exset.dir / f).read_text() for f in exset.student_files},
            "handout": {f: t for f, t in handout.handout_files(exset).items() if f in exset.student_files},
        }
        for name, expected in (("reference", exset.points), ("handout", 0.0)):
            shutil.rmtree(root / "submission", ignore_errors=True)
            shutil.rmtree(root / "results", ignore_errors=True)
            write_files(root / "submission", submissions[name])
            start = time.monotonic()
            proc = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            print(f"run_autograder on the {name}: {time.monotonic() - start:.0f} s", file=sys.stderr)
            self.assertEqual(proc.returncode, 0, proc.stdout[-3000:])
            results = json.loads((root / "results" / "results.json").read_text())
            self.assertEqual(float(results["score"]), expected, f"{name}:\n{results['output']}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
