import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/tensor/wasm-kernels/index.js';
import { Rng } from '../../src/util/rng.js';

type Pad = 'same' | 'valid';
type Shape4 = [number, number, number, number];

interface Case {
  x: Shape4;
  k: [number, number];
  cout: number; // output channels (regular) or channel multiplier (depthwise)
  stride: 1 | 2;
  pad: Pad;
}

/** Deterministic normal values from a named rng stream. */
function values(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** Gradients of Σ(up ⊙ conv(x, w)) w.r.t. x and w on the current backend. */
function convGrads(c: Case, depthwise: boolean, data: { x: Float32Array; w: Float32Array; up: Float32Array }) {
  return tf.tidy(() => {
    const wShape: Shape4 = [c.k[0], c.k[1], c.x[3], c.cout];
    const x = tf.tensor4d(data.x, c.x);
    const w = tf.tensor4d(data.w, wShape);
    const f = (xx: tf.Tensor, ww: tf.Tensor): tf.Tensor => {
      const y = depthwise
        ? tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad)
        : tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad);
      return tf.sum(tf.mul(y, tf.tensor(data.up.subarray(0, y.size), y.shape)));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return { dx: Float32Array.from(dx!.dataSync()), dw: Float32Array.from(dw!.dataSync()) };
  });
}

/** Asserts max|a-b| ≤ 1e-4 · max(1, max|b|). */
function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    err = Math.max(err, Math.abs(actual[i]! - expected[i]!));
  }
  assert.ok(err <= 1e-4 * scale, `${what}: max error ${err} vs scale ${scale}`);
}

/** Compares wasm gradients with the cpu backend's for one case. */
async function compare(c: Case, depthwise: boolean, rng: Rng): Promise<void> {
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  const data = {
    x: values(rng, size(c.x)),
    w: values(rng, c.k[0] * c.k[1] * c.x[3] * c.cout),
    up: values(rng, size(c.x) * c.cout * (depthwise ? c.x[3] : 1)),
  };
  await tf.setBackend('cpu');
  const want = convGrads(c, depthwise, data);
  await tf.setBackend('wasm');
  const got = convGrads(c, depthwise, data);
  const name = `${depthwise ? 'depthwise' : 'conv'} x=${c.x} k=${c.k} cout=${c.cout} s=${c.stride} ${c.pad}`;
  assertClose(got.dx, want.dx, `${name} dx`);
  assertClose(got.dw, want.dw, `${name} dw`);
}

/** The grid: odd/even sizes, stride 1/2, same/valid, kernel 1/3/5, channels 1..8. */
function grid(depthwise: boolean): Case[] {
  const cases: Case[] = [];
  const inputs: Shape4[] = [[2, 7, 7, 3], [3, 8, 6, 1], [1, 9, 10, 8], [2, 6, 5, 5]];
  const kernels: Array<[number, number]> = [[1, 1], [3, 3], [5, 5], [3, 1]];
  let i = 0;
  for (const x of inputs) for (const k of kernels) for (const stride of [1, 2] as const) for (const pad of ['same', 'valid'] as const) {
    if (pad === 'valid' && (k[0] > x[1] || k[1] > x[2])) continue;
    const cout = depthwise ? 1 + (i % 2) : [1, 4, 8, 2, 5][i % 5]!;
    cases.push({ x, k, cout, stride, pad });
    i++;
  }
  return cases;
}

describe('wasm training kernels', () => {
  before(async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });

  test('when conv2d gradients run on wasm, then they equal the cpu backend\'s over the shape grid', async () => {
    const rng = Rng.fromSeed(11).child('conv');
    for (const c of grid(false)) await compare(c, false, rng);
  });

  test('when depthwise conv gradients run on wasm, then they equal the cpu backend\'s over the shape grid', async () => {
    const rng = Rng.fromSeed(12).child('depthwise');
    for (const c of grid(true)) await compare(c, true, rng);
  });

  test('when registerWasmTrainingKernels is called twice, then the kernels stay registered', () => {
    registerWasmTrainingKernels();
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      assert.ok(tf.getKernel(name, 'wasm'), name);
    }
  });

  test('when a training step runs on wasm, then tensors and backend buffers return to their start counts', async () => {
    await tf.setBackend('wasm');
    const rng = Rng.fromSeed(13).child('step');
    const x = tf.tensor4d(values(rng, 4 * 8 * 8 * 2), [4, 8, 8, 2]);
    const w1 = tf.variable(tf.tensor4d(values(rng, 3 * 3 * 2 * 4), [3, 3, 2, 4]));
    const w2 = tf.variable(tf.tensor4d(values(rng, 3 * 3 * 4 * 1), [3, 3, 4, 1]));
    const opt = tf.train.momentum(0.01, 0.9);
    const loss = (): tf.Scalar => {
      const h = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 2, 'same'));
      return tf.mean(tf.square(tf.depthwiseConv2d(h, w2 as tf.Tensor4D, 1, 'same')));
    };
    tf.tidy(() => { opt.minimize(loss); }); // first step creates the momentum slots
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    tf.tidy(() => { opt.minimize(loss); });
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.engine().backend.numDataIds(), buffers);
    opt.dispose();
    tf.dispose([x, w1, w2]);
  });
});
