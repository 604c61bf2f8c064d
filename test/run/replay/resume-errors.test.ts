/**
 * A resume rebuilds its evaluation cache from the journal; it must cache what the live loop
 * caches, no more: an evaluation rejected at stage 'error' (a crashed worker) is never cached
 * live (src/run/loop/evaluate-candidate.ts), so a resumed run evaluates that function again too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { RunConfigSchema, type RunConfigInput } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { loadResumeData, type EvaluatedEvent } from '../../../src/run/index.js';
import type { Evaluation } from '../../../src/evaluate/types.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import { tempDir } from '../helpers.js';

const CONFIG: RunConfigInput = {
  seed: 11,
  objective: 'fast',
  fast: { target: 'evonorm-s0', objectives: 2 },
  search: { populationSize: 8, tournamentSize: 3, batchSize: 4, maxCandidates: 12 },
  dispatch: { mode: 'inline' },
};

const crashed: Evaluation = { status: 'rejected', stage: 'error', code: 'worker-failed', reason: 'worker crashed: planted', costMs: 0 };

test('when the journal holds an evaluation rejected at stage error and the run resumes, then that function is evaluated again and the run ends as an uninterrupted one', async () => {
  const dir = tempDir();
  const config = RunConfigSchema.parse(CONFIG);
  const reference = await startSearch({ config, runsDir: dir, name: 'reference', workers: 'inline', fsync: false, exportAtEnd: false });
  const referenceEvents = readJournal(reference.run.journalPath).events;

  // The same run, killed in its second batch just after a worker crashed on a fresh function:
  // its journal up to that result, no checkpoint yet.
  const run = await startSearch({ config, runsDir: dir, name: 'crashed', workers: 'inline', fsync: false, exportAtEnd: false });
  const events = readJournal(run.run.journalPath).events;
  const victimAt = events.findIndex((e) => e.type === 'evaluated' && !e.cached && e.evaluation.status === 'ok' && e.id >= 4);
  assert.ok(victimAt > 0, 'a fresh evaluation in the second batch');
  const victim = events[victimAt] as EvaluatedEvent;
  const kept = [...events.slice(0, victimAt), { ...victim, evaluation: crashed }];
  writeFileSync(run.run.journalPath, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  rmSync(run.run.checkpointPath);

  // The rebuilt cache leaves the crash out, as the live loop does.
  assert.equal(loadResumeData(run.run.path, { repair: false }).cache.has(victim.fingerprint!), false, 'the crash is not in the rebuilt cache');

  const resumed = await startSearch({ resume: run.run.path, workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(resumed.reason, 'budget');
  const after = readJournal(run.run.journalPath).events.slice(kept.length);
  const again = after.find((e): e is EvaluatedEvent => e.type === 'evaluated' && e.id === victim.id);
  assert.ok(again, 'the candidate was asked again');
  assert.equal(again.cached, false, 'its function was evaluated again, not taken from the cache');
  assert.deepEqual(stripTimings(again.evaluation), stripTimings(victim.evaluation));
  assert.deepEqual(
    { population: resumed.state.population, hallOfFame: resumed.state.hallOfFame, counts: resumed.state.counts, nextId: resumed.state.nextId },
    { population: reference.state.population, hallOfFame: reference.state.hallOfFame, counts: reference.state.counts, nextId: reference.state.nextId },
  );
  const first = (list: typeof referenceEvents) => {
    const seen = new Map<number, unknown>();
    for (const e of list) if (e.type === 'evaluated' && !seen.has(e.id) && !(e.evaluation.status === 'rejected' && e.evaluation.stage === 'error')) seen.set(e.id, stripTimings(e.evaluation));
    return [...seen.entries()].sort((a, b) => a[0] - b[0]);
  };
  assert.deepEqual(first(readJournal(run.run.journalPath).events), first(referenceEvents));
});
