"""The student release and batch grading's staging, on the toy set (support.py); the real
set end to end is distribution_check.py (CI)."""

import csv
import json
import pathlib
import tempfile
import unittest

from support import write_toy_set

from grading import batch, release, sets
from grading.runner import Outcome


class Release(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.repo = pathlib.Path(self.tmp.name) / "repo"
        write_toy_set(self.repo)
        (self.repo / "nn").mkdir()
        (self.repo / "nn" / "layer.cpp").write_text("int layer() { return 1; }\n")
        (self.repo / "exercises" / "toy" / "mutants" / "m").mkdir(parents=True)
        (self.repo / "exercises" / "toy" / "mutants" / "m" / "overlay.json").write_text("{}")
        self.out = pathlib.Path(self.tmp.name) / "release"

    def tearDown(self):
        self.tmp.cleanup()

    def test_holds_stubs_visible_tests_and_a_visible_manifest(self):
        release.write_release(self.repo, self.out, ["toy"])
        toy = self.out / "exercises" / "toy"
        self.assertIn('throw ae::Error("TOY task 1: answer is not implemented yet");', (toy / "toy.cpp").read_text())
        self.assertTrue((toy / "tests" / "toy_test.cpp").is_file())
        self.assertFalse((toy / "hidden_tests").exists())
        self.assertFalse((toy / "mutants").exists())
        self.assertTrue((self.out / "nn" / "layer.cpp").is_file())
        manifest = json.loads((toy / "manifest.json").read_text())
        # Toy.Answer (6 points) is the one visible test; the hidden one's name stays out.
        self.assertEqual(manifest["points"], 6)
        self.assertEqual(manifest["release_of_points"], 10)
        self.assertNotIn("ToyHidden", json.dumps(manifest))
        loaded = sets.load_set(toy)
        self.assertEqual([t.name for t in loaded.tests()], ["Toy.Answer"])
        self.assertEqual(release.check_release(self.repo, self.out), [])

    def test_an_unreleased_set_is_left_out_whole(self):
        release.write_release(self.repo, self.out, [])
        self.assertFalse((self.out / "exercises" / "toy").exists())
        self.assertEqual(release.check_release(self.repo, self.out), [])

    def test_finds_solution_text_and_hidden_tests_by_content(self):
        release.write_release(self.repo, self.out, ["toy"])
        (self.out / "docs").mkdir()
        (self.out / "docs" / "notes.md").write_text("the answer:\n    return secret_helper(x);\n")
        (self.out / "nn" / "copy.cpp").write_text(
            "// TEST(ToyHidden, TwiceOfSeventeenIsThirtyFour) { EXPECT_EQ(twice(17), 34); }\n")
        problems = "\n".join(release.check_release(self.repo, self.out))
        self.assertIn("notes.md: holds solution text of toy/toy.cpp: 'return secret_helper(x);'", problems)
        self.assertIn("copy.cpp: holds 1 lines of the hidden suite toy/hidden_tests/toy_hidden_test.cpp", problems)

    def test_a_line_the_framework_shows_is_no_leak(self):
        (self.repo / "nn" / "layer.cpp").write_text("int f(int x) {\n  int doubled = x + x;  // the sum, not a product\n}\n")
        release.write_release(self.repo, self.out, ["toy"])
        self.assertEqual(release.check_release(self.repo, self.out), [])


class Staging(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = pathlib.Path(self.tmp.name)
        self.exset = sets.load_set(write_toy_set(root / "repo"))
        self.subs = root / "subs"
        self.staging = root / "staging"

    def tearDown(self):
        self.tmp.cleanup()

    def test_files_at_the_top_or_once_below(self):
        (self.subs / "top").mkdir(parents=True)
        (self.subs / "top" / "toy.cpp").write_text("top")
        (self.subs / "nested" / "hw" / "src").mkdir(parents=True)
        (self.subs / "nested" / "hw" / "src" / "toy.cpp").write_text("nested")
        for twice in ("a", "b"):
            (self.subs / "twice" / twice).mkdir(parents=True)
            (self.subs / "twice" / twice / "toy.cpp").write_text(twice)
        self.assertEqual(batch.find_submissions(self.subs), [self.subs / n for n in ("nested", "top", "twice")])
        self.assertEqual(batch.stage(self.exset, self.subs / "nested", self.staging), [])
        self.assertEqual((self.staging / "toy.cpp").read_text(), "nested")
        # A name found twice below is a guess: missing, and the last student's file is gone.
        self.assertEqual(batch.stage(self.exset, self.subs / "twice", self.staging), ["toy.cpp"])
        self.assertFalse((self.staging / "toy.cpp").exists())

    def test_csv_has_the_points_of_every_task(self):
        outcomes = {"Toy.Answer": Outcome("Toy.Answer", True, "passed", "", 0.1),
                    "ToyHidden.TwiceOfSeventeenIsThirtyFour": Outcome("x", False, "failed", "", 0.1)}
        rows = [batch.StudentRow("ann", 6.0, batch.task_points(self.exset, outcomes), True, 2.5,
                                 pathlib.Path("ann/results.json"))]
        path = self.staging / "grades.csv"
        batch.write_csv(path, self.exset, rows)
        with open(path) as f:
            got = list(csv.reader(f))
        self.assertEqual(got[0], ["student", "score", "max_score", "task 1 (6)", "task 2 (4)", "built",
                                  "seconds", "results"])
        self.assertEqual(got[1], ["ann", "6", "10", "6", "0", "yes", "2.5", "ann/results.json"])


if __name__ == "__main__":
    unittest.main()
