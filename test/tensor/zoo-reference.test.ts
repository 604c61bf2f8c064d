/**
 * The zoo against the paper's formulas written directly in tfjs ops (not through the DSL), in
 * training and inference mode, including channels with variance 0 (PAPER.md §2).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { zooLayer } from '../../src/graph/zoo.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { seededInput, seededVector, maxRelDiff, allFinite } from './helpers.js';

await tf.setBackend('cpu');

const EPS = 1e-5;
const C = 8;
const GROUPS = 4;
type T = tf.Tensor4D;

/** Statistics a reference formula may use; in inference the batch ones are the moving averages. */
interface Stats {
  batchMean: tf.Tensor;
  batchVar: tf.Tensor;
}

const moments = (x: tf.Tensor, axes: number[]) => tf.moments(x, axes, true);
const groupMoments = (x: T) => {
  const [n, h, w, c] = x.shape;
  const g = tf.moments(x.reshape([n, h, w, GROUPS, c / GROUPS]), [1, 2, 4], true);
  const expand = (t: tf.Tensor) => tf.broadcastTo(t, [n, 1, 1, GROUPS, c / GROUPS]).reshape([n, 1, 1, c]);
  return { mean: expand(g.mean), variance: expand(g.variance) };
};
const groupMeanSquare = (x: T) => groupMoments(tf.square(x) as T).mean;

/** The formulas of PAPER.md §2 without γ, β and the activation after them. */
const REFERENCE: Record<string, { body: (x: T, v1: tf.Tensor, s: Stats) => tf.Tensor; activation?: (y: tf.Tensor) => tf.Tensor }> = {
  'bn-relu': { body: (x, _v, s) => tf.div(tf.sub(x, s.batchMean), tf.sqrt(tf.add(s.batchVar, EPS))), activation: tf.relu },
  'bn-swish': { body: (x, _v, s) => tf.div(tf.sub(x, s.batchMean), tf.sqrt(tf.add(s.batchVar, EPS))), activation: (y) => tf.mul(y, tf.sigmoid(y)) },
  'gn-relu': { body: (x) => { const g = groupMoments(x); return tf.div(tf.sub(x, g.mean), tf.sqrt(tf.add(g.variance, EPS))); }, activation: tf.relu },
  'ln-relu': { body: (x) => { const l = moments(x, [1, 2, 3]); return tf.div(tf.sub(x, l.mean), tf.sqrt(tf.add(l.variance, EPS))); }, activation: tf.relu },
  'identity-affine': { body: (x) => x },
  'evonorm-b0': { body: (x, v1, s) => tf.div(x, tf.maximum(tf.sqrt(tf.add(s.batchVar, EPS)), tf.add(tf.mul(v1, x), tf.sqrt(tf.add(moments(x, [1, 2]).variance, EPS))))) },
  'evonorm-b1': { body: (x, _v, s) => tf.div(x, tf.maximum(tf.sqrt(tf.add(s.batchVar, EPS)), tf.mul(tf.add(x, 1), tf.sqrt(tf.add(tf.mean(tf.square(x), [1, 2], true), EPS))))) },
  'evonorm-b2': { body: (x, _v, s) => tf.div(x, tf.maximum(tf.sqrt(tf.add(s.batchVar, EPS)), tf.sub(tf.sqrt(tf.add(tf.mean(tf.square(x), [1, 2], true), EPS)), x))) },
  'evonorm-s0': { body: (x, v1) => tf.div(tf.mul(x, tf.sigmoid(tf.mul(v1, x))), tf.sqrt(tf.add(groupMoments(x).variance, EPS))) },
  'evonorm-s1': { body: (x) => tf.div(tf.mul(x, tf.sigmoid(x)), tf.sqrt(tf.add(groupMoments(x).variance, EPS))) },
  'evonorm-s2': { body: (x) => tf.div(tf.mul(x, tf.sigmoid(x)), tf.sqrt(tf.add(groupMeanSquare(x), EPS))) },
};

