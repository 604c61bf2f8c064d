/**
 * A per-channel affine y = x·γ + β of an NHWC tensor (γ, β with C elements) as one SIMD kernel
 * each way on wasm: forward as the op-by-op mul then add (the same float32 roundings), backward
 * dx = dy·γ, dγ = Σ dy·x, dβ = Σ dy over (n, h, w) in float64 sums. Op by op, tfjs-wasm takes
 * a Multiply and an Add forward and two Multiplies and two transposing Sums backward, the
 * "per-channel sums of the affine gradients" of issue 18's profile. Elsewhere (SIMD off, other
 * backends) the op-by-op form runs.
 *
 * channelAffineRows is the same forward with the gradient sums in channel_sum's order, the order
 * of a graph layer's op-by-op affine (GraphLayer: broadcast mul and add, their gradients summed by
 * SimdSumMiddle), so it replaces those 4 calls forward and 8 backward with 1 each, bit for bit
 * (family 'step-calls', issue 18, session 4).
 */
import * as tf from '@tensorflow/tfjs';
import { simdFamilyKernels, simdKernels } from './simd-module.js';
import { reshapeIfNeeded } from '../reshape-if-needed.js';

export const CHANNEL_AFFINE = 'SimdChannelAffine';
export const CHANNEL_AFFINE_GRAD = 'SimdChannelAffineGrad';
export const CHANNEL_AFFINE_ROWS = 'SimdChannelAffineRows';
export const CHANNEL_AFFINE_ROWS_GRAD = 'SimdChannelAffineRowsGrad';

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

/** The gradient kernel, summing as affine_backward or (`byRows`) as affine_backward_rows. */
function backwardOf(byRows: boolean): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, x, gamma } = inputs as Record<'dy' | 'x' | 'gamma', tf.TensorInfo>;
    const k = simdKernels(backend);
    if (k === undefined) throw new Error(`${byRows ? CHANNEL_AFFINE_ROWS_GRAD : CHANNEL_AFFINE_GRAD}: the SIMD module is not loaded`);
    const { m, c } = rows(x);
    const outs = [k.output(x.shape), k.output([c]), k.output([c])];
    const scratch = k.scratch(16 * c);
    const [dx, dg, db] = outs.map((t) => k.ptr(t));
    (byRows ? k.k.affine_backward_rows : k.k.affine_backward)(k.ptr(dy), k.ptr(x), k.ptr(gamma), m, c, dx!, dg!, db!, scratch);
    return outs;
  };
}

/** The gradient config of `kernelName`, whose gradient kernel is `gradName`. */
function gradConfig(kernelName: string, gradName: string): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x', 'gamma', 'beta'],
    gradFunc: (dy, saved) => {
      const [x, gamma, beta] = saved as tf.Tensor[];
      const g = Array.isArray(dy) ? dy[0]! : dy;
      const [dx, dgamma, dbeta] = tf.engine().runKernel(gradName, { dy: g, x: x!, gamma: gamma! }) as tf.Tensor[];
      return { x: () => dx!, gamma: () => reshapeIfNeeded(dgamma!, gamma!.shape), beta: () => reshapeIfNeeded(dbeta!, beta!.shape) };
    },
  };
}

let registered = false;

function register(): void {
  if (registered) return;
  const kernels: Array<[string, tf.KernelFunc]> = [
    [CHANNEL_AFFINE, forward], [CHANNEL_AFFINE_GRAD, backwardOf(false)], [CHANNEL_AFFINE_ROWS, forward], [CHANNEL_AFFINE_ROWS_GRAD, backwardOf(true)],
  ];
  for (const [kernelName, kernelFunc] of kernels) if (tf.getKernel(kernelName, 'wasm') === undefined) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  if (tf.getGradient(CHANNEL_AFFINE) === undefined) tf.registerGradient(gradConfig(CHANNEL_AFFINE, CHANNEL_AFFINE_GRAD));
  if (tf.getGradient(CHANNEL_AFFINE_ROWS) === undefined) tf.registerGradient(gradConfig(CHANNEL_AFFINE_ROWS, CHANNEL_AFFINE_ROWS_GRAD));
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

/**
 * x·γ + β as one SIMD kernel each way with the gradient sums of a graph layer's op-by-op affine
 * (see the module comment), or undefined where it does not apply: the family 'step-calls' off or
 * not loaded, not wasm, not float32, C < 2 (sum_middle sums one channel another way), one row only
 * (op by op there is no sum, so a −0 product stays −0), γ or β not of C elements. The caller then
 * runs its own path.
 */
export function channelAffineRows<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor): T | undefined {
  const c = x.shape[x.rank - 1]!;
  const fits = c >= 2 && gamma.size === c && beta.size === c && x.size >= 2 * c && [x, gamma, beta].every((t) => t.dtype === 'float32');
  if (!fits || tf.getBackend() !== 'wasm' || simdFamilyKernels(tf.backend(), 'step-calls') === undefined) return undefined;
  register();
  return tf.engine().runKernel(CHANNEL_AFFINE_ROWS, { x, gamma, beta }) as T;
}
