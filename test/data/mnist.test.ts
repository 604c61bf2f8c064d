import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetConfigSchema } from '../../src/data/config.js';
import { MNIST } from '../../src/data/idx-datasets.js';
import { idxSplitPositions, loadIdxDataset, readIdxSplit } from '../../src/data/idx-load.js';
import { loadDataset } from '../../src/data/load.js';
import { Rng } from '../../src/util/rng.js';

const train = readIdxSplit(MNIST, MNIST.defaultDir(), 'train');
const t10k = readIdxSplit(MNIST, MNIST.defaultDir(), 'test');

function histogram(labels: ArrayLike<number>): number[] {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

test('when MNIST is split with defaults, then 10,000 training images are held out for validation, stratified by class, the rest train', () => {
  const where = idxSplitPositions(train.labels, undefined, 10, { rng: Rng.fromSeed('data') });
  assert.equal(where.validation.length, 10_000);
  assert.equal(where.train.length, 50_000);
  assert.equal(new Set([...where.train, ...where.validation]).size, 60_000);
  const all = histogram(train.labels);
  histogram(where.validation.map((p) => train.labels[p])).forEach((n, k) => assert.ok(Math.abs(n - all[k] / 6) <= 1, `class ${k}: ${n} of ${all[k]}`));
  assert.deepEqual(where.test, []);
});

test('when the seed is the same, then the split is identical, and when it differs, then the split differs', () => {
  const options = { validationSize: 2000, trainLimit: 3000 };
  const a = idxSplitPositions(train.labels, t10k.labels, 10, { rng: Rng.fromSeed(7), ...options, testLimit: 500 });
  const b = idxSplitPositions(train.labels, t10k.labels, 10, { rng: Rng.fromSeed(7), ...options, testLimit: 500 });
  const c = idxSplitPositions(train.labels, t10k.labels, 10, { rng: Rng.fromSeed(8), ...options, testLimit: 500 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.train, c.train);
  assert.notDeepEqual(a.validation, c.validation);
  assert.notDeepEqual(a.test, c.test);
});

test('when limits are given, then train and validation stay disjoint, are balanced, and the validation split does not move with trainLimit', () => {
  const a = idxSplitPositions(train.labels, undefined, 10, { rng: Rng.fromSeed(1), validationSize: 5000, trainLimit: 1005, validationLimit: 200 });
  assert.equal(a.train.length, 1005);
  assert.deepEqual(histogram(a.train.map((p) => train.labels[p])).sort(), [100, 100, 100, 100, 100, 101, 101, 101, 101, 101]);
  assert.deepEqual(histogram(a.validation.map((p) => train.labels[p])), new Array(10).fill(20));
  const validation = new Set(a.validation);
  for (const p of a.train) assert.ok(!validation.has(p), `training image ${p} is also a validation image`);
  const b = idxSplitPositions(train.labels, undefined, 10, { rng: Rng.fromSeed(1), validationSize: 5000, trainLimit: 3000, validationLimit: 200 });
  assert.deepEqual(b.validation, a.validation);
});

test('when MNIST is loaded, then it is 28×28×1 in [0, 1] with the images the positions name, and a search never decodes the test split', () => {
  const options = { rng: Rng.fromSeed(3), validationSize: 1000, trainLimit: 500, validationLimit: 100 };
  const ds = loadIdxDataset(MNIST, options);
  assert.deepEqual([ds.name, ds.height, ds.width, ds.channels, ds.numClasses, ds.train.count, ds.validation.count], ['mnist', 28, 28, 1, 10, 500, 100]);
  assert.equal(ds.test, undefined);
  assert.ok(ds.train.images.every((v) => v >= 0 && v <= 1));
  const where = idxSplitPositions(train.labels, undefined, 10, options);
  const p = where.train[17];
  assert.deepEqual(Array.from(ds.train.images.subarray(17 * 784, 18 * 784), (v) => Math.round(v * 255)), Array.from(train.images.pixels.subarray(p * 784, (p + 1) * 784)));
  assert.equal(ds.train.labels[17], train.labels[p]);
});

test('when MNIST is scored on its test split, then it is the official t10k, balanced by testLimit, with training unchanged', () => {
  const config = DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 300, validationLimit: 100, imageSize: 7 });
  const search = loadDataset(config, Rng.fromSeed('data'));
  const scored = loadDataset(config, Rng.fromSeed('data'), 'test');
  assert.deepEqual(scored.train.images, search.train.images);
  assert.equal(scored.validation.count, 10_000);
  assert.deepEqual(histogram(scored.validation.labels), histogram(t10k.labels));
  const limited = loadIdxDataset(MNIST, { rng: Rng.fromSeed(1), withTest: true, testLimit: 1000, trainLimit: 100 });
  assert.deepEqual(histogram(limited.test!.labels), new Array(10).fill(100));
});
