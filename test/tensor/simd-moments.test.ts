/**
 * The SIMD moments kernels (wasm/simd/kernels.ts moments_middle and moments_middle_grad, used by
 * src/tensor/fused/moments.ts statistic): the mean and variance over instance, batch and layer,
 * and the gradients of Σ up ⊙ statistic, on every norm-site shape of the three proxies at 14×14
 * and 28×28 (batch 64) and on odd shapes (C = 1, 3, 5, 13; odd H·W; batch 1 and 3; a
 * zero-variance channel), against the op-by-op path (the 'graph-ops' family off) within 1e-5
 * relative — they are built to be equal bit for bit — and against a float64 answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { statistic, type Statistic } from '../../src/tensor/fused/moments.js';
import { setSimdFamilyEnabled, simdMomentsAvailable } from '../../src/tensor/wasm-kernels/simd/index.js';
import { maxRelDiff, proxySiteShapes, seededInput } from './helpers.js';

const TOL = 1e-5;
type Shape4 = [number, number, number, number];
const AXES: ReadonlyArray<readonly [string, readonly number[]]> = [['instance', [1, 2]], ['batch', [0, 1, 2]], ['layer', [1, 2, 3]]];

/** The statistic and the gradient of Σ up ⊙ statistic, with the SIMD family on or off. */
function run(x: tf.Tensor, up: tf.Tensor, axes: readonly number[], which: Statistic, simd: boolean): { value: tf.Tensor; dx: tf.Tensor } {
  setSimdFamilyEnabled('graph-ops', simd);
  const value = statistic(x, axes, which);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(statistic(t, axes, which), up)))(x);
  return { value, dx };
}

/** Float64 statistic over `axes` of x, kept dims, and its gradient for upstream `up`. */
function reference(x: tf.Tensor, up: tf.Tensor, axes: readonly number[], which: Statistic): { value: Float64Array; dx: Float64Array } {
  const shape = x.shape;
  const data = Float64Array.from(x.dataSync());
  const u = up.dataSync();
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outStrides = outShape.map((_, i) => outShape.slice(i + 1).reduce((a, d) => a * d, 1));
  const size = outShape.reduce((a, d) => a * d, 1);
  const count = data.length / size;
  const sum = new Float64Array(size);
  const sq = new Float64Array(size);
  // The output index of every input element, walking the coordinates in row-major order (an
  // odometer): a step along a kept axis moves the output index by that axis's output stride.
  const idx = new Int32Array(data.length);
  const coord = shape.map(() => 0);
  for (let i = 0, o = 0; i < data.length; i++) {
    idx[i] = o;
    for (let a = shape.length - 1; a >= 0; a--) {
      const step = axes.includes(a) ? 0 : outStrides[a]!;
      coord[a]!++;
      o += step;
      if (coord[a]! < shape[a]!) break;
      coord[a] = 0;
      o -= step * shape[a]!;
    }
  }
  data.forEach((v, i) => { sum[idx[i]!] += v; });
  const mean = sum.map((s) => s / count);
  data.forEach((v, i) => { sq[idx[i]!] += (v - mean[idx[i]!]!) ** 2; });
  const variance = sq.map((s) => s / count);
  const dx = Float64Array.from(data, (v, i) => (which === 'mean' ? u[idx[i]!]! / count : (2 * u[idx[i]!]! * (v - mean[idx[i]!]!)) / count));
  return { value: which === 'mean' ? mean : variance, dx };
}

/** Max |a − b| / max(1, max |b|). */
function relToLargest(a: tf.Tensor, b: Float64Array): number {
  const x = a.dataSync();
  const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(x[i]! - b[i]!) / scale);
  return worst;
}

function check(shape: Shape4, zeroChannels: number[] = []): void {
  for (const [name, axes] of AXES) {
    for (const which of ['mean', 'var'] as const) {
      tf.tidy(() => {
        const x = seededInput(shape, `x${shape}`, zeroChannels);
        const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const up = seededInput(outShape as Shape4, `up${shape}${name}`);
        const simd = run(x, up, axes, which, true);
        const ops = run(x, up, axes, which, false);
        const where = `${which} over ${name} of [${shape}]`;
        assert.ok(maxRelDiff(simd.value, ops.value) <= TOL, `${where}: value differs from op by op by ${maxRelDiff(simd.value, ops.value)}`);
        assert.ok(maxRelDiff(simd.dx, ops.dx) <= TOL, `${where}: gradient differs from op by op by ${maxRelDiff(simd.dx, ops.dx)}`);
        const ref = reference(x, up, axes, which);
        assert.ok(relToLargest(simd.value, ref.value) <= TOL, `${where}: value differs from float64 by ${relToLargest(simd.value, ref.value)}`);
        assert.ok(relToLargest(simd.dx, ref.dx) <= TOL, `${where}: gradient differs from float64 by ${relToLargest(simd.dx, ref.dx)}`);
      });
    }
  }
}

describe('SIMD moments over instance, batch and layer', () => {
  before(async () => {
    await selectBackend('wasm');
  });
  after(() => setSimdFamilyEnabled('graph-ops', true));

  test('when the kernels are on, then they run on the wasm backend', () => {
    setSimdFamilyEnabled('graph-ops', true);
    assert.equal(simdMomentsAvailable(tf.zeros([2, 3, 3, 4])), true);
  });

  test('when statistics of every proxy site shape (batch 64) are taken with the SIMD kernels, then values and gradients equal the op-by-op path and float64 within 1e-5', () => {
    for (const [h, w, c] of proxySiteShapes()) check([64, h, w, c]);
  });

  test('when the shapes are odd (C = 1, 3, 5, 13; odd H·W; batch 1 and 3; a zero-variance channel), then they agree as well', () => {
    for (const shape of [[3, 5, 7, 1], [3, 5, 7, 3], [1, 3, 3, 5], [3, 7, 7, 13], [2, 1, 1, 6], [3, 9, 1, 8]] as Shape4[]) check(shape);
    check([3, 5, 5, 6], [2]);
  });

  test('when a statistic and its gradient are taken, then no tensor is left behind', () => {
    setSimdFamilyEnabled('graph-ops', true);
    // As a training step takes them (tf.grad itself keeps one tensor per call, SIMD or not).
    const x = tf.variable(seededInput([4, 5, 5, 8], 'mem'));
    const before = tf.memory().numTensors;
    for (const which of ['mean', 'var'] as const) tf.tidy(() => { tf.variableGrads(() => tf.sum(statistic(x, [1, 2], which)) as tf.Scalar, [x]); });
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
