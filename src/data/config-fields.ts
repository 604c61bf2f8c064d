/**
 * The fields every data set's config section shares (image size, resizing, normalisation,
 * augmentation) and the smallest splits a config may leave; the data set descriptors
 * (datasets.ts, idx-config.ts) build their schemas from them.
 */
import { z } from 'zod';

export const positiveInt = () => z.number().int().positive();

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

/** The fields of preprocessing and augmentation, the same in every data set's section. */
export const imageFields = { imageSize, resize, normalize, augment };

/** Fewest training images per class a config may leave (fewer and every candidate fails). */
export const MIN_TRAIN_PER_CLASS = 8;
/** Fewest validation images per class a config may leave (fewer and accuracy means nothing). */
export const MIN_VALIDATION_PER_CLASS = 2;

/** About how many training and validation images per class a config leaves, and the field to blame for each. */
export interface ImagesPerClass {
  readonly train: number;
  readonly validation: number;
  readonly trainField: string;
  readonly validationField: string;
}

/** Per-class estimate and blamed fields, for data sets split from a training pool by count. */
export function fromPools(
  trainPool: number,
  validationPool: number,
  classes: number,
  config: { readonly trainLimit?: number; readonly validationLimit?: number },
): ImagesPerClass {
  const trainImages = Math.max(0, Math.min(trainPool, config.trainLimit ?? Infinity));
  const validationImages = Math.max(0, Math.min(validationPool, config.validationLimit ?? Infinity));
  return {
    train: Math.floor(trainImages / classes),
    validation: Math.floor(validationImages / classes),
    trainField: config.trainLimit !== undefined && config.trainLimit < trainPool ? 'trainLimit' : 'validationSize',
    validationField: config.validationLimit !== undefined && config.validationLimit < validationPool ? 'validationLimit' : 'validationSize',
  };
}


export type AugmentConfig = z.output<typeof AugmentConfigSchema>;
