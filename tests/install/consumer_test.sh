#!/usr/bin/env bash
# Installs aelab from an existing build tree into a temporary prefix, builds the consumer
# project beside this script against it with find_package(aelab), runs it, and checks that
# its one training step lowered the loss.
#   bash tests/install/consumer_test.sh <aelab build dir> [C++ compiler]
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
  echo "error: usage: consumer_test.sh <configured aelab build dir> [C++ compiler]; got '${1:-}'" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
compiler=${2:-c++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
for f in include/nn/autoencoder.hpp include/autograd/variable.hpp include/tensor/tensor.hpp \
         include/linalg/gemm.hpp; do
  [ -f "$tmp/prefix/$f" ] || { echo "error: the install lacks $f" >&2; exit 1; }
done
# lib/, lib64/ or a multiarch folder, as GNUInstallDirs decides.
for f in aelabConfig.cmake aelabConfigVersion.cmake; do
  [ -n "$(find "$tmp/prefix" -path "*/cmake/aelab/$f")" ] || { echo "error: the install lacks $f" >&2; exit 1; }
done

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$here" -B "$tmp/consumer" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" \
      -DCMAKE_PREFIX_PATH="$tmp/prefix" "${launcher[@]}" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
out=$("$tmp/consumer/consumer")
echo "$out"

before=$(sed -n 's/^loss before: //p' <<<"$out")
after=$(sed -n 's/^loss after: //p' <<<"$out")
if [ -z "$before" ] || [ -z "$after" ]; then
  echo "error: the consumer did not print both losses" >&2
  exit 1
fi
if ! awk -v b="$before" -v a="$after" 'BEGIN { exit !(a < b) }'; then
  echo "error: one training step did not lower the loss ($before -> $after)" >&2
  exit 1
fi
echo "ok: find_package(aelab) from an install; one step lowered the loss $before -> $after"
