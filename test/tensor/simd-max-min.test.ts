/**
 * The SIMD max/min kernels (wasm/simd/kernels.ts maxmin_forward and maxmin_backward, used by
 * src/tensor/fused/binary.ts): max(a, b) and min(a, b) and the gradients of Σ up ⊙ value for a
 * and b, with both operands full or one of them a statistic broadcast over instance, batch or
 * layer ([N,1,1,C], [1,1,1,C], [N,1,1,1]) in either order, on every norm-site shape of the three
 * proxies at 14×14 and 28×28 (batch 64) and on odd shapes, with ties and NaN in the inputs:
 * equal to the op-by-op path (the 'graph-ops' family off) within 1e-5 relative, NaN where it
 * has NaN.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { binaryOp } from '../../src/tensor/fused/index.js';
import { setSimdFamilyEnabled } from '../../src/tensor/wasm-kernels/simd/index.js';
import { proxySiteShapes, seededInput } from './helpers.js';

const TOL = 1e-5;
type Shape4 = [number, number, number, number];

/** The value and [da, db] of Σ up ⊙ op(a, b), with the SIMD family on or off. */
function run(op: 'max' | 'min', a: tf.Tensor, b: tf.Tensor, up: tf.Tensor, simd: boolean): tf.Tensor[] {
  setSimdFamilyEnabled('graph-ops', simd);
  const value = binaryOp(op, a, b);
  const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(binaryOp(op, x, y), up)))([a, b]);
  return [value, ...grads];
}

/** Max |x − y| / max(1, |y|) over the non-NaN entries; Infinity where only one is NaN. */
function diff(x: tf.Tensor, y: tf.Tensor): number {
  assert.deepEqual(x.shape, y.shape);
  const a = x.dataSync();
  const b = y.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) {
      if (!(Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  }
  return worst;
}

/** A seeded operand of `shape`, with some entries copied from `tieWith` (ties) and a NaN when asked. */
function operand(shape: number[], seed: string, nan: boolean): tf.Tensor {
  const t = seededInput([1, 1, 1, shape.reduce((p, d) => p * d, 1)], seed).reshape(shape);
  if (!nan) return t;
  const data = t.dataSync().slice();
  data[Math.floor(data.length / 2)] = NaN;
  return tf.tensor(data, shape);
}

function check(full: Shape4, nan = false): void {
  const [n, , , c] = full;
  const smalls: number[][] = [[...full], [n, 1, 1, c], [1, 1, 1, c], [n, 1, 1, 1]];
  for (const small of smalls) {
    for (const [aShape, bShape] of [[full, small], [small, full]]) {
      for (const op of ['max', 'min'] as const) {
        tf.tidy(() => {
          const a = operand(aShape!, `a${aShape}`, nan);
          // b: half of it from a's values where shapes match, so ties occur.
          const b0 = operand(bShape!, `b${bShape}`, false);
          const b = sameShape(aShape!, bShape!) ? tf.where(tf.greater(b0, 0.5), a, b0) : b0;
          const up = seededInput(full, `up${full}`);
          const simd = run(op, a, b, up, true);
          const ops = run(op, a, b, up, false);
          ['value', 'da', 'db'].forEach((what, i) => {
            const d = diff(simd[i]!, ops[i]!);
            assert.ok(d <= TOL, `${op}([${aShape}], [${bShape}]) ${what}: differs from op by op by ${d}`);
          });
        });
      }
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

describe('SIMD max and min with broadcast statistics', () => {
  before(async () => {
    await selectBackend('wasm');
  });
  after(() => setSimdFamilyEnabled('graph-ops', true));

  test('when max/min run on every proxy site shape (batch 64) with the SIMD kernels, then value and gradients equal the op-by-op path within 1e-5', () => {
    for (const [h, w, c] of proxySiteShapes()) check([64, h, w, c]);
  });

  test('when the shapes are odd (C = 1, 3, 5, 13; odd H·W; batch 1) or an input has NaN, then they agree as well, NaN for NaN', () => {
    for (const shape of [[3, 5, 7, 1], [3, 5, 7, 3], [1, 3, 3, 5], [3, 7, 7, 13], [2, 1, 1, 6]] as Shape4[]) check(shape);
    check([3, 5, 5, 6], true);
  });

  test('when max and its gradient are taken in a training step, then no tensor is left behind', () => {
    setSimdFamilyEnabled('graph-ops', true);
    const x = tf.variable(seededInput([4, 5, 5, 8], 'x'));
    const s = tf.variable(seededInput([4, 1, 1, 8], 's'));
    const before = tf.memory().numTensors;
    tf.tidy(() => { tf.variableGrads(() => tf.sum(binaryOp('max', x, s)) as tf.Scalar, [x, s]); });
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
    s.dispose();
  });
});
