/**
 * DepthwiseConv2dNative for the wasm backend: the SIMD kernel (simd/conv.ts) where it applies
 * (SIMD module loaded, multiplier 1), else tfjs-wasm's own kernel (XNNPACK), which this wraps.
 */
import type * as tf from '@tensorflow/tfjs';
import { convGeometry } from './conv-geometry.js';
import { simdDepthwiseForward } from './simd/conv.js';

type Shape4 = [number, number, number, number];

/** The wrapping kernel function; `original` is tfjs-wasm's DepthwiseConv2dNative. */
export function depthwiseForwardWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as {
      strides: number | [number, number];
      dilations?: number | [number, number];
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      dataFormat?: 'NHWC' | 'NCHW';
    };
    if (a.dataFormat !== 'NCHW' && x.shape.length === 4) {
      const g = convGeometry(x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
      const out = simdDepthwiseForward(args.backend, x, filter, g);
      if (out !== undefined) return out;
    }
    return original(args);
  };
}
