/**
 * Layout changes for the conv gradient kernels. Strided sampling as single JS passes over the wasm
 * heap (one kernel call each, where tfjs needs a 6-D PadV2, or a StridedSlice plus crops):
 *
 *   subsample:   out[n, i, j, c] = x[n, i·sh, j·sw, c]                  for i < outH, j < outW
 *   upsample:    out[n, i·sh, j·sw, c] = x[n, i, j, c], zero elsewhere   (shape [N, outH, outW, C])
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelScope } from './kernel-scope.js';

type Shape4 = [number, number, number, number];

/** Rows and columns i·sh, j·sw of x (i < outH, j < outW); freed with the scope. */
export function subsample(s: KernelScope, x: tf.TensorInfo, sh: number, sw: number, outH: number, outW: number): tf.TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  if ((outH - 1) * sh >= h || (outW - 1) * sw >= w) throw new Error(`subsample: ${outH}×${outW} at stride ${sh}×${sw} reads past ${h}×${w}`);
  return s.js([x], [[n, outH, outW, c]], ([src], [dst]) => {
    copyBlock(src!, dst!, n, outH, outW, c, h * w * c, sh * w * c, sw * c, outH * outW * c, outW * c, c);
  })[0]!;
}

/** x spread to rows/columns i·sh, j·sw of a zero [N, outH, outW, C] tensor; freed with the scope. */
export function upsample(s: KernelScope, x: tf.TensorInfo, sh: number, sw: number, outH: number, outW: number): tf.TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  // Rows/columns of x that land inside the output (the rest would be cropped away).
  const rows = Math.min(h, Math.floor((outH - 1) / sh) + 1);
  const cols = Math.min(w, Math.floor((outW - 1) / sw) + 1);
  return s.js([x], [[n, outH, outW, c]], ([src], [dst]) => {
    dst!.fill(0);
    copyBlock(src!, dst!, n, rows, cols, c, h * w * c, w * c, c, outH * outW * c, sh * outW * c, sw * c);
  })[0]!;
}

/**
 * Copies an [n, rows, cols, c] block between two NHWC layouts given each one's batch, row and
 * column strides (source first). A small function of its own so V8 optimises it once (see
 * bn-relu.ts on deoptimised multi-loop functions).
 */
function copyBlock(
  src: Float32Array, dst: Float32Array, n: number, rows: number, cols: number, c: number,
  srcN: number, srcRow: number, srcCol: number, dstN: number, dstRow: number, dstCol: number,
): void {
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < rows; i++) {
      let si = b * srcN + i * srcRow;
      let di = b * dstN + i * dstRow;
      for (let j = 0; j < cols; j++) {
        for (let k = 0; k < c; k++) dst[di + k] = src[si + k]!;
        si += srcCol;
        di += dstCol;
      }
    }
  }
}

/**
 * The channels-major copy [C, N·H·W] of an NHWC tensor. When N·H·W is a multiple of 256, wasm's
 * 2-D Transpose writes its output rows a power-of-two multiple of 1 KiB apart and is slow
 * (cache-set conflicts: [1024, 64] 0.44 ms, [256, 64] 0.057 ms), while its 3-D form [N, HW, C] →
 * [C, N, HW] is fast there (0.08, 0.032 ms) but slower elsewhere ([3136, 32]: 0.085 against
 * 0.061 ms). CPU times measured on the proxies' shapes in session 2 (BENCHMARKS.md, "proxy
 * training speed", Session 2).
 */
export function channelsMajor(s: KernelScope, x: tf.TensorInfo): tf.TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  const pixels = n * h * w;
  const t = pixels % 256 === 0
    ? s.transpose(s.view(x, [n, h * w, c]), [2, 0, 1])
    : s.transpose(s.view(x, [pixels, c]), [1, 0]);
  return s.view(t, [c, pixels]);
}
