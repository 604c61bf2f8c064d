/**
 * The search loop with promotion levels on a planted pool (no training: each function's scores
 * per level are a hash of its fingerprint and the level): promotions are evaluated at their level
 * once per function, the run does not depend on the order evaluations finish in, and the loop's
 * front count is the one `status` computes from the journal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EvaluationPool } from '../../../src/dispatch/types.js';
import type { Evaluation, EvaluationRequest } from '../../../src/evaluate/types.js';
import { resolveLayer } from '../../../src/graph/resolve.js';
import { createEvolver, type EvolverState } from '../../../src/search/evolver.js';
import { choosePromotions } from '../../../src/search/promotion.js';
import { readCheckpoint } from '../../../src/run/folder/checkpoint.js';
import { replayJournal } from '../../../src/run/replay/replay.js';
import { progressSeries } from '../../../src/report/progress-series.js';
import type { JournalEvent } from '../../../src/run/journal/events.js';
import { Journal, readJournal } from '../../../src/run/journal/journal.js';
import { runSearchLoop, type LoopCounters, type SearchLoopResult } from '../../../src/run/loop/search-loop.js';
import { summarizeRun } from '../../../src/run/status/summary.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import { Rng } from '../../../src/util/rng.js';
import { tempDir } from '../helpers.js';

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

interface RunOptions {
  /** Asked after each promotion evaluation the pool answers, before the loop sees it; true aborts the run there (Ctrl-C). */
  readonly stopAfter?: (events: readonly JournalEvent[]) => boolean;
  /** A run folder to resume (from its checkpoint and journal, as src/run/loop/start-search.ts does); default a new one. */
  readonly dir?: string;
  /** Default: 60 candidates in batches of 4, k = 2. */
  readonly batchSize?: number;
  readonly maxCandidates?: number;
  readonly perBatch?: number;
  /** The time limit, ms (default none). */
  readonly maxMs?: number | null;
}

/** A loop over the planted pool (see RunOptions). */
async function run(order: string, { stopAfter, dir = tempDir(), batchSize = 4, maxCandidates = 60, perBatch = 2, maxMs = null }: RunOptions = {}): Promise<{ result: SearchLoopResult; pool: ReturnType<typeof plantedPool>; journalPath: string; dir: string }> {
  const journalPath = join(dir, 'journal.jsonl');
  const checkpointPath = join(dir, 'checkpoint.json');
  const resumed = existsSync(checkpointPath);
  const replay = resumed ? replayJournal(readJournal(journalPath).events) : null;
  const state = resumed
    ? readCheckpoint(checkpointPath).evolver as EvolverState
    : createEvolver(Rng.fromSeed(5).child('search'), { populationSize: 8, tournamentSize: 3, numObjectives: K, promotion: { levels: 2, perBatch } }, SEEDS);
  const journal = Journal.open(journalPath, { fsync: false });
  journal.append({ type: 'run-started', seed: 5, resumed, levels: 2 });
  const pool = plantedPool(order);
  const controller = new AbortController();
  if (stopAfter) {
    const evaluate = pool.evaluate.bind(pool);
    pool.evaluate = async (request, watch) => {
      const evaluation = await evaluate(request, watch);
      // Before the loop sees this result: it is then lost with the stop, as an evaluation in flight at Ctrl-C is.
      if ((request.level ?? 0) > 0 && stopAfter(readJournal(journalPath).events)) controller.abort();
      return evaluation;
    };
  }
  const counters: LoopCounters = { proposed: 0, evaluated: 0, rejected: 0, cacheHits: 0, rejectedByStage: {}, front: 0 };
  const result = await runSearchLoop({
    state, pool, journal, checkpointPath, cache: replay?.cache() ?? new Map(), counters, seed: 5,
    batchSize, maxCandidates, maxMs, signal: controller.signal,
    ...(replay ? { levelCache: replay.levelCache(), journaledPromotions: replay.journaledPromotions } : {}),
  });
  journal.close();
  return { result, pool, journalPath, dir };
}

