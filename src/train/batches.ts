/**
 * Mini-batches: seeded epoch-wise shuffling (no fit() shuffling, STYLE.md 7), per-channel input
 * normalisation with statistics of the training split, and batch tensors built on the host.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/types.js';
import type { Rng } from '../util/rng.js';

/** Per-channel mean and standard deviation used to normalise inputs: (x − mean) / std. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Per-channel mean and standard deviation of a split's images (std floored at 1e-6). */
export function channelStats(split: ImageSplit, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const { images } = split;
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    sum[c] += images[i];
    sumSq[c] += images[i] * images[i];
  }
  const n = Math.max(1, images.length / channels);
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sumSq, (s, c) => Math.sqrt(Math.max(1e-12, s / n - mean[c] * mean[c])));
  return { mean, std };
}

/** Draws example indices in epochs: a fresh seeded permutation of the split for every epoch. */
export class BatchSampler {
  private order: number[] = [];
  private cursor = 0;

  constructor(
    private readonly count: number,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(count) || count <= 0) throw new RangeError(`BatchSampler needs examples, got ${count}`);
  }

  /** The next `size` indices, continuing into a new epoch when this one runs out. */
  next(size: number): number[] {
    const out: number[] = [];
    while (out.length < size) {
      if (this.cursor >= this.order.length) {
        this.order = this.rng.shuffled(Array.from({ length: this.count }, (_, i) => i));
        this.cursor = 0;
      }
      out.push(this.order[this.cursor++]);
    }
    return out;
  }
}

/** A batch on the device: images [N, h, w, c] float32 and labels [N] int32. */
export interface Batch {
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
}

/**
 * Copies the examples at `indices` into tensors of shape [N, ...shape], normalised with `stats`
 * (null: as stored), then passed through `transform` when given (training-time augmentation).
 * The caller disposes the tensors (or builds them inside tf.tidy).
 */
export function makeBatch(
  split: ImageSplit,
  indices: readonly number[],
  shape: readonly [number, number, number],
  stats: ChannelStats | null,
  transform?: (images: Float32Array, count: number) => Float32Array,
): Batch {
  const [h, w, c] = shape;
  const pixels = h * w * c;
  if (split.images.length !== split.count * pixels) {
    throw new RangeError(`split holds ${split.images.length / Math.max(1, split.count)} values per image, the model expects ${pixels}`);
  }
  const data = new Float32Array(indices.length * pixels);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, row) => {
    const src = split.images.subarray(index * pixels, (index + 1) * pixels);
    if (stats === null) data.set(src, row * pixels);
    else for (let i = 0; i < pixels; i++) data[row * pixels + i] = (src[i] - stats.mean[i % c]) / stats.std[i % c];
    labels[row] = split.labels[index];
  });
  return {
    images: tf.tensor4d(transform ? transform(data, indices.length) : data, [indices.length, h, w, c]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}
