import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addToArchive, paretoArchive } from '../../src/search/pareto-archive.js';

interface M { readonly id: number; readonly objectives: readonly number[] | null; readonly key: string }
const keyOf = (m: M): string => m.key;

/** Brute force: members no other member dominates (finite scores only), the earliest per key, by id. */
function oracle(members: readonly M[]): number[] {
  const finite = members.filter((m) => m.objectives !== null && m.objectives.every(Number.isFinite));
  const dom = (a: readonly number[], b: readonly number[]) => a.every((v, i) => v >= b[i]) && a.some((v, i) => v > b[i]);
  const front = finite.filter((m) => !finite.some((o) => dom(o.objectives!, m.objectives!))).sort((a, b) => a.id - b.id);
  const seen = new Set<string>();
  return front.filter((m) => !seen.has(m.key) && seen.add(m.key)).map((m) => m.id);
}

const members = fc.array(
  fc.record({
    objectives: fc.option(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { nil: null }),
    key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  }),
  { maxLength: 30 },
).map((rows) => rows.map((r, id): M => ({ id, ...r })));

test('when members are archived at once, then the archive is the brute-force front, one per key, in id order', () => {
  fc.assert(fc.property(members, (ms) => {
    assert.deepEqual(paretoArchive(ms, keyOf).map((m) => m.id), oracle(ms));
  }));
});

test('when each key has one score, then adding members one at a time gives the archive of all of them', () => {
  // (One score per key, as a fingerprint gives: the cache hands every copy of a function the same result.)
  const distinct = members.map((ms) => ms.map((m) => ({ ...m, key: m.objectives === null ? `none-${m.id}` : m.objectives.join(',') })));
  fc.assert(fc.property(distinct, (ms) => {
    let archive: M[] = [];
    for (const m of ms) archive = addToArchive(archive, m, keyOf);
    assert.deepEqual(archive.map((m) => m.id), paretoArchive(ms, keyOf).map((m) => m.id));
  }));
});

test('when a member has a NaN or no score, then it never enters the archive', () => {
  const ms: M[] = [{ id: 0, objectives: [Number.NaN, 9], key: 'a' }, { id: 1, objectives: null, key: 'b' }, { id: 2, objectives: [1, 1], key: 'c' }];
  assert.deepEqual(paretoArchive(ms, keyOf).map((m) => m.id), [2]);
  assert.deepEqual(addToArchive([ms[2]], ms[0], keyOf).map((m) => m.id), [2]);
});