/** The closing rounds of a journal: its `promoted` events with `closing` set, in runs of consecutive ones (one round each). */
function closingRounds(events: readonly JournalEvent[]): string[][] {
  const rounds: string[][] = [];
  let previous: JournalEvent | undefined;
  for (const e of events) {
    if (e.type === 'promoted' && e.closing === true) {
      if (previous?.type === 'promoted' && previous.closing === true) rounds[rounds.length - 1].push(`${e.id}@${e.level}`);
      else rounds.push([`${e.id}@${e.level}`]);
    }
    previous = e;
  }
  return rounds;
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
  // At most k = 2 per settled batch, and per closing round.
  const perBatch = new Map<number, number>();
  for (const e of events) if (e.type === 'promoted' && e.closing !== true) perBatch.set(e.batch, (perBatch.get(e.batch) ?? 0) + 1);
  assert.ok([...perBatch.values()].every((n) => n <= 2));
  assert.ok(closingRounds(events).every((round) => round.length <= 2));
  const summary = summarizeRun(events);
  assert.equal(result.counters.front, summary.front.length);
  assert.equal(summary.promotion?.levels, 2);
  assert.ok(summary.front.every((f) => f.levels?.length === (f.level ?? 0) + 1));
});

/** 48 candidates in batches of 12, k = 1: the last batches leave candidates to promote (closing rounds in this run: 3). */
const CLOSING: RunOptions = { batchSize: 12, maxCandidates: 48, perBatch: 1 };

test('when the candidate budget is spent, then the open round is applied and closing rounds of at most k promote the front as far as the rules allow before the run finishes', async () => {
  const { result, journalPath } = await run('order-d', CLOSING);
  assert.equal(result.reason, 'budget');
  const events = readJournal(journalPath).events;
  const rounds = closingRounds(events);
  assert.ok(rounds.length > 0, 'the run had closing rounds');
  assert.ok(rounds.every((round) => round.length === 1), 'at most k = 1 per closing round');
  const lastGeneration = events.findLastIndex((e) => e.type === 'generation');
  assert.ok(events.slice(0, lastGeneration).every((e) => e.type !== 'promoted' || e.closing !== true), 'closing rounds come after the last batch');
  // Nothing is left open, and no further round would promote anyone.
  assert.deepEqual(result.state.promoting, []);
  assert.deepEqual(choosePromotions(result.state).orders, []);
  // Every promotion journaled was applied: its level is in the candidate's levels, or it failed there.
  const leveled = new Map((result.state.leveled ?? []).map((m) => [m.id, m]));
  for (const e of events) {
    if (e.type !== 'promotion-evaluated') continue;
    const m = leveled.get(e.id);
    assert.ok(m && (m.levels.length > e.level || m.failed?.level === e.level), `promotion ${e.id}@${e.level} applied`);
  }
  // The checkpoint on disk holds that final state, and run-finished is the journal's last event.
  assert.deepEqual(readCheckpoint(join(dirname(journalPath), 'checkpoint.json')).evolver, JSON.parse(JSON.stringify(result.state)));
  assert.equal(events.at(-1)?.type, 'run-finished');
});

