/**
 * The order `evonorm rerank` takes a search's layers in: with promotion levels, ranked as the
 * search's selection and front do (each pair at the highest level both were measured at), never
 * by level-0 scores alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankCandidates, type CandidateRecord } from '../../src/run/replay/candidates.js';
import type { PromotionEvaluatedEvent, ProposedEvent } from '../../src/run/journal/events.js';
import type { Evaluation } from '../../src/evaluate/types.js';
import { rerankOrder } from '../../src/protocol/rerank-order.js';
import { EvonormError } from '../../src/util/errors.js';

const t = '2024-01-02T03:04:05.000Z';
const ok = (objectives: number[]): Evaluation => ({ status: 'ok', objectives, costMs: 1 });

/** A scored candidate with its level-0 scores and, per level above, its scores (null: that promotion was rejected). */
function record(id: number, level0: number[], above: (number[] | null)[] = []): CandidateRecord {
  const proposed = { type: 'proposed', t, id, batch: 0, hash: `h${id}`, expression: 'x', origin: 'mutation', parentId: null } as unknown as ProposedEvent;
  const promotions: PromotionEvaluatedEvent[] = above.map((scores, i) => ({
    type: 'promotion-evaluated', t, id, level: i + 1, fingerprint: `f${id}`, hash: `h${id}`, cached: false,
    evaluation: scores === null ? { status: 'rejected', stage: 'training', reason: 'diverged', costMs: 1 } : ok(scores),
  }));
  return {
    proposed,
    evaluated: { type: 'evaluated', t, id, fingerprint: `f${id}`, hash: `h${id}`, evaluation: ok(level0), cached: false },
    ...(promotions.length > 0 ? { promotions } : {}),
  };
}

const ids = (records: CandidateRecord[], by = 'front', names = ['a', 'b']) => rerankOrder(rankCandidates(records).ranked, by, names).map((p) => p.candidate.record.proposed.id);

test('when a promotion reverses two layers, then rerank takes the one that won at the higher level first (level-0 scores alone would not)', () => {
  // 0 beats 1 at level 0; both promoted, 1 beats 0 at level 1: the level both were measured at.
  const records = [record(0, [0.9, 0.9], [[0.5, 0.5]]), record(1, [0.8, 0.8], [[0.7, 0.7]]), record(2, [0.1, 0.1])];
  assert.deepEqual(ids(records), [1, 0, 2]);
  // Rank 0 is the run's front (status), rank by rank.
  const picks = rerankOrder(rankCandidates(records).ranked, 'front', ['a', 'b']);
  assert.deepEqual(picks.map((p) => p.rank), [0, 1, 2]);
  assert.deepEqual(picks.filter((p) => p.rank === 0).map((p) => p.candidate.record.proposed.id), rankCandidates(records).front.map((c) => c.record.proposed.id));
  assert.deepEqual(picks.map((p) => p.level), [1, 1, 0]);
});

test('when a layer\'s promotion was rejected, then it comes after every other layer, however good its level-0 scores', () => {
  const records = [record(0, [1, 1], [null]), record(1, [0.5, 0.5]), record(2, [0.2, 0.9])];
  assert.deepEqual(ids(records), [1, 2, 0]);
});

test('when layers share a rank, then those measured at a higher level come first, and --by reads their scores at that level', () => {
  // Not comparable at level 0 (each better on one objective): one rank. 3 and 4 were promoted.
  const records = [
    record(0, [0.95, 0.1]),
    record(3, [0.5, 0.6], [[0.2, 0.3]]),
    record(4, [0.1, 0.95], [[0.3, 0.2]]),
  ];
  // 3 and 4 do not dominate each other at level 1 either; by "a" at level 1: 4 (0.3) before 3 (0.2); level 0 would say 3 (0.5) first.
  assert.deepEqual(ids(records, 'a'), [4, 3, 0]);
  assert.deepEqual(ids(records, 'b'), [3, 4, 0]);
  assert.deepEqual(ids(records, 'mean'), [3, 4, 0], 'equal means at level 1 (0.25): then by id');
});

test('when nothing was promoted, then the order is the level-0 Pareto rank, ties by --by, as before', () => {
  const records = [record(0, [0.2, 0.9]), record(1, [0.9, 0.2]), record(2, [0.1, 0.1]), record(3, [0.5, 0.5])];
  assert.deepEqual(ids(records, 'front'), [1, 3, 0, 2]);
  assert.deepEqual(ids(records, 'b'), [0, 3, 1, 2]);
  assert.throws(() => ids(records, 'c'), (err: unknown) => err instanceof EvonormError && err.code === 'BAD_INPUT');
});

test('when enough layers are found, then the leveled ranks stop being peeled', () => {
  const records = [record(0, [0.9, 0.9], [[0.5, 0.5]]), record(1, [0.8, 0.8], [[0.7, 0.7]]), record(2, [0.1, 0.1])];
  const picks = rerankOrder(rankCandidates(records).ranked, 'front', ['a', 'b'], (picked) => picked.length >= 1);
  assert.deepEqual(picks.map((p) => p.candidate.record.proposed.id), [1]);
});
