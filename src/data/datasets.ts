/**
 * The data sets, one descriptor each (STYLE.md 15, as ops are in src/graph/ops.ts): its config
 * section and how it loads, splits and holds out (descriptor.ts). Adding a data set is an entry
 * here plus its loader (a file of its own, e.g. cifar10.ts); an idx data set (the MNIST family)
 * is only an entry in idx-datasets.ts. The config schema (config.ts), the loader (load.ts),
 * manifests and rerank's checks derive from DATASETS.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EvonormError } from '../util/errors.js';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, loadCifar10 } from './cifar10.js';
import { fromPools, imageFields, MIN_TRAIN_PER_CLASS, MIN_VALIDATION_PER_CLASS, positiveInt } from './config-fields.js';
import type { DatasetDescriptor } from './descriptor.js';
import { idxDatasetOf } from './idx-config.js';
import { IDX_DATASETS } from './idx-datasets.js';
import { makeSynthetic } from './synthetic.js';

export const Cifar10ConfigSchema = z
  .strictObject({
    name: z.literal('cifar10').describe('CIFAR-10 from the standard binary files (32×32×3, 10 classes).'),
    dir: z
      .string()
      .min(1)
      .describe('Folder with data_batch_1.bin … data_batch_5.bin and test_batch.bin (from cifar-10-binary.tar.gz; scripts/download-cifar10.sh DIR). Required.'),
    validationFrom: z
      .enum(['train', 'test'])
      .default('train')
      .describe('"train" (default): hold validation out of the 50,000 training images, as the paper\'s search did; "test": validate on test_batch.bin (only outside a search: test_batch.bin is the held-out split `evonorm rerank` scores on, so a search or rerank refuses it).'),
    validationSize: positiveInt()
      .default(5000)
      .describe('With validationFrom "train": how many training images are held out (count; default 5000).'),
    trainLimit: positiveInt()
      .optional()
      .describe('Use at most this many training images, balanced over classes (count; default: all).'),
    validationLimit: positiveInt()
      .optional()
      .describe('Use at most this many validation images, balanced over classes (count; default: all).'),
    testLimit: positiveInt()
      .optional()
      .describe('Held-out test split (test_batch.bin, used by `evonorm rerank` only): use at most this many images, balanced over classes (count; default: all 10,000).'),
    ...imageFields,
  })
  .describe('CIFAR-10');

/** CIFAR-10 from the standard binary files (cifar10.ts). */
export const CIFAR10: DatasetDescriptor<'cifar10', typeof Cifar10ConfigSchema> = {
  name: 'cifar10',
  schema: Cifar10ConfigSchema,
  imagesPerClass: (config) => config.validationFrom === 'train'
    ? fromPools(50_000 - config.validationSize, config.validationSize, 10, config)
    : { ...fromPools(50_000, 10_000, 10, config), validationField: 'validationLimit' },
  load: (config, rng, withTest) => loadCifar10({
    dir: config.dir,
    rng,
    trainLimit: config.trainLimit,
    validationLimit: config.validationLimit,
    validationFrom: config.validationFrom,
    validationSize: config.validationSize,
    withTest,
    testLimit: config.testLimit,
  }),
  heldOut: (config) => ({ split: 'test', rule: `test_batch.bin${config.testLimit ? ` (a class-balanced ${config.testLimit})` : ''}; the search validates on ${config.validationFrom === 'test' ? 'test_batch.bin (NOT held out)' : `${config.validationSize} held-out training images`}` }),
  noHeldOut: (config) => (config.validationFrom === 'test' ? 'CIFAR-10 with validationFrom "test" has no held-out split (the search validated on test_batch.bin)' : null),
  searchProblem: (config) => (config.validationFrom === 'test'
    ? 'evaluation.data.validationFrom "test" would make the search select on test_batch.bin, the held-out split `evonorm rerank` scores on; use "train"'
    : null),
  checkFiles(config, who) {
    const missing = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((f) => !existsSync(join(config.dir, f)));
    if (missing.length) throw new EvonormError('MISSING_FILE', `${who}: CIFAR-10 files missing in ${config.dir}: ${missing.join(', ')} (scripts/download-cifar10.sh DIR fetches them)`);
  },
};