/** Runs one zoo layer and its reference on the same input and parameters; returns max rel diff. */
function compare(name: string, training: boolean, zeroChannels: number[]): { diff: number; finite: boolean } {
  return tf.tidy(() => {
    const graph = zooLayer(name);
    const layer = new GraphLayer(graph, C, name, { groups: GROUPS, epsilon: EPS });
    try {
      const x = seededInput([4, 5, 5, C], `${name}-${training}`, zeroChannels);
      const v1 = seededVector(C, 'v1', 1, 0.3);
      const gamma = seededVector(C, 'gamma', 1, 0.3);
      const beta = seededVector(C, 'beta', 0, 0.3);
      const weights = layer.getWeights();
      const set: Record<string, Float32Array> = { [`${name}/gamma`]: gamma, [`${name}/beta`]: beta };
      if (`${name}/v1` in weights) set[`${name}/v1`] = v1;
      // Inference reads moving statistics: give them non-trivial known values.
      const movingMean = seededVector(C, 'mm', 0.5);
      const movingVar = Float32Array.from(seededVector(C, 'mv', 2), (v) => Math.abs(v) + 0.1);
      const movingKeys = Object.keys(weights).filter((k) => k.includes('/moving_'));
      for (const key of movingKeys) set[key] = key.includes('moving_mean') ? movingMean : movingVar;
      layer.setWeights(set);
      layer.freezeMovingStats = true;

      const y = layer.apply(x, training);
      const shape = [1, 1, 1, C];
      const batch = moments(x, [0, 1, 2]);
      const stats: Stats = training
        ? { batchMean: batch.mean, batchVar: batch.variance }
        : { batchMean: tf.tensor(movingMean, shape), batchVar: tf.tensor(movingVar, shape) };
      const ref = REFERENCE[name];
      let expected = tf.add(tf.mul(ref.body(x, tf.tensor(v1, shape), stats), tf.tensor(gamma, shape)), tf.tensor(beta, shape));
      if (ref.activation) expected = ref.activation(expected);
      return { diff: maxRelDiff(y, expected as T), finite: allFinite(y) };
    } finally {
      layer.dispose();
    }
  });
}

describe('zoo layers against their reference formulas', () => {
  for (const name of Object.keys(REFERENCE)) {
    for (const training of [true, false]) {
      test(`when ${name} runs in ${training ? 'training' : 'inference'} mode, then it matches the formula to 1e-4`, () => {
        const { diff } = compare(name, training, []);
        assert.ok(diff < 1e-4, `max relative difference ${diff}`);
      });
      test(`when ${name} sees zero-variance channels in ${training ? 'training' : 'inference'} mode, then it is finite and matches`, () => {
        const { diff, finite } = compare(name, training, [0, 1, 5]); // channels 0–1 form a whole zero group
        assert.ok(finite, 'output has NaN or Inf');
        assert.ok(diff < 1e-4, `max relative difference ${diff}`);
      });
    }
  }
});

describe('zoo layers under gradients', () => {
  for (const name of Object.keys(REFERENCE)) {
    test(`when ${name} is differentiated, then every parameter and the input get finite gradients of their shape`, () => {
      const layer = new GraphLayer(zooLayer(name), C, name, { groups: GROUPS });
      const x = seededInput([4, 5, 5, C], `grad-${name}`, [0]);
      const vars = layer.trainableVariables();
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, true))) as tf.Scalar, vars);
      for (const v of vars) {
        assert.deepEqual(grads[v.name].shape, v.shape);
        assert.ok(allFinite(grads[v.name]));
      }
      const dx = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input as tf.Tensor4D, true)))(x);
      assert.deepEqual(dx.shape, x.shape);
      assert.ok(allFinite(dx));
      tf.dispose([value, ...Object.values(grads), dx, x]);
      layer.dispose();
    });
  }
});
