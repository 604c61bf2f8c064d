import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRunDir, Journal, loadResumeData, rebuildCache, writeCheckpoint, type JournalEvent } from '../../src/run/index.js';
import { syntheticEvents, tempDir, testManifest } from './helpers.js';

const root = tempDir();
const counters = { proposed: 1, evaluated: 1, rejected: 0, cacheHits: 0 };

/** A run folder whose journal holds the synthetic events. */
function runWithJournal(name: string) {
  const run = createRunDir(root, name, { config: { seed: 2 }, manifest: testManifest(2) });
  const journal = Journal.open(run.journalPath, { fsync: false });
  const events = syntheticEvents(2, 2, 4).map((e) => journal.append(e));
  journal.close();
  return { run, events: JSON.parse(JSON.stringify(events)) as JournalEvent[] };
}

test('when a run with a checkpoint and a torn last line is loaded, then the line is repaired away and the tail replays', () => {
  const { run, events } = runWithJournal('torn');
  writeCheckpoint(run.checkpointPath, { batch: 1, journalEvents: 5, evolver: { s: 1 }, counters });
  const whole = readFileSync(run.journalPath, 'utf8');
  appendFileSync(run.journalPath, '{"type":"propo');
  const data = loadResumeData(run.path);
  assert.equal(data.droppedLine, events.length + 1);
  assert.equal(readFileSync(run.journalPath, 'utf8'), whole);
  assert.deepEqual(data.events, events);
  assert.equal(data.checkpoint?.journalEvents, 5);
  assert.deepEqual(data.eventsSinceCheckpoint, events.slice(5));
  assert.deepEqual(data.cache, rebuildCache(events));
  assert.deepEqual(data.config, { seed: 2 });
  assert.equal(data.manifest.seed, 2);
});

test('when the checkpoint is corrupt or ahead of the journal, then it is set aside with a reason', () => {
  const { run, events } = runWithJournal('bad-checkpoint');
  writeFileSync(run.checkpointPath, '{"format": "evonorm.chec');
  const corrupt = loadResumeData(run.path);
  assert.equal(corrupt.checkpoint, null);
  assert.match(corrupt.checkpointProblem ?? '', /checkpoint\.json is corrupt/);
  assert.equal(corrupt.eventsSinceCheckpoint.length, events.length);

  writeCheckpoint(run.checkpointPath, { batch: 9, journalEvents: events.length + 3, evolver: {}, counters });
  const ahead = loadResumeData(run.path);
  assert.equal(ahead.checkpoint, null);
  assert.match(ahead.checkpointProblem ?? '', /covers/);
});

test('when asked not to repair, then a torn journal is read but left as it is', () => {
  const { run } = runWithJournal('read-only');
  appendFileSync(run.journalPath, '{"ty');
  const before = readFileSync(run.journalPath, 'utf8');
  const data = loadResumeData(run.path, { repair: false });
  assert.ok(data.droppedLine !== undefined);
  assert.equal(data.checkpoint, null);
  assert.equal(data.checkpointProblem, undefined);
  assert.equal(readFileSync(run.journalPath, 'utf8'), before);
});
