/**
 * Splits per-axis spatial pads of an NHWC tensor into a crop (negative parts, applied now) and
 * non-negative explicit pads for a forward conv kernel (applied by the conv itself, for free).
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelScope } from './kernel-scope.js';
import { upsample } from './layout.js';

/** Explicit conv padding in tfjs's NHWC form. */
export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/** Crops x where a pad is negative; returns the cropped x and the remaining explicit pads. */
export function cropForPads(
  s: KernelScope, x: tf.TensorInfo, padH: [number, number], padW: [number, number],
): { x: tf.TensorInfo; pad: ExplicitPad } {
  const neg = (p: number): number => Math.min(0, p);
  const pos = (p: number): number => Math.max(0, p);
  const cropped = s.padOrCrop(x, [[0, 0], [neg(padH[0]), neg(padH[1])], [neg(padW[0]), neg(padW[1])], [0, 0]]);
  return { x: cropped, pad: [[0, 0], [pos(padH[0]), pos(padH[1])], [pos(padW[0]), pos(padW[1])], [0, 0]] };
}

/**
 * Inserts stride-1 zeros between the rows and columns of an NHWC tensor: out[n, i·sh, j·sw, c]
 * = x[n, i, j, c], shape [N, H·sh, W·sw, C] (trailing zeros included).
 */
export function zeroUpsample(s: KernelScope, x: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [, h, w] = x.shape as [number, number, number, number];
  return upsample(s, x, sh, sw, h * sh, w * sw);
}
