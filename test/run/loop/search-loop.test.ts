/**
 * End-to-end search runs on the fast objective: determinism, worker-count independence, and
 * crash safety (SIGKILL at a random point, then --resume ends exactly like an uninterrupted run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import type { EvolverState } from '../../../src/search/evolver.js';
import { cliCommand } from '../../cli/cli-command.js';

const BASE: RunConfigInput = {
  seed: 7,
  objective: 'fast',
  fast: { target: 'evonorm-s0', objectives: 2 },
  search: { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 48 },
  dispatch: { mode: 'inline' },
};

function config(overrides: Partial<RunConfigInput> = {}) {
  return RunConfigSchema.parse({ ...BASE, ...overrides });
}

/** What must match between two runs: population, hall of fame, counters (no timings). */
function outcome(state: EvolverState): unknown {
  return { population: state.population, front: state.hallOfFame, counts: state.counts, nextId: state.nextId };
}

/**
 * The journal without timings, without the run's id (which tells two runs apart by design) and
 * without checkpoint events: a checkpoint is taken when the last is older than checkpointEveryMs,
 * so where they fall depends on the machine's speed (they differed under load).
 */
function journalWithoutTimings(path: string): unknown[] {
  return readJournal(path).events.filter((e) => e.type !== 'checkpoint').map((e) => {
    const { runId: _id, ...rest } = stripTimings(e) as { runId?: string };
    return rest;
  });
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'evonorm-search-'));

/**
 * Runs `evonorm search <args>` in a child process (compiled when dist/ is fresh, see cliCommand) and
 * SIGKILLs it once the journal has `killAfterLines` lines; the journal is read again only when its size changed.
 */
async function searchThenKill(args: readonly string[], journalPath: string, killAfterLines: number): Promise<void> {
  const child = spawn(process.execPath, cliCommand(['search', ...args]), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let size = -1;
  let lines = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = existsSync(journalPath) ? statSync(journalPath).size : 0;
      if (now !== size) {
        size = now;
        lines = now > 0 ? readFileSync(journalPath, 'utf8').split('\n').length : 0;
      }
      if (lines >= killAfterLines || child.exitCode !== null) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 2);
  });
  await exited;
}

test('when the same seed runs twice, then the journals are identical (timings aside)', async () => {
  const dir = tmp();
  const a = await startSearch({ config: config(), runsDir: dir, name: 'a', workers: 'inline', fsync: false });
  const b = await startSearch({ config: config(), runsDir: dir, name: 'b', workers: 'inline', fsync: false });
  assert.equal(a.reason, 'budget');
  assert.deepEqual(journalWithoutTimings(a.run.journalPath), journalWithoutTimings(b.run.journalPath));
  assert.deepEqual(outcome(a.state), outcome(b.state));
  assert.ok(a.exported.some((f) => f.endsWith('candidates.csv')));
});

test('when the seed differs, then the run differs', async () => {
  const dir = tmp();
  const a = await startSearch({ config: config(), runsDir: dir, name: 'a', workers: 'inline', fsync: false });
  const b = await startSearch({ config: config({ seed: 8 }), runsDir: dir, name: 'b', workers: 'inline', fsync: false });
  assert.notDeepEqual(outcome(a.state), outcome(b.state));
});

test('when evaluated by 1 or by 2 worker threads, then the population and front are identical', async () => {
  const dir = tmp();
  const one = await startSearch({ config: config(), runsDir: dir, name: 'one', workers: 'inline', fsync: false });
  const two = await startSearch({ config: config(), runsDir: dir, name: 'two', workers: 2, fsync: false });
  assert.deepEqual(outcome(one.state), outcome(two.state));
});

test('when a search is killed with SIGKILL mid-run and resumed, then it ends identical to an uninterrupted run', async () => {
  const dir = tmp();
  const cfg = config({ search: { populationSize: 12, tournamentSize: 4, batchSize: 4, maxCandidates: 120 } });
  const reference = await startSearch({ config: cfg, runsDir: dir, name: 'reference', workers: 'inline', fsync: false });

  const configPath = join(dir, 'killed.json');
  writeFileSync(configPath, JSON.stringify({ ...cfg, name: 'killed' }));
  const runPath = join(dir, 'killed');
  const journalPath = join(runPath, 'journal.jsonl');
  // Kill at a pseudo-random point: after a journal line count drawn from the test's own seed.
  const killAfterLines = 40 + (Number.parseInt(String(cfg.seed), 10) * 37) % 80;
  await searchThenKill(['--config', configPath, '--runs-dir', dir, '--workers', 'inline'], journalPath, killAfterLines);
  const before = readJournal(journalPath).events;
  assert.ok(!before.some((e) => e.type === 'run-finished'), 'the run was killed before it finished');

  const resumed = await startSearch({ resume: runPath, workers: 'inline', fsync: false });
  assert.equal(resumed.reason, 'budget');
  assert.deepEqual(outcome(resumed.state), outcome(reference.state));
  // Nothing evaluated before the kill was evaluated again: every re-proposed one was a cache hit.
  const after = readJournal(journalPath).events;
  const evaluatedFresh = after.filter((e) => e.type === 'evaluated' && !e.cached).map((e) => (e as { fingerprint: string }).fingerprint);
  assert.equal(new Set(evaluatedFresh).size, evaluatedFresh.length, 'a fingerprint was evaluated twice');
});

