/**
 * The join of a residual block, y = act(x·γ + β + skip'), skip' = s·γs + βs (a projection
 * shortcut's affine) or s (identity), act = ReLU or none, as one SIMD kernel each way on wasm
 * (family 'step-calls', issue 18, session 4). Op by op a resnet block ends in two SimdChannelAffine,
 * an Add and a Relu forward, and Step, Cast, Multiply, two Reshapes and two SimdChannelAffineGrad
 * backward: 11 calls become 2. Values are those of the op-by-op path bit for bit (the same float32
 * roundings; the gradient sums in the same blocks as affine_backward). Elsewhere (family off, SIMD
 * off, other backends) the op-by-op path runs.
 */
import * as tf from '@tensorflow/tfjs';
import { channelAffine } from './channel-affine.js';
import { simdFamilyKernels } from './simd-module.js';
import { reshapeIfNeeded } from '../reshape-if-needed.js';

/** With a shortcut affine (inputs x, gamma, beta, skip, skipGamma, skipBeta) and without (the first four). */
export const RESIDUAL_JOIN = 'SimdResidualJoin';
export const RESIDUAL_JOIN_IDENTITY = 'SimdResidualJoinIdentity';
export const RESIDUAL_JOIN_GRAD = 'SimdResidualJoinGrad';

interface JoinAttrs {
  relu: boolean;
}

function rows(x: tf.TensorInfo): { m: number; c: number } {
  const c = x.shape[x.shape.length - 1]!;
  return { m: x.shape.reduce((a, d) => a * d, 1) / c, c };
}

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta, skip, skipGamma, skipBeta } = inputs as Record<'x' | 'gamma' | 'beta' | 'skip', tf.TensorInfo> & Partial<Record<'skipGamma' | 'skipBeta', tf.TensorInfo>>;
  const k = simdFamilyKernels(backend, 'step-calls');
  if (k === undefined) throw new Error(`${RESIDUAL_JOIN}: the SIMD module is not loaded`);
  const { m, c } = rows(x);
  const affine = skipGamma !== undefined && skipBeta !== undefined;
  const y = k.output(x.shape);
  const p = (t: tf.TensorInfo | undefined): number => (t === undefined ? 0 : k.ptr(t));
  k.k.residual_forward(p(x), p(gamma), p(beta), p(skip), p(skipGamma), p(skipBeta), m, c, affine ? 1 : 0, (attrs as unknown as JoinAttrs).relu ? 1 : 0, k.ptr(y));
  return y;
};

const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, gamma, beta, skip, skipGamma, skipBeta } = inputs as Record<'dy' | 'x' | 'gamma' | 'beta' | 'skip', tf.TensorInfo> & Partial<Record<'skipGamma' | 'skipBeta', tf.TensorInfo>>;
  const k = simdFamilyKernels(backend, 'step-calls');
  if (k === undefined) throw new Error(`${RESIDUAL_JOIN_GRAD}: the SIMD module is not loaded`);
  const { m, c } = rows(x);
  const affine = skipGamma !== undefined && skipBeta !== undefined;
  const outs = [k.output(x.shape), k.output([c]), k.output([c]), k.output(skip.shape), ...(affine ? [k.output([c]), k.output([c])] : [])];
  const scratch = k.scratch(16 * c);
  const [dx, dg, db, ds, dsg, dsb] = outs.map((t) => k.ptr(t));
  k.k.residual_backward(
    k.ptr(dy), k.ptr(x), k.ptr(gamma), k.ptr(beta), k.ptr(skip), affine ? k.ptr(skipGamma!) : 0, affine ? k.ptr(skipBeta!) : 0, m, c, affine ? 1 : 0, (attrs as unknown as JoinAttrs).relu ? 1 : 0,
    dx!, dg!, db!, ds!, dsg ?? 0, dsb ?? 0, scratch,
  );
  return outs;
};

