import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist, readMnistDigits } from '../../src/data/mnist.js';
import { Rng } from '../../src/util/rng.js';

function classCounts(labels: Int32Array): number[] {
  const counts = new Array(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

/** A per-image key (the sum of pixel values weighted by position) to detect the same digit in two splits. */
function imageKeys(images: Float32Array, count: number): Set<string> {
  const keys = new Set<string>();
  for (let n = 0; n < count; n++) {
    let a = 0;
    let b = 0;
    for (let p = 0; p < 784; p++) {
      const v = images[n * 784 + p];
      a += v;
      b += v * (p + 1);
    }
    keys.add(`${a.toFixed(4)}/${b.toFixed(2)}`);
  }
  return keys;
}

test('when the package digits are read, then there are 10,000 28×28 images in [0, 1] with every class present', () => {
  const all = readMnistDigits();
  assert.equal(all.count, 10000);
  assert.equal(all.images.length, 10000 * 784);
  let min = Infinity;
  let max = -Infinity;
  for (const v of all.images) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  const counts = classCounts(all.labels);
  assert.equal(counts.reduce((a, b) => a + b, 0), 10000);
  for (const c of counts) assert.ok(c > 800 && c < 1200, `class count ${c}`);
  // Each image has ink: a blank image would mean a misaligned read.
  for (let n = 0; n < all.count; n += 997) {
    const ink = all.images.subarray(n * 784, (n + 1) * 784).reduce((a, b) => a + b, 0);
    assert.ok(ink > 10, `image ${n} ink ${ink}`);
  }
});

test('when MNIST is loaded with defaults, then it is 28×28×1, 10 classes, split 80/20 stratified by class', () => {
  const ds = loadMnist({ rng: Rng.fromSeed(1) });
  assert.deepEqual([ds.name, ds.height, ds.width, ds.channels, ds.numClasses], ['mnist', 28, 28, 1, 10]);
  assert.equal(ds.train.count + ds.validation.count, 10000);
  assert.equal(ds.train.images.length, ds.train.count * 784);
  assert.equal(ds.validation.labels.length, ds.validation.count);
  const all = classCounts(readMnistDigits().labels);
  const val = classCounts(ds.validation.labels);
  all.forEach((n, k) => assert.equal(val[k], Math.round(n * 0.2)));
});

test('when MNIST is split, then train and validation share no image', () => {
  const ds = loadMnist({ rng: Rng.fromSeed(3), limit: 2000 });
  const train = imageKeys(ds.train.images, ds.train.count);
  const validation = imageKeys(ds.validation.images, ds.validation.count);
  for (const key of validation) assert.ok(!train.has(key), 'an image is in both splits');
  // Keys are (almost) unique, so the check above is meaningful.
  assert.ok(train.size > ds.train.count * 0.98);
});

test('when the seed is the same, then the split is identical, and when it differs, then the split differs', () => {
  const a = loadMnist({ rng: Rng.fromSeed(7), limit: 500 });
  const b = loadMnist({ rng: Rng.fromSeed(7), limit: 500 });
  const c = loadMnist({ rng: Rng.fromSeed(8), limit: 500 });
  assert.deepEqual(a.train.labels, b.train.labels);
  assert.deepEqual(a.train.images, b.train.images);
  assert.deepEqual(a.validation.images, b.validation.images);
  assert.notDeepEqual(a.train.images, c.train.images);
});

test('when a limit is given, then the total is capped and balanced over the classes', () => {
  const ds = loadMnist({ rng: Rng.fromSeed(2), limit: 1005, validationFraction: 0.4 });
  assert.equal(ds.train.count + ds.validation.count, 1005);
  const counts = classCounts(ds.train.labels).map((n, k) => n + classCounts(ds.validation.labels)[k]);
  assert.deepEqual(counts, [101, 101, 101, 101, 101, 100, 100, 100, 100, 100]);
  assert.ok(Math.abs(ds.validation.count - 402) <= 10);
});
