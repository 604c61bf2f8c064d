/**
 * max(a, b) and min(a, b) of graph layers as one SIMD kernel call each way on wasm, where the
 * operands have one shape or one of them is a statistic broadcast over the middle axis
 * ([outer, 1, inner] against [outer, p, inner]: instance, batch or layer statistics against x).
 * The op-by-op path (src/tensor/fused/binary.ts maxMin) takes about 8 kernel calls forward (a
 * subtraction, Neg, Step, Cast, two broadcasts and a Select) and 5 backward; the values are equal
 * bit for bit, NaN included (wasm/simd/kernels.ts, maxmin_forward).
 */
import * as tf from '@tensorflow/tfjs';
import type { MiddleShape } from './moments-middle.js';
import { simdFamilyKernels } from './simd-module.js';

export const MAX_MIN = 'SimdMaxMin';
export const MAX_MIN_GRAD = 'SimdMaxMinGrad';

interface Attrs extends MiddleShape {
  /** 1 when that operand is [outer, 1, inner], 0 when it is full. */
  aSmall: number;
  bSmall: number;
  isMin: number;
  /** The full (broadcast) shape of the value. */
  shape: number[];
}

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { outer, p, inner, aSmall, bSmall, isMin, shape } = attrs as unknown as Attrs;
  const k = simdFamilyKernels(backend, 'graph-ops');
  if (k === undefined) throw new Error(`${MAX_MIN}: the SIMD module is not loaded`);
  const y = k.output([...shape]);
  k.k.maxmin_forward(k.ptr(a), k.ptr(b), outer, p, inner, aSmall, bSmall, isMin, k.ptr(y));
  return y;
};

const gradient: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b, dy } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; dy: tf.TensorInfo };
  const { outer, p, inner, aSmall, bSmall, isMin } = attrs as unknown as Attrs;
  const k = simdFamilyKernels(backend, 'graph-ops');
  if (k === undefined) throw new Error(`${MAX_MIN_GRAD}: the SIMD module is not loaded`);
  const da = k.output([...a.shape]);
  const db = k.output([...b.shape]);
  const scratch = aSmall || bSmall ? k.scratch(k.k.maxmin_scratch_bytes(p, inner)) : 0;
  k.k.maxmin_backward(k.ptr(a), k.ptr(b), k.ptr(dy), outer, p, inner, aSmall, bSmall, isMin, k.ptr(da), k.ptr(db), scratch);
  return [da, db];
};

let registered = false;

function register(): void {
  if (registered) return;
  if (tf.getKernel(MAX_MIN, 'wasm') === undefined) tf.registerKernel({ kernelName: MAX_MIN, backendName: 'wasm', kernelFunc: forward });
  if (tf.getKernel(MAX_MIN_GRAD, 'wasm') === undefined) tf.registerKernel({ kernelName: MAX_MIN_GRAD, backendName: 'wasm', kernelFunc: gradient });
  registered = true;
}

/** How max/min(a, b) maps onto the kernel, given each operand's middle shape within `shape` (undefined: full). */
export interface MaxMinPlan extends MiddleShape {
  readonly aSmall: boolean;
  readonly bSmall: boolean;
  readonly shape: readonly number[];
}

/** max (or min with isMin) of a and b as planned; no gradient recorded (binary.ts wraps it). */
export function simdMaxMin(a: tf.Tensor, b: tf.Tensor, plan: MaxMinPlan, isMin: boolean): tf.Tensor {
  register();
  return tf.engine().runKernel(MAX_MIN, { a, b }, attrsOf(plan, isMin)) as tf.Tensor;
}

/** [da, db] of simdMaxMin for upstream dy, in a's and b's shapes. */
export function simdMaxMinGrad(a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor, plan: MaxMinPlan, isMin: boolean): tf.Tensor[] {
  register();
  return tf.engine().runKernel(MAX_MIN_GRAD, { a, b, dy }, attrsOf(plan, isMin)) as unknown as tf.Tensor[];
}

function attrsOf(plan: MaxMinPlan, isMin: boolean): tf.NamedAttrMap {
  return { outer: plan.outer, p: plan.p, inner: plan.inner, aSmall: plan.aSmall ? 1 : 0, bSmall: plan.bSmall ? 1 : 0, isMin: isMin ? 1 : 0, shape: [...plan.shape] } as unknown as tf.NamedAttrMap;
}
