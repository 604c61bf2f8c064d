/**
 * Conv2DBackpropFilter for the wasm backend as ONE forward Conv2D over transposed tensors.
 *
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh - pt, ow·s + kw - pl, ci] · dy[n,oh,ow,co]
 *
 * is a conv of x viewed as [Ci, H, W, N] (batch Ci, channels N) with dy viewed as the filter
 * [OH, OW, N, Co], dilation = stride, stride 1, explicit padding; the result [Ci, KH, KW, Co] is
 * transposed to [KH, KW, Ci, Co]. XNNPACK's conv is far faster than slices + matMul.
 *
 * A 1×1 filter without padding (ResNet's bottleneck and shortcut convs, the inverted residuals'
 * expand and project convs) is a plain matrix product instead, dW = X_sᵀ·dY over the strided
 * pixels X_s, with Xᵀ transposed explicitly (wasm's BatchMatMul is slow with transposeA; layout.ts
 * says which transpose): 1.1–2.8× faster than the conv trick on the resnet proxy's 1×1 shapes
 * (scripts/bench-conv-grads.ts; BENCHMARKS.md, "proxy training speed", Session 2).
 *
 * Both are the fallback: where the SIMD module is loaded, one SIMD kernel computes the sums
 * directly (simd/conv.ts), with no transposes and no XNNPACK operator per call.
 */
import * as tf from '@tensorflow/tfjs';
import { type ConvGeometry, convGeometry, filterGradPads, isSubsampled, isUnpadded1x1 } from './conv-geometry.js';
import { type KernelScope, withScope } from './kernel-scope.js';
import { cropForPads } from './spatial-pads.js';
import { channelsMajor, subsample } from './layout.js';
import { simdConv2dFilterGrad } from './simd/conv.js';

type Shape4 = [number, number, number, number];

/** Kernel function: inputs {x, dy}; attrs {strides, pad, dimRoundingMode, filterShape}. */
export const conv2dBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: Shape4;
  };
  if (a.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const g = convGeometry(x.shape as Shape4, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false);
  const simd = simdConv2dFilterGrad(backend, x, dy, g);
  if (simd !== undefined) return simd;
  if (isUnpadded1x1(g)) return withScope(backend, (s) => filterGrad1x1(s, x, dy, g));
  return withScope(backend, (s) => {
    const padH = filterGradPads(g.inH, g.outH, g.kH, g.strideH, 1, g.padTop);
    const padW = filterGradPads(g.inW, g.outW, g.kW, g.strideW, 1, g.padLeft);
    const { x: xc, pad } = cropForPads(s, x, padH, padW);
    const xt = s.transpose(xc, [3, 1, 2, 0]); // [Ci, H, W, N]
    const ft = s.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, Co]
    const out = s.run('Conv2D', { x: xt, filter: ft }, {
      strides: [1, 1], dilations: [g.strideH, g.strideW], pad, dataFormat: 'NHWC',
    }); // [Ci, KH, KW, Co]
    return s.transpose(out, [1, 2, 0, 3]);
  });
};

/** dW[0,0,ci,co] = Σ_pixels x_s[p, ci]·dy[p, co] as one matmul over the strided pixels x_s. */
function filterGrad1x1(s: KernelScope, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const xs = isSubsampled(g) ? subsample(s, x, g.strideH, g.strideW, g.outH, g.outW) : x;
  const pixels = g.batch * g.outH * g.outW;
  const xt = channelsMajor(s, xs); // [Ci, pixels]
  const dw = s.run('BatchMatMul', { a: s.view(xt, [1, g.inC, pixels]), b: s.view(dy, [1, pixels, g.outC]) }, {
    transposeA: false, transposeB: false,
  });
  return s.view(dw, [1, 1, g.inC, g.outC]);
}
