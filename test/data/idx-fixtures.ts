/** Small idx files for tests: image i has pixel 0 = i mod 256 and pixel 1 = ⌊i / 256⌋ (its identity), label i mod 10. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../src/data/idx.js';

/** The bytes of an idx3-ubyte file of `count` side×side images as described above. */
export function idxImageBytes(count: number, side = 28, magic = IDX_IMAGES_MAGIC): Uint8Array {
  const bytes = new Uint8Array(16 + count * side * side);
  const view = new DataView(bytes.buffer);
  [magic, count, side, side].forEach((v, i) => view.setUint32(4 * i, v, false));
  for (let i = 0; i < count; i++) {
    bytes[16 + i * side * side] = i % 256;
    bytes[16 + i * side * side + 1] = Math.floor(i / 256);
  }
  return bytes;
}

/** The bytes of an idx1-ubyte file holding `labels`. */
export function idxLabelBytes(labels: readonly number[], magic = IDX_LABELS_MAGIC): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  view.setUint32(4, labels.length, false);
  bytes.set(labels, 8);
  return bytes;
}

/** Labels 0, 1, …, 9, 0, 1, … */
export function cyclicLabels(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i % 10);
}

/** Writes a folder with the four standard files (train: `train` images, test: `test`), gzipped when `gz`. */
export function writeIdxDir(dir: string, train: number, test: number, gz = false): string {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, bytes: Uint8Array): void => writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  put('train-images-idx3-ubyte', idxImageBytes(train));
  put('train-labels-idx1-ubyte', idxLabelBytes(cyclicLabels(train)));
  put('t10k-images-idx3-ubyte', idxImageBytes(test));
  put('t10k-labels-idx1-ubyte', idxLabelBytes(cyclicLabels(test)));
  return dir;
}

/** Image identities of a split loaded from writeIdxDir files (pixels in [0, 1]). */
export function identities(split: { images: Float32Array; count: number }, side = 28): number[] {
  const size = side * side;
  return Array.from({ length: split.count }, (_, n) => Math.round(split.images[n * size] * 255) + 256 * Math.round(split.images[n * size + 1] * 255));
}
