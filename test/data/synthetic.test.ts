import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSynthetic } from '../../src/data/synthetic.js';
import type { ImageDataset, ImageSplit } from '../../src/data/types.js';
import { Rng } from '../../src/util/rng.js';

/**
 * Classifies by the dominant orientation of the image's structure tensor (a fixed, local,
 * non-linear feature — what a conv net's first layers can learn) and returns the accuracy.
 */
function orientationAccuracy(ds: ImageDataset, split: ImageSplit): number {
  const { height: h, width: w, numClasses: k } = ds;
  let correct = 0;
  for (let n = 0; n < split.count; n++) {
    const at = (y: number, x: number) => split.images[n * h * w + y * w + x];
    let jxx = 0;
    let jyy = 0;
    let jxy = 0;
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const gx = (at(y, x + 1) - at(y, x - 1)) / 2;
        const gy = (at(y + 1, x) - at(y - 1, x)) / 2;
        jxx += gx * gx;
        jyy += gy * gy;
        jxy += gx * gy;
      }
    }
    // The gradient is strongest across the bar, so the bar lies at that direction + π/2.
    const barAngle = 0.5 * Math.atan2(2 * jxy, jxx - jyy) + Math.PI / 2;
    const predicted = ((Math.round(barAngle / (Math.PI / k)) % k) + k) % k;
    if (predicted === split.labels[n]) correct++;
  }
  return correct / split.count;
}

/** Training accuracy of a softmax-linear model on raw pixels after full-batch gradient descent. */
function linearTrainAccuracy(ds: ImageDataset, epochs: number, lr: number): number {
  const p = ds.height * ds.width * ds.channels;
  const k = ds.numClasses;
  const { images, labels, count } = ds.train;
  const weights = new Float64Array(p * k);
  const bias = new Float64Array(k);
  const logits = (n: number, out: Float64Array) => {
    for (let c = 0; c < k; c++) {
      let z = bias[c];
      for (let i = 0; i < p; i++) z += weights[c * p + i] * images[n * p + i];
      out[c] = z;
    }
  };
  const z = new Float64Array(k);
  for (let e = 0; e < epochs; e++) {
    const gw = new Float64Array(p * k);
    const gb = new Float64Array(k);
    for (let n = 0; n < count; n++) {
      logits(n, z);
      const m = Math.max(...z);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += (z[c] = Math.exp(z[c] - m));
      for (let c = 0; c < k; c++) {
        const g = z[c] / sum - (c === labels[n] ? 1 : 0);
        gb[c] += g;
        for (let i = 0; i < p; i++) gw[c * p + i] += g * images[n * p + i];
      }
    }
    for (let i = 0; i < gw.length; i++) weights[i] -= (lr * gw[i]) / count;
    for (let c = 0; c < k; c++) bias[c] -= (lr * gb[c]) / count;
  }
  let correct = 0;
  for (let n = 0; n < count; n++) {
    logits(n, z);
    if (z.indexOf(Math.max(...z)) === labels[n]) correct++;
  }
  return correct / count;
}

test('when the seed is the same, then the bytes are identical, and when it differs, then they differ', () => {
  const a = makeSynthetic({ rng: Rng.fromSeed(5), count: 200, channels: 3 });
  const b = makeSynthetic({ rng: Rng.fromSeed(5), count: 200, channels: 3 });
  const c = makeSynthetic({ rng: Rng.fromSeed(6), count: 200, channels: 3 });
  assert.deepEqual(Buffer.from(a.train.images.buffer), Buffer.from(b.train.images.buffer));
  assert.deepEqual(Buffer.from(a.validation.images.buffer), Buffer.from(b.validation.images.buffer));
  assert.deepEqual(a.train.labels, b.train.labels);
  assert.notDeepEqual(a.train.images, c.train.images);
});

test('when generated with defaults, then there are 1200 12×12×1 images in 4 balanced classes, split 80/20', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(1) });
  assert.deepEqual([ds.name, ds.height, ds.width, ds.channels, ds.numClasses], ['synthetic', 12, 12, 1, 4]);
  assert.equal(ds.train.count, 960);
  assert.equal(ds.validation.count, 240);
  assert.equal(ds.train.images.length, 960 * 144);
  for (const split of [ds.train, ds.validation]) {
    const counts = [0, 0, 0, 0];
    for (const l of split.labels) counts[l]++;
    assert.deepEqual(counts, new Array(4).fill(split.count / 4));
  }
  assert.ok(ds.train.images.every(Number.isFinite));
});

test('when the options change, then the shape and class count follow', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(2), count: 90, size: 16, channels: 3, numClasses: 6, noise: 0, validationFraction: 0 });
  assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [16, 16, 3, 6]);
  assert.equal(ds.train.count, 90);
  assert.equal(ds.validation.count, 0);
  assert.equal(ds.train.images.length, 90 * 16 * 16 * 3);
  assert.ok(Math.max(...ds.train.labels) === 5);
});

test('when classified by local orientation, then accuracy is far above chance (the task is learnable)', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(3), count: 400 });
  assert.ok(orientationAccuracy(ds, ds.train) > 0.8);
});

test('when a linear model is fitted on raw pixels, then it cannot even fit the training set', () => {
  const ds = makeSynthetic({ rng: Rng.fromSeed(4), count: 600 });
  const accuracy = linearTrainAccuracy(ds, 150, 0.5);
  assert.ok(accuracy > 0.3, `linear accuracy ${accuracy} should beat chance (0.25)`);
  assert.ok(accuracy < 0.9, `linear accuracy ${accuracy} should be far from 100%`);
});
