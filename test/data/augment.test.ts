import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentBatch } from '../../src/data/augment.js';
import { Rng } from '../../src/util/rng.js';

/** count images of h×w×c whose value encodes (n, y, x, k), all non-zero. */
function ramp(count: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(count * h * w * c);
  for (let i = 0; i < out.length; i++) out[i] = i + 1;
  return out;
}

test('when augmenting, then the shape is kept and the input is untouched', () => {
  const images = ramp(5, 6, 7, 3);
  const copy = images.slice();
  const out = augmentBatch(images, 5, 6, 7, 3, Rng.fromSeed(1), { crop: 2, flip: true });
  assert.equal(out.length, images.length);
  assert.deepEqual(images, copy);
  assert.notDeepEqual(out, images);
});

test('when the rng state is the same, then the batch is the same, and when it differs, then it differs', () => {
  const images = ramp(8, 5, 5, 1);
  const a = augmentBatch(images, 8, 5, 5, 1, Rng.fromSeed(3), { crop: 1, flip: true });
  const b = augmentBatch(images, 8, 5, 5, 1, Rng.fromSeed(3), { crop: 1, flip: true });
  const c = augmentBatch(images, 8, 5, 5, 1, Rng.fromSeed(4), { crop: 1, flip: true });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('when no augmentation is asked for, then the output is an equal copy', () => {
  const images = ramp(2, 3, 3, 2);
  const out = augmentBatch(images, 2, 3, 3, 2, Rng.fromSeed(1), {});
  assert.deepEqual(out, images);
  assert.notEqual(out, images);
});

test('when only flipping, then each image is either itself or its mirror, and both occur', () => {
  const [h, w, c, count] = [3, 4, 2, 40];
  const images = ramp(count, h, w, c);
  const out = augmentBatch(images, count, h, w, c, Rng.fromSeed(9), { flip: true });
  let mirrored = 0;
  for (let n = 0; n < count; n++) {
    const at = (arr: Float32Array, y: number, x: number, k: number) => arr[((n * h + y) * w + x) * c + k];
    let same = true;
    let mirror = true;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          same &&= at(out, y, x, k) === at(images, y, x, k);
          mirror &&= at(out, y, x, k) === at(images, y, w - 1 - x, k);
        }
    assert.ok(same !== mirror, `image ${n} is neither itself nor its mirror`);
    if (mirror) mirrored++;
  }
  assert.ok(mirrored > 5 && mirrored < 35, `mirrored ${mirrored} of ${count}`);
});

test('when only cropping, then each image is a shift of the original by at most crop pixels with zero fill', () => {
  const [h, w, count, crop] = [6, 6, 30, 2];
  const images = ramp(count, h, w, 1);
  const out = augmentBatch(images, count, h, w, 1, Rng.fromSeed(2), { crop });
  let shifted = 0;
  for (let n = 0; n < count; n++) {
    const img = out.subarray(n * h * w, (n + 1) * h * w);
    const src = images.subarray(n * h * w, (n + 1) * h * w);
    const fits = [];
    for (let dy = -crop; dy <= crop; dy++)
      for (let dx = -crop; dx <= crop; dx++) {
        let ok = true;
        for (let y = 0; y < h && ok; y++)
          for (let x = 0; x < w && ok; x++) {
            const [sy, sx] = [y + dy, x + dx];
            const want = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[sy * w + sx] : 0;
            ok = img[y * w + x] === want;
          }
        if (ok) fits.push([dy, dx]);
      }
    assert.equal(fits.length, 1, `image ${n} is not one shift of the original`);
    if (fits[0][0] !== 0 || fits[0][1] !== 0) shifted++;
  }
  assert.ok(shifted > 15);
});

test('when the array length does not match the shape, then it throws', () => {
  assert.throws(() => augmentBatch(new Float32Array(10), 2, 2, 2, 1, Rng.fromSeed(1), { flip: true }), RangeError);
});