for (const at of ['first', 'middle', 'last'] as const) {
  test(`when a run is stopped during its closing promotions (${at} round) and resumed, then it ends as the uninterrupted run, evaluating nothing twice`, async () => {
    const reference = await run('order-e', CLOSING);
    const referenceEvents = readJournal(reference.journalPath).events;
    const rounds = closingRounds(referenceEvents);
    assert.ok(rounds.length >= 3, 'the reference has closing rounds');
    const round = at === 'first' ? 0 : at === 'middle' ? Math.floor(rounds.length / 2) : rounds.length - 1;
    const stopAt = rounds.slice(0, round + 1).reduce((n, r) => n + r.length, 0);
    // Stop once that many closing promotions have been journaled (the pool answers the first of them).
    const stopped = await run('order-f', { ...CLOSING, stopAfter: (events) => events.filter((e) => e.type === 'promoted' && e.closing === true).length >= stopAt });
    assert.equal(stopped.result.reason, 'interrupted');
    const atStop = readJournal(stopped.journalPath).events;
    assert.ok(atStop.filter((e) => e.type === 'promoted' && e.closing === true).length >= stopAt, 'stopped in the closing round');
    assert.ok((stopped.result.state.promoting?.length ?? 0) > 0, 'stopped with a closing round open');
    const resumed = await run('order-g', { ...CLOSING, dir: stopped.dir });
    assert.equal(resumed.result.reason, 'budget');
    assert.deepEqual(outcome(resumed.result), outcome(reference.result));
    const firsts = (events: readonly JournalEvent[]) => {
      const first = new Map<string, unknown>();
      for (const e of events) {
        const key = e.type === 'proposed' || e.type === 'evaluated' ? `${e.type} ${e.id}` : e.type === 'promoted' || e.type === 'promotion-evaluated' ? `${e.type} ${e.id}@${e.level}` : null;
        if (key !== null && !first.has(key)) first.set(key, stripTimings(e));
      }
      return [...first.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    };
    assert.deepEqual(firsts(readJournal(stopped.journalPath).events), firsts(referenceEvents));
    // Nothing journaled was evaluated again (results in flight at the stop were not journaled: those are redone).
    const fresh = readJournal(stopped.journalPath).events.flatMap((e) => (e.type === 'evaluated' && !e.cached ? [e.fingerprint] : e.type === 'promotion-evaluated' && !e.cached ? [`${e.fingerprint}@${e.level}`] : []));
    assert.equal(new Set(fresh).size, fresh.length, 'a function was evaluated twice at one level');
  });
}

test('when the time limit is up during the closing rounds, then the run stops with reason time and the round open, and a resume closes it as the uninterrupted run', async () => {
  const reference = await run('order-h', CLOSING);
  const stopped = await run('order-i', { ...CLOSING, stopAfter: (events) => events.some((e) => e.type === 'promoted' && e.closing === true) });
  assert.equal(stopped.result.reason, 'interrupted');
  const timed = await run('order-j', { ...CLOSING, dir: stopped.dir, maxMs: 0 });
  assert.equal(timed.result.reason, 'time');
  assert.ok((timed.result.state.promoting?.length ?? 0) > 0, 'the closing round is still open');
  const resumed = await run('order-k', { ...CLOSING, dir: stopped.dir });
  assert.equal(resumed.result.reason, 'budget');
  assert.deepEqual(outcome(resumed.result), outcome(reference.result));
});

test('when the report draws a run with promotions over time, then its front is the front with levels status shows and its best values are per level', async () => {
  const { journalPath } = await run('order-l');
  const replay = replayJournal(readJournal(journalPath).events);
  const ranking = replay.ranking();
  assert.ok((ranking.promotion?.dropped.length ?? 0) > 0, 'a promotion changed the front (the level-0 front differs)');
  const series = progressSeries(replay, (id, fingerprint, hash) => fingerprint ?? `hash:${hash}`);
  assert.deepEqual(series.front.map((f) => f.id), ranking.front.map((c) => c.record.proposed.id));
  assert.equal(series.points.at(-1)!.frontSize, ranking.front.length);
  // Best values per level, each from that level's scores only.
  assert.equal(series.levels, 2);
  const last = series.points.at(-1)!.bestByLevel!;
  for (const level of [1, 2]) {
    const scores = replay.promotionEvaluations.flatMap((e) => (e.level === level && e.evaluation.status === 'ok' ? [e.evaluation.objectives] : []));
    assert.deepEqual(last[level], Array.from({ length: K }, (_, m) => Math.max(...scores.map((s) => s[m]))));
  }
});
