#!/usr/bin/env python3
"""Builds the Gradescope autograder zip of an exercise set.

  python3 scripts/gradescope.py hw1                       writes out/hw1/autograder.zip
  python3 scripts/gradescope.py hw1 --out hw1.zip --data ~/mnist

The zip holds setup.sh (the Debian packages, then the reference build of the set),
run_autograder (grades /autograder/submission into /autograder/results/results.json) and
the repository with its hidden suites; the MNIST files too when found (else setup.sh
installs Fashion-MNIST). Upload it as the assignment's autograder. To try it without
Gradescope, unpack it into ROOT/source and run
    AELAB_AUTOGRADER_ROOT=ROOT bash ROOT/source/setup.sh
    AELAB_AUTOGRADER_ROOT=ROOT bash ROOT/source/run_autograder    (grades ROOT/submission)
(exercises/common/grading/gradescope.py).
"""

import argparse
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "exercises" / "common"))

from grading import gradescope, sets  # noqa: E402

MNIST = ", ".join(gradescope.MNIST_FILES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="the exercise set, e.g. hw1 (" + ", ".join(sets.discover_sets(REPO)) + ")")
    parser.add_argument("--out", type=pathlib.Path, metavar="ZIP",
                        help="where the zip goes (default: out/SET/autograder.zip)")
    parser.add_argument("--data", type=pathlib.Path, metavar="DIR",
                        help=f"the MNIST folder to pack ({MNIST}; default: the one the tests find "
                             "through $AELAB_DATA, ./data/mnist or ../shared/data/mnist)")
    parser.add_argument("--no-data", action="store_true",
                        help="pack no data: the autograder then uses Fashion-MNIST (setup.sh installs it)")
    args = parser.parse_args()
    try:
        exset = sets.find_set(REPO, args.set)
    except sets.ManifestError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    data = None
    if not args.no_data:
        data = args.data or gradescope.find_mnist(REPO)
        if args.data and not all((args.data / f).is_file() for f in gradescope.MNIST_FILES):
            print(f"error: --data {args.data}: expected the MNIST files {MNIST} there", file=sys.stderr)
            return 2
        if data is None:
            print("gradescope: no MNIST found: the autograder will use Fashion-MNIST", file=sys.stderr)
    out = args.out or REPO / "out" / exset.name / "autograder.zip"
    names = gradescope.build_zip(REPO, exset, out, data)
    print(f"gradescope: wrote {out} ({len(names)} files{', MNIST from ' + str(data) if data else ''}, "
          f"{out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
