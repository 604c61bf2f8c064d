/**
 * A seeded, procedurally generated image classification task for fast tests and smoke runs.
 *
 * Class k of K is the orientation of a short bright bar: angle π·k/K, jittered by up to a
 * quarter of the gap between classes. The bar's centre is shifted at random by up to a quarter
 * of the image, its length and brightness vary, a distracting round blob sits at a random place,
 * and Gaussian pixel noise is added. Position varies, orientation decides the class, so local
 * oriented filters (a conv net) solve it while a linear model on raw pixels cannot do it fully.
 * With several channels each channel carries the same pattern with a random per-channel gain
 * (colour), so no single channel is needed to classify.
 */
import type { Rng } from '../util/rng.js';
import { gather, stratifiedSplit } from './subset.js';
import type { ImageDataset } from './types.js';

export interface SyntheticOptions {
  /** Seeds everything: the same seed gives identical bytes. */
  readonly rng: Rng;
  /** Number of examples, train + validation; default 1200. */
  readonly count?: number;
  /** Image side in pixels (square); default 12. */
  readonly size?: number;
  /** Channels per pixel; default 1. */
  readonly channels?: number;
  /** Number of classes (orientations); default 4. */
  readonly numClasses?: number;
  /** Standard deviation of the added Gaussian pixel noise (bar brightness is ≤ 1); default 0.25. */
  readonly noise?: number;
  /** Share held out for validation, stratified by class; default 0.2. */
  readonly validationFraction?: number;
  /**
   * Held-out test examples as a share of `count`, drawn separately from rng.child('test') (the
   * train/validation bytes do not change); default 0 (none).
   */
  readonly testFraction?: number;
}

/** Uniform in [lo, hi). */
function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/**
 * Draws one example of class `label` into `out` (size × size × channels, NHWC, from offset).
 * The draws happen in a fixed order so the bytes depend only on the rng's state.
 */
function drawExample(
  out: Float32Array,
  offset: number,
  label: number,
  size: number,
  channels: number,
  numClasses: number,
  noise: number,
  rng: Rng,
): void {
  const gap = Math.PI / numClasses;
  const angle = label * gap + uniform(rng, -0.25, 0.25) * gap;
  const centre = (size - 1) / 2;
  const cx = centre + uniform(rng, -0.25, 0.25) * size;
  const cy = centre + uniform(rng, -0.25, 0.25) * size;
  const halfLength = (size * uniform(rng, 0.45, 0.7)) / 2;
  const width = Math.max(0.5, size / 16); // Gaussian cross-section, in pixels
  const brightness = uniform(rng, 0.6, 1);
  const blobX = uniform(rng, 0, size - 1);
  const blobY = uniform(rng, 0, size - 1);
  const blobRadius = Math.max(0.6, size / 12);
  const blobBrightness = uniform(rng, 0, 0.8);
  const gains = Array.from({ length: channels }, () => (channels === 1 ? 1 : uniform(rng, 0.4, 1)));
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const rx = x - cx;
      const ry = y - cy;
      const along = rx * dx + ry * dy;
      const across = -rx * dy + ry * dx;
      // Bar: Gaussian across, flat along with soft (Gaussian) ends beyond halfLength.
      const beyond = Math.max(0, Math.abs(along) - halfLength);
      const bar = brightness * Math.exp(-(across * across + beyond * beyond) / (2 * width * width));
      const bx = x - blobX;
      const by = y - blobY;
      const blob = blobBrightness * Math.exp(-(bx * bx + by * by) / (2 * blobRadius * blobRadius));
      const signal = Math.max(bar, blob);
      const base = offset + (y * size + x) * channels;
      for (let c = 0; c < channels; c++) out[base + c] = gains[c] * signal + noise * rng.normal();
    }
  }
}

/**
 * Generates the synthetic oriented-bar task (see the module comment) with a seeded,
 * class-stratified train/validation split. Classes are balanced: example i before shuffling has
 * class i mod numClasses.
 */
export function makeSynthetic(options: SyntheticOptions): ImageDataset {
  const {
    rng,
    count = 1200,
    size = 12,
    channels = 1,
    numClasses = 4,
    noise = 0.25,
    validationFraction = 0.2,
    testFraction = 0,
  } = options;
  for (const [name, value, min] of [['count', count, 1], ['size', size, 4], ['channels', channels, 1], ['numClasses', numClasses, 2]] as const) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`makeSynthetic: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
  if (!(noise >= 0)) throw new RangeError(`makeSynthetic: noise must be ≥ 0, got ${noise}`);
  const pixels = size * size * channels;
  const labels = new Int32Array(rng.shuffled(Array.from({ length: count }, (_, i) => i % numClasses)));
  const images = new Float32Array(count * pixels);
  for (let i = 0; i < count; i++) drawExample(images, i * pixels, labels[i], size, channels, numClasses, noise, rng);
  const split = stratifiedSplit(labels, numClasses, validationFraction, rng);
  const testCount = Math.round(count * testFraction);
  let test: ImageDataset['test'];
  if (testCount > 0) {
    const testRng = rng.child('test');
    const testLabels = new Int32Array(testRng.shuffled(Array.from({ length: testCount }, (_, i) => i % numClasses)));
    const testImages = new Float32Array(testCount * pixels);
    for (let i = 0; i < testCount; i++) drawExample(testImages, i * pixels, testLabels[i], size, channels, numClasses, noise, testRng);
    test = { images: testImages, labels: testLabels, count: testCount };
  }
  return {
    name: 'synthetic',
    height: size,
    width: size,
    channels,
    numClasses,
    train: gather(images, labels, split.train, pixels),
    validation: gather(images, labels, split.validation, pixels),
    ...(test ? { test } : {}),
  };
}
