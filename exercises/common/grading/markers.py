"""Solution regions in a reference source file, and the student version made from it.

A reference file marks what the student writes:

    Tensor pca_encode(const Tensor& X, const Tensor& mean, const Tensor& W) {
      // BEGIN SOLUTION task 3 pca_encode
      return tensor::matmul(X - mean, W);
      // END SOLUTION
    }

A region with a task ends its function: the line after END SOLUTION closes the function
body. The handout replaces the region with a stub that throws, so it still compiles and
every test that reaches it fails with a message naming the task:

      throw ae::Error("HW1 task 3: pca_encode is not implemented yet");

A bare region (``// BEGIN SOLUTION`` without a task) holds helpers that only solution code
uses; the handout drops it without a stub.
"""

from __future__ import annotations

import dataclasses
import re

BEGIN_RE = re.compile(r"^(?P<indent>\s*)//\s*BEGIN SOLUTION(?P<rest>.*)$")
END_RE = re.compile(r"^\s*//\s*END SOLUTION\s*$")
TASK_RE = re.compile(r"^\s+task\s+(?P<task>\d+)\s+(?P<name>[A-Za-z_][A-Za-z0-9_:<>~]*)\s*$")
# Any mention of the markers, also malformed ones, so a typo cannot ship a solution.
ANY_MARKER_RE = re.compile(r"(BEGIN|END)\s+SOLUTION")


class MarkerError(ValueError):
    """A malformed solution region; the message names the file and line."""


@dataclasses.dataclass
class Region:
    begin_line: int  # 1-based line of BEGIN SOLUTION
    end_line: int  # 1-based line of END SOLUTION
    indent: str
    task: int | None  # None for a bare (helper) region
    name: str | None  # the function the stub names
    body: list[str]  # the lines strictly between the markers


def parse_regions(text: str, path: str = "<text>") -> list[Region]:
    """Every solution region of a file, checked for nesting, pairing and placement."""
    lines = text.splitlines()
    regions: list[Region] = []
    open_region: Region | None = None
    for number, line in enumerate(lines, start=1):
        begin = BEGIN_RE.match(line)
        if begin:
            if open_region is not None:
                raise MarkerError(f"{path}:{number}: BEGIN SOLUTION inside the region "
                                  f"opened at line {open_region.begin_line} (regions do not nest)")
            rest = begin.group("rest")
            task = name = None
            if rest.strip():
                m = TASK_RE.match(rest)
                if not m:
                    raise MarkerError(f"{path}:{number}: expected '// BEGIN SOLUTION' or "
                                      f"'// BEGIN SOLUTION task <N> <function>', got {line.strip()!r}")
                task, name = int(m.group("task")), m.group("name")
            open_region = Region(number, 0, begin.group("indent"), task, name, [])
            continue
        if END_RE.match(line):
            if open_region is None:
                raise MarkerError(f"{path}:{number}: END SOLUTION without a BEGIN SOLUTION")
            open_region.end_line = number
            regions.append(open_region)
            open_region = None
            continue
        if ANY_MARKER_RE.search(line):
            raise MarkerError(f"{path}:{number}: malformed solution marker {line.strip()!r} "
                              f"(write '// BEGIN SOLUTION ...' or '// END SOLUTION' on a line of its own)")
        if open_region is not None:
            open_region.body.append(line)
    if open_region is not None:
        raise MarkerError(f"{path}:{open_region.begin_line}: BEGIN SOLUTION is never closed")
    for region in regions:
        if region.task is not None:
            following = next((l for l in lines[region.end_line:] if l.strip()), "")
            if not following.strip().startswith("}"):
                raise MarkerError(
                    f"{path}:{region.end_line}: the region of task {region.task} must end its "
                    f"function (the next line must close the body), so the stub that replaces "
                    f"it is the function's last statement; found {following.strip()!r}")
    return regions


def stub_lines(region: Region, label: str) -> list[str]:
    """What the handout puts where a task's region was."""
    message = f"{label} task {region.task}: {region.name} is not implemented yet"
    return [
        f"{region.indent}// Task {region.task}: write {region.name} here (see README.md).",
        f'{region.indent}throw ae::Error("{message}");',
    ]


def strip_solutions(text: str, label: str, path: str = "<text>") -> str:
    """The student version of a reference file: regions replaced by stubs."""
    regions = parse_regions(text, path)
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    for region in regions:
        out.extend(lines[index:region.begin_line - 1])
        index = region.end_line
        if region.task is not None:
            out.extend(stub_lines(region, label))
        elif out and not out[-1].strip() and index < len(lines) and not lines[index].strip():
            index += 1  # a dropped helper block leaves one blank line, not two
    out.extend(lines[index:])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def normalise(line: str) -> str:
    return " ".join(line.split())


def secret_lines(text: str, path: str = "<text>") -> set[str]:
    """Lines of solution regions that appear nowhere else in the reference file.

    Lines also written outside the regions ("}", "return out;") are public already, so
    finding them in a handout proves nothing; every other line must stay out of it.
    """
    regions = parse_regions(text, path)
    inside: set[str] = set()
    for region in regions:
        inside.update(normalise(l) for l in region.body)
    region_line_numbers = set()
    for region in regions:
        region_line_numbers.update(range(region.begin_line, region.end_line + 1))
    outside = {normalise(l) for n, l in enumerate(text.splitlines(), start=1)
               if n not in region_line_numbers}
    return {l for l in inside - outside if re.search(r"[A-Za-z0-9]", l)}
