/**
 * Seeded data augmentation on NHWC Float32Array batches, in plain JS (no tfjs): the CIFAR-style
 * pad-and-random-crop and random horizontal flip.
 */
import type { Rng } from '../util/rng.js';

export interface AugmentOptions {
  /**
   * Pad each side by this many pixels, then crop back to the original size at a random offset,
   * i.e. shift by −crop…crop pixels in each direction; uncovered pixels become 0 (the mean,
   * after normalisation). 0 or absent: no crop.
   */
  readonly crop?: number;
  /** Mirror each image left–right with probability ½. */
  readonly flip?: boolean;
}

/**
 * Returns an augmented copy of `count` images of h × w × c (NHWC) values; the input is not
 * changed. Per image, draws (in this order) the vertical and horizontal shift if crop > 0, then
 * the flip if flip is set, so the same rng state gives the same batch.
 */
export function augmentBatch(
  images: Float32Array,
  count: number,
  h: number,
  w: number,
  c: number,
  rng: Rng,
  options: AugmentOptions = {},
): Float32Array {
  const crop = Math.max(0, Math.floor(options.crop ?? 0));
  const flip = options.flip ?? false;
  const size = h * w * c;
  if (images.length !== count * size) {
    throw new RangeError(`augmentBatch: ${images.length} values is not ${count} images of ${h}×${w}×${c}`);
  }
  if (crop === 0 && !flip) return images.slice();
  const out = new Float32Array(images.length);
  for (let n = 0; n < count; n++) {
    const dy = crop > 0 ? rng.int(2 * crop + 1) - crop : 0;
    const dx = crop > 0 ? rng.int(2 * crop + 1) - crop : 0;
    const mirror = flip && rng.next() < 0.5;
    const base = n * size;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= h) continue; // row stays 0 (padding)
      for (let x = 0; x < w; x++) {
        const sx = (mirror ? w - 1 - x : x) + dx;
        if (sx < 0 || sx >= w) continue;
        const from = base + (sy * w + sx) * c;
        const to = base + (y * w + x) * c;
        for (let k = 0; k < c; k++) out[to + k] = images[from + k];
      }
    }
  }
  return out;
}
