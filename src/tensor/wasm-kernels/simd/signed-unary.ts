/**
 * log and sqrt of graph layers (src/tensor/op-kernels.ts: s·f(|x| + ε) with s = sign⁺(x), or
 * f(x + ε) where x is provably ≥ 0) as one SIMD kernel call each way on wasm, in place of about
 * 8 kernel calls forward and 5 backward. sqrt and the gradients equal the op-by-op path bit for
 * bit; log is Cephes logf in SIMD (within 2 ulp of the C library's; tfjs-wasm's own Log is a
 * scalar loop). wasm/simd/kernels.ts signed_unary_forward.
 */
import * as tf from '@tensorflow/tfjs';
import { simdFamilyKernels } from './simd-module.js';

export const SIGNED_UNARY = 'SimdSignedUnary';
export const SIGNED_UNARY_GRAD = 'SimdSignedUnaryGrad';

export type SignedUnaryOp = 'log' | 'sqrt';

interface Attrs {
  op: SignedUnaryOp;
  eps: number;
  signed: boolean;
}

const OP_CODE: Record<SignedUnaryOp, number> = { log: 0, sqrt: 1 };

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const { op, eps, signed } = attrs as unknown as Attrs;
  const k = simdFamilyKernels(backend, 'graph-ops');
  if (k === undefined) throw new Error(`${SIGNED_UNARY}: the SIMD module is not loaded`);
  const y = k.output([...x.shape]);
  k.k.signed_unary_forward(k.ptr(x), x.shape.reduce((a, d) => a * d, 1), eps, OP_CODE[op], signed ? 1 : 0, k.ptr(y));
  return y;
};

const gradient: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { op, eps, signed } = attrs as unknown as Attrs;
  const k = simdFamilyKernels(backend, 'graph-ops');
  if (k === undefined) throw new Error(`${SIGNED_UNARY_GRAD}: the SIMD module is not loaded`);
  const dx = k.output([...x.shape]);
  k.k.signed_unary_backward(k.ptr(x), k.ptr(dy), x.shape.reduce((a, d) => a * d, 1), eps, OP_CODE[op], signed ? 1 : 0, k.ptr(dx));
  return dx;
};

let registered = false;

function register(): void {
  if (registered) return;
  if (tf.getKernel(SIGNED_UNARY, 'wasm') === undefined) tf.registerKernel({ kernelName: SIGNED_UNARY, backendName: 'wasm', kernelFunc: forward });
  if (tf.getKernel(SIGNED_UNARY_GRAD, 'wasm') === undefined) tf.registerKernel({ kernelName: SIGNED_UNARY_GRAD, backendName: 'wasm', kernelFunc: gradient });
  if (tf.getGradient(SIGNED_UNARY) === undefined) {
    tf.registerGradient({
      kernelName: SIGNED_UNARY,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as tf.Tensor[];
        const g = Array.isArray(dy) ? dy[0]! : dy;
        return { x: () => tf.engine().runKernel(SIGNED_UNARY_GRAD, { x: x!, dy: g }, attrs) as tf.Tensor };
      },
    });
  }
  registered = true;
}

/**
 * s·f(|x| + ε) (signed) or f(x + ε), f = log or sqrt, with its gradient, as one SIMD kernel, or
 * undefined when the active backend is not wasm or the 'graph-ops' family is off: the caller
 * then computes it op by op. ε is taken as float32, as tfjs takes a scalar.
 */
export function simdSignedUnary(op: SignedUnaryOp, x: tf.Tensor, eps: number, signed: boolean): tf.Tensor | undefined {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || simdFamilyKernels(tf.backend(), 'graph-ops') === undefined) return undefined;
  register();
  return tf.engine().runKernel(SIGNED_UNARY, { x }, { op, eps: Math.fround(eps), signed } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
