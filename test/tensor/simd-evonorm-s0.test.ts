/**
 * The SIMD EvoNorm-S0 kernels (wasm/simd/kernels.ts evonorm_s0_forward/backward, its own SIMD
 * exp): y and the gradients of Σ up ⊙ y for x, v1, γ, β on every norm-site shape of the three
 * proxies at 14×14 and 28×28 (batch 64, GraphLayer's group count) and on odd shapes (C = 1, 6, 13,
 * one group, one channel per group, a zero-variance group, large |v1·x| where σ saturates),
 * against a float64 answer of the formulas, the JS kernel (SIMD family off) and the op-by-op
 * tfjs ops (autodiff): within 1e-5 of the answer's largest magnitude (where σ saturates, 1e-5
 * plus the closer other path's distance: float32 s(1 − s) keeps few digits there), and of the
 * other two paths within 1e-5 plus their own distance from the float64 answer. Then GraphLayer takes the fused
 * kernel at every size when the SIMD kernel is on, and only up to FUSED_MAX_SIZE when it is off.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_GROUPS } from '../../src/graph/ops.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { proxySiteShapes } from './helpers.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { effectiveGroups } from '../../src/tensor/layer-options.js';
import { evonormS0, simdEvonormS0Active } from '../../src/tensor/wasm-kernels/index.js';
import { setSimdFamilyEnabled } from '../../src/tensor/wasm-kernels/simd/index.js';
import { Rng } from '../../src/util/rng.js';

const TOL = 1e-5;
const EPS = 1e-5;
type Shape4 = [number, number, number, number];
const OUTPUTS = ['y', 'dx', 'dv1', 'dgamma', 'dbeta'] as const;
type Results = Record<(typeof OUTPUTS)[number], Float64Array | Float32Array>;

interface Inputs { x: Float32Array; v1: Float32Array; gamma: Float32Array; beta: Float32Array; up: Float32Array }

function seededInputs(shape: Shape4, seed: string, opts: { zeroGroup?: boolean; bigV1?: boolean } = {}): Inputs {
  const rng = Rng.fromSeed(seed);
  const c = shape[3];
  const size = shape.reduce((a, d) => a * d, 1);
  const x = Float32Array.from({ length: size }, (_, i) => (opts.zeroGroup && i % c === 0 ? 0.25 : 0.3 * (i % c) + (1 + 0.2 * (i % c)) * rng.normal()));
  const v1 = Float32Array.from({ length: c }, () => (opts.bigV1 ? 40 : 1) * (1 + 0.5 * rng.normal()));
  const gamma = Float32Array.from({ length: c }, () => 1 + 0.3 * rng.normal());
  const beta = Float32Array.from({ length: c }, () => 0.3 * rng.normal());
  const up = Float32Array.from({ length: size }, () => rng.normal());
  return { x, v1, gamma, beta, up };
}

/** The float64 answer: y = x·σ(v1·x)·r_g·γ + β and the gradients of Σ up ⊙ y (the formulas of evonorm-s0-math.ts). */
function reference(shape: Shape4, groups: number, v: Inputs): Results {
  const [n, h, w, c] = shape;
  const hw = h * w;
  const per = c / groups;
  const m = hw * per;
  const size = n * hw * c;
  const out = { y: new Float64Array(size), dx: new Float64Array(size), dv1: new Float64Array(c), dgamma: new Float64Array(c), dbeta: new Float64Array(c) };
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      let sum = 0;
      for (let p = 0; p < hw; p++) for (let k = g * per; k < (g + 1) * per; k++) sum += v.x[(b * hw + p) * c + k]!;
      const mean = sum / m;
      let sq = 0;
      for (let p = 0; p < hw; p++) for (let k = g * per; k < (g + 1) * per; k++) sq += (v.x[(b * hw + p) * c + k]! - mean) ** 2;
      const r = 1 / Math.sqrt(sq / m + EPS);
      let dr = 0;
      for (let p = 0; p < hw; p++) {
        for (let k = g * per; k < (g + 1) * per; k++) {
          const i = (b * hw + p) * c + k;
          const x = v.x[i]!;
          const s = 1 / (1 + Math.exp(-v.v1[k]! * x));
          const u = x * s;
          const dy = v.up[i]!;
          out.y[i] = u * r * v.gamma[k]! + v.beta[k]!;
          out.dbeta[k]! += dy;
          out.dgamma[k]! += dy * u * r;
          const du = dy * v.gamma[k]! * r;
          const xds = x * s * (1 - s);
          out.dv1[k]! += du * x * xds;
          out.dx[i] = du * (s + v.v1[k]! * xds);
          dr += dy * v.gamma[k]! * u;
        }
      }
      const coef = (-(r * r * r) * dr) / m;
      for (let p = 0; p < hw; p++) for (let k = g * per; k < (g + 1) * per; k++) out.dx[(b * hw + p) * c + k]! += coef * (v.x[(b * hw + p) * c + k]! - mean);
    }
  }
  return out;
}

