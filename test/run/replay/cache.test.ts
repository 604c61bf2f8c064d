import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintCache, isCacheable, levelCache, levelCacheKey, type EvaluatedEvent, type JournalEvent, type RebuildCacheOptions } from '../../../src/run/index.js';
import type { Evaluation } from '../../../src/evaluate/types.js';
import { syntheticEvents } from '../helpers.js';

const rebuildCache = (events: readonly JournalEvent[], options: RebuildCacheOptions = {}) => fingerprintCache(events.filter((e): e is EvaluatedEvent => e.type === 'evaluated'), options);

const t = '2024-01-02T03:04:05.000Z';
const ok = (v: number): Evaluation => ({ status: 'ok', objectives: [v], costMs: 1 });
const evaluated = (id: number, fingerprint: string | null, evaluation: Evaluation, cached = false): JournalEvent => ({
  type: 'evaluated', t, id, fingerprint, hash: `h${id}`, evaluation, cached,
});

test('when the journal has evaluations, then the cache maps each fingerprint to its first evaluation', () => {
  const rejected: Evaluation = { status: 'rejected', stage: 'stability', reason: 'NaN', costMs: 2 };
  const events: JournalEvent[] = [
    { type: 'run-started', t, seed: 1, resumed: false },
    evaluated(0, 'a', ok(0.1)),
    evaluated(1, 'b', rejected),
    evaluated(2, 'a', ok(0.9), true),
    evaluated(3, null, { status: 'rejected', stage: 'static', reason: 'bad', costMs: 0 }),
  ];
  const cache = rebuildCache(events);
  assert.deepEqual([...cache.keys()], ['a', 'b']);
  assert.deepEqual(cache.get('a'), ok(0.1));
  assert.deepEqual(cache.get('b'), rejected);
});

test('when a filter is given, then only the evaluations it accepts are cached', () => {
  const events = [evaluated(0, 'a', { status: 'rejected', stage: 'timeout', reason: 'slow', costMs: 9 }), evaluated(1, 'a', ok(0.5)), evaluated(2, 'c', ok(0.2))];
  const cache = rebuildCache(events, { include: (e) => !(e.status === 'rejected' && e.stage === 'timeout') });
  assert.deepEqual(cache.get('a'), ok(0.5));
  assert.equal(cache.size, 2);
});

test('when rebuilt from a synthetic run, then every evaluated fingerprint is present with its first result', () => {
  const events = syntheticEvents() as JournalEvent[];
  const cache = rebuildCache(events);
  const firsts = new Map<string, Evaluation>();
  for (const e of events) if (e.type === 'evaluated' && e.fingerprint && !firsts.has(e.fingerprint)) firsts.set(e.fingerprint, e.evaluation);
  assert.deepEqual(cache, firsts);
  assert.ok(cache.size > 1);
});

test('when an evaluation was rejected at stage error (a crashed worker), then neither cache keeps it and a later result of that function is kept', () => {
  const crashed: Evaluation = { status: 'rejected', stage: 'error', code: 'worker-failed', reason: 'worker crashed', costMs: 4 };
  const cache = rebuildCache([evaluated(0, 'a', crashed), evaluated(1, 'b', crashed, true), evaluated(2, 'a', ok(0.3))]);
  assert.deepEqual([...cache.entries()], [['a', ok(0.3)]]);
  const levels = levelCache([
    { type: 'promotion-evaluated', t, id: 0, level: 1, fingerprint: 'a', hash: 'h0', evaluation: crashed, cached: false },
    { type: 'promotion-evaluated', t, id: 3, level: 1, fingerprint: 'c', hash: 'h3', evaluation: ok(0.7), cached: false },
  ]);
  assert.deepEqual([...levels.keys()], [levelCacheKey('c', 1)]);
  assert.equal(isCacheable(crashed), false);
  assert.equal(isCacheable({ status: 'rejected', stage: 'timeout', reason: 'slow', costMs: 9 }), true);
});
