import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { MomentumSgd, type SgdOptions } from '../../src/train/index.js';
import { sgdStep, sgdStepAll } from '../../src/tensor/wasm-kernels/sgd-step.js';
import { Rng } from '../../src/util/rng.js';

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

for (const backend of ['cpu', 'wasm'] as const) {
  test(`when SGD runs fused on ${backend}, then three steps equal the op-by-op update and no tensor is left behind`, async () => {
    await selectBackend(backend);
    const rng = Rng.fromSeed(`sgd-fused-${backend}`);
    const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
    const shapes = [[3, 3, 2, 4], [7], [5, 3]];
    for (const o of cases) {
      const inits = shapes.map((s) => values(s.reduce((a, b) => a * b, 1)));
      const gradValues = [0, 1, 2].map(() => shapes.map((s) => values(s.reduce((a, b) => a * b, 1))));
      const run = (fused: boolean): Float32Array[] => {
        const vars = shapes.map((s, i) => tf.variable(tf.tensor(inits[i]!, s)));
        const sgd = new MomentumSgd(vars, [vars[0]!, vars[2]!], o);
        sgd.useFusedKernel = fused;
        const before = tf.memory().numTensors;
        for (const step of gradValues) {
          const grads = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(step[i]!, shapes[i])]));
          sgd.apply(grads, 0.1);
          tf.dispose(Object.values(grads));
          assert.equal(tf.memory().numTensors, before, 'an update leaves no tensor behind');
        }
        const out = vars.map((v) => Float32Array.from(v.dataSync()));
        sgd.dispose();
        tf.dispose(vars);
        return out;
      };
      const fused = run(true);
      const plain = run(false);
      fused.forEach((f, i) => f.forEach((x, j) => assert.ok(Math.abs(x - plain[i]![j]!) <= 1e-5 * Math.max(1, Math.abs(plain[i]![j]!)), `${JSON.stringify(o)} var ${i}[${j}]: ${x} vs ${plain[i]![j]}`)));
    }
  });
}

test('when every variable is updated in one kernel call (SIMD float64 lanes on wasm), then the result equals the per-variable JS kernel bit for bit', async () => {
  await selectBackend('wasm');
  const rng = Rng.fromSeed('sgd-all');
  const shapes = [[3, 3, 2, 4], [7], [5, 3], [1], [3, 3, 32, 32]];
  const t = (s: number[]): tf.Tensor => tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s);
  const [ws, vs, gs] = [0, 1, 2].map(() => shapes.map(t));
  const wds = [5e-4, 0, 5e-4, 0, 5e-4];
  for (const attrs of [{ lr: 0.1, momentum: 0.9, nesterov: true, decoupled: false }, { lr: 0.05, momentum: 0.5, nesterov: false, decoupled: true }]) {
    const all = sgdStepAll(ws!, vs!, gs!, wds, attrs);
    ws!.forEach((w, i) => {
      const [w1, v1] = sgdStep(w, vs![i]!, gs![i]!, { ...attrs, wd: wds[i]! });
      assert.deepEqual(all.w[i]!.dataSync(), w1.dataSync());
      assert.deepEqual(all.v[i]!.dataSync(), v1.dataSync());
      tf.dispose([w1, v1]);
    });
    tf.dispose([...all.w, ...all.v]);
  }
  tf.dispose([...ws!, ...vs!, ...gs!]);
});
