import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { binaryOp, expandTo, groupStatistic, reduceSumTo, statistic, type BinaryOpName } from '../../src/tensor/fused/index.js';
import { Rng } from '../../src/util/rng.js';
import { maxRelDiff } from './helpers.js';

type Shape = number[];

function seeded(shape: Shape, seed: string, offset = 0): tf.Tensor {
  const rng = Rng.fromSeed(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => offset + rng.normal()), shape);
}

/** Value and gradients of Σ(up ⊙ f(inputs)) w.r.t. every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], up: tf.Tensor): tf.Tensor[] {
  const y = f(...inputs);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), up)))(inputs);
  return [y, ...grads];
}

function assertClose(got: tf.Tensor[], want: tf.Tensor[], tol: number, what: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => {
    const d = maxRelDiff(g, want[i]!);
    assert.ok(d < tol, `${what}: output ${i} differs by ${d}`);
  });
}

/** Max/min as tfjs computes them on operands broadcast to a common shape (the old path). */
function referenceBinary(op: BinaryOpName, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  switch (op) {
    case 'add': return tf.add(a, b);
    case 'sub': return tf.sub(a, b);
    case 'mul': return tf.mul(a, b);
    case 'div': return tf.div(a, b);
    case 'max': return tf.maximum(tf.broadcastTo(a, shape), tf.broadcastTo(b, shape));
    case 'min': return tf.minimum(tf.broadcastTo(a, shape), tf.broadcastTo(b, shape));
  }
}

