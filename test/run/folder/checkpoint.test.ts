import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ask, createEvolver } from '../../../src/search/index.js';
import { Rng } from '../../../src/util/rng.js';
import { EvonormError } from '../../../src/util/errors.js';
import { readCheckpoint, writeCheckpoint } from '../../../src/run/index.js';
import { tempDir } from '../helpers.js';

const dir = tempDir();
const counters = { proposed: 8, evaluated: 8, rejected: 2, cacheHits: 1 };
const code = (expected: string) => (err: unknown): boolean => err instanceof EvonormError && err.code === expected;

test('when a checkpoint with an evolver state is written and read, then it round-trips and the evolver continues', () => {
  const path = join(dir, 'checkpoint.json');
  const evolver = ask(createEvolver(Rng.fromSeed(5), { populationSize: 4 }), 4).state;
  const written = writeCheckpoint(path, { batch: 1, journalEvents: 12, evolver, counters });
  const read = readCheckpoint(path);
  assert.deepEqual(read, written);
  assert.equal(read.format, 'evonorm.checkpoint');
  assert.equal(read.version, 1);
  assert.deepEqual(read.evolver, JSON.parse(JSON.stringify(evolver)));
  // No temporary files are left next to it.
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('checkpoint')), ['checkpoint.json']);
});

test('when a checkpoint is overwritten, then the reader sees the new one whole', () => {
  const path = join(dir, 'overwrite.json');
  writeCheckpoint(path, { batch: 1, journalEvents: 3, evolver: { a: 1 }, counters });
  writeCheckpoint(path, { batch: 2, journalEvents: 9, evolver: { a: 2 }, counters, savedAt: '2024-01-02T03:04:05.000Z' });
  const read = readCheckpoint(path);
  assert.equal(read.batch, 2);
  assert.equal(read.savedAt, '2024-01-02T03:04:05.000Z');
  assert.deepEqual(read.evolver, { a: 2 });
});

test('when a checkpoint is truncated or not a checkpoint, then reading fails with BAD_RUN', () => {
  const path = join(dir, 'corrupt.json');
  writeCheckpoint(path, { batch: 1, journalEvents: 3, evolver: { a: 1 }, counters });
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.slice(0, text.length / 2));
  assert.throws(() => readCheckpoint(path), code('BAD_RUN'));
  writeFileSync(path, JSON.stringify({ ...JSON.parse(text), format: 'something.else' }));
  assert.throws(() => readCheckpoint(path), code('BAD_RUN'));
  writeFileSync(path, JSON.stringify({ ...JSON.parse(text), batch: -1 }));
  assert.throws(() => readCheckpoint(path), code('BAD_RUN'));
});

test('when the checkpoint is missing, then reading fails with MISSING_FILE', () => {
  assert.throws(() => readCheckpoint(join(dir, 'none.json')), code('MISSING_FILE'));
});

test('when the counters are not JSON-safe, then writing throws INTERNAL and leaves no file', () => {
  const path = join(dir, 'nan.json');
  assert.throws(() => writeCheckpoint(path, { batch: 1, journalEvents: 3, evolver: {}, counters: { ...counters, proposed: Number.NaN } }), code('INTERNAL'));
  assert.ok(!readdirSync(dir).includes('nan.json'));
});
