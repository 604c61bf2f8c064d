/**
 * Σ over the middle axis of a tensor seen as [outer, p, inner] as one SIMD kernel call on wasm
 * (float64 sums): the per-channel sums of the affine gradients and the batch statistics
 * (src/tensor/fused/reduce.ts), which otherwise take an average pooling and a multiply.
 */
import * as tf from '@tensorflow/tfjs';
import { simdKernels } from './simd-module.js';

export const SUM_MIDDLE = 'SimdSumMiddle';

interface Attrs {
  outer: number;
  p: number;
  inner: number;
}

const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const { outer, p, inner } = attrs as unknown as Attrs;
  const k = simdKernels(backend);
  if (k === undefined) throw new Error(`${SUM_MIDDLE}: the SIMD module is not loaded`);
  if (outer * p * inner !== x.shape.reduce((a, d) => a * d, 1)) throw new Error(`${SUM_MIDDLE}: [${outer}, ${p}, ${inner}] does not match [${x.shape}]`);
  const out = k.output([outer, inner]);
  const scratch = k.scratch(8 * inner);
  k.k.sum_middle(k.ptr(x), outer, p, inner, k.ptr(out), scratch);
  return out;
};

let registered = false;

function register(): void {
  if (registered) return;
  if (tf.getKernel(SUM_MIDDLE, 'wasm') === undefined) tf.registerKernel({ kernelName: SUM_MIDDLE, backendName: 'wasm', kernelFunc });
  if (tf.getGradient(SUM_MIDDLE) === undefined) {
    tf.registerGradient({
      kernelName: SUM_MIDDLE,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as tf.Tensor[];
        const { outer, p, inner } = attrs as unknown as Attrs;
        const g = Array.isArray(dy) ? dy[0]! : dy;
        return { x: () => tf.reshape(tf.mul(tf.reshape(g, [outer, 1, inner]), tf.ones([1, p, 1])), x!.shape) };
      },
    });
  }
  registered = true;
}

/**
 * Σ of t (seen as [outer, p, inner]) over p, shape [outer, inner], or undefined when the active
 * backend is not wasm or its SIMD module is off: the caller then reduces its own way.
 */
export function simdSumMiddle(t: tf.Tensor, outer: number, p: number, inner: number): tf.Tensor | undefined {
  if (tf.getBackend() !== 'wasm' || t.dtype !== 'float32' || simdKernels(tf.backend()) === undefined) return undefined;
  register();
  return tf.engine().runKernel(SUM_MIDDLE, { x: t }, { outer, p, inner } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
