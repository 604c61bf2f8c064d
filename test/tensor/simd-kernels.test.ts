import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { bnReluTrain } from '../../src/tensor/wasm-kernels/index.js';
import { channelAffine, setSimdEnabled, simdEnabled, simdKernels, simdSumMiddle } from '../../src/tensor/wasm-kernels/simd/index.js';
import { maxRelDiff, seededInput, seededVector, proxySiteShapes } from './helpers.js';

type Shape3 = [number, number, number];
const EPS = 1e-5;
const TOL = 1e-5;

interface Result {
  y: tf.Tensor;
  mean: tf.Tensor;
  variance: tf.Tensor;
  dx: tf.Tensor;
  dgamma: tf.Tensor;
  dbeta: tf.Tensor;
}

/** y and the gradients of Σ y ⊙ up with the fused op (SIMD or JS, as set) or op by op. */
function bnRelu(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, up: tf.Tensor4D, fused: boolean): Result {
  const f = (xx: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) => {
    if (fused) return bnReluTrain(xx, g, b, EPS);
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    const y = tf.relu(tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, EPS))), g), b)) as tf.Tensor4D;
    return { y, mean, variance };
  };
  const { y, mean, variance } = f(x, gamma, beta);
  const [dx, dgamma, dbeta] = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(f(xx as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D).y, up)))([x, gamma, beta]);
  return { y, mean, variance, dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
}

/**
 * The same six results in float64 from the formulas of bn-relu.ts (the exact answer for float32
 * inputs). The ReLU mask of the gradients is taken from `yTested` (the tested kernel's output):
 * where z = x̂·γ + β is within rounding of 0, float32 and float64 may disagree on the sign, and a
 * flipped mask moves dγ by a whole dy·x̂ term; that is the input's conditioning, not an error.
 * Likewise the gradients use the tested kernel's float32 batch mean and variance (the op's
 * interface between forward and backward, shared with the JS kernel): with a mean far from 0,
 * its rounding moves dγ by δμ·r·Σdz (3e-5 relative on [64,7,7,48]).
 */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, up: tf.Tensor, tested: Result): Record<keyof Result, Float64Array> {
  const [X, G, B, U, Y, M32, V32] = [x, gamma, beta, up, tested.y, tested.mean, tested.variance].map((t) => t.dataSync());
  const c = G!.length;
  const m = X!.length / c;
  const r = { y: new Float64Array(X!.length), dx: new Float64Array(X!.length), mean: new Float64Array(c), variance: new Float64Array(c), dgamma: new Float64Array(c), dbeta: new Float64Array(c) };
  for (let k = 0; k < c; k++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += X![i * c + k]!;
    const mu = s / m;
    let q = 0;
    for (let i = 0; i < m; i++) q += (X![i * c + k]! - mu) ** 2;
    const v = q / m;
    const rk = 1 / Math.sqrt(v + EPS);
    const mu32 = M32![k]!;
    const rk32 = 1 / Math.sqrt(V32![k]! + EPS);
    let sd = 0;
    let sdx = 0;
    for (let i = 0; i < m; i++) {
      r.y[i * c + k] = Math.max((X![i * c + k]! - mu) * rk * G![k]! + B![k]!, 0);
      const dz = Y![i * c + k]! > 0 ? U![i * c + k]! : 0;
      r.dx[i * c + k] = dz;
      sd += dz;
      sdx += dz * (X![i * c + k]! - mu32) * rk32;
    }
    for (let i = 0; i < m; i++) {
      const xh = (X![i * c + k]! - mu32) * rk32;
      r.dx[i * c + k] = ((G![k]! * rk32) / m) * (m * r.dx[i * c + k]! - sd - xh * sdx);
    }
    Object.assign(r.mean, { [k]: mu });
    r.variance[k] = v;
    r.dgamma[k] = sdx;
    r.dbeta[k] = sd;
  }
  return r;
}

