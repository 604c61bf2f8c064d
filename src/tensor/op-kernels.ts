/**
 * The tfjs implementation of every element-wise op of the registry (src/graph/ops.ts), which
 * cannot live in the registry entry itself because src/graph/ may not import tfjs. The table is a
 * `Record<ElementwiseOp, …>`: an op added to the registry without a kernel here does not compile.
 * Aggregations are implemented once, by axes, in GraphLayer.
 *
 * Binary ops go through src/tensor/fused's broadcasting kernels (same values, faster gradients
 * on wasm). sqrt/log skip sign⁺ when their argument is provably ≥ 0 (src/graph/nonnegative.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ElementwiseOp } from '../graph/ops.js';
import type { PostAffineActivation } from '../graph/activations.js';
import { binaryOp } from './fused/index.js';
// One SIMD kernel each way on wasm when loaded (issue 18); the expressions after ?? are the op-by-op path.
import { simdSignedUnary } from './wasm-kernels/simd/index.js';

export interface KernelContext {
  /** ε of the layer options. */
  readonly eps: number;
  /** The first argument is provably ≥ 0. */
  readonly aNonNegative: boolean;
}

/** One element-wise op on tensors in their smallest broadcastable shapes (b: unary ops ignore it). */
export type TfjsKernel = (a: tf.Tensor, b: tf.Tensor, ctx: KernelContext) => tf.Tensor;

export const TFJS_KERNELS: Readonly<Record<ElementwiseOp, TfjsKernel>> = {
  add: (a, b) => binaryOp('add', a, b),
  sub: (a, b) => binaryOp('sub', a, b),
  mul: (a, b) => binaryOp('mul', a, b),
  div: (a, b) => binaryOp('div', a, b),
  max: (a, b) => binaryOp('max', a, b),
  min: (a, b) => binaryOp('min', a, b),
  neg: (a) => tf.neg(a),
  sigmoid: (a) => tf.sigmoid(a),
  tanh: (a) => tf.tanh(a),
  exp: (a) => tf.exp(a),
  log: (a, _b, { eps, aNonNegative }) =>
    simdSignedUnary('log', a, eps, !aNonNegative) ??
    (aNonNegative ? tf.log(tf.add(a, eps)) : tf.mul(signPlus(a), tf.log(tf.add(tf.abs(a), eps)))),
  abs: (a) => tf.abs(a),
  square: (a) => tf.square(a),
  sqrt: (a, _b, { eps, aNonNegative }) =>
    simdSignedUnary('sqrt', a, eps, !aNonNegative) ??
    (aNonNegative ? tf.sqrt(tf.add(a, eps)) : tf.mul(signPlus(a), tf.sqrt(tf.add(tf.abs(a), eps)))),
  relu: (a) => tf.relu(a),
  softplus: (a) => tf.softplus(a),
};

/** Each post-affine activation (src/graph/activations.ts) on tensors: its float64 definition there, in tfjs. */
export const ACTIVATION_KERNELS: Readonly<Record<PostAffineActivation, (y: tf.Tensor) => tf.Tensor>> = {
  relu: (y) => tf.relu(y),
  swish: (y) => tf.mul(y, tf.sigmoid(y)),
};

/**
 * sign⁺(a): 1 where a ≥ 0, −1 where a < 0 (no gradient, like sign), as 1 − 2·step(−a): tfjs-wasm's
 * comparison kernels (GreaterEqual) are ~20× slower than Step.
 */
export function signPlus(a: tf.Tensor): tf.Tensor {
  return tf.sub(1, tf.mul(tf.step(tf.neg(a)), 2));
}
