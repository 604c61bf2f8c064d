import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { setSimdFamilyEnabled } from '../../src/tensor/wasm-kernels/simd/index.js';
import { seededInput } from './helpers.js';

interface WasmBackend {
  numDataIds(): number;
  getMemoryOffset(dataId: object): number;
}

describe('wasm Identity that shares data (family step-calls)', () => {
  before(async () => {
    await selectBackend('wasm');
  });
  after(() => setSimdFamilyEnabled('step-calls', true));

  test('when a tensor is cloned on wasm, then the clone shares its heap buffer, outlives the original, and the buffer is freed with the last of them', () => {
    const backend = tf.backend() as unknown as WasmBackend;
    const ids0 = backend.numDataIds();
    const x = seededInput([2, 3, 3, 4], 'id', []);
    const want = Array.from(x.dataSync());
    const y = tf.clone(x);
    assert.equal(backend.getMemoryOffset(y.dataId), backend.getMemoryOffset(x.dataId));
    assert.equal(backend.numDataIds(), ids0 + 1);
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), want);
    y.dispose();
    assert.equal(backend.numDataIds(), ids0);
  });

  test('when the family is off, then Identity copies as tfjs-wasm does', () => {
    setSimdFamilyEnabled('step-calls', false);
    try {
      const backend = tf.backend() as unknown as WasmBackend;
      const x = seededInput([2, 3, 3, 4], 'id2', []);
      const y = tf.clone(x);
      assert.notEqual(backend.getMemoryOffset(y.dataId), backend.getMemoryOffset(x.dataId));
      assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
      tf.dispose([x, y]);
    } finally {
      setSimdFamilyEnabled('step-calls', true);
    }
  });

  test('when a conv net takes gradients with shared and with copied saved tensors, then the gradients are equal bit for bit and no tensor or buffer is left behind', () => {
    const backend = tf.backend() as unknown as WasmBackend;
    const x = seededInput([4, 6, 6, 3], 'net', []);
    const w1 = tf.variable(seededInput([3, 3, 3, 8], 'w1', []).reshape([3, 3, 3, 8]) as tf.Tensor4D);
    const w2 = tf.variable(seededInput([1, 1, 8, 4], 'w2', []).reshape([1, 1, 8, 4]) as tf.Tensor4D);
    const grads = (share: boolean): Float32Array[] => {
      setSimdFamilyEnabled('step-calls', share);
      const { value, grads: g } = tf.variableGrads(() => tf.tidy(() => {
        const h = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same'));
        return tf.sum(tf.square(tf.conv2d(h, w2 as tf.Tensor4D, 2, 'same'))) as tf.Scalar;
      }), [w1, w2]);
      const out = [value.dataSync() as Float32Array, ...[w1, w2].map((v) => g[v.name]!.dataSync() as Float32Array)];
      tf.dispose([value, ...Object.values(g)]);
      return out;
    };
    grads(true);
    const tensors0 = tf.memory().numTensors;
    const ids0 = backend.numDataIds();
    const shared = grads(true);
    assert.equal(tf.memory().numTensors, tensors0);
    assert.equal(backend.numDataIds(), ids0);
    const copied = grads(false);
    shared.forEach((g, i) => assert.deepEqual(g, copied[i]));
    setSimdFamilyEnabled('step-calls', true);
    tf.dispose([x, w1, w2]);
  });
});
