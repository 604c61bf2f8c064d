/**
 * A fused EvoNorm-S0 op with its own forward and gradient kernels on wasm and cpu: a few passes
 * over memory instead of ~15 element-wise tfjs kernels (which dominate training time on wasm).
 * The forward kernel returns [y, s = σ(v1·x), stats = per (sample, group) (mean, r)]; the
 * gradient reuses s and stats. On wasm the sigmoid runs in wasm's SIMD Sigmoid kernel; where the
 * SIMD module is loaded, each way is one SIMD kernel (wasm/simd/kernels.ts, its own exp), fast
 * at every size (simdEvonormS0Active), the JS passes otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import { runJsKernel } from './js-kernel.js';
import { withScope } from './kernel-scope.js';
import { s0Backward, s0Output, s0PreActivation, s0Stats, sigmoidJs, type S0Dims } from './evonorm-s0-math.js';
import { simdFamilyKernels } from './simd/index.js';

export const EVONORM_S0 = 'EvonormS0';
export const EVONORM_S0_GRAD = 'EvonormS0Grad';

interface S0Attrs {
  groups: number;
  eps: number;
}

function dims(x: tf.TensorInfo, attrs: S0Attrs): S0Dims {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  return { n, hw: h * w, c, groups: attrs.groups, eps: attrs.eps };
}

/** Forward on wasm: one SIMD kernel, or JS passes over the heap with the sigmoid by wasm's own kernel. */
const forwardWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, v1, gamma, beta } = inputs as Record<'x' | 'v1' | 'gamma' | 'beta', tf.TensorInfo>;
  const d = dims(x, attrs as unknown as S0Attrs);
  const simd = simdFamilyKernels(backend, 'evonorm-s0');
  if (simd !== undefined) {
    // Every allocation before the call (a malloc may grow the heap; offsets stay valid).
    const outs = [simd.output(x.shape), simd.output(x.shape), simd.output([d.n, d.groups, 2])];
    const scratch = simd.scratch(simd.k.evonorm_s0_scratch_bytes(d.c));
    const [y, s, stats] = outs.map((t) => simd.ptr(t));
    const p = (t: tf.TensorInfo): number => simd.ptr(t);
    simd.k.evonorm_s0_forward(p(x), p(v1), p(gamma), p(beta), d.n, d.hw, d.c, d.groups, d.eps, y!, s!, stats!, scratch);
    return outs;
  }
  let s: tf.TensorInfo | undefined;
  withScope(backend, (scope) => {
    const [t] = runJsKernel(backend, 'wasm', [x, v1], [x.shape], ([xa, va], [ta]) => s0PreActivation(xa!, va!, d, ta!));
    scope.adopt(t!);
    s = scope.run('Sigmoid', { x: t! });
    return s;
  });
  const [stats] = runJsKernel(backend, 'wasm', [x], [[d.n, d.groups, 2]], ([xa], [st]) => s0Stats(xa!, d, st!));
  const [y] = runJsKernel(backend, 'wasm', [x, s!, gamma, beta, stats!], [x.shape], ([xa, sa, ga, ba, st], [ya]) =>
    s0Output(xa!, sa!, ga!, ba!, st!, d, ya!));
  return [y!, s!, stats!];
};

/** Forward on cpu: all in JS. */
const forwardCpu: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, v1, gamma, beta } = inputs as Record<'x' | 'v1' | 'gamma' | 'beta', tf.TensorInfo>;
  const d = dims(x, attrs as unknown as S0Attrs);
  return runJsKernel(backend, 'cpu', [x, v1, gamma, beta], [x.shape, x.shape, [d.n, d.groups, 2]], ([xa, va, ga, ba], [y, s, st]) => {
    s0PreActivation(xa!, va!, d, s!);
    sigmoidJs(s!, s!);
    s0Stats(xa!, d, st!);
    s0Output(xa!, s!, ga!, ba!, st!, d, y!);
  });
};

