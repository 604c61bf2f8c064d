import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { MomentumSgd, type SgdOptions } from '../../src/train/index.js';

await tf.setBackend('cpu');

/** Two updates of one weight with constant gradient g, computed by hand from the formulas. */
function byHand(w0: number, g: number, lr: number, o: SgdOptions): number {
  let w = w0;
  let v = 0;
  for (let i = 0; i < 2; i++) {
    const grad = o.weightDecayMode === 'decoupled' ? g : g + o.weightDecay * w;
    v = o.momentum * v + grad;
    const step = o.nesterov ? grad + o.momentum * v : v;
    const decay = o.weightDecayMode === 'decoupled' ? lr * o.weightDecay * w : 0;
    w = w - lr * step - decay;
  }
  return w;
}

const cases: SgdOptions[] = [
  { momentum: 0.9, nesterov: false, weightDecay: 0 },
  { momentum: 0.9, nesterov: true, weightDecay: 0 },
  { momentum: 0.5, nesterov: false, weightDecay: 0.1, weightDecayMode: 'l2' },
  { momentum: 0.5, nesterov: true, weightDecay: 0.1, weightDecayMode: 'decoupled' },
];

for (const o of cases) {
  test(`when SGD runs with ${JSON.stringify(o)}, then two steps match the update rule`, () => {
    const start = tf.memory().numTensors;
    const kernel = tf.tidy(() => tf.variable(tf.tensor1d([1.5])));
    const gamma = tf.tidy(() => tf.variable(tf.tensor1d([1.5])));
    const sgd = new MomentumSgd([kernel, gamma], [kernel], o);
    for (let i = 0; i < 2; i++) {
      tf.tidy(() => sgd.apply({ [kernel.name]: tf.tensor1d([0.3]), [gamma.name]: tf.tensor1d([0.3]) }, 0.2));
    }
    const decayedOnly = { ...o, weightDecay: 0 };
    assert.ok(Math.abs(kernel.dataSync()[0] - byHand(1.5, 0.3, 0.2, o)) < 1e-6);
    // Weight decay applies to kernels only.
    assert.ok(Math.abs(gamma.dataSync()[0] - byHand(1.5, 0.3, 0.2, decayedOnly)) < 1e-6);
    sgd.dispose();
    tf.dispose([kernel, gamma]);
    assert.equal(tf.memory().numTensors, start);
  });
}

test('when a variable has no gradient, then SGD leaves it unchanged', () => {
  const a = tf.variable(tf.tensor1d([1]));
  const b = tf.variable(tf.tensor1d([2]));
  const sgd = new MomentumSgd([a, b], [a, b], { momentum: 0.9, nesterov: false, weightDecay: 0.1 });
  tf.tidy(() => sgd.apply({ [a.name]: tf.tensor1d([1]) }, 0.1));
  assert.equal(b.dataSync()[0], 2);
  assert.ok(a.dataSync()[0] < 1);
  sgd.dispose();
  tf.dispose([a, b]);
});
