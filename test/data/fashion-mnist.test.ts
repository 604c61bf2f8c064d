import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DatasetConfigSchema } from '../../src/data/config.js';
import { FASHION_MNIST } from '../../src/data/idx-datasets.js';
import { readIdxSplit } from '../../src/data/idx-load.js';
import { loadDataset } from '../../src/data/load.js';
import { Rng } from '../../src/util/rng.js';
import { fashionMnistDir } from './dataset-available.js';

function histogram(labels: ArrayLike<number>): number[] {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

test('when the Debian Fashion-MNIST files are read, then they hold 60,000 and 10,000 balanced images with the known first images', (t) => {
  const dir = fashionMnistDir(t);
  if (!dir) return;
  const train = readIdxSplit(FASHION_MNIST, dir, 'train');
  const t10k = readIdxSplit(FASHION_MNIST, dir, 'test');
  assert.deepEqual([train.count, t10k.count, train.images.rows, train.images.cols], [60000, 10000, 28, 28]);
  assert.deepEqual(histogram(train.labels), new Array(10).fill(6000));
  assert.deepEqual(histogram(t10k.labels), new Array(10).fill(1000));
  assert.deepEqual(Array.from(train.labels.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  assert.equal(sha(train.images.pixels.subarray(0, 100 * 784)), '9fd5e05238929f78');
  assert.equal(sha(t10k.images.pixels.subarray(0, 100 * 784)), 'd8c9b85550f6c8fa');
});

test('when a fashion-mnist section is loaded, then its splits are balanced and its test split is the official 10,000', (t) => {
  if (!fashionMnistDir(t)) return;
  const config = DatasetConfigSchema.parse({ name: 'fashion-mnist', trainLimit: 1000, validationLimit: 200, normalize: false });
  const ds = loadDataset(config, Rng.fromSeed('data'));
  assert.deepEqual([ds.name, ds.height, ds.channels, ds.train.count, ds.validation.count], ['fashion-mnist', 28, 1, 1000, 200]);
  assert.deepEqual(histogram(ds.train.labels), new Array(10).fill(100));
  const scored = loadDataset(config, Rng.fromSeed('data'), 'test');
  assert.deepEqual(histogram(scored.validation.labels), new Array(10).fill(1000));
});
