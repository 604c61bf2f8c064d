/**
 * CIFAR-10 from the standard binary distribution (cifar-10-binary.tar.gz, folder
 * cifar-10-batches-bin/): data_batch_1.bin … data_batch_5.bin and test_batch.bin, each a run of
 * 3073-byte records: 1 label byte (0–9), then 3072 pixel bytes, channel-major (1024 red, 1024
 * green, 1024 blue, each 32×32 row-major). Records are decoded to NHWC floats in [0, 1].
 *
 * Only the label bytes of every record are read up front; pixels are decoded just for the
 * examples that are kept, so a small `trainLimit` stays cheap. The full training set in float32
 * is about 600 MB.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvonormError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { balancedSubset } from './subset.js';
import type { ImageDataset, ImageSplit } from './types.js';

const SIDE = 32;
const CHANNELS = 3;
const PLANE = SIDE * SIDE;
const PIXELS = PLANE * CHANNELS;
/** Bytes per record: label + pixels. */
export const CIFAR10_RECORD_BYTES = 1 + PIXELS;
const NUM_CLASSES = 10;
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';
const HOW_TO_GET = 'the binary version, cifar-10-binary.tar.gz; run scripts/download-cifar10.sh DIR';

export interface Cifar10Options {
  /** Folder holding the .bin files (usually …/cifar-10-batches-bin). */
  readonly dir: string;
  /** Draws the held-out split, the order and the limited subsets. */
  readonly rng: Rng;
  /** Caps the training examples (class-balanced seeded subset). */
  readonly trainLimit?: number;
  /** Caps the validation examples (class-balanced seeded subset). */
  readonly validationLimit?: number;
  /**
   * 'train' (default): validation is held out of the 50,000 training images, as in the paper's
   * search; 'test': validation is test_batch.bin and all training images are used for training.
   */
  readonly validationFrom?: 'train' | 'test';
  /** With validationFrom 'train': how many training images are held out; default 5000. */
  readonly validationSize?: number;
  /**
   * Also decode the held-out test split (test_batch.bin, never seen by a search) into `test`.
   * Requires validationFrom 'train'. Default false.
   */
  readonly withTest?: boolean;
  /** Caps the test examples (class-balanced subset drawn from rng.child('test')). */
  readonly testLimit?: number;
}

/** The raw bytes of one .bin file, with its name for messages. */
interface BatchFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly count: number;
}

/** Reads and checks one batch file: size a non-zero multiple of 3073, every label in 0–9. */
export function readCifar10File(dir: string, name: string): BatchFile {
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw new EvonormError('MISSING_FILE', `CIFAR-10 file ${name} not found in ${dir} (${HOW_TO_GET})`, { path });
  }
  const bytes = new Uint8Array(readFileSync(path));
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    throw new EvonormError(
      'BAD_DATA',
      `CIFAR-10 file ${path} has ${bytes.length} bytes, not a non-zero multiple of ${CIFAR10_RECORD_BYTES} ` +
        `(1 label byte + ${PIXELS} pixel bytes per record; ${whole} whole records + ${bytes.length - whole * CIFAR10_RECORD_BYTES} ` +
        `bytes; the official files have 10000 records = ${10000 * CIFAR10_RECORD_BYTES} bytes): truncated or not the binary version?`,
      { path, size: bytes.length, recordBytes: CIFAR10_RECORD_BYTES },
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  for (let r = 0; r < count; r++) {
    const label = bytes[r * CIFAR10_RECORD_BYTES];
    if (label >= NUM_CLASSES) {
      throw new EvonormError(
        'BAD_DATA',
        `CIFAR-10 file ${path}: record ${r} has label ${label}, expected 0–9 (is this CIFAR-100 or a corrupt file?)`,
        { path, record: r, label },
      );
    }
  }
  return { name, bytes, count };
}

/** A record's address: which file, which record in it. */
interface RecordRef {
  readonly file: BatchFile;
  readonly record: number;
}

