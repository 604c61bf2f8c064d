/**
 * The search loop with promotion levels on a planted pool (no training: each function's scores
 * per level are a hash of its fingerprint and the level): promotions are evaluated at their level
 * once per function, the run does not depend on the order evaluations finish in, and the loop's
 * front count is the one `status` computes from the journal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { EvaluationPool } from '../../src/dispatch/types.js';
import type { Evaluation, EvaluationRequest } from '../../src/evaluate/types.js';
import { resolveLayer } from '../../src/graph/resolve.js';
import { createEvolver } from '../../src/search/evolver.js';
import { Journal, readJournal } from '../../src/run/journal.js';
import { runSearchLoop, type LoopCounters, type SearchLoopResult } from '../../src/run/search-loop.js';
import { summarizeRun } from '../../src/run/summary.js';
import { stripTimings } from '../../src/run/strip-timings.js';
import { Rng } from '../../src/util/rng.js';
import { tempDir } from './helpers.js';

const K = 2;
const SEEDS = ['bn-relu', 'evonorm-s0', 'gn-relu', 'evonorm-b0', 'x * sigmoid(x)'].map((s) => resolveLayer(s).graph);

/** A number in [0, 1) from text. */
function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** Scores: level 0 a noisy version of a hidden quality, each level above it less noisy; one in 11 is rejected. */
function planted(request: EvaluationRequest): Evaluation {
  const level = request.level ?? 0;
  if (unit(`reject/${request.fingerprint}`) < 1 / 11) return { status: 'rejected', stage: 'quality', reason: 'planted', costMs: 1 };
  const objectives = Array.from({ length: K }, (_, k) => {
    const quality = unit(`q/${request.fingerprint}/${k}`);
    const noise = unit(`n/${request.fingerprint}/${k}/${level}`) - 0.5;
    return Math.round((quality + noise / (1 + 2 * level) + level * 0.1) * 1e6) / 1e6;
  });
  return { status: 'ok', objectives, costMs: 1 };
}

/** A pool of `size` slots answering after a delay drawn from `order` (so finishing order varies), counting calls per function and level. */
function plantedPool(order: string, size = 3): EvaluationPool & { calls: Map<string, number> } {
  const rng = Rng.fromSeed(order);
  const calls = new Map<string, number>();
  return {
    size,
    calls,
    evaluate(request) {
      const key = `${request.fingerprint}@${request.level ?? 0}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      const delay = Math.floor(rng.next() * 4);
      return new Promise((resolve) => setTimeout(() => resolve(planted(request)), delay));
    },
    close: async () => undefined,
  };
}

async function run(order: string): Promise<{ result: SearchLoopResult; pool: ReturnType<typeof plantedPool>; journalPath: string }> {
  const dir = tempDir();
  const state = createEvolver(Rng.fromSeed(5).child('search'), { populationSize: 8, tournamentSize: 3, numObjectives: K, promotion: { levels: 2, perBatch: 2 } }, SEEDS);
  const journalPath = join(dir, 'journal.jsonl');
  const journal = Journal.open(journalPath, { fsync: false });
  journal.append({ type: 'run-started', seed: 5, resumed: false, levels: 2 });
  const pool = plantedPool(order);
  const counters: LoopCounters = { proposed: 0, evaluated: 0, rejected: 0, cacheHits: 0, rejectedByStage: {}, front: 0 };
  const result = await runSearchLoop({
    state, pool, journal, checkpointPath: join(dir, 'checkpoint.json'), cache: new Map(), counters, seed: 5,
    batchSize: 4, maxCandidates: 60, maxMs: null, signal: new AbortController().signal,
  });
  journal.close();
  return { result, pool, journalPath };
}

const outcome = (r: SearchLoopResult) => ({ population: r.state.population, leveled: r.state.leveled, promoting: r.state.promoting, hallOfFame: r.state.hallOfFame, nextId: r.state.nextId });

test('when evaluations finish in different orders, then a run with promotions ends the same', async () => {
  const a = await run('order-a');
  const b = await run('order-b');
  assert.ok((a.result.state.leveled ?? []).some((m) => m.levels.length === 3), 'some candidate reached level 2');
  assert.deepEqual(outcome(a.result), outcome(b.result));
  // The journals hold the same events per candidate and promotion, whatever their order.
  const sorted = (path: string) => readJournal(path).events.filter((e) => e.type !== 'checkpoint').map((e) => JSON.stringify(stripTimings(e))).sort();
  assert.deepEqual(sorted(a.journalPath), sorted(b.journalPath));
});

test('when candidates are promoted, then each function is evaluated once per level, at its level, and the loop counts the front status shows', async () => {
  const { result, pool, journalPath } = await run('order-c');
  assert.ok([...pool.calls.values()].every((n) => n === 1), 'a function was evaluated twice at one level');
  const events = readJournal(journalPath).events;
  const promoted = events.flatMap((e) => (e.type === 'promoted' ? [`${e.id}@${e.level}`] : []));
  const evaluated = events.flatMap((e) => (e.type === 'promotion-evaluated' ? [`${e.id}@${e.level}`] : []));
  assert.ok(promoted.length > 0);
  assert.deepEqual(evaluated.sort(), [...promoted].sort(), 'every promotion was evaluated, once');
  assert.ok(promoted.every((p) => [1, 2].includes(Number(p.split('@')[1]))));
  // At most k = 2 per settled batch.
  const perBatch = new Map<number, number>();
  for (const e of events) if (e.type === 'promoted') perBatch.set(e.batch, (perBatch.get(e.batch) ?? 0) + 1);
  assert.ok([...perBatch.values()].every((n) => n <= 2));
  const summary = summarizeRun(events);
  assert.equal(result.counters.front, summary.front.length);
  assert.equal(summary.promotion?.levels, 2);
  assert.ok(summary.front.every((f) => f.levels?.length === (f.level ?? 0) + 1));
});