/** The gradient of the join with (`affine`) or without a shortcut affine. */
function gradient(kernelName: string, affine: boolean): tf.GradConfig {
  const inputsToSave = affine ? ['x', 'gamma', 'beta', 'skip', 'skipGamma', 'skipBeta'] : ['x', 'gamma', 'beta', 'skip'];
  return {
    kernelName,
    inputsToSave,
    gradFunc: (dy, saved, attrs) => {
      // The pre-activation is recomputed from the inputs (tfjs's ReLU gradient needs z, NaNs included).
      const [x, gamma, beta, skip, skipGamma, skipBeta] = saved;
      const inputs: tf.NamedTensorMap = { dy: Array.isArray(dy) ? dy[0]! : dy, x: x!, gamma: gamma!, beta: beta!, skip: skip! };
      if (affine) {
        inputs.skipGamma = skipGamma!;
        inputs.skipBeta = skipBeta!;
      }
      const [dx, dgamma, dbeta, ds, dsgamma, dsbeta] = tf.engine().runKernel(RESIDUAL_JOIN_GRAD, inputs, attrs) as tf.Tensor[];
      const grads: Record<string, () => tf.Tensor> = {
        x: () => dx!,
        gamma: () => reshapeIfNeeded(dgamma!, gamma!.shape),
        beta: () => reshapeIfNeeded(dbeta!, beta!.shape),
        skip: () => ds!,
      };
      if (affine) {
        grads.skipGamma = () => reshapeIfNeeded(dsgamma!, skipGamma!.shape);
        grads.skipBeta = () => reshapeIfNeeded(dsbeta!, skipBeta!.shape);
      }
      return grads;
    },
  };
}

let registered = false;

function register(): void {
  if (registered) return;
  for (const [kernelName, kernelFunc] of [[RESIDUAL_JOIN, forward], [RESIDUAL_JOIN_IDENTITY, forward], [RESIDUAL_JOIN_GRAD, backward]] as const) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  if (tf.getGradient(RESIDUAL_JOIN) === undefined) tf.registerGradient(gradient(RESIDUAL_JOIN, true));
  if (tf.getGradient(RESIDUAL_JOIN_IDENTITY) === undefined) tf.registerGradient(gradient(RESIDUAL_JOIN_IDENTITY, false));
  registered = true;
}

/** The per-channel affine of a shortcut: γs, βs with C elements. */
export interface SkipAffine {
  readonly gamma: tf.Tensor;
  readonly beta: tf.Tensor;
}

/**
 * act(x·γ + β + (skipAffine ? skip·γs + βs : skip)) for NHWC x and skip of the same shape, γ, β
 * (and γs, βs) with C elements; act = ReLU when `relu`. One SIMD kernel each way on wasm with the
 * 'step-calls' family on; otherwise channelAffine, tf.add and tf.relu, the same values.
 */
export function residualJoin<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, skip: T, skipAffine: SkipAffine | null, relu: boolean): T {
  const c = x.shape[x.rank - 1]!;
  const params = [gamma, beta, ...(skipAffine ? [skipAffine.gamma, skipAffine.beta] : [])];
  const fits = x.shape.length === skip.shape.length && x.shape.every((d, i) => d === skip.shape[i]) && params.every((t) => t.size === c) && x.size > 0;
  const simd = fits && tf.getBackend() === 'wasm' && [x, skip, ...params].every((t) => t.dtype === 'float32') && simdFamilyKernels(tf.backend(), 'step-calls') !== undefined;
  if (!simd) {
    const s = skipAffine ? channelAffine(skip, skipAffine.gamma, skipAffine.beta) : skip;
    const z = tf.add(channelAffine(x, gamma, beta), s) as T;
    return relu ? tf.relu(z) : z;
  }
  register();
  const inputs: tf.NamedTensorMap = { x, gamma, beta, skip };
  if (skipAffine) {
    inputs.skipGamma = skipAffine.gamma;
    inputs.skipBeta = skipAffine.beta;
  }
  return tf.engine().runKernel(skipAffine ? RESIDUAL_JOIN : RESIDUAL_JOIN_IDENTITY, inputs, { relu } as unknown as tf.NamedAttrMap) as T;
}