/** Labels of the referenced records, in order. */
function labelsOf(refs: readonly RecordRef[]): Int32Array {
  return Int32Array.from(refs, (r) => r.file.bytes[r.record * CIFAR10_RECORD_BYTES]);
}

/** Decodes the referenced records into an NHWC split, pixels scaled to [0, 1]. */
function decode(refs: readonly RecordRef[]): ImageSplit {
  const images = new Float32Array(refs.length * PIXELS);
  refs.forEach(({ file, record }, n) => {
    const base = record * CIFAR10_RECORD_BYTES + 1;
    const out = n * PIXELS;
    for (let c = 0; c < CHANNELS; c++) {
      for (let p = 0; p < PLANE; p++) images[out + p * CHANNELS + c] = file.bytes[base + c * PLANE + p] / 255;
    }
  });
  return { images, labels: labelsOf(refs), count: refs.length };
}

/** All records of the files, in file order. */
function refsOf(files: readonly BatchFile[]): RecordRef[] {
  return files.flatMap((file) => Array.from({ length: file.count }, (_, record) => ({ file, record })));
}

/** A class-balanced seeded subset of `refs` when `limit` is below their number; else all, in order. */
function limited(refs: RecordRef[], limit: number | undefined, rng: Rng): RecordRef[] {
  if (limit === undefined || limit >= refs.length) return refs;
  return balancedSubset(labelsOf(refs), NUM_CLASSES, limit, rng).map((i) => refs[i]);
}

/**
 * Loads CIFAR-10 (32×32×3, 10 classes) from the binary files in `dir`.
 * Throws EvonormError('MISSING_FILE') for a missing folder or file and ('BAD_DATA') for a file
 * of the wrong size or with a label above 9; each message names the folder or file.
 */
export function loadCifar10(options: Cifar10Options): ImageDataset {
  const { dir, rng, trainLimit, validationLimit, validationFrom = 'train', validationSize = 5000, withTest = false, testLimit } = options;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EvonormError(
      'MISSING_FILE',
      `CIFAR-10 directory ${dir} not found: expected ${CIFAR10_TRAIN_FILES[0]} … ${CIFAR10_TRAIN_FILES[4]} and ` +
        `${CIFAR10_TEST_FILE} (${HOW_TO_GET})`,
      { dir },
    );
  }
  if (withTest && validationFrom === 'test') {
    throw new EvonormError('BAD_CONFIG', 'CIFAR-10: validationFrom "test" validates on test_batch.bin, the held-out test split; use validationFrom "train"');
  }
  const trainRefs = refsOf(CIFAR10_TRAIN_FILES.map((name) => readCifar10File(dir, name)));
  const test = withTest ? decode(limited(refsOf([readCifar10File(dir, CIFAR10_TEST_FILE)]), testLimit, rng.child('test'))) : undefined;
  let train: RecordRef[];
  let validation: RecordRef[];
  if (validationFrom === 'test') {
    train = rng.shuffled(trainRefs);
    validation = refsOf([readCifar10File(dir, CIFAR10_TEST_FILE)]);
  } else {
    if (!(Number.isInteger(validationSize) && validationSize >= 0 && validationSize < trainRefs.length)) {
      throw new EvonormError(
        'BAD_INPUT',
        `CIFAR-10 validationSize ${validationSize} must be an integer in [0, ${trainRefs.length}) (the training records)`,
      );
    }
    // The held-out part is the tail of one seeded shuffle of all training records.
    const order = rng.shuffled(trainRefs);
    train = order.slice(0, order.length - validationSize);
    validation = order.slice(order.length - validationSize);
  }
  return {
    name: 'cifar10',
    height: SIDE,
    width: SIDE,
    channels: CHANNELS,
    numClasses: NUM_CLASSES,
    train: decode(limited(train, trainLimit, rng)),
    validation: decode(limited(validation, validationLimit, rng)),
    ...(test ? { test } : {}),
  };
}
