#!/usr/bin/env python3
"""Writes the student release of aelab, or checks one.

  python3 scripts/release.py DIR                 the release of every set, into DIR
  python3 scripts/release.py DIR --sets hw1,hw2  of these sets only (the others left out whole)
  python3 scripts/release.py DIR --check         check a release: no solution text of any set,
                                                 no line of any hidden suite (by content)

The release is one tree a course hands out: the framework, chapters and docs, and for each
released set the handout (given files, stubs, visible tests) in exercises/<set>/ with a
manifest of the visible tests. `python3 scripts/grade.py <set>` inside it builds and grades
the student's own files there with the visible tests (exercises/common/grading/release.py).
bash scripts/check_release.sh also builds it and grades its stubs (CI).
"""

import argparse
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "exercises" / "common"))

from grading import markers, release, sets  # noqa: E402


def main() -> int:
    known = sets.discover_sets(REPO)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=pathlib.Path, help="the folder the release is written to (or checked)")
    parser.add_argument("--sets", metavar="hw1,hw2",
                        help="the sets to release (default: every set: " + ", ".join(known) + ")")
    parser.add_argument("--force", action="store_true", help="replace what DIR holds")
    parser.add_argument("--check", action="store_true",
                        help="check the release in DIR instead of writing one; exit 1 on a leak")
    args = parser.parse_args()
    try:
        if args.check:
            problems = release.check_release(REPO, args.dir)
            for p in problems:
                print(f"release: {p}", file=sys.stderr)
            if problems:
                return 1
            print(f"release: {args.dir} holds no solution text and no hidden test of {', '.join(known)}")
            return 0
        chosen = args.sets.split(",") if args.sets else known
        for name in chosen:
            sets.find_set(REPO, name)
        revision = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
        files = release.write_release(REPO, args.dir, chosen, force=args.force, revision=revision)
    except (sets.ManifestError, markers.MarkerError, FileExistsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"release: wrote {len(files)} files with {', '.join(chosen)} to {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
