import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, truncateSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_RECORD_BYTES, loadCifar10 } from '../../src/data/cifar10.js';
import { isEvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const PER_FILE = 20;
const FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
let root: string;

/**
 * Record r of file f has label (f·20 + r) mod 10 and pixel bytes that encode where they are:
 * channel c, row y, column x holds (f·20 + r + c·50 + y·3 + x·5) mod 256, so pixel (0, 0) of
 * the red channel identifies the record (f·20 + r < 120).
 */
function pixelByte(f: number, r: number, c: number, y: number, x: number): number {
  return (f * PER_FILE + r + c * 50 + y * 3 + x * 5) % 256;
}

function writeCifarDir(dir: string, records = PER_FILE): void {
  mkdirSync(dir, { recursive: true });
  FILES.forEach((name, f) => {
    const bytes = new Uint8Array(records * CIFAR10_RECORD_BYTES);
    for (let r = 0; r < records; r++) {
      const base = r * CIFAR10_RECORD_BYTES;
      bytes[base] = (f * PER_FILE + r) % 10;
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 32; y++)
          for (let x = 0; x < 32; x++) bytes[base + 1 + c * 1024 + y * 32 + x] = pixelByte(f, r, c, y, x);
    }
    writeFileSync(join(dir, name), bytes);
  });
}

/** Runs `fn`, expecting an EvonormError; returns it. */
function expectError(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(isEvonormError(err), `expected an EvonormError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'evonorm-cifar-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('when records are decoded, then pixels are NHWC in [0, 1] and match their channel-major bytes', () => {
  const dir = join(root, 'good');
  writeCifarDir(dir);
  const ds = loadCifar10({ dir, rng: Rng.fromSeed(1), validationFrom: 'test' });
  assert.deepEqual([ds.name, ds.height, ds.width, ds.channels, ds.numClasses], ['cifar10', 32, 32, 3, 10]);
  assert.equal(ds.train.count, 5 * PER_FILE);
  assert.equal(ds.validation.count, PER_FILE);
  // The test file is read in order: validation example r is record r of file 5.
  for (const [r, c, y, x] of [[0, 0, 0, 0], [3, 2, 5, 7], [19, 1, 31, 30]]) {
    const value = ds.validation.images[r * 3072 + (y * 32 + x) * 3 + c];
    assert.equal(value, Math.fround(pixelByte(5, r, c, y, x) / 255));
    assert.equal(ds.validation.labels[r], (5 * PER_FILE + r) % 10);
  }
  // Training examples are shuffled: identify each by its first red value, then check it whole.
  const seen = new Set<number>();
  for (let n = 0; n < ds.train.count; n++) {
    const img = ds.train.images.subarray(n * 3072, (n + 1) * 3072);
    const id = Math.round(img[0] * 255);
    const [f, r] = [Math.floor(id / PER_FILE), id % PER_FILE];
    seen.add(id);
    assert.equal(ds.train.labels[n], id % 10, 'label does not travel with its image');
    for (let p = 0; p < 1024; p += 37) {
      for (let c = 0; c < 3; c++) {
        assert.equal(img[p * 3 + c], Math.fround(pixelByte(f, r, c, Math.floor(p / 32), p % 32) / 255));
      }
    }
  }
  assert.equal(seen.size, 100, 'every training record appears once');
});

test('when validation comes from train, then it is the seeded held-out tail and disjoint from train', () => {
  const dir = join(root, 'holdout');
  writeCifarDir(dir);
  const a = loadCifar10({ dir, rng: Rng.fromSeed(4), validationSize: 30 });
  const b = loadCifar10({ dir, rng: Rng.fromSeed(4), validationSize: 30 });
  const c = loadCifar10({ dir, rng: Rng.fromSeed(5), validationSize: 30 });
  assert.equal(a.train.count, 70);
  assert.equal(a.validation.count, 30);
  assert.deepEqual(a.validation.images, b.validation.images);
  assert.notDeepEqual(a.validation.images, c.validation.images);
  // Red pixel (0, 0) identifies a record (see pixelByte).
  const key = (images: Float32Array, n: number) => images[n * 3072];
  const trainKeys = new Set(Array.from({ length: a.train.count }, (_, n) => key(a.train.images, n)));
  assert.equal(trainKeys.size, 70);
  for (let n = 0; n < a.validation.count; n++) assert.ok(!trainKeys.has(key(a.validation.images, n)));
});

test('when limits are given, then the splits are capped and class-balanced', () => {
  const dir = join(root, 'limits');
  writeCifarDir(dir);
  const ds = loadCifar10({ dir, rng: Rng.fromSeed(1), validationFrom: 'test', trainLimit: 30, validationLimit: 10 });
  assert.equal(ds.train.count, 30);
  assert.equal(ds.validation.count, 10);
  const counts = new Array(10).fill(0);
  for (const l of ds.train.labels) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(3));
});

test('when the directory is missing, then MISSING_FILE names the directory and the expected files', () => {
  const dir = join(root, 'nowhere');
  const err = expectError(() => loadCifar10({ dir, rng: Rng.fromSeed(1) }));
  assert.equal(err.code, 'MISSING_FILE');
  assert.match(err.message, new RegExp(dir));
  assert.match(err.message, /data_batch_1\.bin/);
  assert.match(err.message, /download-cifar10\.sh/);
});

test('when one file is missing, then MISSING_FILE names that file', () => {
  const dir = join(root, 'missing');
  writeCifarDir(dir);
  rmSync(join(dir, 'data_batch_3.bin'));
  const err = expectError(() => loadCifar10({ dir, rng: Rng.fromSeed(1) }));
  assert.equal(err.code, 'MISSING_FILE');
  assert.match(err.message, /data_batch_3\.bin/);
  // The test file is needed only when validating on it.
  const dir2 = join(root, 'no-test');
  writeCifarDir(dir2);
  rmSync(join(dir2, 'test_batch.bin'));
  assert.equal(loadCifar10({ dir: dir2, rng: Rng.fromSeed(1), validationSize: 10 }).validation.count, 10);
  assert.match(expectError(() => loadCifar10({ dir: dir2, rng: Rng.fromSeed(1), validationFrom: 'test' })).message, /test_batch\.bin/);
});

test('when a file is truncated, then BAD_DATA names the file and both sizes', () => {
  const dir = join(root, 'truncated');
  writeCifarDir(dir);
  const size = PER_FILE * CIFAR10_RECORD_BYTES - 100;
  truncateSync(join(dir, 'data_batch_2.bin'), size);
  const err = expectError(() => loadCifar10({ dir, rng: Rng.fromSeed(1) }));
  assert.equal(err.code, 'BAD_DATA');
  assert.match(err.message, /data_batch_2\.bin/);
  assert.match(err.message, new RegExp(`${size} bytes`));
  assert.match(err.message, /3073/);
});

test('when a label byte is above 9, then BAD_DATA names the file and the record', () => {
  const dir = join(root, 'badlabel');
  writeCifarDir(dir);
  const bytes = new Uint8Array(PER_FILE * CIFAR10_RECORD_BYTES);
  bytes[7 * CIFAR10_RECORD_BYTES] = 12;
  writeFileSync(join(dir, 'data_batch_4.bin'), bytes);
  const err = expectError(() => loadCifar10({ dir, rng: Rng.fromSeed(1) }));
  assert.equal(err.code, 'BAD_DATA');
  assert.match(err.message, /data_batch_4\.bin/);
  assert.match(err.message, /record 7\b/);
  assert.match(err.message, /label 12/);
});
