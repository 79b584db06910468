"""Running one graded test in its own process: pass, failure, exception, crash, endless
loop (killed with its children), skip, flood of output. The suite executable here is a
stand-in that speaks GoogleTest's command line and JSON report."""

import os
import pathlib
import shutil
import sys
import tempfile
import time
import unittest

import support  # noqa: F401
from grading import runner

FAKE_SUITE = r'''
import json, os, signal, subprocess, sys, time
tests = ["Passes", "Fails", "Throws", "Segfaults", "Loops", "Skipped", "Floods", "ExitsAfterPassing"]
args = sys.argv[1:]
if "--gtest_list_tests" in args:
    print("Fake.")
    for t in tests:
        print("  " + t)
    print("Param/Fake.\n  Case/0  # GetParam() = 1")
    sys.exit(0)
name = next(a.split("=", 1)[1] for a in args if a.startswith("--gtest_filter="))
report = next(a.split(":", 1)[1] for a in args if a.startswith("--gtest_output=json:"))
test = name.split(".")[1]
failures, result = [], "COMPLETED"
if test == "Fails":
    failures = [{"failure": "/src/x_test.cpp:12\nExpected equality of these values:\n  1\n  2", "type": ""}]
elif test == "Throws":
    failures = [{"failure": "unknown file\nC++ exception with description \"TOY task 1: answer is not "
                            "implemented yet\" thrown in the test body.", "type": ""}]
elif test == "Segfaults":
    os.kill(os.getpid(), signal.SIGSEGV)
elif test == "Loops":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with open("child.pid", "w") as f:
        f.write(str(child.pid))
    while True:
        time.sleep(0.05)
elif test == "Skipped":
    result = "SKIPPED"
elif test == "Floods":
    sys.stdout.write("x" * 1_000_000 + "\nthe end\n")
print(f"[ RUN      ] {name}")
with open(report, "w") as f:
    json.dump({"testsuites": [{"name": "Fake", "testsuite": [
        {"name": test, "status": "RUN", "result": result, "failures": failures}]}]}, f)
sys.exit(3 if test == "ExitsAfterPassing" else (1 if failures else 0))
'''


class Runner(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp())
        cls.exe = cls.tmp / "fake_suite"
        cls.exe.write_text(f"#!{sys.executable}\n{FAKE_SUITE}")
        cls.exe.chmod(0o755)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def run_fake(self, test, timeout=30):
        return runner.run_test(self.exe, f"Fake.{test}", timeout, self.tmp / test)

    def test_lists_tests_with_parametrised_names(self):
        names = runner.list_tests(self.exe)
        self.assertEqual(names[:2], ["Fake.Passes", "Fake.Fails"])
        self.assertEqual(names[-1], "Param/Fake.Case/0")

    def test_pass(self):
        outcome = self.run_fake("Passes")
        self.assertTrue(outcome.passed)
        self.assertEqual(outcome.summary, "passed")

    def test_failure_gives_file_line_and_message(self):
        outcome = self.run_fake("Fails")
        self.assertFalse(outcome.passed)
        self.assertEqual(outcome.summary, "x_test.cpp:12: Expected equality of these values: 1 2")

    def test_exception_gives_its_message(self):
        outcome = self.run_fake("Throws")
        self.assertFalse(outcome.passed)
        self.assertEqual(outcome.summary, "exception: TOY task 1: answer is not implemented yet")

    def test_crash_fails_only_this_test(self):
        outcome = self.run_fake("Segfaults")
        self.assertFalse(outcome.passed)
        self.assertIn("crashed (SIGSEGV)", outcome.summary)
        self.assertTrue(self.run_fake("Passes").passed)

    def test_endless_loop_is_stopped_with_the_processes_it_started(self):
        start = time.monotonic()
        outcome = self.run_fake("Loops", timeout=1.5)
        self.assertLess(time.monotonic() - start, 20)
        self.assertFalse(outcome.passed)
        self.assertIn("time limit of 1.5 s exceeded", outcome.summary)
        pid_file = self.tmp / "Loops" / "child.pid"
        for _ in range(100):  # the child was started before the loop
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.05)
        child = int(pid_file.read_text())
        for _ in range(100):
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            self.fail(f"the loop's child process {child} survived the time limit")

    def test_skipped_earns_nothing(self):
        outcome = self.run_fake("Skipped")
        self.assertFalse(outcome.passed)
        self.assertIn("skipped", outcome.summary)

    def test_flood_of_output_is_cut(self):
        outcome = self.run_fake("Floods")
        self.assertTrue(outcome.passed)
        self.assertLess(len(outcome.output), runner.OUTPUT_HEAD + runner.OUTPUT_TAIL + 200)
        self.assertIn("the end", outcome.output)
        self.assertIn("characters cut", outcome.output)

    def test_bad_exit_after_a_passing_test_fails(self):
        outcome = self.run_fake("ExitsAfterPassing")
        self.assertFalse(outcome.passed)
        self.assertIn("exited with code 3 after the test", outcome.summary)

    def test_listing_a_crashing_executable_raises(self):
        bad = self.tmp / "bad_suite"
        bad.write_text(f"#!{sys.executable}\nimport os, signal\nos.kill(os.getpid(), signal.SIGABRT)\n")
        bad.chmod(0o755)
        with self.assertRaises(runner.ListingError) as ctx:
            runner.list_tests(bad)
        self.assertIn("crashed (SIGABRT)", str(ctx.exception))


