import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { EvonormError } from '../../../src/util/errors.js';
import { createRunDir, fingerprintCache, Journal, loadResumeData, writeCheckpoint, type EvaluatedEvent, type JournalEvent } from '../../../src/run/index.js';
import { createEvolver } from '../../../src/search/index.js';
import { Rng } from '../../../src/util/rng.js';
import { syntheticEvents, tempDir, testManifest } from '../helpers.js';

/** A sound evolver state that has proposed nothing: a checkpoint of it covers the first event (run-started). */
const freshEvolver = createEvolver(Rng.fromSeed(2), { populationSize: 10, tournamentSize: 3 });

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
  writeCheckpoint(run.checkpointPath, { batch: 0, journalEvents: 1, evolver: freshEvolver, counters });
  const whole = readFileSync(run.journalPath, 'utf8');
  appendFileSync(run.journalPath, '{"type":"propo');
  const data = loadResumeData(run.path);
  assert.equal(data.droppedLine, events.length + 1);
  assert.equal(readFileSync(run.journalPath, 'utf8'), whole);
  assert.deepEqual(data.events, events);
  assert.equal(data.checkpoint?.journalEvents, 1);
  assert.deepEqual(data.eventsSinceCheckpoint, events.slice(1));
  assert.deepEqual(data.cache, fingerprintCache(events.filter((e): e is EvaluatedEvent => e.type === 'evaluated')));
  assert.deepEqual(data.config, { seed: 2 });
  assert.equal(data.manifest.seed, 2);
});

test('when the checkpoint is not JSON, then it is set aside with a reason', () => {
  const { run, events } = runWithJournal('bad-checkpoint');
  writeFileSync(run.checkpointPath, '{"format": "evonorm.chec');
  const corrupt = loadResumeData(run.path);
  assert.equal(corrupt.checkpoint, null);
  assert.match(corrupt.checkpointProblem ?? '', /checkpoint\.json is corrupt/);
  assert.equal(corrupt.eventsSinceCheckpoint.length, events.length);
});

test('when the checkpoint covers more events than the journal holds, then the run is BAD_RUN', () => {
  const { run, events } = runWithJournal('ahead');
  writeCheckpoint(run.checkpointPath, { batch: 9, journalEvents: events.length + 3, evolver: freshEvolver, counters });
  assert.throws(() => loadResumeData(run.path), (err: unknown) => err instanceof EvonormError && err.code === 'BAD_RUN' && /covers/.test(err.message));
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
