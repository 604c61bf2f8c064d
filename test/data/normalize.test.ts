import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeChannelStats, normalizeChannels } from '../../src/data/normalize.js';
import { makeSynthetic } from '../../src/data/synthetic.js';
import { Rng } from '../../src/util/rng.js';

test('when channel statistics are computed, then they match a direct per-channel calculation', () => {
  // 2 images × 2 pixels × 2 channels: channel 0 = 1,2,3,4; channel 1 = 10,10,10,10
  const split = { images: Float32Array.from([1, 10, 2, 10, 3, 10, 4, 10]), labels: Int32Array.from([0, 1]), count: 2 };
  const stats = computeChannelStats(split, 2);
  assert.ok(Math.abs(stats.mean[0] - 2.5) < 1e-6);
  assert.ok(Math.abs(stats.std[0] - Math.sqrt(1.25)) < 1e-6);
  assert.ok(Math.abs(stats.mean[1] - 10) < 1e-6);
  assert.ok(stats.std[1] > 0 && stats.std[1] <= 1e-5, 'a constant channel gets the floor, not 0');
});

test('when a data set is normalised, then train channels have mean 0 and std 1 and validation uses train statistics', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(1), count: 200, channels: 3 });
  const stats = computeChannelStats(ds.train, 3);
  const out = normalizeChannels(ds);
  const after = computeChannelStats(out.train, 3);
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(after.mean[c]) < 1e-4);
    assert.ok(Math.abs(after.std[c] - 1) < 1e-4);
  }
  const i = 3 * 17 + 2; // some validation value of channel 2
  assert.ok(Math.abs(out.validation.images[i] - (ds.validation.images[i] - stats.mean[2]) / stats.std[2]) < 1e-5);
  assert.equal(out.train.labels, ds.train.labels);
});

test('when stats of the wrong channel count are given, then it throws', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(1), count: 20 });
  assert.throws(() => normalizeChannels(ds, { mean: new Float32Array(3), std: new Float32Array(3).fill(1) }), RangeError);
});
