"""Manifests: what a valid one holds, and the errors for the ways one goes wrong."""

import json
import pathlib
import re
import shutil
import tempfile
import unittest

import support
from grading import sets


class Manifest(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.set_dir = support.write_toy_set(self.tmp)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, change):
        path = self.set_dir / "manifest.json"
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data))

    def error(self):
        with self.assertRaises(sets.ManifestError) as ctx:
            sets.load_set(self.set_dir)
        return str(ctx.exception)

    def test_loads_tasks_points_and_timeouts(self):
        exset = sets.load_set(self.set_dir)
        self.assertEqual((exset.name, exset.label, exset.points), ("toy", "TOY", 10))
        self.assertEqual([t.points for t in exset.tasks], [6, 4])
        self.assertEqual(exset.test("Toy.Answer").timeout, 60)
        self.assertEqual(exset.test("ToyHidden.TwiceOfSeventeenIsThirtyFour").timeout, 5)
        self.assertEqual([p.name for p in exset.suite_sources(hidden=True)], ["toy_hidden_test.cpp"])
        self.assertEqual(sets.discover_sets(self.tmp), ["toy"])

    def test_points_must_add_up(self):
        self.edit(lambda d: d.update(points=100))
        self.assertIn("carry 10 points but the manifest says 100", self.error())

    def test_student_file_must_exist(self):
        self.edit(lambda d: d.update(student_files=["nope.cpp"]))
        self.assertIn("student file 'nope.cpp' does not exist", self.error())

    def test_test_names_are_gtest_names_listed_once(self):
        self.edit(lambda d: d["tasks"][0]["tests"].append({"name": "Toy.Answer", "points": 1}))
        self.assertIn("listed twice", self.error())
        self.edit(lambda d: d["tasks"][0].update(tests=[{"name": "no dot", "points": 7}]))
        self.assertIn("not a GoogleTest name", self.error())

    def test_a_test_carries_points(self):
        self.edit(lambda d: d["tasks"][0]["tests"].append({"name": "Toy.Zero", "points": 0}))
        self.assertIn("carries no points", self.error())

    def test_unknown_set_names_the_known_ones(self):
        with self.assertRaises(sets.ManifestError) as ctx:
            sets.find_set(self.tmp, "hw9")
        self.assertIn("sets: toy", str(ctx.exception))


class RealManifests(unittest.TestCase):
    """The manifests of the repository agree with their suites' source."""

    def test_every_graded_test_is_defined_in_a_suite_and_every_suite_test_is_graded(self):
        for name in sets.discover_sets(support.REPO):
            exset = sets.find_set(support.REPO, name)
            with self.subTest(set=name):
                defined = {}
                for hidden in (False, True):
                    for source in exset.suite_sources(hidden):
                        for suite, test in re.findall(r"^TEST(?:_F)?\(\s*(\w+)\s*,\s*(\w+)\s*\)",
                                                      source.read_text(), re.M):
                            defined[f"{suite}.{test}"] = source.name
                graded = {t.name for t in exset.tests()}
                self.assertEqual(sorted(graded - defined.keys()), [], "graded but not defined")
                self.assertEqual(sorted(defined.keys() - graded), [], "defined but carries no points")
                self.assertEqual(exset.points, 100)


if __name__ == "__main__":
    unittest.main()
