/** The population's diversity over time, from the journal (src/run/replay/diversity.ts) and in status. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalHash, parseExpression } from '../../../src/graph/index.js';
import { RunConfigSchema, type RunConfigInput } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { readCheckpoint } from '../../../src/run/folder/checkpoint.js';
import { summarizeRun } from '../../../src/run/status/summary.js';
import { formatStatus } from '../../../src/run/status/format-status.js';
import { diversitySeries, stripTimings, type JournalEvent, type JournalEventInput } from '../../../src/run/index.js';
import { familyCounts, familyLimit, type EvolverState } from '../../../src/search/index.js';
import { syntheticEvents, tempDir } from '../helpers.js';

const PLANTED = [
  'tanh(x / sqrt(var_batch(x)))', 'tanh(x / max(var_batch(x), v1))', 'tanh((x + v0) / sqrt(var_group(x)))',
  'tanh(x / square(mean_batch(v1)))', 'tanh(x / (v1 + one))', 'tanh((x - mean_instance(x)) / sqrt(var_instance(x)))',
  'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))', 'x * sigmoid(v1 * x) / sqrt(var_group(x))',
  'relu(affine((x - mean_batch(x)) / sqrt(var_batch(x))))', 'x',
];

/** A journal of the planted population: ids 0–9, members 5 and 6 with the same function, one settle point. */
function plantedEvents(population: readonly number[] = PLANTED.map((_, i) => i)): JournalEvent[] {
  const t = '2024-01-02T03:04:05.000Z';
  const events: JournalEventInput[] = [{ type: 'run-started', t, seed: 1, resumed: false }];
  PLANTED.forEach((expression, id) => {
    const hash = canonicalHash(parseExpression(expression));
    events.push({ type: 'proposed', t, id, batch: 0, hash, expression, parentId: null, origin: 'random', mutation: null });
    events.push({ type: 'evaluated', t, id, fingerprint: `fp-${id === 6 ? 5 : id}`, hash, evaluation: { status: 'ok', objectives: [id / 10], costMs: 1 }, cached: false });
  });
  events.push({ type: 'generation', t, batch: 0, proposed: 10, evaluated: 10, rejected: 0, cacheHits: 0, population: [...population] });
  return events as JournalEvent[];
}

test('when 6 of the 10 members are tanh(x / …) layers, then the largest family tanh∘div holds 0.6 and status says so', () => {
  const events = plantedEvents();
  const { latest, series, topFamilies } = diversitySeries(events);
  assert.equal(series.length, 1);
  assert.deepEqual(latest, { batch: 0, evaluated: 10, size: 10, largestFamily: 'tanh∘div', largestCount: 6, largestShare: 0.6, families: 4, distinctFunctions: 9, scored: 10 });
  assert.deepEqual(topFamilies, [{ family: 'tanh∘div', count: 6 }, { family: 'div', count: 2 }, { family: 'relu∘affine∘div', count: 1 }, { family: 'x', count: 1 }]);
  const text = formatStatus(summarizeRun(events));
  assert.match(text, /diversity +largest family tanh∘div holds 60% of the population \(6 of 10\); 9 distinct functions in 4 families; next: div 2, relu∘affine∘div 1, x 1/);
});

test('when the run has a family cap and its population is still filling up, then status reads the share against the cap\'s member limit', () => {
  const text = formatStatus(summarizeRun(plantedEvents()), [], undefined, { familyCap: { cap: 0.25, populationSize: 48 } });
  assert.match(text, /holds 60% of the population \(6 of 10; the family cap allows 12 = 25% of 48\);/);
});

test('when the population is a subset of the candidates, then only its members count', () => {
  const { latest } = diversitySeries(plantedEvents([0, 6, 7, 9]));
  assert.equal(latest?.largestFamily, 'div');
  assert.equal(latest?.largestShare, 0.5);
  assert.equal(latest?.distinctFunctions, 4);
});

test('when a resumed run settles a batch again with no new evaluation, then the series keeps one point for it', () => {
  const events = plantedEvents();
  const again = [...events, ...events.slice(1)]; // the same proposals, evaluations (cache hits) and settle point
  assert.equal(diversitySeries(again).series.length, 1);
});

test('when a journal predates the measure, then there is no series and status says it was not recorded', () => {
  const events = syntheticEvents() as JournalEvent[];
  assert.deepEqual(diversitySeries(events), { series: [], latest: null, topFamilies: [], unrecorded: 4 });
  assert.match(formatStatus(summarizeRun(events)), /diversity +not recorded/);
});

