/**
 * The SIMD log and sqrt of graph layers (wasm/simd/kernels.ts signed_unary_forward/backward,
 * used by src/tensor/op-kernels.ts): s·f(|x| + ε) and f(x + ε) and the gradient of Σ up ⊙ value,
 * on every norm-site shape of the three proxies at 14×14 and 28×28 (batch 64) and on odd sizes
 * (n % 4 ≠ 0), with zeros, negatives, tiny, huge and NaN inputs and ε = 1e-5 and 0: equal to the
 * op-by-op path (the 'graph-ops' family off) within 1e-5 relative (the same ±∞ and NaN), and the
 * log within 1e-6 of a float64 logarithm.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { TFJS_KERNELS } from '../../src/tensor/op-kernels.js';
import { setSimdFamilyEnabled } from '../../src/tensor/wasm-kernels/simd/index.js';
import { proxySiteShapes, seededInput } from './helpers.js';

const TOL = 1e-5;

/** Value and gradient of Σ up ⊙ op(x) through op-kernels, SIMD family on or off. */
function run(op: 'log' | 'sqrt', x: tf.Tensor, up: tf.Tensor, eps: number, aNonNegative: boolean, simd: boolean): [tf.Tensor, tf.Tensor] {
  setSimdFamilyEnabled('graph-ops', simd);
  const f = (t: tf.Tensor): tf.Tensor => TFJS_KERNELS[op](t, t, { eps, aNonNegative });
  return [f(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), up)))(x)];
}

/** Max |a − b| / max(1, |b|) over finite pairs; Infinity where the non-finite values differ. */
function diff(x: tf.Tensor, y: tf.Tensor): number {
  const a = x.dataSync();
  const b = y.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) {
      if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  }
  return worst;
}

/** x with special values spliced in: 0, −0, ±tiny, ±huge, subnormal, NaN (the first 10 entries). */
function withSpecials(x: tf.Tensor, nonNegative: boolean): tf.Tensor {
  const d = x.dataSync().slice();
  const specials = [0, -0, 1e-30, -1e-30, 3e38, -3e38, 1e-42, NaN, 1, -1];
  specials.forEach((v, i) => { if (i < d.length) d[i] = nonNegative ? Math.abs(v) : v; });
  return tf.tensor(nonNegative ? d.map(Math.abs) : d, x.shape);
}

function check(shape: [number, number, number, number]): void {
  for (const op of ['log', 'sqrt'] as const) {
    for (const nonNegative of [false, true]) {
      for (const eps of [1e-5, 0]) {
        tf.tidy(() => {
          const x = withSpecials(seededInput(shape, `x${shape}`), nonNegative);
          const up = seededInput(shape, `up${shape}`);
          const [v1, g1] = run(op, x, up, eps, nonNegative, true);
          const [v0, g0] = run(op, x, up, eps, nonNegative, false);
          const where = `${op} ${nonNegative ? 'unsigned' : 'signed'} ε=${eps} [${shape}]`;
          assert.ok(diff(v1, v0) <= TOL, `${where}: value differs from op by op by ${diff(v1, v0)}`);
          assert.ok(diff(g1, g0) <= TOL, `${where}: gradient differs from op by op by ${diff(g1, g0)}`);
        });
      }
    }
  }
}

describe('SIMD log and sqrt with sign⁺', () => {
  before(async () => {
    await selectBackend('wasm');
  });
  after(() => setSimdFamilyEnabled('graph-ops', true));

  test('when log and sqrt run on every proxy site shape (batch 64) with the SIMD kernels, then value and gradient equal the op-by-op path within 1e-5', () => {
    for (const [h, w, c] of proxySiteShapes()) check([64, h, w, c]);
  });

  test('when the sizes are odd (n % 4 = 1, 2, 3), then they agree as well', () => {
    for (const shape of [[1, 1, 1, 1], [1, 1, 1, 10], [3, 5, 7, 1], [2, 3, 3, 13]] as Array<[number, number, number, number]>) check(shape);
  });

  test('when log runs over positive floats from 1e-37 to 1e38, then it is within 1e-6 of the float64 logarithm', () => {
    setSimdFamilyEnabled('graph-ops', true);
    const xs = Float32Array.from({ length: 4001 }, (_, i) => 10 ** (-37 + (75 * i) / 4000));
    const y = tf.tidy(() => TFJS_KERNELS.log(tf.tensor(xs), tf.scalar(0), { eps: 0, aNonNegative: true }).dataSync());
    let worst = 0;
    xs.forEach((v, i) => { worst = Math.max(worst, Math.abs(y[i]! - Math.log(v)) / Math.max(1, Math.abs(Math.log(v)))); });
    assert.ok(worst <= 1e-6, `worst relative error ${worst}`);
  });
});
