/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend as ONE forward depthwise conv.
 *
 *   dW[kh,kw,c,m] = Σ_{n,oh,ow} x[n, oh·s + kh·d - pt, ow·s + kw·d - pl, c] · dy[n,oh,ow,c·M+m]
 *
 * Moving the batch into the channels makes this a depthwise conv of x viewed as
 * [1, H, W, N·C] with dy viewed as the filter [OH, OW, N·C, M] (dilation = stride, stride =
 * dilation); its output [1, KH, KW, N·C·M] is summed over n. That is the fallback: with the SIMD
 * module loaded and M = 1, one SIMD kernel sums directly (simd/conv.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, filterGradPads } from './conv-geometry.js';
import { withScope } from './kernel-scope.js';
import { cropForPads } from './spatial-pads.js';
import { simdDepthwiseFilterGrad } from './simd/conv.js';

type Shape4 = [number, number, number, number];

/** Kernel function: inputs {x, dy}; attrs {strides, dilations, pad, dimRoundingMode, filterShape}. */
export const depthwiseBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as {
    strides: number | [number, number];
    dilations: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: Shape4;
  };
  const g = convGeometry(x.shape as Shape4, a.filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const [kH, kW, c, m] = a.filterShape;
  const n = g.batch;
  const simd = simdDepthwiseFilterGrad(backend, x, dy, g, m);
  if (simd !== undefined) return simd;
  return withScope(backend, (s) => {
    const padH = filterGradPads(g.inH, g.outH, kH, g.strideH, g.dilationH, g.padTop);
    const padW = filterGradPads(g.inW, g.outW, kW, g.strideW, g.dilationW, g.padLeft);
    const { x: xc, pad } = cropForPads(s, x, padH, padW);
    const [, hc, wc] = xc.shape as Shape4;
    const xt = s.view(s.transpose(xc, [1, 2, 0, 3]), [1, hc, wc, n * c]); // [1, H, W, N·C]
    const dy5 = s.view(dy, [n, g.outH, g.outW, c, m]);
    const ft = s.view(s.transpose(dy5, [1, 2, 0, 3, 4]), [g.outH, g.outW, n * c, m]);
    const out = s.run('DepthwiseConv2dNative', { x: xt, filter: ft }, {
      strides: [g.dilationH, g.dilationW], dilations: [g.strideH, g.strideW], pad,
    }); // [1, KH, KW, N·C·M]
    const summed = n === 1 ? out : s.run('Sum', { x: s.view(out, [kH, kW, n, c * m]) }, { axis: [2], keepDims: false });
    return s.view(summed, [kH, kW, c, m]);
  });
};
