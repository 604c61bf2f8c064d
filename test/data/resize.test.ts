import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizeBilinear, resizeDataset, resizeNearest } from '../../src/data/resize.js';
import { makeSynthetic } from '../../src/data/synthetic.js';
import { Rng } from '../../src/util/rng.js';

test('when upscaling 2× by nearest neighbour, then every pixel becomes a 2×2 block, per channel', () => {
  // one 2×2 image, 2 channels: pixel (y,x) channel k = 10y + x + 100k
  const img = Float32Array.from([0, 100, 1, 101, 10, 110, 11, 111]);
  const out = resizeNearest(img, 1, 2, 2, 2, 4, 4);
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 4; x++)
      for (let k = 0; k < 2; k++) assert.equal(out[(y * 4 + x) * 2 + k], 10 * (y >> 1) + (x >> 1) + 100 * k);
});

test('when resizing bilinearly, then a constant image stays constant and a horizontal ramp stays monotone', () => {
  const constant = new Float32Array(3 * 5 * 5).fill(0.7);
  assert.ok(resizeBilinear(constant, 3, 5, 5, 1, 8, 3).every((v) => Math.abs(v - 0.7) < 1e-6));
  const ramp = Float32Array.from({ length: 16 }, (_, i) => i % 4); // 4×4, value = x
  const out = resizeBilinear(ramp, 1, 4, 4, 1, 4, 8);
  for (let y = 0; y < 4; y++) {
    const row = Array.from(out.subarray(y * 8, y * 8 + 8));
    for (let x = 1; x < 8; x++) assert.ok(row[x] >= row[x - 1]);
    assert.equal(row[0], 0);
    assert.equal(row[7], 3);
    // Half-pixel centres: output x=2 maps to source 0.75.
    assert.ok(Math.abs(row[2] - 0.75) < 1e-6);
  }
});

test('when a data set is resized, then both splits get the new size and the labels are kept', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(1), count: 40, channels: 2 });
  const small = resizeDataset(ds, 8, 'nearest');
  assert.deepEqual([small.height, small.width, small.channels], [8, 8, 2]);
  assert.equal(small.train.images.length, ds.train.count * 8 * 8 * 2);
  assert.equal(small.validation.images.length, ds.validation.count * 8 * 8 * 2);
  assert.equal(small.train.labels, ds.train.labels);
  assert.equal(resizeDataset(ds, 12), ds);
});