const FULL: Shape = [3, 4, 5, 6];
const SMALL: Shape[] = [[1, 1, 1, 6], [3, 1, 1, 6], [1, 1, 1, 1], [3, 1, 1, 1], [1, 4, 5, 6], [3, 4, 5, 1], [1, 4, 1, 1]];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused GraphLayer blocks on ${backend}`, () => {
    test(`when a tensor is summed to or broadcast from a smaller shape on ${backend}, then it matches tf.sum and tf.broadcastTo`, async () => {
      await selectBackend(backend);
      tf.tidy(() => {
        const x = seeded(FULL, 'reduce');
        for (const shape of SMALL) {
          const axes = FULL.map((d, i) => (shape[i] === 1 && d !== 1 ? i : -1)).filter((i) => i >= 0);
          assert.ok(maxRelDiff(reduceSumTo(x, shape), tf.sum(x, axes, true)) < 1e-5, `sum to ${shape}`);
          const s = seeded(shape, `expand${shape}`);
          assert.ok(maxRelDiff(expandTo(s, FULL), tf.broadcastTo(s, FULL)) < 1e-6, `expand ${shape}`);
        }
      });
    });

    for (const op of ['add', 'sub', 'mul', 'div', 'max', 'min'] as const) {
      test(`when ${op} broadcasts on ${backend}, then its value and both gradients match tfjs's`, async () => {
        await selectBackend(backend);
        tf.tidy(() => {
          const up = seeded(FULL, `up-${op}`);
          for (const shape of SMALL) {
            // Divisors kept away from 0; max/min operands overlap so both branches are taken.
            const full = seeded(FULL, `a-${op}-${shape}`, op === 'div' ? 0 : 0.2);
            const small = op === 'div' ? tf.add(tf.abs(seeded(shape, `b-${shape}`)), 0.5) : seeded(shape, `b-${shape}`);
            for (const [a, b] of [[full, small], [small, full]] as const) {
              if (op === 'div' && b === full) continue;
              const got = valueAndGrads((p, q) => binaryOp(op, p!, q!), [a, b], up);
              const want = valueAndGrads((p, q) => referenceBinary(op, p!, q!), [a, b], up);
              assertClose(got, want, 1e-5, `${op} ${a.shape} ${b.shape}`);
            }
          }
        });
      });
    }

    test(`when max/min operands tie or are infinite on ${backend}, then the first operand takes the gradient and values are exact`, async () => {
      await selectBackend(backend);
      tf.tidy(() => {
        const a = tf.tensor([0, 2, -1, 0, Infinity, -Infinity], [1, 1, 2, 3]);
        const b = tf.tensor([0, 1, 5], [1, 1, 1, 3]);
        const up = tf.ones([1, 1, 2, 3]);
        for (const op of ['max', 'min'] as const) {
          const got = valueAndGrads((p, q) => binaryOp(op, p!, q!), [a, b], up);
          const want = valueAndGrads((p, q) => referenceBinary(op, p!, q!), [a, b], up);
          got.forEach((g, i) => assert.deepEqual(Array.from(g.dataSync()), Array.from(want[i]!.dataSync()), `${op} output ${i}`));
        }
      });
    });

    test(`when means and variances are taken over batch, instance and layer axes on ${backend}, then values and gradients match tf.moments`, async () => {
      await selectBackend(backend);
      tf.tidy(() => {
        for (const shape of [FULL, [3, 1, 1, 6], [1, 1, 1, 6]]) {
          const x = seeded(shape, `m-${shape}`, 1);
          const up = seeded([3, 1, 1, 6].map((d, i) => (shape[i] === 1 ? 1 : d)), 'up-m');
          for (const axes of [[0, 1, 2], [1, 2], [1, 2, 3]]) {
            for (const which of ['mean', 'var'] as const) {
              const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
              const upOut = tf.broadcastTo(tf.sum(up), outShape);
              const got = valueAndGrads((t) => statistic(t!, axes, which), [x], upOut);
              const want = valueAndGrads((t) => { const m = tf.moments(t!, axes, true); return which === 'mean' ? m.mean : m.variance; }, [x], upOut);
              assertClose(got, want, 1e-5, `${which} over ${axes} of ${shape}`);
            }
          }
        }
      });
    });

    test(`when group statistics are taken on ${backend}, then values and gradients match tf.moments over reshaped groups`, async () => {
      await selectBackend(backend);
      tf.tidy(() => {
        const [n, h, w, c] = [3, 4, 5, 8];
        const up = seeded([n, 1, 1, c], 'up-g');
        for (const groups of [1, 2, 4, 8]) {
          const x = seeded([n, h, w, c], `g-${groups}`, 1);
          for (const which of ['mean', 'var'] as const) {
            const reference = (t: tf.Tensor): tf.Tensor => {
              const m = tf.moments(tf.reshape(t, [n, h, w, groups, c / groups]), [1, 2, 4], true);
              const stat = which === 'mean' ? m.mean : m.variance;
              return tf.reshape(tf.tile(tf.reshape(stat, [n, groups, 1]), [1, 1, c / groups]), [n, 1, 1, c]);
            };
            // One group is the layer statistic, kept in its smaller shape [N,1,1,1].
            const got = valueAndGrads((t) => tf.broadcastTo(groupStatistic(t!, groups, which), [n, 1, 1, c]), [x], up);
            const want = valueAndGrads((t) => reference(t!), [x], up);
            assertClose(got, want, 1e-5, `${which} with ${groups} groups`);
          }
        }
      });
    });

    test(`when a channel is constant on ${backend}, then its variance is exactly 0 and its gradient finite`, async () => {
      await selectBackend(backend);
      tf.tidy(() => {
        const x = tf.mul(seeded([4, 3, 3, 2], 'const'), tf.tensor([0, 1]).reshape([1, 1, 1, 2]));
        const shifted = tf.add(x, 1000);
        for (const t of [x, shifted]) {
          const [v, dx] = valueAndGrads((a) => statistic(a!, [0, 1, 2], 'var'), [t], tf.ones([1, 1, 1, 2]));
          assert.equal(v!.dataSync()[0], 0);
          assert.ok(dx!.dataSync().every(Number.isFinite));
        }
      });
    });
  });
}
