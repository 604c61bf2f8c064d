/** Shared set-up for the training tests: a tiny noiseless bar task and a small fast model. */
import { makeSynthetic } from '../../src/data/synthetic.js';
import type { ImageDataset } from '../../src/data/types.js';
import { resnet, type NormActFactory, type ProxyModel } from '../../src/models/index.js';
import type { TrainOptions } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { bnRelu } from '../models/helpers.js';

/** 4 classes of oriented bars, 8×8×1, 320 training and 80 validation images. */
export function tinyBars(): ImageDataset {
  return makeSynthetic({ rng: Rng.fromSeed('tiny-bars'), count: 400, size: 8, noise: 0 });
}

/** A basic-block ResNet at half width (about 5k parameters) for 8×8×1 inputs and 4 classes. */
export function tinyResnet(normAct: NormActFactory = bnRelu, seed = 1): ProxyModel {
  return resnet({ inputShape: [8, 8, 1], numClasses: 4, width: 0.5, depth: 1, block: 'basic', normAct, rng: Rng.fromSeed(seed) });
}

/** Training options for the tiny task, everything but the model, dataset and step count. */
export const TINY_TRAINING: Omit<TrainOptions, 'model' | 'dataset' | 'steps' | 'rng'> = {
  batchSize: 16,
  optimizer: { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
  schedule: { warmupSteps: 5, cosine: true },
  labelSmoothing: 0.1,
  evalBatchSize: 40,
};
