/**
 * A real (tiny, synthetic-data) proxy search with evaluation.seeds = 2: the same seed gives the
 * same journal, every scored candidate is journaled with the standard error of its objectives
 * (and status, export and report show it), and kill -9 + resume ends exactly as an
 * uninterrupted run would.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import { searchKilledAfter } from '../helpers.js';
import { exportRun, formatStatus, summarizeRun } from '../../../src/run/index.js';
import { writeReport } from '../../../src/report/write-report.js';
import type { EvolverState } from '../../../src/search/evolver.js';

const backend = (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu';

const CONFIG: RunConfigInput = {
  seed: 6,
  objective: 'proxy',
  evaluation: {
    backend,
    data: { name: 'synthetic', count: 200, size: 8, numClasses: 4, noise: 0.3 },
    architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }],
    training: { steps: 12, batchSize: 16, lr: 0.05, warmupSteps: 2, evalBatchSize: 100 },
    seeds: 2,
    rejection: {
      stability: { enabled: false },
      quality: { steps: 3, minAccuracy: 0 },
      hurdles: { enabled: true, fractions: [0.5], percentile: 60, minHistory: 2, window: 8 },
    },
  },
  search: { populationSize: 6, tournamentSize: 2, batchSize: 3, maxCandidates: 15, seedLayers: ['bn-relu', 'evonorm-s0', 'gn-relu', 'evonorm-b0', 'x', 'x * sigmoid(x)'] },
  dispatch: { mode: 'inline' },
};

/** The journal without timings and the run-started and checkpoint events (checkpoints are written at most once a second: timing). */
const journal = (path: string) => readJournal(path).events.filter((e) => e.type !== 'checkpoint' && e.type !== 'run-started').map((e) => stripTimings(e));
const outcome = (s: EvolverState) => ({ population: s.population, front: s.hallOfFame, counts: s.counts, nextId: s.nextId });

const dir = mkdtempSync(join(tmpdir(), 'evonorm-seeds-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const reference = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'reference', workers: 'inline', fsync: false, exportAtEnd: false });
const evaluated = readJournal(join(dir, 'reference', 'journal.jsonl')).events.flatMap((e) => (e.type === 'evaluated' ? [e] : []));

test('when S = 2, then the same seed gives the same journal', async () => {
  const again = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'again', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.deepEqual(journal(join(dir, 'again', 'journal.jsonl')), journal(join(dir, 'reference', 'journal.jsonl')));
  assert.deepEqual(outcome(again.state), outcome(reference.state));
});

test('when S = 2, then every scored candidate is journaled with the mean of its two trainings and their standard error', () => {
  const scored = evaluated.filter((e) => e.evaluation.status === 'ok');
  assert.ok(scored.length > 0);
  for (const { evaluation: e } of scored) {
    if (e.status !== 'ok') continue;
    const [a, b] = (e.archs ?? []).map((r) => r.accuracy!);
    assert.deepEqual(e.archs?.map((r) => r.seed), [0, 1]);
    assert.equal(e.objectives[0], (a + b) / 2);
    assert.ok(Math.abs(e.objectiveErrors![0] - Math.abs(a - b) / 2) < 1e-12);
    assert.ok(e.archs!.every((r) => typeof r.cpuMs === 'number'));
  }
  // The hurdle looks record the mean of the two trainings too.
  assert.ok(evaluated.some((e) => e.evaluation.checkpoints?.[0]?.step === 6));
});

test('when S = 2, then status, export and the report show each objective with its standard error', async () => {
  const runPath = join(dir, 'reference');
  const status = formatStatus(summarizeRun(readJournal(join(runPath, 'journal.jsonl')).events));
  assert.match(status, /0\.\d{4} ± 0\.\d{4}/);
  exportRun(runPath);
  const front = JSON.parse(readFileSync(join(runPath, 'export', 'front.json'), 'utf8')) as { objectives: number[]; objectiveErrors: number[] | null }[];
  assert.ok(front.length > 0 && front.every((f) => f.objectiveErrors?.length === 1 && Number.isFinite(f.objectiveErrors[0])));
  const header = readFileSync(join(runPath, 'export', 'candidates.csv'), 'utf8').split('\n')[0];
  assert.match(header, /\(standard error\)/);
  const report = await writeReport(runPath);
  assert.match(readFileSync(report.path, 'utf8'), /<td class="num">0\.\d+ ± 0\.\d{4}<\/td>/);
});

test('when an S = 2 search is killed with SIGKILL and resumed, then it ends identical to the uninterrupted run and trains nothing twice', async () => {
  const configPath = join(dir, 'killed.json');
  writeFileSync(configPath, JSON.stringify({ ...CONFIG, name: 'killed' }));
  const journalPath = join(dir, 'killed', 'journal.jsonl');
  await searchKilledAfter(configPath, dir, journalPath, 7);
  assert.ok(!readJournal(journalPath).events.some((e) => e.type === 'run-finished'), 'the run was killed before it finished');
  const resumed = await startSearch({ resume: join(dir, 'killed'), workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(resumed.reason, 'budget');
  assert.deepEqual(outcome(resumed.state), outcome(reference.state));
  const fresh = readJournal(journalPath).events.flatMap((e) => (e.type === 'evaluated' && !e.cached ? [e.fingerprint] : []));
  assert.equal(new Set(fresh).size, fresh.length, 'a fingerprint was evaluated twice');
});
