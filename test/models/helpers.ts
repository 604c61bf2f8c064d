/**
 * Test helpers for the proxy networks: a plain BN-ReLU norm-activation factory (batch statistics
 * in training, moving averages in inference), a factory that poisons its input with NaN, and a
 * factory wrapper that counts sites.
 */
import * as tf from '@tensorflow/tfjs';
import type { NormActFactory, NormActSite } from '../../src/models/types.js';

const EPSILON = 1e-5;

/** A variable filled with `value`; the initial tensor is freed (the variable keeps the data). */
function filled(channels: number, value: number, trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill([channels], value), trainable));
}
const MOMENTUM = 0.9;

/** BN-ReLU: max((x − μ)/√(σ² + ε)·γ + β, 0), moving averages updated in training mode. */
export const bnRelu: NormActFactory = (channels) => {
  const gamma = filled(channels, 1, true);
  const beta = filled(channels, 0, true);
  const movingMean = filled(channels, 0, false);
  const movingVar = filled(channels, 1, false);
  const site: NormActSite = {
    apply(x, training) {
      return tf.tidy(() => {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (training) {
          const moments = tf.moments(x, [0, 1, 2]);
          mean = moments.mean;
          variance = moments.variance;
          movingMean.assign(tf.add(tf.mul(movingMean, MOMENTUM), tf.mul(mean, 1 - MOMENTUM)));
          movingVar.assign(tf.add(tf.mul(movingVar, MOMENTUM), tf.mul(variance, 1 - MOMENTUM)));
        } else {
          mean = movingMean;
          variance = movingVar;
        }
        const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPSILON)));
        return tf.relu(tf.add(tf.mul(normed, gamma), beta));
      });
    },
    trainableVariables: () => [gamma, beta],
    dispose() {
      for (const v of [gamma, beta, movingMean, movingVar]) v.dispose();
    },
  };
  return site;
};

/** A site with one trainable scale whose output is x·scale·NaN: the loss is NaN at once. */
export const nanSite: NormActFactory = (channels) => {
  const scale = filled(channels, 1, true);
  return {
    apply: (x) => tf.tidy(() => tf.mul(tf.mul(x, scale), NaN)),
    trainableVariables: () => [scale],
    dispose: () => scale.dispose(),
  };
};

/** Wraps a factory and records the name of every site it makes. */
export function countingFactory(inner: NormActFactory): { factory: NormActFactory; names: string[] } {
  const names: string[] = [];
  return {
    names,
    factory: (channels, name) => {
      names.push(name);
      return inner(channels, name);
    },
  };
}
