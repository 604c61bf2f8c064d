/** The data set descriptors (src/data/datasets.ts) are the one list the config schema and the loader derive from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  DATASET_NAMES,
  DATASETS,
  DatasetConfigSchema,
  IDX_DATASETS,
  datasetOf,
  datasetsSchema,
  describeHeldOut,
  loadDataset,
  type DatasetDescriptor,
} from '../../src/data/index.js';
import { idxDatasetOf } from '../../src/data/idx-config.js';
import { MNIST } from '../../src/data/idx-datasets.js';
import { Rng } from '../../src/util/rng.js';

test('when the config schema is read, then its data set options are the descriptors\' names, in order, every idx data set among them', () => {
  assert.deepEqual(DatasetConfigSchema.options.map((o) => o.shape.name.value), [...DATASET_NAMES]);
  assert.deepEqual(DATASETS.map((d) => d.schema.shape.name.value), [...DATASET_NAMES]);
  for (const idx of IDX_DATASETS) assert.ok(DATASET_NAMES.includes(idx.name), `${idx.name} is a data set`);
});

test('when each descriptor is looked up by its name, then datasetOf finds it; an unknown name is a BAD_CONFIG', () => {
  for (const d of DATASETS) assert.equal(datasetOf(d.name).name, d.name);
  assert.throws(() => datasetOf('imagenet'), (err: { code?: string }) => err.code === 'BAD_CONFIG');
});

test('when an idx descriptor is added to the list, then the config schema built from it accepts that data set with the idx fields and defaults', () => {
  const kmnist = idxDatasetOf({ ...MNIST, name: 'kmnist' as const, description: 'Kuzushiji-MNIST' });
  const schema = datasetsSchema([...DATASETS, kmnist]);
  const parsed = schema.parse({ name: 'kmnist', dir: '/nowhere' });
  assert.equal(parsed.name, 'kmnist');
  assert.equal((parsed as { validationSize: number }).validationSize, 10_000);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'kmnist' }).success, false);
});

test('when a new kind of data set is added to the list, then parsing checks its images per class and loadDataset-like code reaches it through the descriptor', () => {
  const tiny: DatasetDescriptor<'tiny', z.ZodObject<{ name: z.ZodLiteral<'tiny'>; count: z.ZodDefault<z.ZodNumber> }, z.core.$strict>> = {
    name: 'tiny',
    schema: z.strictObject({ name: z.literal('tiny'), count: z.number().default(100) }),
    imagesPerClass: (config) => ({ train: config.count / 2, validation: 1, trainField: 'count', validationField: 'count' }),
    load: () => { throw new Error('not loaded in this test'); },
    heldOut: () => null,
    noHeldOut: () => 'tiny has no held-out split',
  };
  const schema = datasetsSchema([...DATASETS, tiny]);
  assert.equal(schema.safeParse({ name: 'tiny' }).success, false, 'one validation image per class is too few');
  const issues = schema.safeParse({ name: 'tiny' }).error!.issues;
  assert.deepEqual(issues.map((i) => i.path), [['count']]);
});

test('when the synthetic data set is loaded through its descriptor, then loadDataset and describeHeldOut agree with it', () => {
  const config = DatasetConfigSchema.parse({ name: 'synthetic', count: 200, testFraction: 0.1 });
  const dataset = loadDataset(config, Rng.fromSeed('datasets'));
  assert.equal(dataset.name, 'synthetic');
  assert.deepEqual(describeHeldOut(config), datasetOf('synthetic').heldOut(config as never));
  assert.equal(datasetOf('synthetic').noHeldOut({ ...config, testFraction: 0 } as never), 'the synthetic data set has no held-out test split (data.testFraction is 0)');
});
