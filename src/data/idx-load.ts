/**
 * Loads an idx data set (idx-datasets.ts) from its folder and splits it:
 *
 *   pool ← the official training files (MNIST, Fashion-MNIST: 60,000 images)
 *   validation ← validationSize images of pool, stratified by class   (stream "split")
 *   train ← the rest of pool
 *   train, validation ← class-balanced subsets of trainLimit / validationLimit   (streams "train", "validation")
 *   test ← the official test files (10,000), only when asked (withTest); testLimit   (stream "test")
 *
 * Each step draws from its own child stream of `rng`, so the validation split depends only on
 * the seed and validationSize, and the test split never on the search's settings. A search never
 * reads the test files.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvonormError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { gatherIdx, readIdxPair, type IdxPair } from './idx.js';
import type { IdxDatasetDescriptor } from './idx-datasets.js';
import { balancedSubset, stratifiedHoldOut } from './subset.js';
import type { ImageDataset } from './types.js';

export interface IdxLoadOptions {
  /** Folder with the four files (plain or .gz); default the descriptor's defaultDir(). */
  readonly dir?: string;
  /** Draws the validation hold-out and the limited subsets (child streams, see above). */
  readonly rng: Rng;
  /** Training images held out for validation, stratified by class (count; default 10,000). */
  readonly validationSize?: number;
  /** Caps the training images (class-balanced seeded subset). */
  readonly trainLimit?: number;
  /** Caps the validation images (class-balanced seeded subset). */
  readonly validationLimit?: number;
  /** Also read and decode the official test files into `test` (default false). */
  readonly withTest?: boolean;
  /** Caps the test images (class-balanced seeded subset). */
  readonly testLimit?: number;
}

/** Path of `name` in `dir`, or of `name.gz`; MISSING_FILE saying how to get it when neither exists. */
export function idxFilePath(descriptor: IdxDatasetDescriptor, dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  throw new EvonormError('MISSING_FILE', `${descriptor.name} file ${name} (or ${name}.gz) not found in ${dir} (${descriptor.howToGet})`, { dir, file: name });
}

/** The folder to read, checked to exist; MISSING_FILE saying how to get the files when it does not. */
export function idxDir(descriptor: IdxDatasetDescriptor, dir?: string): string {
  const folder = dir ?? descriptor.defaultDir();
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    const f = descriptor.files;
    throw new EvonormError(
      'MISSING_FILE',
      `${descriptor.name} folder ${folder} not found: expected ${f.trainImages}, ${f.trainLabels}, ${f.testImages}, ${f.testLabels} (or their .gz) there (${descriptor.howToGet})`,
      { dir: folder },
    );
  }
  return folder;
}

/** The official training (or test) images and labels, parsed and cached. */
export function readIdxSplit(descriptor: IdxDatasetDescriptor, dir: string, which: 'train' | 'test'): IdxPair {
  const f = descriptor.files;
  const [images, labels] = which === 'train' ? [f.trainImages, f.trainLabels] : [f.testImages, f.testLabels];
  return readIdxPair(idxFilePath(descriptor, dir, images), idxFilePath(descriptor, dir, labels), descriptor.numClasses, descriptor.side);
}

/** `positions` cut to a class-balanced seeded `limit` when it is below their number. */
function limited(labels: Int32Array, positions: number[], limit: number | undefined, rng: Rng, numClasses: number): number[] {
  if (limit === undefined || limit >= positions.length) return positions;
  return balancedSubset(positions.map((p) => labels[p]), numClasses, limit, rng).map((i) => positions[i]);
}

/** Where each split's images are: train and validation index the training files, test the test files. */
export interface IdxSplitPositions {
  readonly train: readonly number[];
  readonly validation: readonly number[];
  /** Positions in the test files; empty when no test labels were given. */
  readonly test: readonly number[];
}

/**
 * The split as positions (see the pseudo-code above): validationSize training images held out
 * stratified by class, then the limits; the test split (when `testLabels` is given) is the test
 * files, cut to testLimit. validationSize must be in [1, trainLabels.length).
 */
export function idxSplitPositions(
  trainLabels: Int32Array,
  testLabels: Int32Array | undefined,
  numClasses: number,
  options: Omit<IdxLoadOptions, 'dir' | 'withTest'>,
): IdxSplitPositions {
  const { rng, validationSize = 10_000, trainLimit, validationLimit, testLimit } = options;
  const split = stratifiedHoldOut(trainLabels, numClasses, validationSize, rng.child('split'));
  const allTest = testLabels ? Array.from({ length: testLabels.length }, (_, i) => i) : [];
  return {
    train: limited(trainLabels, split.train, trainLimit, rng.child('train'), numClasses),
    validation: limited(trainLabels, split.validation, validationLimit, rng.child('validation'), numClasses),
    test: testLabels ? limited(testLabels, allTest, testLimit, rng.child('test'), numClasses) : [],
  };
}

/**
 * Loads `descriptor`'s data set as side×side×1 images in [0, 1], split as described above.
 * Throws EvonormError('MISSING_FILE') for a missing folder or file, ('BAD_DATA') for a file that
 * is truncated, mislabelled or disagrees with its partner, ('BAD_CONFIG') for a validationSize
 * the training files cannot give.
 */
export function loadIdxDataset(descriptor: IdxDatasetDescriptor, options: IdxLoadOptions): ImageDataset {
  const { validationSize = 10_000, withTest = false } = options;
  const dir = idxDir(descriptor, options.dir);
  const pool = readIdxSplit(descriptor, dir, 'train');
  if (!(Number.isInteger(validationSize) && validationSize > 0 && validationSize < pool.count)) {
    throw new EvonormError('BAD_CONFIG', `${descriptor.name}: validationSize ${validationSize} must be an integer in [1, ${pool.count}) (the training images in ${dir})`);
  }
  const official = withTest ? readIdxSplit(descriptor, dir, 'test') : undefined;
  const where = idxSplitPositions(pool.labels, official?.labels, descriptor.numClasses, options);
  return {
    name: descriptor.name,
    height: descriptor.side,
    width: descriptor.side,
    channels: 1,
    numClasses: descriptor.numClasses,
    train: gatherIdx(pool, where.train),
    validation: gatherIdx(pool, where.validation),
    ...(official ? { test: gatherIdx(official, where.test) } : {}),
  };
}
