"""Solution regions: parsing, the stubs that replace them, and what counts as a leak."""

import unittest

import support  # noqa: F401  (import path)
from grading import markers


class StripSolutions(unittest.TestCase):
    def test_task_region_becomes_a_stub_naming_the_task(self):
        out = markers.strip_solutions(support.STUDENT_SOURCE, "TOY")
        self.assertIn('  throw ae::Error("TOY task 1: answer is not implemented yet");', out)
        self.assertIn('  throw ae::Error("TOY task 2: twice is not implemented yet");', out)
        self.assertNotIn("secret_helper", out)
        self.assertNotIn("doubled", out)
        self.assertNotIn("SOLUTION", out)

    def test_code_outside_regions_is_kept_in_order(self):
        out = markers.strip_solutions(support.STUDENT_SOURCE, "TOY").splitlines()
        self.assertEqual(out[0], '#include "exercises/toy/toy.hpp"')
        i = out.index("int answer(int x) {")
        self.assertEqual(out[i + 1], "  check(x);")
        self.assertEqual(out[i + 2], "  // Task 1: write answer here (see README.md).")
        self.assertEqual(out[i + 4], "}")

    def test_a_dropped_helper_block_leaves_one_blank_line(self):
        text = "namespace {\n\n// BEGIN SOLUTION\nint helper();\n// END SOLUTION\n\n}  // namespace\n"
        self.assertEqual(markers.strip_solutions(text, "X"), "namespace {\n\n}  // namespace\n")

    def test_a_file_without_regions_is_unchanged(self):
        text = "int f() { return 1; }\n"
        self.assertEqual(markers.strip_solutions(text, "X"), text)

    def test_regions_report_their_lines_and_tasks(self):
        regions = markers.parse_regions(support.STUDENT_SOURCE)
        self.assertEqual([(r.task, r.name) for r in regions], [(None, None), (1, "answer"), (2, "twice")])
        self.assertEqual((regions[1].begin_line, regions[1].end_line), (11, 13))


class MalformedRegions(unittest.TestCase):
    def check_error(self, text, fragment):
        with self.assertRaises(markers.MarkerError) as ctx:
            markers.parse_regions(text, "f.cpp")
        self.assertIn(fragment, str(ctx.exception))
        self.assertIn("f.cpp:", str(ctx.exception))

    def test_unclosed(self):
        self.check_error("int f() {\n  // BEGIN SOLUTION task 1 f\n  return 1;\n}\n", "never closed")

    def test_end_without_begin(self):
        self.check_error("// END SOLUTION\n", "without a BEGIN")

    def test_nested(self):
        self.check_error("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n// END SOLUTION\n", "do not nest")

    def test_typo_in_marker(self):
        self.check_error("// BEGIN SOLUTION task one f\n// END SOLUTION\n}\n", "expected")

    def test_marker_not_alone_on_its_line(self):
        self.check_error("int x = 1;  // END SOLUTION\n", "malformed")

    def test_task_region_must_end_its_function(self):
        text = "int f() {\n  // BEGIN SOLUTION task 1 f\n  int y = 2;\n  // END SOLUTION\n  return y;\n}\n"
        self.check_error(text, "must end its function")


class SecretLines(unittest.TestCase):
    def test_lines_only_inside_regions_are_secret(self):
        secrets = markers.secret_lines(support.STUDENT_SOURCE)
        self.assertIn("return secret_helper(x);", secrets)
        self.assertIn("int doubled = x + x; // the sum, not a product", secrets)

    def test_lines_also_outside_regions_are_not_secret(self):
        text = "int f() {\n  return 0;\n}\nint g() {\n  // BEGIN SOLUTION task 1 g\n  return 0;\n  // END SOLUTION\n}\n"
        self.assertEqual(markers.secret_lines(text), set())


if __name__ == "__main__":
    unittest.main()
