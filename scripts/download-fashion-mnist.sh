#!/usr/bin/env bash
# Downloads Zalando's Fashion-MNIST, the four official .gz idx files (~30 MB), into DIR.
#
# Usage: scripts/download-fashion-mnist.sh DIR
#   Afterwards DIR holds train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
#   t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz; point the config at it:
#   { "name": "fashion-mnist", "dir": "DIR" }. evonorm reads the .gz files as they are.
# On Debian/Ubuntu, `sudo apt-get install dataset-fashion-mnist` is simpler: it puts the same
# data in /usr/share/datasets/fashion-mnist, the default folder (no "dir" needed).
# Re-running is safe: files whose MD5 already matches are left alone.
#
# NOT TESTED by the test suite or in the sessions that wrote it (no network there): the URLs and
# MD5 sums are those of the Fashion-MNIST README (https://github.com/zalandoresearch/fashion-mnist,
# "Get the Data"); report a failure if they have moved.
set -euo pipefail

BASE="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com"
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
# The official MD5 of each file (a function, not an associative array: macOS ships bash 3.2).
expected_md5() {
  case "$1" in
    train-images-idx3-ubyte.gz) echo 8d4fb7e6c68d591d4c3dfef9ec88bf0d ;;
    train-labels-idx1-ubyte.gz) echo 25c81989df183df01b3e8a0aad5dffbe ;;
    t10k-images-idx3-ubyte.gz) echo bef4ecab320f06d8554ea6380940ec79 ;;
    t10k-labels-idx1-ubyte.gz) echo bb300cfdad3c16e7a12a480ee83cd310 ;;
  esac
}

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: $0 DIR   (downloads the four Fashion-MNIST .gz files into DIR)" >&2
  exit 2
fi
dir="$1"

md5_of() {
  if command -v md5sum >/dev/null; then md5sum "$1" | cut -d' ' -f1
  elif command -v md5 >/dev/null; then md5 -q "$1"
  else echo "unchecked"
  fi
}

mkdir -p "$dir"
for f in "${FILES[@]}"; do
  if [[ -f "$dir/$f" && "$(md5_of "$dir/$f")" == "$(expected_md5 "$f")" ]]; then
    echo "$f already present" >&2
    continue
  fi
  echo "downloading $BASE/$f" >&2
  # Download to a temporary name so an interrupted transfer is never mistaken for a full one.
  curl --fail --location --retry 3 --output "$dir/$f.part" "$BASE/$f"
  actual="$(md5_of "$dir/$f.part")"
  if [[ "$actual" == unchecked ]]; then
    echo "warning: no md5sum or md5 found; $f not verified" >&2
  elif [[ "$actual" != "$(expected_md5 "$f")" ]]; then
    echo "error: $f has MD5 $actual, expected $(expected_md5 "$f"); left as $dir/$f.part" >&2
    exit 1
  fi
  mv "$dir/$f.part" "$dir/$f"
done
echo "Fashion-MNIST ready in $dir" >&2
echo "$dir"
