import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseExpression } from '../../src/graph/parse.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { interpretGraph } from '../../src/tensor/interpret.js';
import { seededInput, seededVector, maxRelDiff, allFinite } from './helpers.js';

await tf.setBackend('cpu');

const EXPRESSIONS = [
  'x',
  'x * sigmoid(v1 * x) / sqrt(var_group(x))',
  'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))',
  'max(x - mean_layer(x), v0) * tanh(abs(x))',
  'log(x) + sqrt(x - v0) * exp(neg(square(x)) / (one + one))',
  'var_group(mean_batch(x) + x) * x + mean_instance(v1) - min(x, zero)',
  'relu(x) / sqrt(mean_group(square(x)))',
  'softplus(x - v0) * x / sqrt(softplus(var_instance(x)))',
];

describe('GraphLayer (tfjs) against the float64 interpreter', () => {
  for (const expression of EXPRESSIONS) {
    test(`when ${expression} is applied in training mode, then it matches the interpreter`, () => {
      const graph = parseExpression(expression);
      const shape: [number, number, number, number] = [3, 4, 5, 8];
      const x = seededInput(shape, expression, [2]);
      const layer = new GraphLayer(graph, 8, 'l', { groups: 4 });
      const v0 = seededVector(8, 'v0', 0.2);
      const v1 = seededVector(8, 'v1', 1);
      const gamma = seededVector(8, 'g', 1);
      const beta = seededVector(8, 'b', 0);
      const names = Object.keys(layer.getWeights());
      const weights: Record<string, Float32Array> = { 'l/gamma': gamma, 'l/beta': beta };
      if (names.includes('l/v0')) weights['l/v0'] = v0;
      if (names.includes('l/v1')) weights['l/v1'] = v1;
      layer.setWeights(weights);
      const y = layer.apply(x, true);
      const ref = interpretGraph(graph, { shape, data: Float64Array.from(x.dataSync()) }, { v0, v1, gamma, beta, groups: 4 });
      const refTensor = tf.tensor4d(Float32Array.from(ref.data), shape);
      assert.ok(maxRelDiff(y, refTensor) < 1e-4, `max rel diff ${maxRelDiff(y, refTensor)}`);
      tf.dispose([x, y, refTensor]);
      layer.dispose();
    });
  }
});

describe('GraphLayer state', () => {
  test('when trained on batches, then the moving statistics move toward the batch statistics and inference uses them', () => {
    const graph = parseExpression('(x - mean_batch(x)) / sqrt(var_batch(x))');
    const layer = new GraphLayer(graph, 4, 'bn', { momentum: 0.5 });
    const x = seededInput([8, 3, 3, 4], 'bn');
    tf.dispose(layer.apply(x, true));
    const w = layer.getWeights();
    const meanKey = Object.keys(w).find((k) => k.includes('moving_mean'))!;
    const varKey = Object.keys(w).find((k) => k.includes('moving_var'))!;
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const m = mean.dataSync();
    const v = variance.dataSync();
    for (let c = 0; c < 4; c++) {
      assert.ok(Math.abs(w[meanKey][c] - 0.5 * m[c]) < 1e-5);
      assert.ok(Math.abs(w[varKey][c] - (0.5 + 0.5 * v[c])) < 1e-4);
    }
    // Inference: (x − moving mean) / √(moving var + ε).
    const y = layer.apply(x, false);
    const expected = tf.div(tf.sub(x, tf.tensor(w[meanKey]).reshape([1, 1, 1, 4])), tf.sqrt(tf.add(tf.tensor(w[varKey]).reshape([1, 1, 1, 4]), 1e-5)));
    assert.ok(maxRelDiff(y, expected) < 1e-5);
    tf.dispose([x, y, expected, mean, variance]);
    layer.dispose();
  });

  test('when moving statistics are frozen, then training-mode calls leave them unchanged', () => {
    const layer = new GraphLayer(parseExpression('x / sqrt(var_batch(x))'), 4);
    layer.freezeMovingStats = true;
    const before = layer.getWeights();
    const x = seededInput([4, 2, 2, 4], 'freeze');
    tf.dispose(layer.apply(x, true));
    assert.deepEqual(layer.getWeights(), before);
    x.dispose();
    layer.dispose();
  });

  test('when a layer is built, used for gradients and disposed, then no tensor is left behind', () => {
    const x = seededInput([4, 3, 3, 8], 'leak');
    const start = tf.memory().numTensors;
    const layer = new GraphLayer(parseExpression('x * sigmoid(v1 * x) / sqrt(var_group(x)) + v0 * mean_batch(x)'), 8, 'leak', { groups: 2 });
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, true)) as tf.Scalar, layer.trainableVariables());
    assert.equal(Object.keys(grads).length, 4);
    tf.dispose([value, ...Object.values(grads)]);
    tf.dispose(layer.apply(x, false));
    layer.dispose();
    assert.equal(tf.memory().numTensors, start);
    x.dispose();
  });

  test('when the graph does not use v0 or v1, then the layer has only γ and β as parameters', () => {
    const layer = new GraphLayer(parseExpression('x * sigmoid(x)'), 3, 's');
    assert.equal(layer.trainableVariables().length, 2);
    assert.deepEqual(Object.keys(layer.getWeights()).sort(), ['s/beta', 's/gamma']);
    layer.dispose();
  });

  test('when a weight name is unknown or the size is wrong, then setWeights says so', () => {
    const layer = new GraphLayer(parseExpression('x'), 3, 'w');
    assert.throws(() => layer.setWeights({ 'w/nope': [1, 2, 3] }), /unknown weight "w\/nope"/);
    assert.throws(() => layer.setWeights({ 'w/gamma': [1, 2] }), /needs 3 values, got 2/);
    layer.dispose();
  });

  test('when channels are all zero, then sqrt of their variance is √ε and the output stays finite', () => {
    const layer = new GraphLayer(parseExpression('x * sigmoid(v1 * x) / sqrt(var_instance(x))'), 4);
    const x = seededInput([2, 3, 3, 4], 'dead', [0, 3]);
    const y = layer.apply(x, true);
    assert.ok(allFinite(y));
    tf.dispose([x, y]);
    layer.dispose();
  });
});
