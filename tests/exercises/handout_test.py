"""The handout: written from a set, checked for leaks, and the check catches each leak."""

import pathlib
import shutil
import tempfile
import unittest

import support
from grading import handout, markers, sets


class Handout(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.set_dir = support.write_toy_set(self.tmp)
        self.exset = sets.load_set(self.set_dir)
        self.out = self.tmp / "handout"

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_writes_stubs_and_leaves_out_hidden_suites_and_manifest(self):
        files = handout.write_handout(self.exset, self.out)
        self.assertEqual(files, ["README.md", "tests/toy_test.cpp", "toy.cpp", "toy.hpp"])
        student = (self.out / "toy.cpp").read_text()
        self.assertIn("TOY task 1: answer is not implemented yet", student)
        self.assertIn("TOY task 2: twice is not implemented yet", student)
        self.assertFalse((self.out / "hidden_tests").exists())
        self.assertFalse((self.out / "manifest.json").exists())
        self.assertEqual((self.out / "toy.hpp").read_text(), (self.set_dir / "toy.hpp").read_text())

    def test_a_fresh_handout_passes_the_check(self):
        handout.write_handout(self.exset, self.out)
        self.assertEqual(handout.check_handout(self.exset, self.out), [])

    def test_refuses_to_overwrite_without_force(self):
        handout.write_handout(self.exset, self.out)
        with self.assertRaises(FileExistsError):
            handout.write_handout(self.exset, self.out)
        (self.out / "stale.txt").write_text("old")
        handout.write_handout(self.exset, self.out, force=True)
        self.assertFalse((self.out / "stale.txt").exists())

    def test_check_finds_solution_text(self):
        handout.write_handout(self.exset, self.out)
        path = self.out / "toy.cpp"
        path.write_text(path.read_text() + "// int doubled = x + x;  // the sum, not a product\n")
        problems = handout.check_handout(self.exset, self.out)
        self.assertTrue(any("solution text" in p for p in problems), problems)

    def test_check_finds_solution_text_in_any_file(self):
        handout.write_handout(self.exset, self.out)
        (self.out / "notes.md").write_text("  return secret_helper(x);\n")
        problems = handout.check_handout(self.exset, self.out)
        self.assertTrue(any("notes.md" in p and "solution text" in p for p in problems), problems)

    def test_check_finds_a_hidden_suite_a_manifest_and_a_marker(self):
        handout.write_handout(self.exset, self.out)
        shutil.copytree(self.set_dir / "hidden_tests", self.out / "hidden_tests")
        shutil.copy(self.set_dir / "manifest.json", self.out / "manifest.json")
        (self.out / "toy.hpp").write_text("// BEGIN SOLUTION\n")
        problems = "\n".join(handout.check_handout(self.exset, self.out))
        self.assertIn("hidden suites must not be handed out", problems)
        self.assertIn("a hidden suite was handed out", problems)
        self.assertIn("manifest must not be handed out", problems)
        self.assertIn("contains a solution marker", problems)

    def test_check_finds_a_missing_stub(self):
        handout.write_handout(self.exset, self.out)
        path = self.out / "toy.cpp"
        path.write_text(path.read_text().replace("TOY task 2", "TOY task 9"))
        problems = handout.check_handout(self.exset, self.out)
        self.assertTrue(any("no stub for task 2" in p for p in problems), problems)

    def test_markers_outside_student_files_are_an_error(self):
        (self.set_dir / "toy.hpp").write_text("// BEGIN SOLUTION\nint x;\n// END SOLUTION\n")
        with self.assertRaises(markers.MarkerError) as ctx:
            handout.write_handout(self.exset, self.out)
        self.assertIn("not a student file", str(ctx.exception))
        self.assertFalse(self.out.exists())


class RealSets(unittest.TestCase):
    """Every set of the repository makes an honest handout (the build is CI's part)."""

    def test_every_set_makes_an_honest_handout(self):
        names = sets.discover_sets(support.REPO)
        self.assertIn("hw1", names)
        for name in names:
            with self.subTest(set=name), tempfile.TemporaryDirectory() as tmp:
                exset = sets.find_set(support.REPO, name)
                out = pathlib.Path(tmp) / name
                handout.write_handout(exset, out)
                self.assertEqual(handout.check_handout(exset, out), [])


if __name__ == "__main__":
    unittest.main()
