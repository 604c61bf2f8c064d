import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_RECORD_BYTES, loadCifar10 } from '../../src/data/cifar10.js';
import { DatasetConfigSchema } from '../../src/data/config.js';
import { loadDataset } from '../../src/data/load.js';
import { mnistSplitPositions, readMnistDigits } from '../../src/data/mnist.js';
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

test('when MNIST has a test fraction, then the test split is disjoint from train and validation, stratified, and fixed whatever the search split', () => {
  const { labels } = readMnistDigits();
  const a = mnistSplitPositions(labels, { rng: Rng.fromSeed('data'), testFraction: 0.2, validationFraction: 0.2 });
  const test = new Set(a.test);
  assert.equal(test.size, a.test.length);
  for (const p of [...a.train, ...a.validation]) assert.ok(!test.has(p), `digit ${p} is in the test split and the search's`);
  assert.equal(new Set([...a.train, ...a.validation, ...a.test]).size, labels.length);
  assert.ok(Math.abs(a.test.length - 2000) <= 10);
  const perClass = new Array(10).fill(0);
  for (const p of a.test) perClass[labels[p]]++;
  for (const n of perClass) assert.ok(n > 160 && n < 240, `class count ${n}`);
  // Another validation fraction or limit moves the search split, never the test split.
  const b = mnistSplitPositions(labels, { rng: Rng.fromSeed('data'), testFraction: 0.2, validationFraction: 0.4, limit: 3000 });
  assert.deepEqual(b.test, a.test);
  for (const p of [...b.train, ...b.validation]) assert.ok(!test.has(p));
});

test('when a data set is loaded for scoring on the test split, then its validation split is the held-out one and training is unchanged', () => {
  const config = DatasetConfigSchema.parse({ name: 'mnist', imageSize: 7, limit: 1000 });
  const search = loadDataset(config, Rng.fromSeed('data'));
  const heldOut = loadDataset(config, Rng.fromSeed('data'), 'test');
  assert.equal(search.test, undefined);
  assert.deepEqual(heldOut.train.images, search.train.images);
  assert.ok(Math.abs(heldOut.validation.count - 2000) <= 10);
  assert.notEqual(heldOut.validation.count, search.validation.count);
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
  const { startSearch } = await import('../../src/run/start-search.js');
  const { RunConfigSchema } = await import('../../src/config/run-config.js');
  const config = RunConfigSchema.parse({
    evaluation: { data: { name: 'cifar10', dir: join(root, 'cifar'), validationFrom: 'test' }, architectures: [{ arch: 'resnet' }] },
    dispatch: { mode: 'inline' },
  });
  await assert.rejects(startSearch({ config, runsDir: root, name: 'refused', workers: 'inline' }), (err: unknown) => isEvonormError(err) && err.code === 'BAD_CONFIG');
});

test('when a search starts, then its manifest records the held-out split', async () => {
  const { startSearch } = await import('../../src/run/start-search.js');
  const { RunConfigSchema } = await import('../../src/config/run-config.js');
  const { readFileSync } = await import('node:fs');
  const config = RunConfigSchema.parse({ objective: 'fast', search: { populationSize: 4, tournamentSize: 2, batchSize: 2, maxCandidates: 2 }, dispatch: { mode: 'inline' } });
  const fast = await startSearch({ config, runsDir: root, name: 'fast', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(JSON.parse(readFileSync(fast.run.manifestPath, 'utf8')).heldOut, null);
  const { describeHeldOut } = await import('../../src/data/load.js');
  const rule = describeHeldOut(DatasetConfigSchema.parse({ name: 'mnist' }));
  assert.match(rule!.rule, /0\.2 of each class .* carved out before the train\/validation split/);
});
