/**
 * Index-level helpers shared by the loaders: pick a class-balanced subset, split indices into
 * train/validation by class, and copy the chosen examples into a new ImageSplit.
 */
import type { Rng } from '../util/rng.js';
import type { ImageSplit } from './types.js';

/** Positions 0..n-1 grouped by label: result[k] lists the positions whose label is k. */
export function indicesByClass(labels: ArrayLike<number>, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]].push(i);
  return groups;
}

/**
 * Chooses `limit` positions spread as evenly over the classes as the data allows.
 * Each class's positions are shuffled by `rng`, then classes are visited round-robin
 * (0, 1, …, k−1, 0, …) taking one each until `limit` are chosen; a class that runs out is
 * skipped. The result is returned in a seeded random order. limit ≥ n returns every position.
 */
export function balancedSubset(
  labels: ArrayLike<number>,
  numClasses: number,
  limit: number,
  rng: Rng,
): number[] {
  const groups = indicesByClass(labels, numClasses).map((g) => rng.shuffled(g));
  const want = Math.min(Math.max(0, Math.floor(limit)), labels.length);
  const chosen: number[] = [];
  for (let round = 0; chosen.length < want; round++) {
    for (const group of groups) {
      if (round < group.length && chosen.length < want) chosen.push(group[round]);
    }
  }
  return rng.shuffled(chosen);
}

/**
 * Splits positions into train and validation, stratified by class: from each class,
 * round(size × fraction) shuffled positions go to validation, the rest to train. Both lists are
 * returned in a seeded random order. fraction is in [0, 1).
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  fraction: number,
  rng: Rng,
): { train: number[]; validation: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const train: number[] = [];
  const validation: number[] = [];
  for (const group of indicesByClass(labels, numClasses)) {
    const order = rng.shuffled(group);
    const nVal = Math.round(order.length * fraction);
    validation.push(...order.slice(0, nVal));
    train.push(...order.slice(nVal));
  }
  return { train: rng.shuffled(train), validation: rng.shuffled(validation) };
}

/** Copies the examples at `positions` (in that order) out of `images`/`labels` into a new split. */
export function gather(
  images: Float32Array,
  labels: Int32Array,
  positions: readonly number[],
  pixelsPerImage: number,
): ImageSplit {
  const outImages = new Float32Array(positions.length * pixelsPerImage);
  const outLabels = new Int32Array(positions.length);
  positions.forEach((p, i) => {
    outImages.set(images.subarray(p * pixelsPerImage, (p + 1) * pixelsPerImage), i * pixelsPerImage);
    outLabels[i] = labels[p];
  });
  return { images: outImages, labels: outLabels, count: positions.length };
}

/** Values per image of a split (height × width × channels), 0 for an empty split. */
export function pixelsPerImage(split: ImageSplit): number {
  return split.count === 0 ? 0 : split.images.length / split.count;
}

/**
 * Holds exactly `size` positions out, stratified by class: each class gives its share of `size`
 * in proportion to its count (largest remainders round, ties to the lower class), drawn from a
 * seeded shuffle of the class. Returns both lists in a seeded random order. 0 ≤ size ≤ n.
 */
export function stratifiedHoldOut(
  labels: ArrayLike<number>,
  numClasses: number,
  size: number,
  rng: Rng,
): { train: number[]; validation: number[] } {
  if (!(Number.isInteger(size) && size >= 0 && size <= labels.length)) throw new RangeError(`hold-out size must be an integer in [0, ${labels.length}], got ${size}`);
  const groups = indicesByClass(labels, numClasses);
  const exact = groups.map((g) => (labels.length === 0 ? 0 : (g.length * size) / labels.length));
  const quota = exact.map(Math.floor);
  const byRemainder = exact.map((x, k) => ({ k, r: x - quota[k] })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (let i = 0, left = size - quota.reduce((a, b) => a + b, 0); left > 0; i++, left--) quota[byRemainder[i].k]++;
  const train: number[] = [];
  const validation: number[] = [];
  groups.forEach((group, k) => {
    const order = rng.shuffled(group);
    validation.push(...order.slice(0, quota[k]));
    train.push(...order.slice(quota[k]));
  });
  return { train: rng.shuffled(train), validation: rng.shuffled(validation) };
}
