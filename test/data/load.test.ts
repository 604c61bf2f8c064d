import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { DatasetConfigSchema, MAX_IMAGE_SIZE } from '../../src/data/config.js';
import { loadDataset } from '../../src/data/load.js';
import { computeChannelStats } from '../../src/data/normalize.js';
import { isEvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

test('when a section names mnist with only a name, then defaults are filled in', () => {
  const config = DatasetConfigSchema.parse({ name: 'mnist' });
  assert.deepEqual(config, {
    name: 'mnist',
    validationSize: 10_000,
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
  assert.equal(DatasetConfigSchema.safeParse({ name: 'mnist', validationSize: 0 }).success, false);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'fashion-mnist', dir: '' }).success, false);
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

test('when an mnist section is loaded with limits and no normalisation, then pixels stay in [0, 1]', () => {
  const ds = loadDataset(DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 100, validationLimit: 20, normalize: false }), Rng.fromSeed(1));
  assert.equal(ds.train.count + ds.validation.count, 120);
  assert.ok(ds.train.images.every((v) => v >= 0 && v <= 1));
});

test('when a cifar10 section points at a missing folder, then MISSING_FILE is thrown', () => {
  const config = DatasetConfigSchema.parse({ name: 'cifar10', dir: '/nonexistent/cifar-10-batches-bin' });
  assert.throws(() => loadDataset(config, Rng.fromSeed(1)), (err) => isEvonormError(err) && err.code === 'MISSING_FILE');
});

/** The fields and messages of a refused dataset section. */
function refused(section: unknown): { paths: string[]; text: string } {
  const result = DatasetConfigSchema.safeParse(section);
  assert.equal(result.success, false, `${JSON.stringify(section)} was accepted`);
  return { paths: [...new Set(result.error!.issues.map((i) => i.path.join('.')))], text: z.prettifyError(result.error!) };
}

test('when an mnist section uses the old fields, then it is refused with what replaced them', () => {
  assert.match(refused({ name: 'mnist', testFraction: 0.2 }).text, /"testFraction" is gone, the held-out test split is now the official 10,000 test images/);
  assert.match(refused({ name: 'mnist', validationFraction: 0.2 }).text, /"validationFraction" is gone, use validationSize/);
  assert.match(refused({ name: 'fashion-mnist', limit: 1000 }).text, /"limit" is gone, use trainLimit and validationLimit/);
  assert.match(refused({ name: 'mnist', limt: 10 }).text, /Unrecognized key.*limt/);
});

test('when a section leaves too few images per class, then the message names the field that causes it', () => {
  assert.deepEqual(refused({ name: 'mnist', trainLimit: 50 }).paths, ['trainLimit']);
  assert.deepEqual(refused({ name: 'mnist', validationLimit: 10 }).paths, ['validationLimit']);
  assert.deepEqual(refused({ name: 'mnist', validationSize: 10 }).paths, ['validationSize']);
  assert.deepEqual(refused({ name: 'fashion-mnist', validationSize: 59_990 }).paths, ['validationSize']);
  assert.deepEqual(refused({ name: 'synthetic', validationFraction: 0 }).paths, ['validationFraction']);
  assert.deepEqual(refused({ name: 'synthetic', validationFraction: 0.99 }).paths, ['validationFraction']);
  assert.deepEqual(refused({ name: 'synthetic', count: 30 }).paths, ['count']);
  assert.deepEqual(refused({ name: 'cifar10', dir: '/d', trainLimit: 20 }).paths, ['trainLimit']);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'mnist', trainLimit: 80, validationLimit: 20 }).success, true);
});

test('when imageSize is absurdly large, then the schema refuses it, naming the field', () => {
  for (const name of ['mnist', 'fashion-mnist', 'synthetic']) {
    assert.deepEqual(refused({ name, imageSize: 1e9 }).paths, ['imageSize']);
  }
  assert.deepEqual(refused({ name: 'cifar10', dir: '/d', imageSize: MAX_IMAGE_SIZE + 1 }).paths, ['imageSize']);
  assert.equal(DatasetConfigSchema.safeParse({ name: 'mnist', imageSize: MAX_IMAGE_SIZE }).success, true);
});

test('when a fashion-mnist section points at a missing folder, then MISSING_FILE says how to get the files', () => {
  const config = DatasetConfigSchema.parse({ name: 'fashion-mnist', dir: '/nonexistent/fashion-mnist' });
  assert.throws(() => loadDataset(config, Rng.fromSeed(1)), (err) => isEvonormError(err) && err.code === 'MISSING_FILE' && /dataset-fashion-mnist/.test(err.message));
});
