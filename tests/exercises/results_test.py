"""results.json: the schema accepts what the grader writes and rejects what Gradescope
would not read; scores, the table and the CI expectations follow the outcomes."""

import copy
import json
import pathlib
import shutil
import tempfile
import unittest

import support
from grading import grader, results, sets
from grading.runner import Outcome

VALID = {
    "score": 6.0,
    "execution_time": 12.5,
    "output": "table",
    "visibility": "visible",
    "stdout_visibility": "hidden",
    "tests": [
        {"name": "Task 1 (the answer): Toy.Answer", "number": "1.1", "score": 6.0, "max_score": 6.0,
         "status": "passed", "output": "passed", "tags": ["task 1"], "visibility": "visible"},
        {"name": "Task 2 (twice): ToyHidden.Twice", "number": "2.1", "score": 0.0, "max_score": 4.0,
         "status": "failed", "output": "boom", "tags": ["task 2"], "visibility": "after_published"},
    ],
}


class Schema(unittest.TestCase):
    def broken(self, change):
        doc = copy.deepcopy(VALID)
        change(doc)
        return results.validate(doc)

    def test_valid_document(self):
        self.assertEqual(results.validate(VALID), [])

    def test_schema_file_is_json_schema_with_the_gradescope_keys(self):
        schema = json.loads(results.SCHEMA_PATH.read_text())
        test_keys = set(schema["properties"]["tests"]["items"]["required"])
        self.assertEqual(test_keys, {"name", "score", "max_score", "status", "output", "visibility"})

    def test_each_violation_is_named(self):
        cases = [
            (lambda d: d.pop("score"), "missing required key 'score'"),
            (lambda d: d["tests"][0].pop("max_score"), "missing required key 'max_score'"),
            (lambda d: d["tests"][0].update(status="ok"), "'ok' is not one of"),
            (lambda d: d["tests"][1].update(visibility="secret"), "'secret' is not one of"),
            (lambda d: d["tests"][0].update(score="6"), "expected number"),
            (lambda d: d["tests"][0].update(score=True), "expected number"),
            (lambda d: d.update(tests=[]), "fewer than 1 items"),
            (lambda d: d.update(grade=1), "unexpected key 'grade'"),
            (lambda d: d["tests"][0].update(score=-1), "below the minimum"),
        ]
        for change, fragment in cases:
            with self.subTest(fragment=fragment):
                problems = self.broken(change)
                self.assertTrue(any(fragment in p for p in problems), problems)

    def test_scores_must_agree(self):
        self.assertIn("above max_score", " ".join(self.broken(lambda d: d["tests"][0].update(score=7.0))))
        self.assertIn("failed but scored", " ".join(self.broken(lambda d: d["tests"][1].update(score=1.0))))
        self.assertIn("not the sum", " ".join(self.broken(lambda d: d.update(score=10.0))))
        self.assertIn("passed but scored",
                      " ".join(self.broken(lambda d: d["tests"][0].update(score=3.0) or d.update(score=3.0))))


class Scoring(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.exset = sets.load_set(support.write_toy_set(self.tmp))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def report(self, answer_passes, twice_summary):
        outcomes = {
            "Toy.Answer": Outcome("Toy.Answer", answer_passes, "passed" if answer_passes else
                                  'C++ exception with description "TOY task 1: answer is not implemented yet"',
                                  "", 0.1),
            "ToyHidden.TwiceOfSeventeenIsThirtyFour": Outcome(
                "ToyHidden.TwiceOfSeventeenIsThirtyFour", twice_summary == "passed", twice_summary, "log", 0.2),
        }
        table = grader.score_table(self.exset, outcomes, None)
        doc = results.build_results(self.exset, outcomes, {"ToyHidden.TwiceOfSeventeenIsThirtyFour"}, 3.0, table)
        return grader.Report(self.exset, outcomes, {"ToyHidden.TwiceOfSeventeenIsThirtyFour"}, [], True, doc)

    def test_results_carry_points_visibility_and_first_failure(self):
        report = self.report(True, "time limit of 5 s exceeded (the test was stopped)")
        doc = report.results
        self.assertEqual(results.validate(doc), [])
        self.assertEqual(doc["score"], 6.0)
        self.assertEqual([t["status"] for t in doc["tests"]], ["passed", "failed"])
        self.assertEqual([t["visibility"] for t in doc["tests"]], ["visible", "after_published"])
        self.assertTrue(doc["tests"][1]["output"].startswith("time limit of 5 s exceeded"))
        self.assertEqual(doc["tests"][1]["name"], "Task 2 (twice): ToyHidden.TwiceOfSeventeenIsThirtyFour")

    def test_table_has_a_row_per_task_and_the_total(self):
        table = self.report(True, "x_test.cpp:3: Expected equality").results["output"].splitlines()
        self.assertIn("Points", table[1])
        self.assertRegex(table[2], r"^1\s+the answer\s+6/6\s+passed")
        self.assertRegex(table[3], r"^2\s+twice\s+0/4\s+failed 1/1$")
        self.assertEqual(table[4], "Total: 6/10")
        # Below the table, each failed task's first failure, whole.
        self.assertEqual(table[6:], ["First failure of each task:",
                                     "  task 2  ToyHidden.TwiceOfSeventeenIsThirtyFour",
                                     "    x_test.cpp:3: Expected equality"])

    def test_long_failures_are_wrapped_not_cut(self):
        hint = "expected " + " ".join(["the sum of the dropped eigenvalues"] * 8)
        table = self.report(True, hint).results["output"].splitlines()
        body = " ".join(line.strip() for line in table[8:])
        self.assertEqual(body, hint)
        self.assertTrue(all(len(line) <= grader.FAILURE_WIDTH for line in table[8:]))

    def test_expect_full(self):
        self.assertEqual(grader.check_expectation(self.report(True, "passed"), "full"), [])
        problems = grader.check_expectation(self.report(True, "crashed (SIGSEGV)"), "full")
        self.assertTrue(any("fails on the reference" in p for p in problems), problems)

    def test_expect_stubs_wants_each_tests_own_task_stub(self):
        stub2 = 'C++ exception with description "TOY task 2: twice is not implemented yet"'
        self.assertEqual(grader.check_expectation(self.report(False, stub2), "stubs"), [])
        wrong_task = grader.check_expectation(self.report(False, stub2.replace("task 2", "task 1")), "stubs")
        self.assertTrue(any("not on the stub of task 2" in p for p in wrong_task), wrong_task)
        passing = grader.check_expectation(self.report(False, "passed"), "stubs")
        self.assertTrue(any("passes on the handout" in p for p in passing), passing)

    def test_write_results_refuses_an_invalid_document(self):
        doc = copy.deepcopy(VALID)
        doc["score"] = 99
        with self.assertRaises(ValueError):
            results.write_results(self.tmp / "r.json", doc)
        results.write_results(self.tmp / "ok" / "r.json", VALID)
        self.assertEqual(json.loads((self.tmp / "ok" / "r.json").read_text()), VALID)


if __name__ == "__main__":
    unittest.main()
