/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend as a stride-1 forward depthwise conv
 * of the (zero-upsampled, when strided) output gradient with the spatially flipped filter:
 *
 *   dx[n,h,w,c] = Σ_{kh,kw,m} U[n, h + pt - kh·d, w + pl - kw·d, c·M+m] · W[kh,kw,c,m]
 *
 * run as a depthwise conv over C·M channels (multiplier 1), then summed over m when M > 1.
 * That is the fallback: with the SIMD module loaded and M = 1, one SIMD kernel adds each output
 * pixel's contributions straight into dx (simd/conv.ts), skipping the zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, inputGradPads } from './conv-geometry.js';
import { withScope } from './kernel-scope.js';
import { cropForPads, zeroUpsample } from './spatial-pads.js';
import { simdDepthwiseInputGrad } from './simd/conv.js';

type Shape4 = [number, number, number, number];

/** Kernel function: inputs {dy, filter}; attrs {strides, dilations, pad, dimRoundingMode, inputShape}. */
export const depthwiseBackpropInputWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as {
    strides: number | [number, number];
    dilations: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: Shape4;
  };
  const [kH, kW, c, m] = filter.shape as Shape4;
  const g = convGeometry(a.inputShape, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const simd = simdDepthwiseInputGrad(backend, dy, filter, g);
  if (simd !== undefined) return simd;
  return withScope(backend, (s) => {
    const u = zeroUpsample(s, dy, g.strideH, g.strideW);
    const padH = inputGradPads(g.inH, u.shape[1]!, kH, g.dilationH, g.padTop);
    const padW = inputGradPads(g.inW, u.shape[2]!, kW, g.dilationW, g.padLeft);
    const { x: uc, pad } = cropForPads(s, u, padH, padW);
    const wf = s.view(s.run('Reverse', { x: filter }, { dims: [0, 1] }), [kH, kW, c * m, 1]);
    const out = s.run('DepthwiseConv2dNative', { x: uc, filter: wf }, {
      strides: [1, 1], dilations: [g.dilationH, g.dilationW], pad,
    }); // [N, H, W, C·M]
    if (m === 1) return out;
    return s.run('Sum', { x: s.view(out, [g.batch, g.inH, g.inW, c, m]) }, { axis: [4], keepDims: false });
  });
};