const BASE: RunConfigInput = {
  seed: 5,
  objective: 'fast',
  fast: { target: 'evonorm-s0', objectives: 2 },
  search: { populationSize: 10, tournamentSize: 3, batchSize: 5, maxCandidates: 60 },
  dispatch: { mode: 'inline' },
};

test('when a fast search runs, then every settle point records the population and the last one is the checkpoint\'s', async () => {
  const dir = tempDir();
  const done = await startSearch({ config: RunConfigSchema.parse(BASE), runsDir: dir, name: 'plain', workers: 'inline', fsync: false, exportAtEnd: false });
  const { events } = readJournal(join(done.run.path, 'journal.jsonl'));
  const summary = summarizeRun(events);
  assert.equal(summary.diversity.series.length, 12);
  assert.deepEqual(summary.diversity.series.map((p) => p.evaluated), [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  const checkpoint = readCheckpoint(join(done.run.path, 'checkpoint.json'));
  const last = events.filter((e) => e.type === 'generation').at(-1);
  assert.deepEqual(last?.type === 'generation' ? last.population : null, (checkpoint.evolver as EvolverState).population.map((m) => m.id));
  assert.equal(summary.diversity.latest?.size, 10);
});

test('when a fast search runs with a family cap, then config.json records it and no settle point has a family over it', async () => {
  const dir = tempDir();
  const config = RunConfigSchema.parse({ ...BASE, search: { ...BASE.search, diversity: { familyCap: 0.3 } } });
  const done = await startSearch({ config, runsDir: dir, name: 'capped', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(JSON.parse(readFileSync(join(done.run.path, 'config.json'), 'utf8')).search.diversity.familyCap, 0.3);
  const { series } = summarizeRun(readJournal(join(done.run.path, 'journal.jsonl')).events).diversity;
  assert.equal(series.length, 12);
  for (const point of series) assert.ok(point.largestCount <= familyLimit(0.3, 10)!, `batch ${point.batch}: ${point.largestFamily} ${point.largestCount}`);
  assert.ok(familyCounts(done.state.population.map((m) => m.graph))[0][1] <= 3);
});

test('when a capped fast search runs twice with one seed, or is interrupted and resumed, then it ends with the same journal figures and population', async () => {
  const dir = tempDir();
  const config = RunConfigSchema.parse({ ...BASE, search: { ...BASE.search, diversity: { familyCap: 0.3 } } });
  const events = (name: string) => readJournal(join(dir, name, 'journal.jsonl')).events;
  const a = await startSearch({ config, runsDir: dir, name: 'a', workers: 'inline', fsync: false, exportAtEnd: false });
  const b = await startSearch({ config, runsDir: dir, name: 'b', workers: 'inline', fsync: false, exportAtEnd: false });
  // Checkpoint events left out: a checkpoint is written when the last is older than a second, so where they fall depends on the machine's load.
  const placed = (name: string) => stripTimings(events(name)).filter((e) => e.type !== 'checkpoint').map(withoutRunId);
  assert.deepEqual(placed('a'), placed('b'));
  const controller = new AbortController();
  const first = await startSearch({ config, runsDir: dir, name: 'c', workers: 'inline', fsync: false, exportAtEnd: false, signal: controller.signal, onProgress: (c) => { if (c.proposed >= 23) controller.abort(); } });
  assert.equal(first.reason, 'interrupted');
  const resumed = await startSearch({ resume: first.run.path, workers: 'inline', fsync: false, exportAtEnd: false });
  assert.deepEqual(resumed.state.population.map((m) => m.id), a.state.population.map((m) => m.id));
  assert.deepEqual(summarizeRun(events('c')).diversity.series, summarizeRun(events('a')).diversity.series);
  assert.deepEqual(b.state.population.map((m) => m.id), a.state.population.map((m) => m.id));
});

function withoutRunId(event: unknown): unknown {
  const { runId: _, ...rest } = event as { runId?: string };
  return rest;
}

test('when a new run has evaluated candidates but its first batch has not settled, then status says the measure comes at the first settle point', () => {
  const events = (syntheticEvents() as JournalEvent[]).filter((e) => e.type !== 'generation' && e.type !== 'checkpoint' && e.type !== 'run-finished');
  const line = formatStatus(summarizeRun(events)).split('\n').find((l) => l.includes('diversity'));
  assert.match(line ?? '', /diversity +not measured yet \(the first batch has not settled\)/);
});
