/**
 * The mean and variance over the middle axis of a tensor seen as [outer, p, inner] as one SIMD
 * kernel call on wasm (issue 18: the graph reductions mean/var over instance, batch and layer),
 * and their gradient as one more. The op-by-op path takes 6 kernel calls forward (two of them
 * broadcasting subtractions and multiplies, which are slow on tfjs-wasm) and 2 backward; the
 * values are equal bit for bit (wasm/simd/kernels.ts, moments_middle).
 */
import * as tf from '@tensorflow/tfjs';
import { simdFamilyKernels } from './simd-module.js';

export const MOMENTS_MIDDLE = 'SimdMomentsMiddle';
export const MOMENTS_MIDDLE_GRAD = 'SimdMomentsMiddleGrad';

/** x seen as [outer, p, inner]; statistics over p. */
export interface MiddleShape {
  readonly outer: number;
  readonly p: number;
  readonly inner: number;
}

interface Attrs extends MiddleShape {
  /** 1 = mean only; 2 = mean and variance. */
  outputs: number;
}

interface GradAttrs extends MiddleShape {
  /** 'var': dx = (x − μ)·dvar·2/p; 'mean': dx = dmean/p. */
  which: 'mean' | 'var';
}

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const { outer, p, inner, outputs } = attrs as unknown as Attrs;
  const k = simdFamilyKernels(backend, 'graph-ops');
  if (k === undefined) throw new Error(`${MOMENTS_MIDDLE}: the SIMD module is not loaded`);
  if (outer * p * inner !== x.shape.reduce((a, d) => a * d, 1)) throw new Error(`${MOMENTS_MIDDLE}: [${outer}, ${p}, ${inner}] does not match [${x.shape}]`);
  const mean = k.output([outer, inner]);
  const variance = outputs === 2 ? k.output([outer, inner]) : undefined;
  const scratch = k.scratch(8 * inner);
  k.k.moments_middle(k.ptr(x), outer, p, inner, Math.fround(1 / p), k.ptr(mean), variance ? k.ptr(variance) : 0, scratch);
  return variance ? [mean, variance] : [mean];
};

const gradient: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, mean, dstat } = inputs as { x: tf.TensorInfo; mean: tf.TensorInfo; dstat: tf.TensorInfo };
  const { outer, p, inner, which } = attrs as unknown as GradAttrs;
  const k = simdFamilyKernels(backend, 'graph-ops');
  if (k === undefined) throw new Error(`${MOMENTS_MIDDLE_GRAD}: the SIMD module is not loaded`);
  const dx = k.output([...x.shape]);
  const scratch = k.scratch(4 * inner);
  // The op-by-op path scales by a float32 scalar: 2/p for the variance, 1/p for the mean.
  const scale = Math.fround(which === 'var' ? 2 / p : 1 / p);
  k.k.moments_middle_grad(which === 'var' ? k.ptr(x) : 0, k.ptr(mean), k.ptr(dstat), outer, p, inner, scale, k.ptr(dx), scratch);
  return dx;
};

let registered = false;

function register(): void {
  if (registered) return;
  if (tf.getKernel(MOMENTS_MIDDLE, 'wasm') === undefined) tf.registerKernel({ kernelName: MOMENTS_MIDDLE, backendName: 'wasm', kernelFunc: forward });
  if (tf.getKernel(MOMENTS_MIDDLE_GRAD, 'wasm') === undefined) tf.registerKernel({ kernelName: MOMENTS_MIDDLE_GRAD, backendName: 'wasm', kernelFunc: gradient });
  registered = true;
}

/** Whether the SIMD moments kernels can run on `t` now (wasm backend, float32, family on). */
export function simdMomentsAvailable(t: tf.Tensor): boolean {
  return tf.getBackend() === 'wasm' && t.dtype === 'float32' && simdFamilyKernels(tf.backend(), 'graph-ops') !== undefined;
}

/**
 * The mean (and, with `withVariance`, the variance) of t over p, each of shape [outer, inner].
 * No gradient is recorded: callers wrap it (src/tensor/fused/moments.ts) and use
 * simdMomentsGrad. Check simdMomentsAvailable first.
 */
export function simdMoments(t: tf.Tensor, shape: MiddleShape, withVariance: boolean): tf.Tensor[] {
  register();
  const out = tf.engine().runKernel(MOMENTS_MIDDLE, { x: t }, { ...shape, outputs: withVariance ? 2 : 1 } as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
}

/**
 * The gradient with respect to x of the statistic `which` given its upstream gradient dstat
 * ([outer, inner] values) and the mean simdMoments returned; shape of x.
 */
export function simdMomentsGrad(x: tf.Tensor, mean: tf.Tensor, dstat: tf.Tensor, shape: MiddleShape, which: 'mean' | 'var'): tf.Tensor {
  register();
  return tf.engine().runKernel(MOMENTS_MIDDLE_GRAD, { x, mean, dstat }, { ...shape, which } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