test('when the last journal line is truncated by a crash, then resume drops it and continues', async () => {
  const dir = tmp();
  const cfg = config({ search: { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 24 } });
  const first = await startSearch({ config: cfg, runsDir: dir, name: 'cut', workers: 'inline', fsync: false, maxCandidates: 12 });
  const text = readFileSync(first.run.journalPath, 'utf8');
  writeFileSync(first.run.journalPath, `${text}{"type":"evaluated","id":9`);
  const resumed = await startSearch({ resume: first.run.path, workers: 'inline', fsync: false, maxCandidates: 24 });
  assert.equal(resumed.reason, 'budget');
  assert.equal(resumed.state.nextId, 24);
  assert.equal(readJournal(first.run.journalPath).truncated, false);
});

/** Every id proposed (once, or again with the same graph) and evaluated, fresh fingerprints evaluated once. */
function assertCompleteJournal(journalPath: string, candidates: number): void {
  const events = readJournal(journalPath).events;
  const proposed = new Map<number, string>();
  for (const e of events) {
    if (e.type !== 'proposed') continue;
    const earlier = proposed.get(e.id);
    assert.ok(earlier === undefined || earlier === e.hash, `candidate ${e.id} was proposed twice with different graphs`);
    proposed.set(e.id, e.hash);
  }
  assert.deepEqual([...proposed.keys()].sort((a, b) => a - b), Array.from({ length: candidates }, (_, i) => i));
  const evaluatedIds = new Set(events.flatMap((e) => (e.type === 'evaluated' ? [e.id] : [])));
  assert.equal(evaluatedIds.size, candidates, 'every candidate has a result');
  const fresh = events.flatMap((e) => (e.type === 'evaluated' && !e.cached && e.fingerprint !== null ? [e.fingerprint] : []));
  assert.equal(new Set(fresh).size, fresh.length, 'a fingerprint was evaluated twice');
}

const ASYNC = { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 60, schedule: 'async' as const };

test('when the schedule is async, then one worker gives the same journal twice and two workers finish the budget', async () => {
  const dir = tmp();
  const cfg = config({ search: ASYNC });
  const a = await startSearch({ config: cfg, runsDir: dir, name: 'a', workers: 'inline', fsync: false });
  const b = await startSearch({ config: cfg, runsDir: dir, name: 'b', workers: 'inline', fsync: false });
  assert.equal(a.reason, 'budget');
  assert.deepEqual(journalWithoutTimings(a.run.journalPath), journalWithoutTimings(b.run.journalPath));
  assert.ok(a.state.population.some((m) => m.origin === 'mutation'));
  const two = await startSearch({ config: cfg, runsDir: dir, name: 'two', workers: 2, fsync: false });
  assert.equal(two.reason, 'budget');
  assert.equal(two.state.pending.length, 0);
  assert.equal(two.state.counts.scored + two.state.counts.rejected, 60);
  assertCompleteJournal(two.run.journalPath, 60);
  assert.ok(two.state.hallOfFame.length > 0);
});

test('when an async search with two workers is killed with SIGKILL and resumed, then nothing is lost or trained twice', async () => {
  const dir = tmp();
  const configPath = join(dir, 'async.json');
  writeFileSync(configPath, JSON.stringify({ ...config({ search: { ...ASYNC, maxCandidates: 120 } }), name: 'async' }));
  const runPath = join(dir, 'async');
  const journalPath = join(runPath, 'journal.jsonl');
  const killAfterLines = 60 + (7 * 37) % 120;
  await searchThenKill(['--config', configPath, '--runs-dir', dir, '--workers', '2'], journalPath, killAfterLines);
  assert.ok(!readJournal(journalPath).events.some((e) => e.type === 'run-finished'), 'the run was killed before it finished');
  const resumed = await startSearch({ resume: runPath, workers: 2, fsync: false });
  assert.equal(resumed.reason, 'budget');
  assert.equal(resumed.state.nextId, 120);
  assert.equal(resumed.state.pending.length, 0);
  assertCompleteJournal(journalPath, 120);
});

test('when unique functions are on, then a run repeats itself, resumes identical after SIGKILL, and its population holds fewer clones', async () => {
  const dir = tmp();
  const search = { populationSize: 12, tournamentSize: 4, batchSize: 4, maxCandidates: 160 };
  const cfg = config({ search: { ...search, diversity: { uniqueFunctions: true } } });
  const reference = await startSearch({ config: cfg, runsDir: dir, name: 'reference', workers: 'inline', fsync: false });
  const again = await startSearch({ config: cfg, runsDir: dir, name: 'again', workers: 'inline', fsync: false });
  assert.deepEqual(journalWithoutTimings(reference.run.journalPath), journalWithoutTimings(again.run.journalPath));
  const plain = await startSearch({ config: config({ search }), runsDir: dir, name: 'plain', workers: 'inline', fsync: false });

  // Clones: population members whose fingerprint another member has.
  const clones = (journalPath: string, state: EvolverState): number => {
    const fingerprintOf = new Map(readJournal(journalPath).events.flatMap((e) => (e.type === 'evaluated' && e.fingerprint ? [[e.id, e.fingerprint] as const] : [])));
    const fingerprints = state.population.map((m) => fingerprintOf.get(m.id));
    return fingerprints.length - new Set(fingerprints).size;
  };
  assert.ok(clones(reference.run.journalPath, reference.state) < clones(plain.run.journalPath, plain.state),
    `unique functions: ${clones(reference.run.journalPath, reference.state)} clones; plain: ${clones(plain.run.journalPath, plain.state)}`);

  const configPath = join(dir, 'killed.json');
  writeFileSync(configPath, JSON.stringify({ ...cfg, name: 'killed' }));
  const runPath = join(dir, 'killed');
  await searchThenKill(['--config', configPath, '--runs-dir', dir, '--workers', 'inline'], join(runPath, 'journal.jsonl'), 150);
  const resumed = await startSearch({ resume: runPath, workers: 'inline', fsync: false });
  assert.equal(resumed.reason, 'budget');
  assert.deepEqual(outcome(resumed.state), outcome(reference.state));
});
