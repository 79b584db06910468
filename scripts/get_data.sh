#!/usr/bin/env bash
# Downloads the data sets the code cannot ship (their licences forbid it) from their
# publishers into data/<name>/, and checks every file's sha256.
#   bash scripts/get_data.sh [mnist|ml-100k|all]        (default: all)
# Overrides (tests use them with file:// URLs):
#   AELAB_DATA_DIR        where data/<name>/ goes (default: the repository's data/)
#   AELAB_ML100K_URL      base URL of ml-100k.zip  (default: GroupLens)
#   AELAB_MNIST_URL       base URL of the four MNIST .gz files (default: Yann LeCun's site)
#   AELAB_DATA_SHA256     a file of "sha256  name" lines used instead of the built-in ones
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${AELAB_DATA_DIR:-$root/data}
ml_url=${AELAB_ML100K_URL:-https://files.grouplens.org/datasets/movielens}
mnist_url=${AELAB_MNIST_URL:-http://yann.lecun.com/exdb/mnist}
what=${1:-all}

# sha256 of the files as published (checked against the copies the project's tests use).
builtin_sums() {
  cat <<'SUMS'
06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490  u.data
553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701  u.item
ce253ec86c448b44fb3ba9a30d12dcfc2e9210cbde71efada3730c22e9ac212a  u1.base
18c6014a4b2c7324f250a63f8904a7b16b2b19f911129e346141507b0cbac950  u1.test
6c06f0b5df4b256da1a994f3ac66edc8da4d3f09bc9282df6b14d893366d703e  u2.base
4de658d1e04ed9104629509a2e2528fce833ac8e048280183f1df167632038c3  u2.test
afdc155c291c6edc41c0407e39d7462eb98d341e064f0b0a12175b80b3c4af5d  u3.base
0f548b51c78327de4c156461d3e430b7e5579fe2b5681586a59416e48fd35f6d  u3.test
219f0f4d40dfe9c5141d425f53fa91ee23ed275f14e280bbf1b50117afb064ca  u4.base
7c02ad0a1e7ab1083c8b9d4b627203a051dd7b5eab46d99fa44de33470de8db9  u4.test
a9574e59ce961eec2121627760b6e9b0974ce1637b3fe69ac32cb14a4bfab485  u5.base
351cc52e0d15b6c721466276fc24671d40936899e3d01fadeaf312915b8c5634  u5.test
8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6  t10k-images-idx3-ubyte.gz
f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6  t10k-labels-idx1-ubyte.gz
440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609  train-images-idx3-ubyte.gz
3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c  train-labels-idx1-ubyte.gz
SUMS
}
sums() { if [ -n "${AELAB_DATA_SHA256:-}" ]; then cat "$AELAB_DATA_SHA256"; else builtin_sums; fi; }

by_hand() {  # $1 data set, $2 where it comes from
  echo "error: could not download $1 from $2" >&2
  echo "  without network: download it elsewhere and put its files in $dest/$1/" >&2
  echo "  (or point --data / \$AELAB_DATA at a folder holding them)" >&2
  exit 1
}

# Checks every file of $2 (a folder) that the sum list names; $3.. are the files that must be there.
verify() {
  local name=$1 dir=$2; shift 2
  local file expected actual
  for file in "$@"; do
    [ -f "$dir/$file" ] || { echo "error: $name: $file is missing from the download" >&2; exit 1; }
    expected=$(sums | awk -v f="$file" '$2 == f { print $1 }')
    [ -n "$expected" ] || { echo "error: $name: no sha256 known for $file" >&2; exit 1; }
    actual=$(sha256sum "$dir/$file" | cut -d' ' -f1)
    if [ "$actual" != "$expected" ]; then
      echo "error: $name: $file has sha256 $actual, expected $expected (a damaged or different file)" >&2
      exit 1
    fi
  done
}

fetch() { curl -fsSL --retry 2 -o "$2" "$1"; }

get_ml100k() {
  local tmp; tmp=$(mktemp -d)
  fetch "$ml_url/ml-100k.zip" "$tmp/ml-100k.zip" || { rm -rf "$tmp"; by_hand ml-100k "$ml_url/ml-100k.zip"; }
  unzip -q "$tmp/ml-100k.zip" -d "$tmp"
  local files=(u.data u.item)
  for k in 1 2 3 4 5; do [ -f "$tmp/ml-100k/u$k.base" ] && files+=("u$k.base" "u$k.test"); done
  verify ml-100k "$tmp/ml-100k" "${files[@]}"
  mkdir -p "$dest/ml-100k"
  cp "$tmp"/ml-100k/* "$dest/ml-100k/"
  rm -rf "$tmp"
  echo "ml-100k: $dest/ml-100k (sha256 verified)"
}

get_mnist() {
  local tmp; tmp=$(mktemp -d)
  local files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
  for f in "${files[@]}"; do
    fetch "$mnist_url/$f" "$tmp/$f" || { rm -rf "$tmp"; by_hand mnist "$mnist_url/$f"; }
  done
  verify mnist "$tmp" "${files[@]}"
  mkdir -p "$dest/mnist"
  cp "$tmp"/*.gz "$dest/mnist/"
  rm -rf "$tmp"
  echo "mnist: $dest/mnist (sha256 verified)"
}

case "$what" in
  ml-100k) get_ml100k ;;
  mnist) get_mnist ;;
  all) get_ml100k; get_mnist ;;
  *) echo "error: unknown data set '$what' (expected mnist, ml-100k or all)" >&2; exit 2 ;;
esac
