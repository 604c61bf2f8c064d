/** Two processes on one run, and telling a running run from an interrupted or crashed one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { runState, type RunStateInfo } from '../../../src/run/status/run-state.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { EXIT, EvonormError } from '../../../src/util/errors.js';
import { tempDir } from '../helpers.js';

const config = RunConfigSchema.parse({
  seed: 4, objective: 'fast', search: { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 60 }, dispatch: { mode: 'inline' },
});
const stateOf = (path: string): RunStateInfo => runState(path, readJournal(join(path, 'journal.jsonl')).events);

test('when a search runs on a run, then a second search on it is refused naming the holder, and the state is running', async () => {
  const dir = tempDir();
  const first = await startSearch({ config, runsDir: dir, name: 'shared', workers: 'inline', fsync: false, maxCandidates: 12, exportAtEnd: false });
  const path = first.run.path;
  const controller = new AbortController();
  let second: Promise<unknown> | undefined;
  let during: RunStateInfo | undefined;
  const resumed = await startSearch({
    resume: path, workers: 'inline', fsync: false, maxCandidates: 10_000, signal: controller.signal, exportAtEnd: false,
    onProgress: () => {
      if (second !== undefined) return;
      during = stateOf(path);
      second = startSearch({ resume: path, workers: 'inline', fsync: false });
      second.catch(() => undefined);
      controller.abort();
    },
  });
  assert.equal(resumed.reason, 'interrupted');
  await assert.rejects(second!, (err: unknown) => err instanceof EvonormError && err.code === 'BAD_RUN' && err.message.includes(`pid ${process.pid}`));
  assert.equal(during?.state, 'running');
  assert.equal(stateOf(path).state, 'interrupted');
  // A budget for the last session: the interrupted one recorded its own 10,000 in config.json,
  // which the fast objective took ~13 CPU-s to spend; any budget past 12 ends the same way.
  const again = await startSearch({ resume: path, workers: 'inline', fsync: false, maxCandidates: 24, exportAtEnd: false });
  assert.equal(again.reason, 'budget');
  assert.deepEqual(stateOf(path), { state: 'finished', reason: 'budget' });
});

test('when a run was killed (no clean stop, lock left by a dead process), then status says crashed and resume is not blocked', async () => {
  const dir = tempDir();
  const first = await startSearch({ config, runsDir: dir, name: 'killed', workers: 'inline', fsync: false, maxCandidates: 12, exportAtEnd: false });
  // What kill -9 leaves: no run-finished event for the last session, and the lock of a gone process.
  const lines = readFileSync(first.run.journalPath, 'utf8').split('\n').filter((l) => l !== '' && !l.includes('"run-finished"'));
  writeFileSync(first.run.journalPath, lines.map((l) => `${l}\n`).join(''));
  writeFileSync(join(first.run.path, 'lock.json'), JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '']).pid, host: hostname(), startedAt: new Date().toISOString() }));
  const io = memoryIo();
  assert.equal(await main(['status', first.run.path], io), EXIT.ok);
  assert.match(io.out.join(''), /state\s+crashed/);
  const resumed = await startSearch({ resume: first.run.path, workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(resumed.reason, 'budget');
});

test('when runs are listed, then each shows its state and budget, and half-made or broken folders do not break the list', async () => {
  const dir = tempDir();
  await startSearch({ config, runsDir: dir, name: 'done', workers: 'inline', fsync: false, maxCandidates: 12, exportAtEnd: false });
  const aborted = new AbortController();
  aborted.abort();
  await startSearch({ config, runsDir: dir, name: 'stopped', workers: 'inline', fsync: false, signal: aborted.signal, exportAtEnd: false });
  spawnSync('mkdir', ['-p', join(dir, '.new.creating-1'), join(dir, 'not-a-run')]);
  const io = memoryIo();
  assert.equal(await main(['runs', dir], io), EXIT.ok);
  const out = io.out.join('');
  assert.match(out, /done\s+finished \(budget\)\s+12\/12/);
  assert.match(out, /stopped\s+interrupted\s+0\/60/);
  assert.match(out, /not-a-run\s+unreadable/);
  assert.doesNotMatch(out, /creating/);
  const json = memoryIo();
  assert.equal(await main(['runs', dir, '--json'], json), EXIT.ok);
  assert.deepEqual(JSON.parse(json.out.join('')).map((r: { name: string }) => r.name), ['done', 'not-a-run', 'stopped']);
});