function backwardFor(backendName: 'wasm' | 'cpu'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, x, s, v1, gamma, stats } = inputs as Record<'dy' | 'x' | 's' | 'v1' | 'gamma' | 'stats', tf.TensorInfo>;
    const d = dims(x, attrs as unknown as S0Attrs);
    const c = [d.c];
    const simd = backendName === 'wasm' ? simdFamilyKernels(backend, 'evonorm-s0') : undefined;
    if (simd !== undefined) {
      const outs = [simd.output(x.shape), simd.output(c), simd.output(c), simd.output(c)];
      const scratch = simd.scratch(simd.k.evonorm_s0_scratch_bytes(d.c));
      const [dx, dv1, dgamma, dbeta] = outs.map((t) => simd.ptr(t));
      const p = (t: tf.TensorInfo): number => simd.ptr(t);
      simd.k.evonorm_s0_backward(p(dy), p(x), p(s), p(v1), p(gamma), p(stats), d.n, d.hw, d.c, d.groups, dx!, dv1!, dgamma!, dbeta!, scratch);
      return outs;
    }
    return runJsKernel(backend, backendName, [dy, x, s, v1, gamma, stats], [x.shape, c, c, c],
      ([g, xa, sa, va, ga, st], [dx, dv, dga, db]) => s0Backward(g!, xa!, sa!, va!, ga!, st!, d, dx!, dv!, dga!, db!));
  };
}

/**
 * Whether the fused EvoNorm-S0 runs as SIMD wasm on the active backend: then GraphLayer uses it
 * whatever the size, not only up to FUSED_MAX_SIZE (where the JS kernel stops being faster).
 */
export function simdEvonormS0Active(): boolean {
  return tf.getBackend() === 'wasm' && simdFamilyKernels(tf.backend(), 'evonorm-s0') !== undefined;
}

let registered = false;

/** Registers the fused EvoNorm-S0 kernels (wasm and cpu) and its gradient; idempotent. */
export function registerEvonormS0(): void {
  if (registered) return;
  const configs: tf.KernelConfig[] = [
    { kernelName: EVONORM_S0, backendName: 'wasm', kernelFunc: forwardWasm },
    { kernelName: EVONORM_S0, backendName: 'cpu', kernelFunc: forwardCpu },
    { kernelName: EVONORM_S0_GRAD, backendName: 'wasm', kernelFunc: backwardFor('wasm') },
    { kernelName: EVONORM_S0_GRAD, backendName: 'cpu', kernelFunc: backwardFor('cpu') },
  ];
  for (const k of configs) if (tf.getKernel(k.kernelName, k.backendName) === undefined) tf.registerKernel(k);
  if (tf.getGradient(EVONORM_S0) === undefined) {
    tf.registerGradient({
      kernelName: EVONORM_S0,
      inputsToSave: ['x', 'v1', 'gamma', 'beta'],
      outputsToSave: [false, true, true],
      gradFunc: (dy, saved, attrs) => {
        const [x, v1, gamma, beta, s, stats] = saved as tf.Tensor[];
        const [dx, dv1, dgamma, dbeta] = tf.engine().runKernel(
          EVONORM_S0_GRAD, { dy: (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor, x: x!, s: s!, v1: v1!, gamma: gamma!, stats: stats! }, attrs,
        ) as tf.Tensor[];
        return {
          x: () => dx!,
          v1: () => tf.reshape(dv1!, v1!.shape),
          gamma: () => tf.reshape(dgamma!, gamma!.shape),
          beta: () => tf.reshape(dbeta!, beta!.shape),
        };
      },
    });
  }
  registered = true;
}

/**
 * EvoNorm-S0 of an NHWC tensor: x·σ(v1·x) / √(var over (h, w, c/groups) + eps) · γ + β.
 * @param v1 @param gamma @param beta per-channel parameters with C elements (any shape)
 * @param groups number of channel groups, dividing C
 * @param eps added to the group variance (default 1e-5)
 */
export function evonormS0(
  x: tf.Tensor4D, v1: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, groups: number, eps = 1e-5,
): tf.Tensor4D {
  const c = x.shape[3];
  if (c % groups !== 0) throw new Error(`evonormS0: ${groups} groups do not divide ${c} channels`);
  for (const p of [v1, gamma, beta]) if (p.size !== c) throw new Error(`evonormS0: parameter of size ${p.size}, want ${c}`);
  registerEvonormS0();
  const attrs = { groups, eps } as unknown as tf.NamedAttrMap;
  return tf.tidy(() => {
    const [y, s, stats] = tf.engine().runKernel(EVONORM_S0, { x, v1, gamma, beta }, attrs) as tf.Tensor[];
    void s;
    void stats;
    return y as tf.Tensor4D;
  });
}
