#!/usr/bin/env bash
# Downloads the CIFAR-10 binary version (cifar-10-binary.tar.gz, ~162 MB) and unpacks it.
#
# Usage: scripts/download-cifar10.sh DIR
#   Afterwards DIR/cifar-10-batches-bin/ holds data_batch_1.bin … data_batch_5.bin and
#   test_batch.bin; point the config at it: { "name": "cifar10", "dir": "DIR/cifar-10-batches-bin" }.
# Re-running is safe: an existing download is reused, and complete files are left alone.
set -euo pipefail

URL="https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
# Published on the CIFAR page: https://www.cs.toronto.edu/~kriz/cifar.html
MD5="c32a1d4ab5d03f1284b67883e8d87530"
RECORD_BYTES=3073        # 1 label byte + 3 × 32 × 32 pixel bytes
FILE_BYTES=$((10000 * RECORD_BYTES))

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: $0 DIR   (downloads CIFAR-10, binary version, into DIR/cifar-10-batches-bin)" >&2
  exit 2
fi
dir="$1"
out="$dir/cifar-10-batches-bin"
files=(data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin)

file_size() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }

complete() {
  for f in "${files[@]}"; do
    [[ -f "$out/$f" && "$(file_size "$out/$f")" -eq $FILE_BYTES ]] || return 1
  done
}

if complete; then
  echo "CIFAR-10 already present in $out" >&2
  exit 0
fi

mkdir -p "$dir"
tarball="$dir/cifar-10-binary.tar.gz"
if [[ ! -f "$tarball" ]]; then
  echo "downloading $URL" >&2
  # Download to a temporary name so an interrupted transfer is never mistaken for a full one.
  curl --fail --location --retry 3 --output "$tarball.part" "$URL"
  mv "$tarball.part" "$tarball"
fi

if command -v md5sum >/dev/null; then
  actual="$(md5sum "$tarball" | cut -d' ' -f1)"
elif command -v md5 >/dev/null; then
  actual="$(md5 -q "$tarball")"
else
  actual="$MD5"
  echo "warning: no md5sum or md5 found; checksum not verified" >&2
fi
if [[ "$actual" != "$MD5" ]]; then
  echo "error: $tarball has MD5 $actual, expected $MD5; delete it and run again" >&2
  exit 1
fi

echo "unpacking into $dir" >&2
tar -xzf "$tarball" -C "$dir"

if ! complete; then
  echo "error: $out does not hold the six expected files of $FILE_BYTES bytes each" >&2
  exit 1
fi
echo "CIFAR-10 ready in $out" >&2
echo "$out"
