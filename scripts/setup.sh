#!/usr/bin/env bash
# Installs the Debian packages aelab needs that are missing; does nothing when all are present.
#   library and tests: g++, CMake, GoogleTest, fmt, stb, zlib, OpenMP (libgomp, with g++),
#                      DejaVu fonts (text in figures)
#   docs:              Doxygen, MathJax (local copy for the chapter pages)
#   data:              Fashion-MNIST, the embedded default data set
#   benchmark peers:   OpenBLAS, LAPACKE, NumPy, PyTorch (never linked into the library)
#   every program:     CLI11 (command lines), nlohmann-json (results.json, benchmark JSON), header-only
#   fuzzing:           clang, its libFuzzer and sanitizer runtimes, LLVM's OpenMP (scripts/fuzz.sh)
#   build cache:       ccache (the student release and the Gradescope check recompile the
#                      repository's files under other paths: with it those compiles are hits)
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libgtest-dev libgmock-dev libfmt-dev libstb-dev zlib1g-dev fonts-dejavu-core
  doxygen libjs-mathjax
  chromium
  dataset-fashion-mnist
  libopenblas-dev liblapacke-dev python3-numpy python3-torch
  libcli11-dev nlohmann-json3-dev
  clang libclang-rt-dev libomp-dev
  ccache
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
