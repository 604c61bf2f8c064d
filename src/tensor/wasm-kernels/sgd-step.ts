/**
 * One SGD-with-momentum update of one variable as a single kernel on wasm and cpu (a JS pass over
 * the heap) instead of ~7 element-wise tfjs kernels per variable and step; on the small proxies
 * the optimizer's ~300 kernel calls per step were a large part of a step (ISSUE 11).
 *
 *   g' = g + wd·w            (weight decay 'l2', when wd > 0)
 *   v' = μ·v + g'
 *   w' = w − lr·(nesterov ? g' + μ·v' : v')   (− lr·wd·w when 'decoupled')
 *
 * Returns [w', v'] (the caller assigns them). Arithmetic in float64, rounded to float32 on store;
 * the op-by-op update rounds after every op, so results may differ in the last bit.
 */
import * as tf from '@tensorflow/tfjs';
import { runJsKernel } from './js-kernel.js';

export const SGD_STEP = 'MomentumSgdStep';

export interface SgdStepAttrs {
  lr: number;
  momentum: number;
  nesterov: boolean;
  /** Weight decay coefficient (0 for none). */
  wd: number;
  decoupled: boolean;
}

/** The update over flat arrays (see the module comment). */
export function sgdStepArrays(w: Float32Array, v: Float32Array, g: Float32Array, a: SgdStepAttrs, wOut: Float32Array, vOut: Float32Array): void {
  const { lr, momentum: mu, wd } = a;
  const l2 = a.decoupled ? 0 : wd;
  const dec = a.decoupled ? lr * wd : 0;
  if (a.nesterov) {
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + l2 * w[i]!;
      const vi = mu * v[i]! + gi;
      vOut[i] = vi;
      wOut[i] = w[i]! - lr * (gi + mu * vi) - dec * w[i]!;
    }
  } else {
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + l2 * w[i]!;
      const vi = mu * v[i]! + gi;
      vOut[i] = vi;
      wOut[i] = w[i]! - lr * vi - dec * w[i]!;
    }
  }
}

function kernelFor(backendName: 'wasm' | 'cpu'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { w, v, g } = inputs as Record<'w' | 'v' | 'g', tf.TensorInfo>;
    return runJsKernel(backend, backendName, [w, v, g], [w.shape, w.shape], ([wa, va, ga], [wo, vo]) =>
      sgdStepArrays(wa!, va!, ga!, attrs as unknown as SgdStepAttrs, wo!, vo!));
  };
}

let registered = false;

/** Registers the SGD step kernel for wasm and cpu; idempotent. */
export function registerSgdStep(): void {
  if (registered) return;
  for (const backendName of ['wasm', 'cpu'] as const) {
    if (tf.getKernel(SGD_STEP, backendName) === undefined) tf.registerKernel({ kernelName: SGD_STEP, backendName, kernelFunc: kernelFor(backendName) });
  }
  registered = true;
}

/** Backends with the fused SGD step. */
export const SGD_STEP_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/** [w', v'] of one update (see the module comment); float32 tensors of w's shape. */
export function sgdStep(w: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: SgdStepAttrs): [tf.Tensor, tf.Tensor] {
  registerSgdStep();
  const [wNext, vNext] = tf.engine().runKernel(SGD_STEP, { w, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return [wNext!, vNext!];
}
