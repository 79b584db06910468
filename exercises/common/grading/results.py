"""results.json in the Gradescope autograder format, and its validation.

The format (Gradescope's autograder specification): a top-level score, and tests[], each
with name, score, max_score, status ("passed" / "failed"), output and visibility
("visible"; hidden suites use "after_published": the student sees them once the grades
are published). exercises/common/results.schema.json states it as a JSON Schema; this
module checks a document against that schema (the keywords the schema uses) and against
what a schema cannot say: the score is the sum of the tests' scores, a passed test has
full marks, a failed one none.
"""

from __future__ import annotations

import json
import pathlib

from .runner import Outcome
from .sets import HIDDEN_VISIBILITY, ExerciseSet

SCHEMA_PATH = pathlib.Path(__file__).resolve().parent.parent / "results.schema.json"


def build_results(exset: ExerciseSet, outcomes: dict[str, Outcome], hidden: set[str],
                  seconds: float, output: str) -> dict:
    tests = []
    for task in exset.tasks:
        for index, test in enumerate(task.tests, start=1):
            outcome = outcomes[test.name]
            text = outcome.summary if outcome.passed else f"{outcome.summary}\n\n{outcome.output}".rstrip()
            tests.append({
                "name": f"Task {task.number} ({task.title}): {test.name}",
                "number": f"{task.number}.{index}",
                "score": test.points if outcome.passed else 0.0,
                "max_score": test.points,
                "status": "passed" if outcome.passed else "failed",
                "output": text,
                "tags": [f"task {task.number}"],
                "visibility": HIDDEN_VISIBILITY if test.name in hidden else "visible",
            })
    return {
        "score": sum(t["score"] for t in tests),
        "execution_time": round(seconds, 1),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def write_results(path: pathlib.Path, results: dict) -> None:
    problems = validate(results)
    if problems:  # a bug of the grader, never of the student
        raise ValueError("results.json would not be valid:\n  " + "\n  ".join(problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n")
    tmp.replace(path)


_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool,
    "number": (int, float), "integer": int,
}


def check_schema(value, schema: dict, where: str = "$") -> list[str]:
    """Problems of `value` against `schema` (type, enum, required, properties,
    additionalProperties, items, minimum, minLength, minItems: the keywords our schema uses)."""
    problems: list[str] = []
    expected = schema.get("type")
    if expected is not None:
        ok = isinstance(value, _TYPES[expected]) and not (
            expected in ("number", "integer") and isinstance(value, bool))
        if not ok:
            return [f"{where}: expected {expected}, got {type(value).__name__} {value!r:.60}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        problems.append(f"{where}: {value} is below the minimum {schema['minimum']}")
    if "minLength" in schema and isinstance(value, str) and len(value) < schema["minLength"]:
        problems.append(f"{where}: shorter than {schema['minLength']} characters")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing required key '{key}'")
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                problems.extend(check_schema(item, properties[key], f"{where}.{key}"))
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: unexpected key '{key}'")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(f"{where}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                problems.extend(check_schema(item, schema["items"], f"{where}[{i}]"))
    return problems


def validate(results: dict, schema: dict | None = None) -> list[str]:
    """Every problem of a results.json document; empty when it is valid."""
    if schema is None:
        schema = json.loads(SCHEMA_PATH.read_text())
    problems = check_schema(results, schema)
    if problems:
        return problems
    total = 0.0
    for i, test in enumerate(results["tests"]):
        where = f"$.tests[{i}] ({test['name']})"
        if test["score"] > test["max_score"] + 1e-9:
            problems.append(f"{where}: score {test['score']} above max_score {test['max_score']}")
        if test["status"] == "passed" and abs(test["score"] - test["max_score"]) > 1e-9:
            problems.append(f"{where}: passed but scored {test['score']} of {test['max_score']}")
        if test["status"] == "failed" and test["score"] != 0:
            problems.append(f"{where}: failed but scored {test['score']}")
        total += test["score"]
    if abs(total - results["score"]) > 1e-6:
        problems.append(f"$.score: {results['score']} is not the sum of the tests' scores ({total})")
    names = [t["name"] for t in results["tests"]]
    if len(set(names)) != len(names):
        problems.append("$.tests: test names repeat")
    return problems
