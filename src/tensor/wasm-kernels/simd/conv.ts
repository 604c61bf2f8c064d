/**
 * Convolutions and their gradients as SIMD wasm kernels (wasm/simd/kernels.ts),
 * called from the wasm training kernels (conv2d-backprop-*.ts, depthwise-*.ts) when the SIMD
 * module is loaded and its convolution kernels are on; each returns undefined where it does not
 * apply, and the caller then runs its previous path (forward XNNPACK convolutions over
 * transposed tensors). Direct loops over NHWC, no transposes, no packing:
 *
 *   filter gradient   dW[a,b,c,o] = Σ_{n,y,x} x[n, y·sh+a·dh−pt, x·sw+b·dw−pl, c]·dy[n,y,x,o]
 *                     (float32 sums over ≤ 256 pixels, then float64)
 *   input gradient    dx[n,iy,ix,c] += Σ_o dy[n,y,x,o]·W[a,b,c,o] for every tap (a,b) landing
 *                     on (iy, ix): 4 output pixels × 8 channels in registers per tap (ci % 4 = 0)
 *   forward           out[n,y,x,o] = Σ_{a,b,c} x[n, y·sh+a·dh−pt, x·sw+b·dw−pl, c]·W[a,b,c,o]
 *                     (4 output pixels × 8 channels in registers, padding read from a zero row)
 *   depthwise (multiplier 1): the same sums per channel, row by row
 */
import type * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from '../conv-geometry.js';
import { simdFamilyKernels, type SimdKernels } from './simd-module.js';

const simdConvKernels = (backend: object): SimdKernels | undefined => simdFamilyKernels(backend, 'conv');

const isFloat = (...ts: tf.TensorInfo[]): boolean => ts.every((t) => t.dtype === 'float32');

/** Conv2DBackpropFilter [kH, kW, inC, outC] of x and dy, or undefined (SIMD off). */
export function simdConv2dFilterGrad(backend: object, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | undefined {
  const k = simdConvKernels(backend);
  if (k === undefined || !isFloat(x, dy)) return undefined;
  const out = k.output([g.kH, g.kW, g.inC, g.outC]);
  const scratch = k.scratch(8 * g.kH * g.kW * g.inC * g.outC);
  k.k.conv2d_filter_grad(k.ptr(x), k.ptr(dy), g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, k.ptr(out), scratch);
  return out;
}

/** Conv2DBackpropInput [batch, inH, inW, inC] of dy and the filter, or undefined (SIMD off, inC % 4 ≠ 0). */
export function simdConv2dInputGrad(backend: object, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | undefined {
  const k = simdConvKernels(backend);
  if (k === undefined || !isFloat(dy, filter) || g.inC % 4 !== 0) return undefined;
  const out = k.output([g.batch, g.inH, g.inW, g.inC]);
  const wt = k.scratch(4 * g.kH * g.kW * g.inC * g.outC);
  k.k.conv2d_input_grad(k.ptr(dy), k.ptr(filter), g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, k.ptr(out), wt);
  return out;
}

/** Conv2D [batch, outH, outW, outC] of x and the filter, or undefined (SIMD off). */
export function simdConv2dForward(backend: object, x: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | undefined {
  const k = simdConvKernels(backend);
  if (k === undefined || !isFloat(x, filter)) return undefined;
  const out = k.output([g.batch, g.outH, g.outW, g.outC]);
  const zeros = k.scratch(4 * g.inC);
  k.k.conv2d_forward(k.ptr(x), k.ptr(filter), g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, k.ptr(out), zeros);
  return out;
}

/** DepthwiseConv2dNativeBackpropFilter [kH, kW, C, 1], or undefined (SIMD off, multiplier ≠ 1). */
export function simdDepthwiseFilterGrad(backend: object, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry, multiplier: number): tf.TensorInfo | undefined {
  const k = simdConvKernels(backend);
  if (k === undefined || !isFloat(x, dy) || multiplier !== 1) return undefined;
  const out = k.output([g.kH, g.kW, g.inC, 1]);
  const scratch = k.scratch(12 * g.kH * g.kW * g.inC);
  k.k.depthwise_filter_grad(k.ptr(x), k.ptr(dy), g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, k.ptr(out), scratch);
  return out;
}

/** DepthwiseConv2dNativeBackpropInput [batch, inH, inW, C], or undefined (SIMD off, multiplier ≠ 1). */
export function simdDepthwiseInputGrad(backend: object, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | undefined {
  const k = simdConvKernels(backend);
  if (k === undefined || !isFloat(dy, filter) || filter.shape[3] !== 1) return undefined;
  const out = k.output([g.batch, g.inH, g.inW, g.inC]);
  k.k.depthwise_input_grad(k.ptr(dy), k.ptr(filter), g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, k.ptr(out));
  return out;
}

/** DepthwiseConv2dNative [batch, outH, outW, C], or undefined (SIMD off, multiplier ≠ 1). */
export function simdDepthwiseForward(backend: object, x: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | undefined {
  const k = simdConvKernels(backend);
  if (k === undefined || !isFloat(x, filter) || filter.shape[3] !== 1) return undefined;
  const out = k.output([g.batch, g.outH, g.outW, g.inC]);
  k.k.depthwise_forward(k.ptr(x), k.ptr(filter), g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, k.ptr(out));
  return out;
}
