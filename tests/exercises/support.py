"""Shared set-up of the tooling tests: the import path of the grading package, and a
small exercise set written into a temporary folder."""

import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "exercises" / "common"))

STUDENT_SOURCE = """\
#include "exercises/toy/toy.hpp"

namespace {
// BEGIN SOLUTION
int secret_helper(int x) { return x * 40 + 2; }
// END SOLUTION
}  // namespace

int answer(int x) {
  check(x);
  // BEGIN SOLUTION task 1 answer
  return secret_helper(x);
  // END SOLUTION
}

int twice(int x) {
  // BEGIN SOLUTION task 2 twice
  int doubled = x + x;  // the sum, not a product
  return doubled;
  // END SOLUTION
}
"""


def write_toy_set(root: pathlib.Path, student_source: str = STUDENT_SOURCE) -> pathlib.Path:
    """exercises/toy with a student file of two tasks, a visible and a hidden suite."""
    set_dir = root / "exercises" / "toy"
    (set_dir / "tests").mkdir(parents=True)
    (set_dir / "hidden_tests").mkdir()
    (set_dir / "README.md").write_text("# Toy\n")
    (set_dir / "toy.hpp").write_text("int answer(int x);\nint twice(int x);\n")
    (set_dir / "toy.cpp").write_text(student_source)
    (set_dir / "tests" / "toy_test.cpp").write_text("TEST(Toy, Answer) { EXPECT_EQ(answer(1), 42); }\n")
    (set_dir / "hidden_tests" / "toy_hidden_test.cpp").write_text(
        "TEST(ToyHidden, TwiceOfSeventeenIsThirtyFour) { EXPECT_EQ(twice(17), 34); }\n")
    manifest = {
        "label": "TOY", "title": "A toy set", "points": 10, "student_files": ["toy.cpp"],
        "tasks": [
            {"task": 1, "title": "the answer", "tests": [{"name": "Toy.Answer", "points": 6}]},
            {"task": 2, "title": "twice", "tests": [{"name": "ToyHidden.TwiceOfSeventeenIsThirtyFour",
                                                    "points": 4, "timeout_seconds": 5}]},
        ],
    }
    (set_dir / "manifest.json").write_text(json.dumps(manifest))
    return set_dir
