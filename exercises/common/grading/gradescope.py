"""The Gradescope autograder of a set: a zip with

    setup.sh         run once, as root, when Gradescope builds the image: installs the Debian
                     packages the build needs and builds the set's graded targets with the
                     reference, so that a submission recompiles its own files only
    run_autograder   grades /autograder/submission into /autograder/results/results.json
    aelab/           the instructor's repository (reference, hidden suites) and, when one
                     was found, the MNIST files in aelab/data/mnist

Gradescope unpacks the zip into /autograder/source. Both scripts take the root from
AELAB_AUTOGRADER_ROOT (default /autograder), so the package can be tried in any folder.
"""

from __future__ import annotations

import os
import pathlib
import stat
import zipfile

from . import release
from .sets import ExerciseSet

# What building and grading needs (scripts/setup.sh also lists the docs' and benchmarks').
# The whole tree is configured, so the chapters' CLI11 and nlohmann-json are needed too.
PACKAGES = ["g++", "cmake", "make", "pkg-config", "python3", "libgtest-dev", "libgmock-dev", "libfmt-dev",
            "libcli11-dev", "nlohmann-json3-dev", "libstb-dev", "zlib1g-dev", "fonts-dejavu-core"]
MNIST_FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, in the autograder image: the packages, then the
# reference build of {set}, so that grading a submission recompiles only its files.
set -euo pipefail
root=${{AELAB_AUTOGRADER_ROOT:-/autograder}}
src=$root/source/aelab
packages=({packages})
missing=()
for p in "${{packages[@]}}"; do
  if ! dpkg-query -W -f='${{Status}}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${{#missing[@]}} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${{missing[@]}}"
fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DAELAB_TESTS=ON -DAELAB_BENCH=OFF \\
  -DAELAB_DOCS=OFF "${{launcher[@]}}" >/dev/null
cmake --build "$src/build" -j"$(nproc)" --target {set}_graded
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grades the student files found in
# $root/submission (at its top, or once anywhere below) into $root/results/results.json.
set -uo pipefail
root=${{AELAB_AUTOGRADER_ROOT:-/autograder}}
src=$root/source/aelab
mkdir -p "$root/results"
if [ -d "$src/data/mnist" ]; then export AELAB_DATA=$src/data; fi
export OMP_WAIT_POLICY=passive
cd "$src"
exec python3 scripts/grade.py {set} --student "$root/submission" --json "$root/results/results.json" \\
  --build-dir "$src/build" --jobs "${{AELAB_AUTOGRADER_JOBS:-$(nproc)}}"
"""


def find_mnist(repo: pathlib.Path) -> pathlib.Path | None:
    """The MNIST folder the tests would use: $AELAB_DATA(/mnist), ./data/mnist, ../shared/data/mnist."""
    candidates = []
    if os.environ.get("AELAB_DATA"):
        env = pathlib.Path(os.environ["AELAB_DATA"])
        candidates += [env, env / "mnist"]
    candidates += [repo / "data" / "mnist", repo.parent / "shared" / "data" / "mnist"]
    return next((c for c in candidates if all((c / f).is_file() for f in MNIST_FILES)), None)


def _add(zf: zipfile.ZipFile, name: str, data: bytes, executable: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
    zf.writestr(info, data)


def build_zip(repo: pathlib.Path, exset: ExerciseSet, out: pathlib.Path,
              data_dir: pathlib.Path | None) -> list[str]:
    """Writes the autograder zip of exset; returns its names."""
    names = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as zf:
        packages = list(PACKAGES) + ([] if data_dir else ["dataset-fashion-mnist"])
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN)):
            _add(zf, name, text.format(set=exset.name, packages=" ".join(packages)).encode(), True)
            names.append(name)
        for rel in release.repo_files(repo):
            if rel.startswith(".ci/"):
                continue
            path = repo / rel
            _add(zf, f"aelab/{rel}", path.read_bytes(), bool(path.stat().st_mode & 0o111))
            names.append(f"aelab/{rel}")
        if data_dir is not None:
            for f in MNIST_FILES:
                _add(zf, f"aelab/data/mnist/{f}", (data_dir / f).read_bytes(), False)
                names.append(f"aelab/data/mnist/{f}")
    return names


def unpack(zip_path: pathlib.Path, root: pathlib.Path) -> None:
    """Unpacks as Gradescope does, into root/source, keeping the executable bits."""
    source = root / "source"
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = source / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)