/** y and the gradients with the fused op (SIMD or JS, as set) or op by op with tfjs ops. */
function run(shape: Shape4, groups: number, v: Inputs, path: 'simd' | 'js' | 'ops'): Results {
  setSimdFamilyEnabled('evonorm-s0', path === 'simd');
  try {
    // Tensors out of tf.tidy, values read after: tidy walks a returned typed array value by value.
    const out = tf.tidy(() => {
      const c = shape[3];
      const ops = (x: tf.Tensor4D, v1: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor4D => {
        const [n, h, w] = x.shape;
        const grouped = tf.reshape(x, [n, h, w, groups, c / groups]);
        const { variance } = tf.moments(grouped, [1, 2, 4], true);
        const r = tf.reshape(tf.rsqrt(tf.add(variance, EPS)), [n, 1, 1, groups, 1]);
        const s = tf.sigmoid(tf.mul(x, v1));
        const normed = tf.reshape(tf.mul(tf.reshape(tf.mul(x, s), [n, h, w, groups, c / groups]), r), x.shape);
        return tf.add(tf.mul(normed, g), b) as tf.Tensor4D;
      };
      const f = (x: tf.Tensor4D, v1: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor4D => (path === 'ops' ? ops(x, v1, g, b) : evonormS0(x, v1, g, b, groups, EPS));
      const [x, v1, g, b] = [tf.tensor4d(v.x, shape), tf.tensor1d(v.v1), tf.tensor1d(v.gamma), tf.tensor1d(v.beta)];
      const up = tf.tensor4d(v.up, shape);
      const y = f(x, v1, g, b);
      const [dx, dv1, dg, db] = tf.grads((a: tf.Tensor, p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, p, q, r), up)))([x, v1, g, b]);
      return { y, dx: dx!, dv1: dv1!, dgamma: dg!, dbeta: db! };
    });
    const values = { y: out.y.dataSync() as Float32Array, dx: out.dx.dataSync() as Float32Array, dv1: out.dv1.dataSync() as Float32Array, dgamma: out.dgamma.dataSync() as Float32Array, dbeta: out.dbeta.dataSync() as Float32Array };
    tf.dispose(Object.values(out));
    return values;
  } finally {
    setSimdFamilyEnabled('evonorm-s0', true);
  }
}

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    d = Number.isNaN(e) ? Infinity : Math.max(d, e);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? d : d / scale;
}

