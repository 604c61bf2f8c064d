/** startSearch as a whole: what the run folder records while and after a search runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { progressLine } from '../../../src/cli/progress-line.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { summarizeRun } from '../../../src/run/status/summary.js';
import { tempDir } from '../helpers.js';

const BASE: RunConfigInput = {
  seed: 5,
  objective: 'fast',
  fast: { target: 'evonorm-s0', objectives: 2 },
  search: { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 48 },
  dispatch: { mode: 'inline' },
};
const config = RunConfigSchema.parse(BASE);

test('when an inline fast search is running, then log.jsonl already holds its start', async () => {
  const dir = tempDir();
  let seen: string | null = null;
  await startSearch({
    config, runsDir: dir, name: 'logged', workers: 'inline', fsync: false, exportAtEnd: false,
    onProgress: () => {
      const path = join(dir, 'logged', 'log.jsonl');
      seen ??= existsSync(path) ? readFileSync(path, 'utf8') : '';
    },
  });
  assert.match(seen ?? '', /"msg":"search started"/);
});

test('when a run started with --max-candidates is interrupted and resumed, then it keeps that budget and config.json records it', async () => {
  const dir = tempDir();
  const controller = new AbortController();
  const first = await startSearch({
    config, runsDir: dir, name: 'budget', workers: 'inline', fsync: false, maxCandidates: 18, signal: controller.signal,
    onProgress: (c) => { if (c.proposed >= 6) controller.abort(); },
  });
  assert.equal(first.reason, 'interrupted');
  const recorded = (): number => JSON.parse(readFileSync(join(first.run.path, 'config.json'), 'utf8')).search.maxCandidates;
  assert.equal(recorded(), 18);
  const resumed = await startSearch({ resume: first.run.path, workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(resumed.reason, 'budget');
  assert.equal(resumed.state.nextId, 18);
  const extended = await startSearch({ resume: first.run.path, workers: 'inline', fsync: false, exportAtEnd: false, maxCandidates: 24 });
  assert.equal(extended.state.nextId, 24);
  assert.equal(recorded(), 24);
});

test('when a run is resumed, then onProgress receives its budget and the progress line shows an ETA', async () => {
  const dir = tempDir();
  const controller = new AbortController();
  const first = await startSearch({
    config, runsDir: dir, name: 'eta', workers: 'inline', fsync: false, exportAtEnd: false, maxCandidates: 30, signal: controller.signal,
    onProgress: (c) => { if (c.proposed >= 6) controller.abort(); },
  });
  assert.equal(first.reason, 'interrupted');
  const budgets = new Set<number>();
  let line = '';
  // A minute ago: the rate is this process's candidates per minute, so the ETA is finite.
  const started = Date.now() - 60_000;
  await startSearch({
    resume: first.run.path, workers: 'inline', fsync: false, exportAtEnd: false,
    onProgress: (c, state, budget) => { budgets.add(budget); if (state.nextId < budget) line = progressLine(c, state, started, budget); },
  });
  assert.deepEqual([...budgets], [30]);
  assert.match(line, /· ETA (<1|\d+) min$/);
});

test('when a search runs and resumes, then the live front count is the front status shows', async () => {
  const dir = tempDir();
  const controller = new AbortController();
  const live: Array<{ front: number; status: number }> = [];
  const check = (c: { front: number; proposed: number }, path: string): void => {
    live.push({ front: c.front, status: summarizeRun(readJournal(join(path, 'journal.jsonl')).events).front.length });
  };
  const cfg = RunConfigSchema.parse({ ...BASE, search: { ...BASE.search, maxCandidates: 240 } });
  const first = await startSearch({
    config: cfg, runsDir: dir, name: 'front', workers: 'inline', fsync: false, exportAtEnd: false, signal: controller.signal,
    onProgress: (c) => { if (c.proposed % 60 === 0) check(c, join(dir, 'front')); if (c.proposed >= 120) controller.abort(); },
  });
  const resumed = await startSearch({ resume: first.run.path, workers: 'inline', fsync: false, exportAtEnd: false });
  check(resumed.counters, first.run.path);
  assert.ok(live.length >= 3);
  for (const { front, status } of live) assert.equal(front, status);
  assert.ok(live.at(-1)!.front > 0);
});

test('when a search ends, then onCheckpoint has seen the checkpoint that is on disk', async () => {
  const dir = tempDir();
  const seen: Array<{ journalEvents: number; nextId: number }> = [];
  const result = await startSearch({
    config, runsDir: dir, name: 'hooked', workers: 'inline', fsync: false, exportAtEnd: false,
    onCheckpoint: ({ checkpoint, state }) => void seen.push({ journalEvents: checkpoint.journalEvents, nextId: state.nextId }),
  });
  const onDisk = JSON.parse(readFileSync(join(result.run.path, 'checkpoint.json'), 'utf8'));
  assert.ok(seen.length >= 1);
  assert.deepEqual(seen.at(-1), { journalEvents: onDisk.journalEvents, nextId: 48 });
});
