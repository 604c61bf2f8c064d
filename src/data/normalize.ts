/** Per-channel input normalisation: (x − mean_c) / std_c, statistics from the training split. */
import type { ImageDataset, ImageSplit } from './types.js';

/** Per-channel mean and standard deviation of a split's pixels. */
export interface ChannelStats {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** A floor for std so a constant channel is centred rather than divided by zero. */
const MIN_STD = 1e-6;

/**
 * Mean and (population) standard deviation of each channel over every pixel of every image in
 * `split` (NHWC, `channels` values per pixel). Accumulates in float64; std is at least 1e-6.
 */
export function computeChannelStats(split: ImageSplit, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const images = split.images;
  for (let i = 0; i < images.length; i++) {
    const v = images[i];
    sum[i % channels] += v;
    sumSq[i % channels] += v * v;
  }
  const perChannel = images.length / channels;
  const mean = new Float32Array(channels);
  const std = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = perChannel > 0 ? sum[c] / perChannel : 0;
    const variance = perChannel > 0 ? Math.max(0, sumSq[c] / perChannel - m * m) : 1;
    mean[c] = m;
    std[c] = Math.max(MIN_STD, Math.sqrt(variance));
  }
  return { mean, std };
}

/** A copy of `split` with each channel c mapped to (x − mean[c]) / std[c]. */
export function normalizeSplit(split: ImageSplit, stats: ChannelStats): ImageSplit {
  const channels = stats.mean.length;
  const images = new Float32Array(split.images.length);
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    images[i] = (split.images[i] - stats.mean[c]) / stats.std[c];
  }
  return { images, labels: split.labels, count: split.count };
}

/**
 * A copy of `dataset` with both splits normalised per channel by `stats`, which default to the
 * training split's statistics (so validation data never leaks into them).
 */
export function normalizeChannels(dataset: ImageDataset, stats?: ChannelStats): ImageDataset {
  const used = stats ?? computeChannelStats(dataset.train, dataset.channels);
  if (used.mean.length !== dataset.channels || used.std.length !== dataset.channels) {
    throw new RangeError(`normalizeChannels: stats have ${used.mean.length} channels, the data set ${dataset.channels}`);
  }
  return { ...dataset, train: normalizeSplit(dataset.train, used), validation: normalizeSplit(dataset.validation, used) };
}
