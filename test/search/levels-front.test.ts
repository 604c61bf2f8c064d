/**
 * The run's front with promotions (src/search/levels.ts leveledRunFront) against brute force: the
 * leveled front of every scored candidate, whenever that front is not empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { paretoFront } from '../../src/search/pareto.js';
import { leveledBest, leveledFront, leveledRunFront, type RunFrontMember } from '../../src/search/levels.js';

const K = 2;
const point = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: K, maxLength: K });
/** Candidates with 1–3 levels (id = index, one key each), some of them with a rejected promotion. */
const run = fc.array(fc.tuple(fc.array(point, { minLength: 1, maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 10 })
  .map((xs) => xs.map(([levels, failed], id): RunFrontMember => ({ id, key: `f${id}`, levels, failed })));

const isPromoted = (m: RunFrontMember): boolean => m.levels.length > 1 || m.failed;
/** The level-0 front of the unpromoted candidates (one per key). */
const base = (all: readonly RunFrontMember[]) => {
  const unpromoted = all.filter((m) => !isPromoted(m));
  return paretoFront(unpromoted.map((m) => m.levels[0])).map((i) => unpromoted[i]);
};

test('when some candidates were promoted, then the run front equals the leveled front of every candidate (failed ones left out)', () => {
  fc.assert(fc.property(run, (all) => {
    const oracle = leveledFront(all);
    if (oracle.length === 0) return; // a cycle over levels: the fallback is leveledBest over the kept members
    const expected = oracle.map((i) => all[i]).filter((m) => !m.failed).map((m) => m.id);
    const promoted = all.filter(isPromoted);
    assert.deepEqual(leveledRunFront(base(all), promoted).map((m) => m.id), expected);
  }), { numRuns: 400 });
});

test('when nothing was promoted, then the run front is the level-0 front itself', () => {
  fc.assert(fc.property(run, (all) => {
    const flat = all.map((m) => ({ ...m, levels: m.levels.slice(0, 1), failed: false }));
    assert.deepEqual(leveledRunFront(base(flat), []), base(flat));
  }), { numRuns: 200 });
});

test('when a cycle over levels empties the leveled front, then the members beaten by the fewest share it', () => {
  const cheapWinner: RunFrontMember = { id: 1, key: 'a', levels: [[0.95, 0.94], [0.80, 0.81]], failed: false };
  const survivor: RunFrontMember = { id: 2, key: 'b', levels: [[0.93, 0.92], [0.90, 0.91]], failed: false };
  const fresh: RunFrontMember = { id: 3, key: 'c', levels: [[0.94, 0.93]], failed: false };
  assert.deepEqual(leveledBest([cheapWinner, survivor, fresh]), [0, 1, 2]);
  assert.deepEqual(leveledRunFront([fresh], [cheapWinner, survivor]).map((m) => m.id), [1, 2, 3]);
});

test('when two front members share a key, then the one measured at the higher level stays', () => {
  const early: RunFrontMember = { id: 1, key: 'same', levels: [[0.5, 0.5]], failed: false };
  const later: RunFrontMember = { id: 2, key: 'same', levels: [[0.5, 0.5], [0.6, 0.6]], failed: false };
  assert.deepEqual(leveledRunFront([early], [later]).map((m) => m.id), [2]);
});

test('when an unpromoted candidate off the cheap front beat a promoted one at level 0, then that promoted one is off the front', () => {
  // c2 ≻ c0 at level 0; c1 and c2 meet at level 1 and tie there; c0 meets c1 at level 0 and beats it.
  const c0: RunFrontMember = { id: 0, key: 'a', levels: [[0, 1]], failed: false };
  const c1: RunFrontMember = { id: 1, key: 'b', levels: [[0, 0], [2, 0]], failed: false };
  const c2: RunFrontMember = { id: 2, key: 'c', levels: [[0, 2], [0, 1]], failed: false };
  assert.deepEqual(leveledRunFront([c0], [c1, c2]).map((m) => m.id), [2]);
});
