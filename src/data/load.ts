/** Loads the data set a validated config section names, then resizes and normalises it. */
import { EvonormError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { descriptorOf, type DatasetConfig } from './config.js';
import type { HeldOut } from './descriptor.js';
import { normalizeChannels } from './normalize.js';
import { resizeDataset } from './resize.js';
import type { ImageDataset } from './types.js';

/**
 * Which split a trained network is scored on: 'validation' (a search, `evonorm compare`) or
 * 'test', the held-out split that a search never sees (`evonorm rerank`): the official test
 * files of MNIST, Fashion-MNIST and CIFAR-10, synthetic's testFraction.
 */
export type ScoreSplit = 'validation' | 'test';

/**
 * Loads the data set of a validated `dataset` config section (parse it with
 * DatasetConfigSchema first): selects and splits it with `rng`, resizes to `imageSize` if set,
 * and normalises channels with training statistics if `normalize`. Augmentation is left to the
 * trainer (config.augment → augmentBatch), since it is drawn anew for every batch.
 *
 * `score` 'test' returns the held-out test split in place of `validation` (same training split,
 * same normalisation statistics); it throws EvonormError('BAD_CONFIG') when the data set has no
 * held-out split (synthetic testFraction 0) or validates on it (CIFAR-10 validationFrom "test").
 */
export function loadDataset(config: DatasetConfig, rng: Rng, score: ScoreSplit = 'validation'): ImageDataset {
  const { test, ...searchSplits } = descriptorOf(config).load(config, rng, score === 'test');
  let dataset: ImageDataset = searchSplits;
  if (score === 'test') {
    if (!test || test.count === 0) {
      throw new EvonormError('BAD_CONFIG', `the ${config.name} data set has no held-out test split (set data.testFraction above 0)`);
    }
    dataset = { ...searchSplits, validation: test };
  }
  if (config.imageSize !== undefined) dataset = resizeDataset(dataset, config.imageSize, config.resize);
  if (config.normalize) dataset = normalizeChannels(dataset);
  return dataset;
}

/** A sentence saying what the held-out test split of a data set config is, for manifests. */
export function describeHeldOut(config: DatasetConfig): HeldOut | null {
  return descriptorOf(config).heldOut(config);
}
