import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { evonormS0, registerWasmTrainingKernels } from '../../src/tensor/wasm-kernels/index.js';
import { Rng } from '../../src/util/rng.js';

/** EvoNorm-S0 in plain tfjs ops, the reference the fused kernel must match. */
function reference(x: tf.Tensor4D, v1: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, groups: number): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const { variance } = tf.moments(tf.reshape(x, [n, h, w, groups, c / groups]), [1, 2, 4], true);
  const num = tf.reshape(tf.mul(x, tf.sigmoid(tf.mul(x, v1))), [n, h, w, groups, c / groups]);
  return tf.add(tf.mul(tf.reshape(tf.div(num, tf.sqrt(tf.add(variance, 1e-5))), [n, h, w, c]), gamma), beta);
}

function randomArray(rng: Rng, size: number, offset = 0): Float32Array {
  return Float32Array.from({ length: size }, () => offset + rng.normal());
}

/** Value and all four gradients of Σ(up ⊙ f(x, v1, γ, β)), flattened. */
function valueAndGrads(f: typeof reference, shape: [number, number, number, number], groups: number, rng: Rng): Float32Array[] {
  const c = shape[3];
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const x = tf.tensor4d(randomArray(rng, size), shape);
    const params = [randomArray(rng, c, 1), randomArray(rng, c, 1), randomArray(rng, c)].map((a) => tf.tensor1d(a));
    const up = tf.tensor4d(randomArray(rng, size), shape);
    const y = f(x, params[0]!, params[1]!, params[2]!, groups);
    const grads = tf.grads((xx, a, b, d) => tf.sum(tf.mul(f(xx as tf.Tensor4D, a!, b!, d!, groups), up)))([x, ...params]);
    return [y, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  let scale = 1;
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    err = Math.max(err, Math.abs(actual[i]! - expected[i]!));
  }
  assert.ok(err <= 1e-4 * scale, `${what}: max error ${err} vs scale ${scale}`);
}

describe('fused EvoNorm-S0', () => {
  for (const backend of ['cpu', 'wasm']) {
    test(`when evonormS0 runs on ${backend}, then its value and gradients equal the plain-op version`, async () => {
      await tf.setBackend(backend);
      registerWasmTrainingKernels();
      const shapes: Array<[[number, number, number, number], number]> = [[[2, 5, 4, 8], 8], [[3, 3, 3, 16], 4], [[1, 7, 6, 6], 3], [[2, 2, 2, 1], 1]];
      for (const [shape, groups] of shapes) {
        const want = valueAndGrads(reference, shape, groups, Rng.fromSeed(21).child(String(shape)));
        const got = valueAndGrads((x, v, g, b, gr) => evonormS0(x, v, g, b, gr), shape, groups, Rng.fromSeed(21).child(String(shape)));
        ['y', 'dx', 'dv1', 'dgamma', 'dbeta'].forEach((name, i) => assertClose(got[i]!, want[i]!, `${backend} ${shape} g${groups} ${name}`));
      }
    });
  }

  test('when groups do not divide the channels, then evonormS0 throws', () => {
    tf.tidy(() => {
      assert.throws(() => evonormS0(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, tf.ones([6]), tf.ones([6]), tf.zeros([6]), 4));
    });
  });

  test('when a gradient of evonormS0 is taken on wasm, then no tensor or buffer is left behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3, 3, 4]) as tf.Tensor4D;
    const v = tf.variable(tf.ones([4]));
    const run = (): void => tf.tidy(() => { tf.variableGrads(() => tf.sum(evonormS0(x, v, tf.ones([4]), tf.zeros([4]), 2))); });
    run();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    run();
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.engine().backend.numDataIds(), buffers);
    tf.dispose([x, v]);
  });
});
