import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batches, BatchStream } from '../../src/data/batches.js';
import type { ImageSplit } from '../../src/data/types.js';
import { isEvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

/** A split of `count` 2-value images whose values are (i, −i) and label i mod 3. */
function numbered(count: number): ImageSplit {
  const images = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) [images[2 * i], images[2 * i + 1]] = [i, -i];
  return { images, labels: Int32Array.from({ length: count }, (_, i) => i % 3), count };
}

/** The example ids in a batch (read back from the first value), checking image and label agree. */
function ids(batch: ImageSplit): number[] {
  return Array.from({ length: batch.count }, (_, j) => {
    const id = batch.images[2 * j];
    assert.equal(batch.images[2 * j + 1], -id);
    assert.equal(batch.labels[j], id % 3);
    return id;
  });
}

test('when iterating one shuffled epoch, then every example appears exactly once in a seeded order', () => {
  const split = numbered(23);
  const list = [...batches(split, { batchSize: 5, rng: Rng.fromSeed(1), shuffle: true })];
  assert.deepEqual(list.map((b) => b.count), [5, 5, 5, 5, 3]);
  const order = list.flatMap(ids);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i));
  assert.notDeepEqual(order, Array.from({ length: 23 }, (_, i) => i));
  const again = [...batches(split, { batchSize: 5, rng: Rng.fromSeed(1), shuffle: true })].flatMap(ids);
  assert.deepEqual(again, order);
  const other = [...batches(split, { batchSize: 5, rng: Rng.fromSeed(2), shuffle: true })].flatMap(ids);
  assert.notDeepEqual(other, order);
});

test('when not shuffling and dropping the last batch, then batches are in stored order and all full', () => {
  const list = [...batches(numbered(23), { batchSize: 5, rng: Rng.fromSeed(1), shuffle: false, dropLast: true })];
  assert.deepEqual(list.map((b) => b.count), [5, 5, 5, 5]);
  assert.deepEqual(list.flatMap(ids), Array.from({ length: 20 }, (_, i) => i));
});

test('when a stream runs for several epochs, then each epoch covers every example once and epochs differ', () => {
  const stream = new BatchStream(numbered(10), { batchSize: 4, rng: Rng.fromSeed(3), shuffle: true });
  const epochs: number[][] = [[], [], []];
  for (let i = 0; i < 9; i++) {
    const batch = stream.next();
    epochs[batch.epoch].push(...ids(batch));
  }
  for (const e of epochs) assert.deepEqual([...e].sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i));
  assert.notDeepEqual(epochs[0], epochs[1]);
  assert.deepEqual(stream.position(), { epoch: 2, offset: 10 });
});

test('when a stream is restored from a saved position, then it continues with the same batches', () => {
  const options = { batchSize: 3, rng: Rng.fromSeed(5), shuffle: true, dropLast: true };
  const first = new BatchStream(numbered(11), options);
  for (let i = 0; i < 4; i++) first.next();
  const saved = JSON.parse(JSON.stringify(first.position()));
  const expected = Array.from({ length: 7 }, () => first.next());
  const restored = new BatchStream(numbered(11), { ...options, rng: Rng.fromSeed(5) }, saved);
  for (const want of expected) {
    const got = restored.next();
    assert.equal(got.epoch, want.epoch);
    assert.deepEqual(ids(got), ids(want));
    assert.equal(got.count, 3);
  }
});

test('when the batch size is invalid or a dropLast stream could never fill a batch, then BAD_INPUT is thrown', () => {
  const bad = (fn: () => unknown) => assert.throws(fn, (err) => isEvonormError(err) && err.code === 'BAD_INPUT');
  bad(() => [...batches(numbered(4), { batchSize: 0, rng: Rng.fromSeed(1), shuffle: false })]);
  bad(() => new BatchStream(numbered(4), { batchSize: 5, rng: Rng.fromSeed(1), shuffle: false, dropLast: true }));
  bad(() => new BatchStream(numbered(0), { batchSize: 2, rng: Rng.fromSeed(1), shuffle: false }));
});
