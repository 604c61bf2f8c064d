/** Loads the data set a validated config section names, then resizes and normalises it. */
import { EvonormError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { loadCifar10 } from './cifar10.js';
import type { DatasetConfig } from './config.js';
import { idxDataset } from './idx-datasets.js';
import { loadIdxDataset } from './idx-load.js';
import { normalizeChannels } from './normalize.js';
import { resizeDataset } from './resize.js';
import { makeSynthetic } from './synthetic.js';
import type { ImageDataset } from './types.js';

/**
 * Which split a trained network is scored on: 'validation' (a search, `evonorm compare`) or
 * 'test', the held-out split that a search never sees (`evonorm rerank`): the official test
 * files of MNIST, Fashion-MNIST and CIFAR-10, synthetic's testFraction.
 */
export type ScoreSplit = 'validation' | 'test';

/** The raw data set (scaled to its usual range, not yet resized or normalised). */
function loadRaw(config: DatasetConfig, rng: Rng, withTest: boolean): ImageDataset {
  switch (config.name) {
    case 'mnist':
    case 'fashion-mnist':
      return loadIdxDataset(idxDataset(config.name)!, {
        dir: config.dir,
        rng,
        validationSize: config.validationSize,
        trainLimit: config.trainLimit,
        validationLimit: config.validationLimit,
        withTest,
        testLimit: config.testLimit,
      });
    case 'cifar10':
      return loadCifar10({
        dir: config.dir,
        rng,
        trainLimit: config.trainLimit,
        validationLimit: config.validationLimit,
        validationFrom: config.validationFrom,
        validationSize: config.validationSize,
        withTest,
        testLimit: config.testLimit,
      });
    case 'synthetic':
      return makeSynthetic({
        rng,
        count: config.count,
        size: config.size,
        channels: config.channels,
        numClasses: config.numClasses,
        noise: config.noise,
        validationFraction: config.validationFraction,
        testFraction: config.testFraction,
      });
  }
}

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
  const { test, ...searchSplits } = loadRaw(config, rng, score === 'test');
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
export function describeHeldOut(config: DatasetConfig): { readonly split: 'test'; readonly rule: string } | null {
  switch (config.name) {
    case 'mnist':
    case 'fashion-mnist': {
      const d = idxDataset(config.name)!;
      const test = config.testLimit ? `a class-balanced ${config.testLimit} of the official ${d.testCount} test images` : `the official ${d.testCount} test images`;
      return { split: 'test', rule: `${test} (${d.files.testImages}); the search validates on ${config.validationSize} images held out of the ${d.trainCount} training images and never reads the test files` };
    }
    case 'cifar10':
      return { split: 'test', rule: `test_batch.bin${config.testLimit ? ` (a class-balanced ${config.testLimit})` : ''}; the search validates on ${config.validationFrom === 'test' ? 'test_batch.bin (NOT held out)' : `${config.validationSize} held-out training images`}` };
    case 'synthetic':
      return config.testFraction > 0 ? { split: 'test', rule: `${Math.round(config.count * config.testFraction)} examples drawn separately (seed stream data/test); never seen by the search` } : null;
  }
}
