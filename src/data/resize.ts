/** Resizing NHWC image stacks to another size (nearest neighbour or bilinear), in plain JS. */
import type { ImageDataset, ImageSplit } from './types.js';

export type ResizeMethod = 'nearest' | 'bilinear';

/** Source coordinate of output index i with half-pixel centres (as tf.image with halfPixelCenters). */
function sourceCoord(i: number, scale: number): number {
  return (i + 0.5) * scale - 0.5;
}

/**
 * Resizes `count` images of h × w × c to outH × outW × c by nearest neighbour (half-pixel
 * centres, so an integer upscale repeats each pixel exactly).
 */
export function resizeNearest(
  images: Float32Array,
  count: number,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
): Float32Array {
  const out = new Float32Array(count * outH * outW * c);
  const rows = Array.from({ length: outH }, (_, y) => Math.min(h - 1, Math.floor((y + 0.5) * (h / outH))));
  const cols = Array.from({ length: outW }, (_, x) => Math.min(w - 1, Math.floor((x + 0.5) * (w / outW))));
  for (let n = 0; n < count; n++) {
    const src = n * h * w * c;
    const dst = n * outH * outW * c;
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const from = src + (rows[y] * w + cols[x]) * c;
        const to = dst + (y * outW + x) * c;
        for (let k = 0; k < c; k++) out[to + k] = images[from + k];
      }
    }
  }
  return out;
}

/**
 * Resizes `count` images of h × w × c to outH × outW × c by bilinear interpolation with
 * half-pixel centres and edge clamping (no anti-aliasing when shrinking).
 */
export function resizeBilinear(
  images: Float32Array,
  count: number,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
): Float32Array {
  const out = new Float32Array(count * outH * outW * c);
  const axis = (outLen: number, inLen: number) =>
    Array.from({ length: outLen }, (_, i) => {
      const s = Math.min(inLen - 1, Math.max(0, sourceCoord(i, inLen / outLen)));
      const lo = Math.floor(s);
      return { lo, hi: Math.min(inLen - 1, lo + 1), t: s - lo };
    });
  const ys = axis(outH, h);
  const xs = axis(outW, w);
  for (let n = 0; n < count; n++) {
    const src = n * h * w * c;
    const dst = n * outH * outW * c;
    for (let y = 0; y < outH; y++) {
      const { lo: y0, hi: y1, t: ty } = ys[y];
      for (let x = 0; x < outW; x++) {
        const { lo: x0, hi: x1, t: tx } = xs[x];
        const to = dst + (y * outW + x) * c;
        for (let k = 0; k < c; k++) {
          const a = images[src + (y0 * w + x0) * c + k];
          const b = images[src + (y0 * w + x1) * c + k];
          const d = images[src + (y1 * w + x0) * c + k];
          const e = images[src + (y1 * w + x1) * c + k];
          const top = a + (b - a) * tx;
          const bottom = d + (e - d) * tx;
          out[to + k] = top + (bottom - top) * ty;
        }
      }
    }
  }
  return out;
}

/** A copy of `dataset` with every image resized to size × size (no copy if already that size). */
export function resizeDataset(dataset: ImageDataset, size: number, method: ResizeMethod = 'bilinear'): ImageDataset {
  if (dataset.height === size && dataset.width === size) return dataset;
  const resize = method === 'nearest' ? resizeNearest : resizeBilinear;
  const one = (split: ImageSplit): ImageSplit => ({
    images: resize(split.images, split.count, dataset.height, dataset.width, dataset.channels, size, size),
    labels: split.labels,
    count: split.count,
  });
  return { ...dataset, height: size, width: size, train: one(dataset.train), validation: one(dataset.validation) };
}
