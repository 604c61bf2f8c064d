/**
 * Conv2DBackpropFilter for the wasm backend as ONE forward Conv2D over transposed tensors.
 *
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh - pt, ow·s + kw - pl, ci] · dy[n,oh,ow,co]
 *
 * is a conv of x viewed as [Ci, H, W, N] (batch Ci, channels N) with dy viewed as the filter
 * [OH, OW, N, Co], dilation = stride, stride 1, explicit padding; the result [Ci, KH, KW, Co] is
 * transposed to [KH, KW, Ci, Co]. XNNPACK's conv is far faster than slices + matMul.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, filterGradPads } from './conv-geometry.js';
import { withScope } from './kernel-scope.js';
import { cropForPads } from './spatial-pads.js';

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
