/** Loads the data set a validated config section names, then resizes and normalises it. */
import type { Rng } from '../util/rng.js';
import { loadCifar10 } from './cifar10.js';
import type { DatasetConfig } from './config.js';
import { loadMnist } from './mnist.js';
import { normalizeChannels } from './normalize.js';
import { resizeDataset } from './resize.js';
import { makeSynthetic } from './synthetic.js';
import type { ImageDataset } from './types.js';

/** The raw data set (scaled to its usual range, not yet resized or normalised). */
function loadRaw(config: DatasetConfig, rng: Rng): ImageDataset {
  switch (config.name) {
    case 'mnist':
      return loadMnist({ rng, validationFraction: config.validationFraction, limit: config.limit });
    case 'cifar10':
      return loadCifar10({
        dir: config.dir,
        rng,
        trainLimit: config.trainLimit,
        validationLimit: config.validationLimit,
        validationFrom: config.validationFrom,
        validationSize: config.validationSize,
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
      });
  }
}

/**
 * Loads the data set of a validated `dataset` config section (parse it with
 * DatasetConfigSchema first): selects and splits it with `rng`, resizes to `imageSize` if set,
 * and normalises channels with training statistics if `normalize`. Augmentation is left to the
 * trainer (config.augment → augmentBatch), since it is drawn anew for every batch.
 */
export function loadDataset(config: DatasetConfig, rng: Rng): ImageDataset {
  let dataset = loadRaw(config, rng);
  if (config.imageSize !== undefined) dataset = resizeDataset(dataset, config.imageSize, config.resize);
  if (config.normalize) dataset = normalizeChannels(dataset);
  return dataset;
}