/** max |a − b| / max(1, |b|) against a float64 reference. */
function relErr(a: tf.Tensor, b: Float64Array): number {
  const v = a.dataSync();
  assert.equal(v.length, b.length);
  let worst = 0;
  for (let i = 0; i < v.length; i++) {
    const d = Math.abs(v[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

function inputs(shape: [number, number, number, number], seed: string, zeroChannel = false) {
  const c = shape[3];
  // zeroChannel: channel 1 all zero, a zero-variance channel as after a dead ReLU
  const x = seededInput(shape, `${seed}/x`, zeroChannel && c > 2 ? [1] : []);
  const up = seededInput(shape, `${seed}/up`);
  const gamma = tf.tensor1d(seededVector(c, `${seed}/g`, 1));
  const beta = tf.tensor1d(seededVector(c, `${seed}/b`, 0.1));
  return { x, up, gamma, beta };
}

/** Worst maxRelDiff over the six outputs, by name. */
function compare(a: Result, b: Result): Record<keyof Result, number> {
  const out = {} as Record<keyof Result, number>;
  for (const k of Object.keys(a) as Array<keyof Result>) out[k] = maxRelDiff(a[k], b[k]);
  return out;
}

describe('SIMD wasm kernels', () => {
  let wasSimd = true;
  before(async () => {
    await tf.setBackend('wasm');
    wasSimd = simdEnabled();
    setSimdEnabled(true);
  });
  after(() => setSimdEnabled(wasSimd));

  test('when the wasm backend is active, then the SIMD module loads on its memory, once per backend', () => {
    const k = simdKernels(tf.backend());
    assert.ok(k !== undefined, 'SIMD module did not load');
    assert.equal(simdKernels(tf.backend()), k);
  });

  test('when EVONORM_SIMD is off, then no SIMD kernels are handed out', () => {
    setSimdEnabled(false);
    assert.equal(simdKernels(tf.backend()), undefined);
    setSimdEnabled(true);
  });

  test('when fused BN-ReLU runs with SIMD, then values and gradients are within 1e-5 of the float64 answer, the JS kernel and the op-by-op path on every proxy site shape and odd shapes', () => {
    const shapes = proxySiteShapes();
    assert.ok(shapes.length >= 6, `found ${shapes.length} site shapes`);
    const odd: Shape3[] = [[5, 7, 3], [3, 3, 5], [1, 1, 1], [7, 9, 6], [5, 5, 13]];
    const cases: Array<[number, number, number, number]> = [
      ...shapes.flatMap(([h, w, c]) => [[64, h, w, c], [3, h, w, c]] as Array<[number, number, number, number]>),
      ...odd.flatMap(([h, w, c]) => [[5, h, w, c], [2, h, w, c]] as Array<[number, number, number, number]>),
    ];
    const worstOps: Partial<Record<keyof Result, number>> = {};
    const worstJs: Partial<Record<keyof Result, number>> = {};
    const worst64: Partial<Record<keyof Result, number>> = {};
    const worstOps64: Partial<Record<keyof Result, number>> = {};
    for (const shape of cases) {
      tf.tidy(() => {
        const { x, up, gamma, beta } = inputs(shape, shape.join('x'));
        setSimdEnabled(true);
        const simd = bnRelu(x, gamma, beta, up, true);
        const ops = bnRelu(x, gamma, beta, up, false);
        setSimdEnabled(false);
        const js = bnRelu(x, gamma, beta, up, true);
        setSimdEnabled(true);
        const ref = reference(x, gamma, beta, up, simd);
        for (const k of Object.keys(ref) as Array<keyof Result>) {
          const e = relErr(simd[k], ref[k]);
          assert.ok(e <= TOL, `${shape}: SIMD ${k} is ${e} from the float64 answer (op by op: ${relErr(ops[k], ref[k])})`);
          worst64[k] = Math.max(worst64[k] ?? 0, e);
          worstOps64[k] = Math.max(worstOps64[k] ?? 0, relErr(ops[k], ref[k]));
        }
        for (const [worst, other] of [[worstOps, ops], [worstJs, js]] as const) {
          for (const [k, e] of Object.entries(compare(simd, other)) as Array<[keyof Result, number]>) {
            // The op-by-op path rounds every op in float32 (its dγ sums drift up to ~2e-3 from
            // the exact answer on some shapes), and each path takes its own ReLU mask where z is
            // within rounding of 0: the SIMD kernel must agree with the other path to 1e-5 plus
            // that path's own distance from the exact answer (computed with SIMD's mask).
            const allowed = TOL + relErr(other[k], ref[k]);
            assert.ok(e <= allowed, `${shape}: SIMD ${k} differs from ${other === ops ? 'op by op' : 'JS'} by ${e} (allowed ${allowed})`);
            worst[k] = Math.max(worst[k] ?? 0, e);
          }
        }
      });
    }
    if (process.env.SIMD_TEST_VERBOSE) {
      process.stderr.write(`${cases.length} shapes; worst vs op by op ${JSON.stringify(worstOps)}\nworst vs JS ${JSON.stringify(worstJs)}\n` +
        `worst vs float64 ${JSON.stringify(worst64)}\nop by op vs float64 ${JSON.stringify(worstOps64)}\n`);
    }
  });

  test('when a channel has zero variance, then SIMD BN-ReLU stays within 1e-5 of the float64 answer (the op-by-op path does not: 1/√eps amplifies its rounding)', () => {
    const worst: Partial<Record<keyof Result, number>> = {};
    for (const shape of [[64, 7, 7, 8], [3, 14, 14, 16], [5, 5, 7, 6], [2, 3, 3, 13]] as Array<[number, number, number, number]>) {
      tf.tidy(() => {
        const { x, up, gamma, beta } = inputs(shape, `zero/${shape.join('x')}`, true);
        const simd = bnRelu(x, gamma, beta, up, true);
        const ref = reference(x, gamma, beta, up, simd);
        for (const k of Object.keys(ref) as Array<keyof Result>) {
          const e = relErr(simd[k], ref[k]);
          assert.ok(e <= TOL, `${shape}: SIMD ${k} is ${e} from the float64 answer`);
          worst[k] = Math.max(worst[k] ?? 0, e);
        }
      });
    }
    if (process.env.SIMD_TEST_VERBOSE) process.stderr.write(`zero-variance channel: worst vs float64 ${JSON.stringify(worst)}\n`);
  });

  test('when SIMD kernels run, then no tensors leak', () => {
    const start = tf.memory().numTensors;
    tf.tidy(() => {
      const { x, up, gamma, beta } = inputs([4, 5, 5, 6], 'leak');
      bnRelu(x, gamma, beta, up, true);
    });
    assert.equal(tf.memory().numTensors, start);
  });
});

describe('SIMD channel sum', () => {
  before(async () => {
    await tf.setBackend('wasm');
  });

  test('when channel_sum runs on [m, c] data, then it equals the float64 per-channel sums to 1e-5 (c odd, c < 4, m odd)', () => {
    const k = simdKernels(tf.backend());
    assert.ok(k !== undefined);
    for (const [m, c] of [[1, 1], [7, 3], [49, 5], [3136, 16], [99, 13]] as Array<[number, number]>) {
      const x = seededInput([1, 1, m, c], `sum/${m}x${c}`);
      const out = k.output([c]);
      k.k.channel_sum(k.ptr(x), m, c, k.ptr(out), k.scratch(8 * c));
      const got = tf.engine().makeTensorFromTensorInfo(out);
      const v = x.dataSync();
      const want = new Float64Array(c);
      for (let i = 0; i < v.length; i++) want[i % c] += v[i]!;
      assert.ok(relErr(got, want) <= TOL, `${m}x${c}: ${relErr(got, want)}`);
      tf.dispose([x, got]);
    }
  });
});

describe('SIMD sum over a middle axis', () => {
  before(async () => {
    await tf.setBackend('wasm');
  });

  test('when simdSumMiddle sums [outer, p, inner], then it equals the float64 sums to 1e-5 and its gradient broadcasts dy back', () => {
    for (const [outer, p, inner] of [[1, 7, 1], [3, 5, 1], [1, 3136, 16], [64, 49, 1], [2, 9, 13], [5, 1, 3], [1, 50176, 3]] as Array<[number, number, number]>) {
      tf.tidy(() => {
        const x = seededInput([1, outer, p, inner], `mid/${outer}x${p}x${inner}`);
        const got = simdSumMiddle(x, outer, p, inner);
        assert.ok(got !== undefined);
        assert.deepEqual(got.shape, [outer, inner]);
        const v = x.dataSync();
        const want = new Float64Array(outer * inner);
        for (let i = 0; i < v.length; i++) want[Math.floor(i / (p * inner)) * inner + (i % inner)] += v[i]!;
        assert.ok(relErr(got, want) <= TOL, `[${outer}, ${p}, ${inner}]: ${relErr(got, want)}`);
        const up = seededInput([1, 1, outer, inner], 'mid/up').reshape([outer, inner]);
        const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(simdSumMiddle(a, outer, p, inner)!, up)))(x);
        const wantDx = tf.reshape(tf.mul(tf.reshape(up, [outer, 1, inner]), tf.ones([1, p, 1])), x.shape);
        assert.equal(maxRelDiff(dx, wantDx), 0);
      });
    }
  });

  test('when SIMD is off, then simdSumMiddle declines (the caller reduces its own way)', () => {
    setSimdEnabled(false);
    try {
      assert.equal(simdSumMiddle(tf.ones([2, 3]), 1, 2, 3), undefined);
    } finally {
      setSimdEnabled(true);
    }
  });
});

describe('SIMD per-channel affine', () => {
  before(async () => {
    await tf.setBackend('wasm');
  });

  /** y and the gradients of Σ y ⊙ up, fused (SIMD) or op by op. */
  function affine(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, up: tf.Tensor4D, fused: boolean) {
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => (fused ? channelAffine(a, g, b) : tf.add(tf.mul(a, g), b));
    const y = f(x, gamma, beta);
    const [dx, dgamma, dbeta] = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), up)))([x, gamma, beta]);
    return { y, dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
  }

  test('when channelAffine runs with SIMD, then y and dx equal the op-by-op ones exactly and dγ, dβ are within 1e-5 of float64 and of op by op on proxy and odd shapes', () => {
    const cases: Array<[number, number, number, number]> = [
      ...proxySiteShapes().flatMap(([h, w, c]) => [[64, h, w, c], [3, h, w, c]] as Array<[number, number, number, number]>),
      [5, 7, 3, 3], [2, 3, 3, 5], [1, 1, 1, 1], [3, 9, 7, 13],
    ];
    let worstOps = 0;
    let worst64 = 0;
    for (const shape of cases) {
      tf.tidy(() => {
        const { x, up, gamma, beta } = inputs(shape, `affine/${shape.join('x')}`);
        const simd = affine(x, gamma, beta, up, true);
        const ops = affine(x, gamma, beta, up, false);
        assert.equal(maxRelDiff(simd.y, ops.y), 0, `${shape}: y`);
        assert.equal(maxRelDiff(simd.dx, ops.dx), 0, `${shape}: dx`);
        const [X, U] = [x.dataSync(), up.dataSync()];
        const c = shape[3];
        const sg = new Float64Array(c);
        const sb = new Float64Array(c);
        for (let i = 0; i < X.length; i++) {
          sg[i % c] += Math.fround(U[i]! * X[i]!);
          sb[i % c] += U[i]!;
        }
        for (const [got, want, other, name] of [[simd.dgamma, sg, ops.dgamma, 'dγ'], [simd.dbeta, sb, ops.dbeta, 'dβ']] as const) {
          assert.ok(relErr(got, want) <= TOL, `${shape}: ${name} ${relErr(got, want)} from float64`);
          worst64 = Math.max(worst64, relErr(got, want));
          const e = maxRelDiff(got, other);
          assert.ok(e <= 1e-5 + relErr(other, want), `${shape}: ${name} ${e} from op by op`);
          worstOps = Math.max(worstOps, e);
        }
      });
    }
    if (process.env.SIMD_TEST_VERBOSE) process.stderr.write(`affine: ${cases.length} shapes, worst dγ/dβ vs op by op ${worstOps}, vs float64 ${worst64}\n`);
  });

  test('when SIMD is off, then channelAffine is the op-by-op mul and add', () => {
    setSimdEnabled(false);
    try {
      tf.tidy(() => {
        const { x, gamma, beta } = inputs([2, 3, 3, 5], 'affine-off');
        assert.equal(maxRelDiff(channelAffine(x, gamma, beta), tf.add(tf.mul(x, gamma), beta)), 0);
      });
    } finally {
      setSimdEnabled(true);
    }
  });
});
