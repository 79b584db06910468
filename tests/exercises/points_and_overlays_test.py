"""Points stated once (the manifest; READMEs and headers must agree), and overlays: how
a red-team attack or a mutant becomes a submission, and when it has lost what it must."""

import json
import pathlib
import shutil
import tempfile
import unittest

import support
from grading import overlays, sets
from grading.runner import Outcome


class StatedPoints(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.set_dir = support.write_toy_set(self.tmp)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_agreeing_readme_and_header_pass(self):
        (self.set_dir / "README.md").write_text(
            "# Toy (10 points)\n\n| task | points |\n| --- | --- |\n| 1. the answer | 6 |\n| 2. twice | 4 |\n")
        (self.set_dir / "toy.hpp").write_text("// ==== Task 1 (6 points): the answer ====\nint answer(int x);\n")
        self.assertEqual(sets.stated_points_problems(sets.load_set(self.set_dir)), [])

    def test_a_readme_row_a_header_and_a_total_that_disagree_are_reported(self):
        (self.set_dir / "README.md").write_text("# Toy (12 points)\n\n| 2. twice | 5 | `twice` |\n")
        (self.set_dir / "toy.hpp").write_text("// Task 1 (7 points): the answer\n// Task 3 (1 points)\n")
        problems = sets.stated_points_problems(sets.load_set(self.set_dir))
        self.assertEqual(len(problems), 4, problems)
        joined = "\n".join(problems)
        self.assertIn("README.md:1: the set is worth 10 points in the manifest, not 12", joined)
        self.assertIn("README.md:3: task 2 is worth 4 points in the manifest, not 5", joined)
        self.assertIn("toy.hpp:1: task 1 is worth 6 points in the manifest, not 7", joined)
        self.assertIn("toy.hpp:2: states points for task 3", joined)

    def test_the_real_sets_state_the_manifests_points(self):
        for name in sets.discover_sets(support.REPO):
            exset = sets.find_set(support.REPO, name)
            self.assertEqual(sets.stated_points_problems(exset), [], name)


class Overlays(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.exset = sets.load_set(support.write_toy_set(self.tmp))
        self.root = self.tmp / "overlays"

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, data, files=None):
        folder = self.root / "toy" / name
        folder.mkdir(parents=True)
        (folder / "overlay.json").write_text(json.dumps(data))
        for rel, text in (files or {}).items():
            (folder / rel).write_text(text)
        return folder

    def test_a_mutant_edits_the_reference(self):
        folder = self.write("double_plus_one", {
            "kind": "mutant", "base": "reference", "description": "x + x + 1", "tasks": [2],
            "edits": [{"file": "toy.cpp", "replace": "int doubled = x + x;", "with": "int doubled = x + x + 1;"}]})
        overlay = overlays.load_overlay(folder, self.exset)
        files = overlays.submission_files(overlay, self.exset)
        self.assertIn("int doubled = x + x + 1;", files["toy.cpp"])
        self.assertIn("BEGIN SOLUTION", files["toy.cpp"], "a mutant starts from the reference")
        self.assertEqual([o.name for o in overlays.find_overlays(self.root, self.exset)], ["double_plus_one"])

    def test_an_attack_edits_the_handout(self):
        folder = self.write("forge", {
            "kind": "attack", "base": "handout", "description": "appends", "tasks": [1],
            "edits": [{"file": "toy.cpp", "prepend": "// first\n"}, {"file": "toy.cpp", "append": "forge.cpp"}]},
            {"forge.cpp": "// the forgery\n"})
        text = overlays.submission_files(overlays.load_overlay(folder, self.exset), self.exset)["toy.cpp"]
        self.assertTrue(text.startswith("// first\n"))
        self.assertTrue(text.endswith("// the forgery\n"))
        self.assertIn('throw ae::Error("TOY task 1: answer is not implemented yet");', text)
        self.assertNotIn("secret_helper", text)

    def test_bad_overlays_are_refused_with_the_reason(self):
        cases = {
            "drifted": ({"kind": "mutant", "base": "reference", "description": "", "tasks": [1],
                         "edits": [{"file": "toy.cpp", "replace": "no such text", "with": ""}]}, "occurs 0 times"),
            "other_file": ({"kind": "mutant", "base": "reference", "description": "", "tasks": [1],
                            "edits": [{"file": "toy.hpp", "prepend": ""}]}, "not a student file"),
            "no_task": ({"kind": "attack", "base": "handout", "description": "", "tasks": [9], "edits": []},
                        "must be a non-empty list"),
        }
        for name, (data, message) in cases.items():
            with self.subTest(name), self.assertRaises(sets.ManifestError) as ctx:
                overlays.submission_files(overlays.load_overlay(self.write(name, data), self.exset), self.exset)
            self.assertIn(message, str(ctx.exception))

    def judge(self, kind, passed):
        overlay = overlays.Overlay("o", self.root, kind, "reference", "", [1], [])
        outcomes = {t.name: Outcome(t.name, t.name in passed, "", "", 0.0) for t in self.exset.tests()}
        return overlays.judge(overlay, self.exset, outcomes)

    def test_an_attack_must_score_nothing_on_its_tasks(self):
        self.assertEqual(self.judge("attack", {"ToyHidden.TwiceOfSeventeenIsThirtyFour"}), [])
        self.assertIn("earned 6 points on task 1", self.judge("attack", {"Toy.Answer"})[0])

    def test_a_mutant_must_lose_points_on_each_task(self):
        self.assertEqual(self.judge("mutant", set()), [])
        self.assertIn("keeps all 6 points of task 1", self.judge("mutant", {"Toy.Answer"})[0])

    def test_the_real_overlays_load_and_apply(self):
        root = support.REPO / "tests" / "exercises" / "overlays"
        for name in sets.discover_sets(support.REPO):
            exset = sets.find_set(support.REPO, name)
            for overlay in overlays.find_overlays(root, exset):
                with self.subTest(overlay.name):
                    overlays.submission_files(overlay, exset)


if __name__ == "__main__":
    unittest.main()
