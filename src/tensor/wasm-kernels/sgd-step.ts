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
import { simdKernels } from './simd/simd-module.js';

export const SGD_STEP = 'MomentumSgdStep';
/** Every variable's update in one kernel call (issue 18: 41 calls per resnet step became 1). */
export const SGD_STEP_ALL = 'MomentumSgdStepAll';

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

/** The attributes of SGD_STEP_ALL: one weight decay per variable, the rest shared. */
interface SgdStepAllAttrs extends Omit<SgdStepAttrs, 'wd'> {
  wds: number[];
}

/**
 * SGD_STEP_ALL: inputs w0, v0, g0, w1, v1, g1, …; outputs w0', w1', …, then v0', v1', …. Each
 * variable's update is sgdStepArrays, so the results equal SGD_STEP's bit for bit.
 */
function allKernelFor(backendName: 'wasm' | 'cpu'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { wds, ...shared } = attrs as unknown as SgdStepAllAttrs;
    const ins = wds.flatMap((_, i) => ['w', 'v', 'g'].map((k) => (inputs as Record<string, tf.TensorInfo>)[`${k}${i}`]!));
    const shapes = wds.map((_, i) => ins[3 * i]!.shape);
    const simd = backendName === 'wasm' ? simdKernels(backend) : undefined;
    if (simd !== undefined) {
      // The same arithmetic in float64 SIMD lanes (wasm/simd/kernels.ts sgd_step): equal bit for bit.
      const outs = [...shapes, ...shapes].map((shape) => simd.output([...shape]));
      wds.forEach((wd, i) => {
        const l2 = shared.decoupled ? 0 : wd;
        const dec = shared.decoupled ? shared.lr * wd : 0;
        const n = shapes[i]!.reduce((a, d) => a * d, 1);
        simd.k.sgd_step(simd.ptr(ins[3 * i]!), simd.ptr(ins[3 * i + 1]!), simd.ptr(ins[3 * i + 2]!), n, shared.lr, shared.momentum, shared.nesterov ? 1 : 0, l2, dec, simd.ptr(outs[i]!), simd.ptr(outs[wds.length + i]!));
      });
      return outs;
    }
    return runJsKernel(backend, backendName, ins, [...shapes, ...shapes], (arrays, outs) => {
      wds.forEach((wd, i) => sgdStepArrays(arrays[3 * i]!, arrays[3 * i + 1]!, arrays[3 * i + 2]!, { ...shared, wd }, outs[i]!, outs[wds.length + i]!));
    });
  };
}

let registered = false;

/** Registers the SGD step kernels for wasm and cpu; idempotent. */
export function registerSgdStep(): void {
  if (registered) return;
  for (const backendName of ['wasm', 'cpu'] as const) {
    if (tf.getKernel(SGD_STEP, backendName) === undefined) tf.registerKernel({ kernelName: SGD_STEP, backendName, kernelFunc: kernelFor(backendName) });
    if (tf.getKernel(SGD_STEP_ALL, backendName) === undefined) tf.registerKernel({ kernelName: SGD_STEP_ALL, backendName, kernelFunc: allKernelFor(backendName) });
  }
  registered = true;
}

/**
 * [w'ᵢ], [v'ᵢ] of one update of every variable i in one kernel call (float32, each of wᵢ's
 * shape); wds[i] is variable i's weight decay (0 for none), the other attributes are shared.
 */
export function sgdStepAll(
  ws: readonly tf.Tensor[], vs: readonly tf.Tensor[], gs: readonly tf.Tensor[], wds: readonly number[], attrs: Omit<SgdStepAttrs, 'wd'>,
): { w: tf.Tensor[]; v: tf.Tensor[] } {
  registerSgdStep();
  const inputs: tf.NamedTensorMap = {};
  ws.forEach((w, i) => { inputs[`w${i}`] = w; inputs[`v${i}`] = vs[i]!; inputs[`g${i}`] = gs[i]!; });
  const out = tf.engine().runKernel(SGD_STEP_ALL, inputs, { ...attrs, wds: [...wds] } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { w: out.slice(0, ws.length), v: out.slice(ws.length) };
}

/** Backends with the fused SGD step. */
export const SGD_STEP_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/** [w', v'] of one update (see the module comment); float32 tensors of w's shape. */
export function sgdStep(w: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: SgdStepAttrs): [tf.Tensor, tf.Tensor] {
  registerSgdStep();
  const [wNext, vNext] = tf.engine().runKernel(SGD_STEP, { w, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return [wNext!, vNext!];
}