class FirstFailureTest(unittest.TestCase):
    """GoogleTest failure texts as its JSON report holds them: the hint comes first, the
    assertion is shortened, and a hidden test shows its hint only."""

    LT = ("/src/exercises/hw1/tests/task1_covariance_test.cpp:39\n"
          "Expected: (max_abs_diff(C, data.covariance())) < (1e-4), actual: 0.0656 vs 0.0001\n"
          "expected C = Xc\u1d40 Xc / (n - 1)")
    EQ = ("/src/t.cpp:7\nExpected equality of these values:\n  r.iterations.size()\n"
          "    Which is: 1\n  3\none iteration count per eigenvector")
    NEAR = ("/src/t.cpp:9\nThe difference between a and b is 0.5, which exceeds 0.1, where\n"
            "a evaluates to 1,\nb evaluates to 1.5, and\n0.1 evaluates to 0.1.\n"
            "lambda_1 is the largest eigenvalue")

    def test_hint_first_then_the_short_assertion(self):
        summary = runner.first_failure(self.LT)
        self.assertTrue(summary.startswith("expected C = Xc"), summary)
        self.assertIn("[task1_covariance_test.cpp:39: Expected: (max_abs_diff", summary)
        self.assertNotIn("/src/", summary)

    def test_multi_line_assertions_are_not_taken_for_the_hint(self):
        where, assertion, hint = runner.split_failure(self.EQ)
        self.assertEqual(hint, "one iteration count per eigenvector")
        self.assertIn("Which is: 1", assertion)
        where, assertion, hint = runner.split_failure(self.NEAR)
        self.assertEqual(hint, "lambda_1 is the largest eigenvalue")
        self.assertTrue(assertion.endswith("0.1 evaluates to 0.1."), assertion)

    def test_no_hint_keeps_the_assertion(self):
        summary = runner.first_failure("/src/t.cpp:3\nValue of: ok\n  Actual: false\nExpected: true")
        self.assertEqual(summary, "t.cpp:3: Value of: ok Actual: false Expected: true")

    def test_long_assertions_are_shortened_not_the_hint(self):
        text = "/src/t.cpp:3\nExpected: (" + "x" * 300 + ") < (1), actual: 2 vs 1\n" + "h" * 300
        summary = runner.first_failure(text)
        self.assertTrue(summary.startswith("h" * 300))
        self.assertLess(len(summary), 300 + runner.SHORT_ASSERTION + 40)

    def test_hidden_tests_show_the_hint_only(self):
        self.assertEqual(runner.first_failure(self.LT, hide_source=True),
                         "expected C = Xc\u1d40 Xc / (n - 1)")
        hidden = runner.first_failure("/src/hidden.cpp:3\nExpected: (a) < (b), actual: 1 vs 0",
                                      hide_source=True)
        self.assertNotIn("hidden.cpp", hidden)
        self.assertNotIn("(a) < (b)", hidden)


if __name__ == "__main__":
    unittest.main()
