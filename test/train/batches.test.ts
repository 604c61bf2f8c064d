import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BatchSampler, channelStats, makeBatch } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';

await tf.setBackend('cpu');

test('when batches are drawn, then each epoch visits every example exactly once', () => {
  const sampler = new BatchSampler(10, Rng.fromSeed(1));
  const drawn = [...sampler.next(4), ...sampler.next(4), ...sampler.next(4), ...sampler.next(4), ...sampler.next(4)];
  assert.deepEqual(drawn.slice(0, 10).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(drawn.slice(10, 20).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(drawn.slice(0, 10), drawn.slice(10, 20));
});

test('when two samplers share a seed, then they draw the same batches; another seed differs', () => {
  const draw = (seed: number) => new BatchSampler(50, Rng.fromSeed(seed)).next(20);
  assert.deepEqual(draw(3), draw(3));
  assert.notDeepEqual(draw(3), draw(4));
});

test('when a batch is made with channel statistics, then each channel is normalised', () => {
  // 2 images of 1×2 pixels × 2 channels: channel 0 values 1,3,5,7; channel 1 values 10,10,20,20.
  const split = { images: Float32Array.from([1, 10, 3, 10, 5, 20, 7, 20]), labels: Int32Array.from([0, 1]), count: 2 };
  const stats = channelStats(split, 2);
  assert.deepEqual(stats.mean, [4, 15]);
  assert.ok(Math.abs(stats.std[0] - Math.sqrt(5)) < 1e-9 && Math.abs(stats.std[1] - 5) < 1e-9);
  const batch = makeBatch(split, [1, 0], [1, 2, 2], stats);
  assert.deepEqual(batch.images.shape, [2, 1, 2, 2]);
  assert.deepEqual(Array.from(batch.labels.dataSync()), [1, 0]);
  const values = Array.from(batch.images.dataSync());
  assert.ok(Math.abs(values[0] - 1 / Math.sqrt(5)) < 1e-6 && Math.abs(values[1] - 1) < 1e-6);
  tf.dispose([batch.images, batch.labels]);
});

test('when the split does not match the model input, then makeBatch refuses', () => {
  const split = { images: new Float32Array(8), labels: new Int32Array(2), count: 2 };
  assert.throws(() => makeBatch(split, [0], [2, 2, 2], null), RangeError);
});
