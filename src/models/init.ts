/**
 * Seeded variable initialisers for the proxy networks (STYLE.md 7: every tfjs initialiser gets
 * an explicit non-zero seed drawn from the run's Rng).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';

/**
 * Makes a trainable variable drawn from He-normal, N(0, 2 / fanIn), with a seed from `rng`.
 * `fanIn` is the number of inputs feeding one output (k·k·Cin for a convolution).
 */
export function heNormalVariable(shape: number[], fanIn: number, rng: Rng): tf.Variable {
  const init = tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', rng.tfSeed());
  // The variable shares the initial tensor's data (ref-counted), so the tensor can go.
  const v = tf.variable(init, true);
  init.dispose();
  return v;
}

/** Makes a trainable variable filled with `value` (e.g. γ = 1, β = 0, biases = 0). */
export function constantVariable(shape: number[], value: number): tf.Variable {
  const init = tf.fill(shape, value, 'float32');
  const v = tf.variable(init, true);
  init.dispose();
  return v;
}
