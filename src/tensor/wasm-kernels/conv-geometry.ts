/**
 * Padding arithmetic shared by the conv backprop kernels, computed with tfjs's own
 * computeConv2DInfo so 'same' padding (asymmetric for even totals: the extra row goes to the
 * bottom/right, as in TensorFlow) matches the forward kernels exactly.
 */
import * as tf from '@tensorflow/tfjs';

/** Geometry of one NHWC conv: sizes per spatial axis plus the forward pads. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Computes the geometry of a forward conv (depthwise when `depthwise`) from its attributes. */
export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise, 'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

/**
 * Pads (before, after) of x along one axis for the filter gradient computed as a forward conv
 * whose kernel is the output gradient: x rows -padBefore .. (k-1)·d + (o-1)·s - padBefore are read.
 * A negative `after` means trailing rows of x are never read and must be cropped.
 */
export function filterGradPads(
  inSize: number, outSize: number, k: number, stride: number, dilation: number, padBefore: number,
): [number, number] {
  const lastRead = (k - 1) * dilation + (outSize - 1) * stride - padBefore;
  return [padBefore, lastRead - (inSize - 1)];
}

/**
 * Pads (before, after) of the zero-upsampled output gradient (length uLen, dy row i at i·stride)
 * for the input gradient computed as a stride-1 forward conv with the flipped filter.
 */
export function inputGradPads(
  inSize: number, uLen: number, k: number, dilation: number, padBefore: number,
): [number, number] {
  const before = (k - 1) * dilation - padBefore;
  return [before, inSize - uLen - before + (k - 1) * dilation];
}

/** Benchmarks switch the 1×1 paths off to measure them (scripts/bench-proxies.ts "/conv-old"). */
export const convGradOptions = { unpadded1x1: true };

/** A 1×1 filter, no dilation, no padding: each output pixel reads exactly one input pixel. */
export function isUnpadded1x1(g: ConvGeometry): boolean {
  return convGradOptions.unpadded1x1 && g.kH === 1 && g.kW === 1 && g.dilationH === 1 && g.dilationW === 1
    && g.padTop === 0 && g.padLeft === 0 && (g.outH - 1) * g.strideH < g.inH && (g.outW - 1) * g.strideW < g.inW;
}

/** The output reads a strided subset of the input pixels (not every one of them). */
export function isSubsampled(g: ConvGeometry): boolean {
  return g.strideH !== 1 || g.strideW !== 1 || g.outH !== g.inH || g.outW !== g.inW;
}
