/**
 * A per-channel affine y = x·γ + β of an NHWC tensor (γ, β with C elements) as one SIMD kernel
 * each way on wasm: forward as the op-by-op mul then add (the same float32 roundings), backward
 * dx = dy·γ, dγ = Σ dy·x, dβ = Σ dy over (n, h, w) in float64 sums. Op by op, tfjs-wasm takes
 * a Multiply and an Add forward and two Multiplies and two transposing Sums backward, the
 * "per-channel sums of the affine gradients" of issue 18's profile. Elsewhere (SIMD off, other
 * backends) the op-by-op form runs.
 */
import * as tf from '@tensorflow/tfjs';
import { simdKernels } from './simd-module.js';
import { reshapeIfNeeded } from '../reshape-if-needed.js';

export const CHANNEL_AFFINE = 'SimdChannelAffine';
export const CHANNEL_AFFINE_GRAD = 'SimdChannelAffineGrad';

function rows(x: tf.TensorInfo): { m: number; c: number } {
  const c = x.shape[x.shape.length - 1]!;
  return { m: x.shape.reduce((a, d) => a * d, 1) / c, c };
}

const forward: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const k = simdKernels(backend);
  if (k === undefined) throw new Error(`${CHANNEL_AFFINE}: the SIMD module is not loaded`);
  const { m, c } = rows(x);
  const y = k.output(x.shape);
  k.k.affine_forward(k.ptr(x), k.ptr(gamma), k.ptr(beta), m, c, k.ptr(y));
  return y;
};

const backward: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x, gamma } = inputs as Record<'dy' | 'x' | 'gamma', tf.TensorInfo>;
  const k = simdKernels(backend);
  if (k === undefined) throw new Error(`${CHANNEL_AFFINE_GRAD}: the SIMD module is not loaded`);
  const { m, c } = rows(x);
  const outs = [k.output(x.shape), k.output([c]), k.output([c])];
  const scratch = k.scratch(16 * c);
  const [dx, dg, db] = outs.map((t) => k.ptr(t));
  k.k.affine_backward(k.ptr(dy), k.ptr(x), k.ptr(gamma), m, c, dx!, dg!, db!, scratch);
  return outs;
};

let registered = false;

function register(): void {
  if (registered) return;
  if (tf.getKernel(CHANNEL_AFFINE, 'wasm') === undefined) tf.registerKernel({ kernelName: CHANNEL_AFFINE, backendName: 'wasm', kernelFunc: forward });
  if (tf.getKernel(CHANNEL_AFFINE_GRAD, 'wasm') === undefined) tf.registerKernel({ kernelName: CHANNEL_AFFINE_GRAD, backendName: 'wasm', kernelFunc: backward });
  if (tf.getGradient(CHANNEL_AFFINE) === undefined) {
    tf.registerGradient({
      kernelName: CHANNEL_AFFINE,
      inputsToSave: ['x', 'gamma', 'beta'],
      gradFunc: (dy, saved) => {
        const [x, gamma, beta] = saved as tf.Tensor[];
        const g = Array.isArray(dy) ? dy[0]! : dy;
        const [dx, dgamma, dbeta] = tf.engine().runKernel(CHANNEL_AFFINE_GRAD, { dy: g, x: x!, gamma: gamma! }) as tf.Tensor[];
        return { x: () => dx!, gamma: () => reshapeIfNeeded(dgamma!, gamma!.shape), beta: () => reshapeIfNeeded(dbeta!, beta!.shape) };
      },
    });
  }
  registered = true;
}

/**
 * x·γ + β with γ, β of C elements (x's last axis). One SIMD kernel each way on wasm when the
 * SIMD module is loaded; tf.add(tf.mul(x, γ), β) otherwise.
 */
export function channelAffine<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor): T {
  const c = x.shape[x.rank - 1]!;
  const simd = tf.getBackend() === 'wasm' && [x, gamma, beta].every((t) => t.dtype === 'float32') && gamma.size === c && beta.size === c && x.size > 0 && simdKernels(tf.backend()) !== undefined;
  if (!simd) return tf.add(tf.mul(x, gamma), beta) as T;
  register();
  return tf.engine().runKernel(CHANNEL_AFFINE, { x, gamma, beta }) as T;
}
