import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../../src/train/index.js';

await tf.setBackend('cpu');

/** Cross-entropy of one row computed by hand: −Σ t_k log softmax(z)_k. */
function byHand(row: number[], label: number, smoothing: number): number {
  const max = Math.max(...row);
  const logZ = max + Math.log(row.reduce((a, z) => a + Math.exp(z - max), 0));
  return -row.reduce((a, z, k) => a + ((k === label ? 1 - smoothing : 0) + smoothing / row.length) * (z - logZ), 0);
}

const rows = [
  [2, -1, 0.5],
  [0, 0, 0],
  [-3, 4, 1],
];
const labels = [0, 2, 1];

for (const smoothing of [0, 0.1]) {
  test(`when the smoothing is ${smoothing}, then the loss is the mean of the per-row cross-entropies`, () => {
    const loss = tf.tidy(() => crossEntropy(tf.tensor2d(rows), tf.tensor1d(labels, 'int32'), smoothing).dataSync()[0]);
    const expected = rows.reduce((a, r, i) => a + byHand(r, labels[i], smoothing), 0) / rows.length;
    assert.ok(Math.abs(loss - expected) < 1e-5, `${loss} vs ${expected}`);
  });
}

test('when the logits are huge, then the loss stays finite', () => {
  const loss = tf.tidy(() => crossEntropy(tf.tensor2d([[1e4, -1e4]]), tf.tensor1d([1], 'int32')).dataSync()[0]);
  assert.ok(Math.abs(loss - 2e4) < 1);
});
