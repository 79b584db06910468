#!/usr/bin/env python3
"""Writes the student handout of an exercise set, or checks one.

  python3 scripts/handout.py hw1 DIR           write the handout of hw1 into DIR
  python3 scripts/handout.py hw1 DIR --force   replace what DIR holds
  python3 scripts/handout.py hw1 DIR --check   check a handout: no solution text, no hidden
                                               suite, no manifest, a stub for every task

The handout is the set's folder with each solution region of the student files replaced
by a stub that throws "<LABEL> task N: <function> is not implemented yet", without the
hidden suites and the grading manifest. A student builds it against aelab with
    cmake -S <aelab> -B build -DAELAB_STUDENT_DIR_<set>=DIR
(see the set's README.md).
"""

import argparse
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "exercises" / "common"))

from grading import handout, markers, sets  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="exercise set, e.g. hw1 (" + ", ".join(sets.discover_sets(REPO)) + ")")
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    try:
        exset = sets.find_set(REPO, args.set)
        if args.check:
            problems = handout.check_handout(exset, args.dir)
            for p in problems:
                print(f"handout: {p}", file=sys.stderr)
            if problems:
                return 1
            print(f"handout: {args.dir} is an honest handout of {exset.name}")
            return 0
        files = handout.write_handout(exset, args.dir, force=args.force)
    except (sets.ManifestError, markers.MarkerError, FileExistsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"handout: wrote {len(files)} files of {exset.name} to {args.dir}")
    for f in files:
        print(f"  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
