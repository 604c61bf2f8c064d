/**
 * Hurdles in a real (tiny, synthetic-data) proxy search: the batch schedule stays deterministic,
 * a stopped candidate is journaled with its stage and step, and kill -9 + resume ends exactly as
 * an uninterrupted run would (the hurdles come from earlier batches of the journal).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import { searchKilledAfter } from '../helpers.js';
import type { EvolverState } from '../../../src/search/evolver.js';

const backend = (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu';

const CONFIG: RunConfigInput = {
  seed: 4,
  objective: 'proxy',
  evaluation: {
    backend,
    data: { name: 'synthetic', count: 240, size: 8, numClasses: 4, noise: 0.3 },
    architectures: [{ arch: 'resnet', stageBlocks: [1] }],
    training: { steps: 16, batchSize: 16, lr: 0.05, warmupSteps: 2, evalBatchSize: 100 },
    rejection: {
      stability: { enabled: false },
      quality: { steps: 4, minAccuracy: 0 },
      hurdles: { enabled: true, fractions: [0.5], percentile: 60, minHistory: 2, window: 8 },
    },
  },
  search: { populationSize: 6, tournamentSize: 2, batchSize: 3, maxCandidates: 18, seedLayers: ['bn-relu', 'evonorm-s0', 'gn-relu', 'evonorm-b0', 'x', 'x * sigmoid(x)'] },
  dispatch: { mode: 'inline' },
};

const tmp = (): string => mkdtempSync(join(tmpdir(), 'evonorm-hurdles-'));
/** The journal without timings and the run-started and checkpoint events (checkpoints are written at most once a second: timing). */
const journal = (path: string) => readJournal(path).events.filter((e) => e.type !== 'checkpoint' && e.type !== 'run-started').map((e) => stripTimings(e));
const outcome = (s: EvolverState) => ({ population: s.population, front: s.hallOfFame, counts: s.counts, nextId: s.nextId });

const dir = tmp();
const reference = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'reference', workers: 'inline', fsync: false, exportAtEnd: false });

test('when hurdles are on, then the same seed gives the same journal and a stopped candidate is journaled with its stage and step', async () => {
  const again = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'again', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.deepEqual(journal(join(dir, 'again', 'journal.jsonl')), journal(join(dir, 'reference', 'journal.jsonl')));
  assert.deepEqual(outcome(again.state), outcome(reference.state));

  const evaluated = readJournal(join(dir, 'reference', 'journal.jsonl')).events.flatMap((e) => (e.type === 'evaluated' ? [e] : []));
  const stopped = evaluated.filter((e) => e.evaluation.status === 'rejected' && e.evaluation.stage === 'hurdle');
  assert.ok(stopped.length > 0, 'no candidate was stopped at a hurdle');
  for (const e of stopped) {
    assert.equal(e.evaluation.status === 'rejected' && e.evaluation.code, 'below-hurdle');
    assert.deepEqual(e.evaluation.stages?.at(-1)?.stage, 'hurdle');
    assert.equal(e.evaluation.stages?.at(-1)?.step, 8);
    assert.match(e.evaluation.status === 'rejected' ? e.evaluation.reason : '', /at step 8 of 16/);
  }
  // Every look is recorded, for the hurdles of later batches.
  assert.ok(evaluated.filter((e) => e.evaluation.status === 'ok').every((e) => e.evaluation.checkpoints?.[0]?.step === 8));
});

test('when a hurdled search is killed with SIGKILL and resumed, then it ends identical to the uninterrupted run and trains nothing twice', async () => {
  const configPath = join(dir, 'killed.json');
  writeFileSync(configPath, JSON.stringify({ ...CONFIG, name: 'killed' }));
  const journalPath = join(dir, 'killed', 'journal.jsonl');
  // Kill in the middle: once the journal has evaluations of a few batches.
  await searchKilledAfter(configPath, dir, journalPath, 10);
  assert.ok(!readJournal(journalPath).events.some((e) => e.type === 'run-finished'), 'the run was killed before it finished');
  const resumed = await startSearch({ resume: join(dir, 'killed'), workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(resumed.reason, 'budget');
  assert.deepEqual(outcome(resumed.state), outcome(reference.state));
  const fresh = readJournal(journalPath).events.flatMap((e) => (e.type === 'evaluated' && !e.cached ? [e.fingerprint] : []));
  assert.equal(new Set(fresh).size, fresh.length, 'a fingerprint was evaluated twice');
});
