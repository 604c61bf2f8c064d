import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_RECORD_BYTES, loadCifar10 } from '../../src/data/cifar10.js';
import { DatasetConfigSchema } from '../../src/data/config.js';
import { loadDataset } from '../../src/data/load.js';
import { MNIST } from '../../src/data/idx-datasets.js';
import { idxSplitPositions, readIdxSplit } from '../../src/data/idx-load.js';
import { identities, writeIdxDir } from './idx-fixtures.js';
import { isEvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
const PER_FILE = 20;
let root: string;

/** Fake CIFAR-10 files: record r of file f has red pixel (0, 0) = f·20 + r, its identity. */
function writeCifarDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  FILES.forEach((name, f) => {
    const bytes = new Uint8Array(PER_FILE * CIFAR10_RECORD_BYTES);
    for (let r = 0; r < PER_FILE; r++) {
      bytes[r * CIFAR10_RECORD_BYTES] = r % 10;
      bytes[r * CIFAR10_RECORD_BYTES + 1] = f * PER_FILE + r;
    }
    writeFileSync(join(dir, name), bytes);
  });
}

/** Record identities of a CIFAR split (red channel of pixel 0, NHWC). */
function ids(split: { images: Float32Array; count: number }): number[] {
  return Array.from({ length: split.count }, (_, n) => Math.round(split.images[n * 32 * 32 * 3] * 255));
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isEvonormError(err), String(err));
    return err.code;
  }
  return 'no error';
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'evonorm-heldout-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('when an idx data set is split, then the test split is the test files and never moves with the search settings', () => {
  const dir = writeIdxDir(join(root, 'idx'), 300, 60);
  const config = DatasetConfigSchema.parse({ name: 'mnist', dir, validationSize: 100, testLimit: 30, normalize: false });
  const search = loadDataset(config, Rng.fromSeed('data'));
  const scored = loadDataset(config, Rng.fromSeed('data'), 'test');
  assert.equal(search.test, undefined);
  assert.deepEqual(scored.train.images, search.train.images);
  // The fixture's test images are the ones with identities 0–59 of the test file: check they are
  // the test file's (each identity once, labels matching) and balanced.
  const ids = identities(scored.validation);
  assert.equal(new Set(ids).size, 30);
  ids.forEach((id, n) => assert.equal(scored.validation.labels[n], id % 10));
  assert.deepEqual([...scored.validation.labels].sort(), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9]);
  const other = loadDataset(DatasetConfigSchema.parse({ name: 'mnist', dir, validationSize: 150, trainLimit: 100, testLimit: 30, normalize: false }), Rng.fromSeed('data'), 'test');
  assert.deepEqual(identities(other.validation), ids);
  // Train and validation share no image of the training file.
  const train = new Set(identities(search.train));
  for (const id of identities(search.validation)) assert.ok(!train.has(id), `image ${id} is in train and validation`);
  assert.equal(train.size + search.validation.count, 300);
  // The real MNIST: the test positions index t10k, all of it by default.
  const official = readIdxSplit(MNIST, MNIST.defaultDir(), 'test');
  const where = idxSplitPositions(readIdxSplit(MNIST, MNIST.defaultDir(), 'train').labels, official.labels, 10, { rng: Rng.fromSeed('data') });
  assert.deepEqual([...where.test].sort((a, b) => a - b), Array.from({ length: 10_000 }, (_, i) => i));
});

test('when a data set is loaded for scoring on the test split, then its validation split is the held-out one and training is unchanged', () => {
  const config = DatasetConfigSchema.parse({ name: 'mnist', imageSize: 7, trainLimit: 800, validationLimit: 200 });
  const search = loadDataset(config, Rng.fromSeed('data'));
  const heldOut = loadDataset(config, Rng.fromSeed('data'), 'test');
  assert.equal(search.test, undefined);
  assert.deepEqual(heldOut.train.images, search.train.images);
  assert.equal(heldOut.validation.count, 10_000);
  assert.equal(search.validation.count, 200);
});