export const SyntheticConfigSchema = z
  .strictObject({
    name: z.literal('synthetic').describe('A seeded, generated oriented-bar task for fast tests and smoke runs.'),
    count: positiveInt().default(1200).describe('Examples in all, train + validation (count; default 1200).'),
    size: z.number().int().min(4).default(12).describe('Image side length (pixels; default 12).'),
    channels: positiveInt().default(1).describe('Channels per pixel (default 1).'),
    numClasses: z.number().int().min(2).default(4).describe('Number of classes, i.e. bar orientations (default 4).'),
    noise: z.number().min(0).default(0.25).describe('Standard deviation of Gaussian pixel noise; bar brightness is at most 1 (default 0.25).'),
    validationFraction: z
      .number()
      .min(0)
      .lt(1)
      .default(0.2)
      .describe('Share held out for validation, stratified by class (fraction in [0, 1); default 0.2).'),
    testFraction: z
      .number()
      .min(0)
      .lt(1)
      .default(0)
      .describe('Held-out test examples, as a share of count, drawn separately (never seen by a search; `evonorm rerank` scores on them) (fraction in [0, 1); default 0 = none, so `evonorm rerank` refuses the data set).'),
    ...imageFields,
  })
  .describe('Synthetic oriented bars');

/** The seeded synthetic task (synthetic.ts). */
export const SYNTHETIC: DatasetDescriptor<'synthetic', typeof SyntheticConfigSchema> = {
  name: 'synthetic',
  schema: SyntheticConfigSchema,
  imagesPerClass(config) {
    const perClass = Math.floor(config.count / config.numClasses);
    const validation = Math.round(perClass * config.validationFraction);
    // The count is to blame when it could not give both minimums whatever the fraction.
    const field = perClass >= MIN_TRAIN_PER_CLASS + MIN_VALIDATION_PER_CLASS ? 'validationFraction' : 'count';
    return { train: perClass - validation, validation, trainField: field, validationField: field };
  },
  load: (config, rng) => makeSynthetic({
    rng,
    count: config.count,
    size: config.size,
    channels: config.channels,
    numClasses: config.numClasses,
    noise: config.noise,
    validationFraction: config.validationFraction,
    testFraction: config.testFraction,
  }),
  heldOut: (config) => (config.testFraction > 0 ? { split: 'test', rule: `${Math.round(config.count * config.testFraction)} examples drawn separately (seed stream data/test); never seen by the search` } : null),
  noHeldOut: (config) => (config.testFraction === 0 ? 'the synthetic data set has no held-out test split (data.testFraction is 0)' : null),
};

/** The idx data sets' descriptors, as a tuple (one per IDX_DATASETS entry, in its order). */
type IdxDatasetsOf<T> = { -readonly [I in keyof T]: T[I] extends { readonly name: infer N extends string } ? ReturnType<typeof idxDatasetOf<N>> : never };

/** Every data set, in the order help texts list them. */
export const DATASETS = [...(IDX_DATASETS.map(idxDatasetOf) as unknown as IdxDatasetsOf<typeof IDX_DATASETS>), CIFAR10, SYNTHETIC] as const;

export type DatasetName = (typeof DATASETS)[number]['name'];

/** The names of the data sets, in DATASETS' order. */
export const DATASET_NAMES: readonly DatasetName[] = DATASETS.map((d) => d.name);

/** The descriptor of data set `name` (a validated config's name always has one). */
export function datasetOf(name: string): DatasetDescriptor {
  const d = DATASETS.find((x) => x.name === name);
  if (!d) throw new EvonormError('BAD_CONFIG', `unknown data set "${name}" (known: ${DATASET_NAMES.join(', ')})`);
  return d as unknown as DatasetDescriptor;
}
