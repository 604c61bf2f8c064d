/**
 * Conv2DBackpropInput for the wasm backend as a stride-1 forward Conv2D of the (zero-upsampled,
 * when strided) output gradient with the spatially flipped, in/out-swapped filter:
 *
 *   dx[n,h,w,ci] = Σ_{kh,kw,co} U[n, h + pt - kh, w + pl - kw, co] · W[kh,kw,ci,co]
 *
 * where U[n, oh·s, ow·s, co] = dy[n,oh,ow,co] and zero elsewhere.
 *
 * A 1×1 filter without padding needs no flip and no upsampled dy: dx_s = dy·Wᵀ at the strided
 * pixels (a 1×1 conv with the transposed filter), spread into zeros when strided.
 *
 * Both are the fallback: where the SIMD module is loaded (and inC % 4 = 0), one SIMD kernel
 * adds each output pixel's contributions straight into dx (simd/conv.ts), skipping the zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { type ConvGeometry, convGeometry, inputGradPads, isSubsampled, isUnpadded1x1 } from './conv-geometry.js';
import { type KernelScope, withScope } from './kernel-scope.js';
import { cropForPads, zeroUpsample } from './spatial-pads.js';
import { upsample } from './layout.js';
import { simdConv2dInputGrad } from './simd/conv.js';

type Shape4 = [number, number, number, number];

/** Kernel function: inputs {dy, filter}; attrs {strides, pad, dimRoundingMode, inputShape}. */
export const conv2dBackpropInputWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: Shape4;
  };
  if (a.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const g = convGeometry(a.inputShape, filter.shape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode, false);
  const simd = simdConv2dInputGrad(backend, dy, filter, g);
  if (simd !== undefined) return simd;
  if (isUnpadded1x1(g)) return withScope(backend, (s) => inputGrad1x1(s, dy, filter, g));
  return withScope(backend, (s) => {
    const u = zeroUpsample(s, dy, g.strideH, g.strideW);
    const padH = inputGradPads(g.inH, u.shape[1]!, g.kH, 1, g.padTop);
    const padW = inputGradPads(g.inW, u.shape[2]!, g.kW, 1, g.padLeft);
    const { x: uc, pad } = cropForPads(s, u, padH, padW);
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
    const wf = s.transpose(flipped, [0, 1, 3, 2]); // [KH, KW, Co, Ci]
    return s.run('Conv2D', { x: uc, filter: wf }, {
      strides: [1, 1], dilations: [1, 1], pad, dataFormat: 'NHWC',
    });
  });
};

/** dx = dy·Wᵀ at the strided pixels, zero elsewhere (see the module comment). */
function inputGrad1x1(s: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const wt = s.transpose(s.view(filter, [g.inC, g.outC]), [1, 0]);
  const dxs = s.run('Conv2D', { x: dy, filter: s.view(wt, [1, 1, g.outC, g.inC]) }, {
    strides: [1, 1], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC',
  });
  return isSubsampled(g) ? upsample(s, dxs, g.strideH, g.strideW, g.inH, g.inW) : dxs;
}
