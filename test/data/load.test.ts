import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetConfigSchema } from '../../src/data/config.js';
import { loadDataset } from '../../src/data/load.js';
import { computeChannelStats } from '../../src/data/normalize.js';
import { isEvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

test('when a section names mnist with only a name, then defaults are filled in', () => {
  const config = DatasetConfigSchema.parse({ name: 'mnist' });
  assert.deepEqual(config, {
    name: 'mnist',
    validationFraction: 0.2,
    testFraction: 0.2,
    resize: 'bilinear',
    normalize: true,
    augment: { crop: 0, flip: false },
  });
});

test('when a section has a typo, an unknown name or cifar10 without dir, then validation fails', () => {
  assert.equal(DatasetConfigSchema.safeParse({ name: 'mnist', limt: 10 }).success, false);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'imagenet' }).success, false);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'cifar10' }).success, false);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'mnist', augment: { crop: 1, flop: true } }).success, false);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'mnist', validationFraction: 1 }).success, false);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'cifar10', dir: '/d', validationFrom: 'test' }).success, true);
});

test('when every field of every variant is inspected, then each one has a description', () => {
  for (const option of DatasetConfigSchema.options) {
    for (const [key, field] of Object.entries(option.shape)) {
      assert.ok((field as { description?: string }).description, `${option.shape.name.value}.${key} has no description`);
    }
  }
});

test('when a synthetic section is loaded with a new size, then the data is resized and normalised by train statistics', () => {
  const config = DatasetConfigSchema.parse({ name: 'synthetic', count: 100, size: 10, channels: 2, imageSize: 16 });
  const ds = loadDataset(config, Rng.fromSeed(1));
  assert.deepEqual([ds.name, ds.height, ds.width, ds.channels], ['synthetic', 16, 16, 2]);
  const stats = computeChannelStats(ds.train, 2);
  for (let c = 0; c < 2; c++) {
    assert.ok(Math.abs(stats.mean[c]) < 1e-4);
    assert.ok(Math.abs(stats.std[c] - 1) < 1e-4);
  }
  const again = loadDataset(config, Rng.fromSeed(1));
  assert.deepEqual(again.train.images, ds.train.images);
});

test('when an mnist section is loaded with a limit and no normalisation, then pixels stay in [0, 1]', () => {
  const ds = loadDataset(DatasetConfigSchema.parse({ name: 'mnist', limit: 100, normalize: false }), Rng.fromSeed(1));
  assert.equal(ds.train.count + ds.validation.count, 100);
  assert.ok(ds.train.images.every((v) => v >= 0 && v <= 1));
});

test('when a cifar10 section points at a missing folder, then MISSING_FILE is thrown', () => {
  const config = DatasetConfigSchema.parse({ name: 'cifar10', dir: '/nonexistent/cifar-10-batches-bin' });
  assert.throws(() => loadDataset(config, Rng.fromSeed(1)), (err) => isEvonormError(err) && err.code === 'MISSING_FILE');
});
