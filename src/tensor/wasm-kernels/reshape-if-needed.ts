/** A gradient reshaped to its parameter's shape only when it differs (a Reshape is a kernel call). */
import * as tf from '@tensorflow/tfjs';
import { simdFamilyEnabled } from './simd/simd-module.js';

/**
 * `t` itself when it already has `shape` (a kernel's [C] gradient of a [C] parameter), else
 * tf.reshape(t, shape). A Reshape is a kernel call of its own (~10–30 µs with its tape and engine
 * bookkeeping); the fused BN-ReLU and channel affine made two per site and step (issue 18, session 4).
 * With the 'step-calls' family off it always reshapes, as before.
 */
export function reshapeIfNeeded(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const same = t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
  return same && simdFamilyEnabled('step-calls') ? t : tf.reshape(t, shape as number[]);
}
