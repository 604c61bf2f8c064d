import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalHash } from '../../../src/graph/index.js';
import { createRunDir, Journal, readRerank, readRun, summarizeRun, type JournalEvent } from '../../../src/run/index.js';
import { syntheticEvents, tempDir, testManifest } from '../helpers.js';

const root = tempDir();
const events = syntheticEvents(4, 4, 6);
const layer = { epsilon: 1e-4, groups: 16, momentum: 0.95 };
const run = createRunDir(root, 'read', { config: { seed: 4, evaluation: { layer } }, manifest: testManifest(4) });
const journal = Journal.open(run.journalPath, { fsync: false });
for (const e of events) journal.append(e);
journal.close();

test('when a run is read, then candidates, ranking and front match the journal, with the run config\'s layer options', () => {
  const contents = readRun(run.path);
  const written = JSON.parse(JSON.stringify(events)) as JournalEvent[];
  const summary = summarizeRun(written);
  assert.equal(contents.candidates.length, summary.proposed);
  assert.deepEqual(contents.front.map((f) => f.id), summary.front.map((f) => f.id));
  assert.deepEqual(contents.front.map((f) => f.position), summary.front.map((_, i) => i + 1));
  assert.ok(contents.ranked.every((c) => c.rank >= 0));
  assert.deepEqual(contents.layerOptions, layer);
  for (const f of contents.front) {
    assert.equal(canonicalHash(f.graph), f.hash);
    assert.deepEqual(f.json.options, layer);
    assert.equal(f.json.version, 2);
  }
  assert.equal(contents.truncated, false);
  assert.equal(contents.rerank, undefined);
});

test('when the folder is not a run, then readRun throws a coded error', () => {
  const empty = join(root, 'empty');
  mkdirSync(empty);
  assert.throws(() => readRun(empty), (err: unknown) => ['BAD_RUN', 'MISSING_FILE'].includes((err as { code?: string }).code ?? ''));
});

test('when a rerank file is corrupt, then readRerank says which file (BAD_RUN)', () => {
  const broken = createRunDir(root, 'broken-rerank', { config: {}, manifest: testManifest(4) });
  mkdirSync(join(broken.path, 'rerank'));
  writeFileSync(join(broken.path, 'rerank', 'table.json'), '{ nope');
  writeFileSync(join(broken.path, 'rerank', 'notes.md'), '# notes\n');
  assert.throws(() => readRerank(broken), (err: unknown) => (err as { code?: string }).code === 'BAD_RUN' && /table\.json/.test((err as Error).message));
  writeFileSync(join(broken.path, 'rerank', 'table.json'), '{"ok":true}');
  assert.deepEqual(readRerank(broken)?.files, { 'notes.md': '# notes\n', 'table.json': { ok: true } });
});
