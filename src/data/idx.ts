/**
 * Reader for the idx files of the MNIST family (MNIST, Fashion-MNIST, …): idx3-ubyte images and
 * idx1-ubyte labels, plain or gzip-compressed (detected by the gzip magic bytes 1f 8b, so a
 * `.gz` file and an unpacked one both work).
 *
 * Format (big-endian, http://yann.lecun.com/exdb/mnist/):
 *   images: 0x00000803, count, rows, cols, then count × rows × cols pixel bytes (0–255, row-major)
 *   labels: 0x00000801, count, then count label bytes
 *
 * Pixels stay bytes (60,000 × 784 is 47 MB; as float32 it would be 188 MB); `gatherIdx` converts
 * only the rows a config keeps. Parsed files are cached per process (by absolute path).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EvonormError } from '../util/errors.js';
import type { ImageSplit } from './types.js';

/** Magic number of an idx3-ubyte image file (unsigned bytes, 3 dimensions). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an idx1-ubyte label file (unsigned bytes, 1 dimension). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** The images of one idx3 file, pixels as read (bytes). */
export interface IdxImages {
  readonly path: string;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count × rows × cols bytes, row-major. */
  readonly pixels: Uint8Array;
}

/** Images with their labels, checked against each other. */
export interface IdxPair {
  readonly images: IdxImages;
  /** count labels, each in [0, numClasses). */
  readonly labels: Int32Array;
  readonly count: number;
}

const cache = new Map<string, IdxPair>();

/** The bytes of an idx file, gunzipped when they start with the gzip magic. */
function readBytes(path: string): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile()) throw new EvonormError('MISSING_FILE', `idx file ${path} not found`, { path });
  const raw = readFileSync(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return new Uint8Array(gunzipSync(raw));
    } catch (err) {
      throw new EvonormError('BAD_DATA', `idx file ${path} is not a valid gzip file (${(err as Error).message}): truncated download?`, { path, err });
    }
  }
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** The header's 32-bit big-endian words, after checking the file holds them and the magic. */
function header(path: string, bytes: Uint8Array, magic: number, words: number, kind: string): number[] {
  if (bytes.length < 4 * words) {
    throw new EvonormError('BAD_DATA', `idx file ${path} has ${bytes.length} bytes, fewer than its ${4 * words}-byte ${kind} header`, { path, size: bytes.length });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = Array.from({ length: words }, (_, i) => view.getUint32(4 * i, false));
  if (values[0] !== magic) {
    throw new EvonormError(
      'BAD_DATA',
      `idx file ${path} starts with magic 0x${values[0].toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')} (${kind}): wrong file?`,
      { path, magic: values[0] },
    );
  }
  return values.slice(1);
}

/** Throws BAD_DATA unless the file's length is its header plus exactly `body` bytes. */
function checkLength(path: string, bytes: Uint8Array, headerBytes: number, body: number, what: string): void {
  if (bytes.length !== headerBytes + body) {
    throw new EvonormError(
      'BAD_DATA',
      `idx file ${path} has ${bytes.length} bytes, but its header announces ${what} = ${headerBytes + body} bytes: ${bytes.length < headerBytes + body ? 'truncated' : 'trailing bytes'}`,
      { path, size: bytes.length, expected: headerBytes + body },
    );
  }
}

/**
 * Reads and checks an idx3-ubyte image file: magic 0x00000803, `side` × `side` images when
 * given, byte length = 16 + count × rows × cols. Throws EvonormError('MISSING_FILE' | 'BAD_DATA').
 */
export function readIdxImages(path: string, side?: number): IdxImages {
  const bytes = readBytes(path);
  const [count, rows, cols] = header(path, bytes, IDX_IMAGES_MAGIC, 4, 'idx3-ubyte images');
  if (rows === 0 || cols === 0 || (side !== undefined && (rows !== side || cols !== side))) {
    throw new EvonormError('BAD_DATA', `idx file ${path} holds ${rows}×${cols} images, expected ${side ?? 'non-empty'}×${side ?? 'non-empty'}`, { path, rows, cols });
  }
  checkLength(path, bytes, 16, count * rows * cols, `${count} images of ${rows}×${cols}`);
  return { path, count, rows, cols, pixels: bytes.subarray(16) };
}

/**
 * Reads and checks an idx1-ubyte label file: magic 0x00000801, byte length = 8 + count, every
 * label in [0, numClasses). Throws EvonormError('MISSING_FILE' | 'BAD_DATA').
 */
export function readIdxLabels(path: string, numClasses: number): Int32Array {
  const bytes = readBytes(path);
  const [count] = header(path, bytes, IDX_LABELS_MAGIC, 2, 'idx1-ubyte labels');
  checkLength(path, bytes, 8, count, `${count} labels`);
  const labels = Int32Array.from(bytes.subarray(8));
  const bad = labels.findIndex((l) => l >= numClasses);
  if (bad >= 0) {
    throw new EvonormError('BAD_DATA', `idx file ${path}: label ${bad} is ${labels[bad]}, expected 0–${numClasses - 1}: mislabelled or not this data set's file?`, { path, index: bad, label: labels[bad] });
  }
  return labels;
}

/**
 * An image file and its label file, checked against each other (same count), parsed once per
 * process and cached by absolute path. Throws EvonormError('MISSING_FILE' | 'BAD_DATA').
 */
export function readIdxPair(imagesPath: string, labelsPath: string, numClasses: number, side?: number): IdxPair {
  const key = `${resolve(imagesPath)}\n${resolve(labelsPath)}\n${numClasses}\n${side ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const images = readIdxImages(imagesPath, side);
  const labels = readIdxLabels(labelsPath, numClasses);
  if (labels.length !== images.count) {
    throw new EvonormError('BAD_DATA', `idx files disagree: ${imagesPath} holds ${images.count} images, ${labelsPath} holds ${labels.length} labels`, { imagesPath, labelsPath });
  }
  const pair = { images, labels, count: images.count };
  cache.set(key, pair);
  return pair;
}

/** Forgets the parsed files (tests that rewrite a file at the same path). */
export function clearIdxCache(): void {
  cache.clear();
}

/** Copies the images at `positions` (in that order) into a float32 split, pixels scaled to [0, 1]. */
export function gatherIdx(pair: IdxPair, positions: readonly number[]): ImageSplit {
  const size = pair.images.rows * pair.images.cols;
  const pixels = pair.images.pixels;
  const images = new Float32Array(positions.length * size);
  const labels = new Int32Array(positions.length);
  positions.forEach((p, i) => {
    const from = p * size;
    const to = i * size;
    for (let k = 0; k < size; k++) images[to + k] = pixels[from + k] / 255;
    labels[i] = pair.labels[p];
  });
  return { images, labels, count: positions.length };
}