test('when CIFAR-10 is loaded with its test split, then the test split is test_batch.bin and disjoint from train and validation', () => {
  const dir = join(root, 'cifar');
  writeCifarDir(dir);
  const ds = loadCifar10({ dir, rng: Rng.fromSeed(1), validationSize: 30, withTest: true });
  const train = ids(ds.train);
  const validation = ids(ds.validation);
  const testIds = ids(ds.test!);
  assert.equal(train.length + validation.length, 5 * PER_FILE);
  assert.deepEqual([...testIds].sort((x, y) => x - y), Array.from({ length: PER_FILE }, (_, r) => 5 * PER_FILE + r));
  const test = new Set(testIds);
  for (const id of [...train, ...validation]) assert.ok(!test.has(id) && id < 5 * PER_FILE);
  assert.equal(new Set([...train, ...validation]).size, 5 * PER_FILE);
  // Through the config: the held-out split replaces validation.
  const config = DatasetConfigSchema.parse({ name: 'cifar10', dir, validationSize: 30, normalize: false, testLimit: 10 });
  const scored = loadDataset(config, Rng.fromSeed(1), 'test');
  assert.equal(scored.validation.count, 10);
  for (const id of ids(scored.validation)) assert.ok(id >= 5 * PER_FILE);
});

test('when the held-out split is asked of data that has none or validates on it, then BAD_CONFIG', () => {
  const synthetic = DatasetConfigSchema.parse({ name: 'synthetic', count: 40, size: 6 });
  assert.equal(code(() => loadDataset(synthetic, Rng.fromSeed(1), 'test')), 'BAD_CONFIG');
  const dir = join(root, 'cifar2');
  writeCifarDir(dir);
  const onTest = DatasetConfigSchema.parse({ name: 'cifar10', dir, validationFrom: 'test' });
  assert.equal(code(() => loadDataset(onTest, Rng.fromSeed(1), 'test')), 'BAD_CONFIG');
  const withTest = loadDataset(DatasetConfigSchema.parse({ name: 'synthetic', count: 40, size: 6, testFraction: 0.5 }), Rng.fromSeed(1), 'test');
  assert.equal(withTest.validation.count, 20);
});

test('when a search config validates CIFAR-10 on its test batch, then the search refuses it with BAD_CONFIG', async () => {
  const { startSearch } = await import('../../src/run/loop/start-search.js');
  const { RunConfigSchema } = await import('../../src/config/run-config.js');
  const config = RunConfigSchema.parse({
    evaluation: { data: { name: 'cifar10', dir: join(root, 'cifar'), validationFrom: 'test' }, architectures: [{ arch: 'resnet' }] },
    dispatch: { mode: 'inline' },
  });
  await assert.rejects(startSearch({ config, runsDir: root, name: 'refused', workers: 'inline' }), (err: unknown) => isEvonormError(err) && err.code === 'BAD_CONFIG');
});

test('when a search starts, then its manifest records the held-out split', async () => {
  const { startSearch } = await import('../../src/run/loop/start-search.js');
  const { RunConfigSchema } = await import('../../src/config/run-config.js');
  const { readFileSync } = await import('node:fs');
  const config = RunConfigSchema.parse({ objective: 'fast', search: { populationSize: 4, tournamentSize: 2, batchSize: 2, maxCandidates: 2 }, dispatch: { mode: 'inline' } });
  const fast = await startSearch({ config, runsDir: root, name: 'fast', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(JSON.parse(readFileSync(fast.run.manifestPath, 'utf8')).heldOut, null);
  const { describeHeldOut } = await import('../../src/data/load.js');
  const rule = describeHeldOut(DatasetConfigSchema.parse({ name: 'mnist' }));
  assert.match(rule!.rule, /the official 10000 test images \(t10k-images-idx3-ubyte\); the search validates on 10000 images held out of the 60000 training images/);
  assert.match(describeHeldOut(DatasetConfigSchema.parse({ name: 'fashion-mnist', testLimit: 2000 }))!.rule, /a class-balanced 2000 of the official 10000 test images/);
});