describe('SIMD EvoNorm-S0', () => {
  before(async () => {
    await selectBackend('wasm');
  });
  after(() => setSimdFamilyEnabled('evonorm-s0', true));

  test('when EvoNorm-S0 runs with SIMD, then y and its four gradients are within 1e-5 of the float64 answer, the JS kernel and the op-by-op path on every proxy site shape and odd shapes', () => {
    const shapes = proxySiteShapes();
    assert.ok(shapes.length >= 6, `found ${shapes.length} site shapes`);
    const cases: Array<{ shape: Shape4; groups: number; zeroGroup?: boolean; bigV1?: boolean }> = [
      ...shapes.map(([h, w, c]) => ({ shape: [64, h, w, c] as Shape4, groups: effectiveGroups(c, DEFAULT_GROUPS) })),
      { shape: [3, 5, 7, 6], groups: 3 },
      { shape: [2, 3, 3, 13], groups: 1 },
      { shape: [2, 4, 4, 1], groups: 1 },
      { shape: [2, 5, 5, 12], groups: 12 },
      { shape: [3, 6, 6, 8], groups: 4, zeroGroup: true },
      { shape: [2, 7, 7, 16], groups: 8, bigV1: true },
    ];
    const worst = { simd: 0, js: 0, ops: 0 };
    for (const { shape, groups, ...opts } of cases) {
      const v = seededInputs(shape, `s0/${shape.join('x')}/${groups}`, opts);
      const exact = reference(shape, groups, v);
      const results = { simd: run(shape, groups, v, 'simd'), js: run(shape, groups, v, 'js'), ops: run(shape, groups, v, 'ops') };
      for (const k of OUTPUTS) {
        // Where σ saturates, s(1 − s) of a float32 s keeps few digits and every float32 path is
        // ~3e-5 from the float64 dv1: SIMD must then be as close as the closer of the other two.
        const e = relErr(results.simd[k], exact[k]);
        const floor = Math.min(relErr(results.js[k], exact[k]), relErr(results.ops[k], exact[k]));
        worst.simd = Math.max(worst.simd, e);
        assert.ok(e <= TOL + (opts.bigV1 ? floor : 0), `${shape} G${groups} ${JSON.stringify(opts)}: SIMD ${k} is ${e} from float64 (JS ${relErr(results.js[k], exact[k])}, op by op ${relErr(results.ops[k], exact[k])})`);
        for (const other of ['js', 'ops'] as const) {
          const d = relErr(results.simd[k], results[other][k]);
          const allowed = TOL + relErr(results[other][k], exact[k]);
          worst[other] = Math.max(worst[other], d);
          assert.ok(d <= allowed, `${shape} G${groups}: SIMD ${k} differs from ${other} by ${d} (allowed ${allowed})`);
        }
      }
    }
    if (process.env.SIMD_TEST_VERBOSE) process.stderr.write(`EvoNorm-S0: ${cases.length} shapes, worst SIMD vs float64 ${worst.simd}, vs JS ${worst.js}, vs op by op ${worst.ops}\n`);
  });

  test('when the SIMD kernel is on, then GraphLayer runs EvoNorm-S0 fused above FUSED_MAX_SIZE too, and op by op there when it is off', () => {
    const layer = new GraphLayer(zooLayer('evonorm-s0'), 8, 'site');
    const x = tf.randomNormal([64, 14, 14, 8], 0, 1, 'float32', 7) as tf.Tensor4D; // 100,352 > 65,536 elements
    const kernels = (): string[] => {
      const names: string[] = [];
      const engine = tf.engine() as unknown as { runKernelFunc: (p: unknown) => unknown };
      const runKernelFunc = engine.runKernelFunc.bind(engine);
      engine.runKernelFunc = (p: unknown) => {
        names.push((p as { kernelName?: string }).kernelName ?? 'custom');
        return runKernelFunc(p);
      };
      try {
        tf.tidy(() => layer.apply(x, true));
      } finally {
        engine.runKernelFunc = runKernelFunc;
      }
      return names;
    };
    assert.ok(simdEvonormS0Active());
    assert.ok(kernels().includes('EvonormS0'), 'SIMD on: not fused');
    setSimdFamilyEnabled('evonorm-s0', false);
    try {
      assert.ok(!simdEvonormS0Active());
      assert.ok(!kernels().includes('EvonormS0'), 'SIMD off: fused above FUSED_MAX_SIZE');
    } finally {
      setSimdFamilyEnabled('evonorm-s0', true);
    }
    x.dispose();
    layer.dispose();
  });
});
