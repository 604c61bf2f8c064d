import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseExpression } from '../../src/graph/parse.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { fusedLayerOf } from '../../src/tensor/fused/index.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { Rng } from '../../src/util/rng.js';
import { setSimdFamilyEnabled } from '../../src/tensor/wasm-kernels/simd/index.js';
import { countKernelCalls, maxRelDiff, seededInput, seededVector } from './helpers.js';

describe('zoo layers with fused kernels', () => {
  test('when a graph is EvoNorm-S0 in any spelling, then it is recognised, and other graphs are not', () => {
    assert.equal(fusedLayerOf(zooLayer('evonorm-s0')), 'evonorm-s0');
    assert.equal(fusedLayerOf(parseExpression('(sigmoid(x * v1) * x) / sqrt(var_group(x))')), 'evonorm-s0');
    for (const other of ['x * sigmoid(v0 * x) / sqrt(var_group(x))', 'x * sigmoid(v1 * x) / sqrt(var_instance(x))', 'x * sigmoid(v1 * x)']) {
      assert.equal(fusedLayerOf(parseExpression(other)), undefined, other);
    }
    assert.equal(fusedLayerOf(zooLayer('bn-relu')), 'bn-relu');
    assert.equal(fusedLayerOf(parseExpression('relu(affine((x - mean_batch(x)) / sqrt(var_batch(x))))')), 'bn-relu');
    for (const other of ['swish(affine((x - mean_batch(x)) / sqrt(var_batch(x))))', '(x - mean_batch(x)) / sqrt(var_batch(x))', 'relu(affine((x - mean_group(x)) / sqrt(var_group(x))))']) {
      assert.equal(fusedLayerOf(parseExpression(other)), undefined, other);
    }
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    test(`when BN-ReLU trains fused on ${backend}, then value, every gradient and the moving statistics match the op-by-op layer, and no tensor is left behind`, async () => {
      await selectBackend(backend);
      for (const shape of [[4, 3, 5, 8], [16, 2, 2, 3], [2, 1, 1, 4]] as Array<[number, number, number, number]>) {
        const c = shape[3];
        const x = seededInput(shape, `bn-${backend}-${shape}`, [1]);
        const weights = { 'l/gamma': seededVector(c, 'g', 1), 'l/beta': seededVector(c, 'b', 0) };
        const fused = new GraphLayer(zooLayer('bn-relu'), c, 'l');
        const plain = new GraphLayer(zooLayer('bn-relu'), c, 'l');
        plain.useFusedKernels = false;
        fused.setWeights(weights);
        plain.setWeights(weights);
        const rng = Rng.fromSeed(`up-${shape}`);
        const up = tf.tensor4d(Float32Array.from({ length: x.size }, () => rng.normal()), shape);
        const run = (layer: GraphLayer): tf.Tensor[] => {
          const vars = layer.trainableVariables();
          const y = layer.apply(x, true);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, true), up)) as tf.Scalar, vars);
          value.dispose();
          const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t as tf.Tensor4D, true), up)))(x);
          return [y, dx, ...vars.map((v) => grads[v.name]!)];
        };
        const got = run(fused);
        const want = run(plain);
        assert.equal(got.length, 4); // y, dx, dγ, dβ
        got.forEach((g, i) => assert.ok(maxRelDiff(g, want[i]!) < 1e-4, `${shape} output ${i}: ${maxRelDiff(g, want[i]!)}`));
        // Both saw 3 training calls: the moving averages must agree.
        const fw = fused.getWeights();
        const pw = plain.getWeights();
        for (const key of Object.keys(pw)) {
          const a = tf.tensor(fw[key]!);
          const b = tf.tensor(pw[key]!);
          assert.ok(maxRelDiff(a, b) < 1e-4, `${shape} ${key}: ${maxRelDiff(a, b)}`);
          tf.dispose([a, b]);
        }
        tf.dispose([...got, ...want]);
        const settled = tf.memory().numTensors;
        run(fused).forEach((t) => t.dispose());
        assert.equal(tf.memory().numTensors, settled, 'a fused training call leaves no tensor behind');
        tf.dispose([x, up]);
        fused.dispose();
        plain.dispose();
      }
    });
  }

  for (const backend of ['cpu', 'wasm'] as const) {
    test(`when fused BN-ReLU on ${backend} updates its moving averages inside its own call ('step-calls' on), then they, y and every gradient equal the separate update bit for bit, in 1 kernel call instead of 9`, async () => {
      await selectBackend(backend);
      try {
        for (const shape of [[64, 7, 7, 8], [64, 2, 2, 32], [3, 5, 3, 13], [1, 1, 1, 1]] as Array<[number, number, number, number]>) {
          const c = shape[3];
          const x = seededInput(shape, `mv-${backend}-${shape}`, [0]);
          const weights = { 'l/gamma': seededVector(c, 'g', 1), 'l/beta': seededVector(c, 'b', 0), 'l/moving_mean_n0': seededVector(c, 'mm', 0), 'l/moving_var_n2': seededVector(c, 'mv', 1) };
          const rng = Rng.fromSeed(`mv-up-${shape}`);
          const up = tf.tensor4d(Float32Array.from({ length: x.size }, () => rng.normal()), shape);
          const run = (folded: boolean): { outs: tf.Tensor[]; weights: Record<string, Float32Array>; calls: number } => {
            setSimdFamilyEnabled('step-calls', folded);
            const layer = new GraphLayer(zooLayer('bn-relu'), c, 'l', { momentum: 0.9 });
            layer.setWeights(weights);
            const vars = layer.trainableVariables();
            const calls = countKernelCalls(() => tf.tidy(() => { layer.apply(x, true); }));
            const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, true), up)) as tf.Scalar, vars);
            value.dispose();
            const y = layer.apply(x, true);
            const out = { outs: [y, ...vars.map((v) => grads[v.name]!)], weights: layer.getWeights(), calls };
            layer.dispose();
            return out;
          };
          const got = run(true);
          const want = run(false);
          assert.equal(got.calls, 1, `${shape}: one call per training apply`);
          assert.equal(want.calls, 9, `${shape}: the separate update's calls`);
          got.outs.forEach((g, i) => assert.deepEqual(g.dataSync(), want.outs[i]!.dataSync(), `${shape} output ${i}`));
          assert.deepEqual(Object.keys(got.weights).sort(), Object.keys(want.weights).sort());
          for (const key of Object.keys(want.weights)) assert.deepEqual(got.weights[key], want.weights[key], `${shape} ${key} after 3 training calls`);
          tf.dispose([x, up, ...got.outs, ...want.outs]);
        }
      } finally {
        setSimdFamilyEnabled('step-calls', true);
      }
    });
  }

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const training of [true, false]) {
      test(`when EvoNorm-S0 runs fused on ${backend} (${training ? 'training' : 'inference'}), then value and every gradient match the op-by-op layer`, async () => {
        await selectBackend(backend);
        const shape: [number, number, number, number] = [3, 4, 5, 8];
        const x = seededInput(shape, `s0-${backend}`, [1]);
        const weights = { 'l/v1': seededVector(8, 'v1', 1), 'l/gamma': seededVector(8, 'g', 1), 'l/beta': seededVector(8, 'b', 0) };
        const fused = new GraphLayer(zooLayer('evonorm-s0'), 8, 'l', { groups: 4 });
        const plain = new GraphLayer(zooLayer('evonorm-s0'), 8, 'l', { groups: 4 });
        plain.useFusedKernels = false;
        fused.setWeights(weights);
        plain.setWeights(weights);
        const rng = Rng.fromSeed('up');
        const up = tf.tensor4d(Float32Array.from({ length: x.size }, () => rng.normal()), shape);
        const run = (layer: GraphLayer): tf.Tensor[] => {
          const vars = layer.trainableVariables();
          const y = layer.apply(x, training);
          const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, training), up)) as tf.Scalar, vars);
          const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t as tf.Tensor4D, training), up)))(x);
          return [y, dx, ...vars.map((v) => grads[v.name]!)];
        };
        const got = run(fused);
        const want = run(plain);
        assert.equal(got.length, 5); // y, dx, dv1, dγ, dβ
        got.forEach((g, i) => assert.ok(maxRelDiff(g, want[i]!) < 1e-4, `output ${i}: ${maxRelDiff(g, want[i]!)}`));
        tf.dispose([x, up, ...got, ...want]);
        fused.dispose();
        plain.dispose();
      });
    }
  }
});
