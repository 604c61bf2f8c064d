import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dominates, nonDominatedSort, paretoFront } from '../../src/search/pareto.js';
import { dominatesAtCommonLevel, leveledBest, leveledFront, leveledLayers, leveledWinner, promotionChoice, promotionQuota, type Leveled } from '../../src/search/levels.js';
import { Rng } from '../../src/util/rng.js';

const K = 2;
const point = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: K, maxLength: K });
const leveled = (maxLevel: number) => fc.array(fc.array(point, { minLength: 1, maxLength: maxLevel + 1 }), { minLength: 1, maxLength: 9 })
  .map((xs) => xs.map((levels, id): Leveled => ({ id, levels })));

test('when every candidate is at level 0, then the leveled front is the plain Pareto front', () => {
  fc.assert(fc.property(leveled(0), (members) => {
    assert.deepEqual(leveledFront(members), paretoFront(members.map((m) => m.levels[0])));
  }), { numRuns: 200 });
});

test('when candidates of mixed levels are ranked, then the front matches a brute-force oracle of the common-level rule', () => {
  fc.assert(fc.property(leveled(2), (members) => {
    const oracle: number[] = [];
    for (let i = 0; i < members.length; i++) {
      let beaten = false;
      for (let j = 0; j < members.length; j++) {
        if (i === j) continue;
        const level = Math.min(members[i].levels.length, members[j].levels.length) - 1;
        if (dominates(members[j].levels[level], members[i].levels[level])) beaten = true;
      }
      if (!beaten) oracle.push(i);
    }
    assert.deepEqual(leveledFront(members), oracle);
  }), { numRuns: 300 });
});

test('when a candidate\'s scores above the level it shares with another change, then their comparison does not', () => {
  fc.assert(fc.property(leveled(2), point, (members, other) => {
    const [a, b] = [members[0], members[members.length - 1]];
    const common = Math.min(a.levels.length, b.levels.length) - 1;
    if (a.levels.length - 1 <= common) return;
    const changed: Leveled = { ...a, levels: a.levels.map((p, l) => (l > common ? other : p)) };
    assert.equal(dominatesAtCommonLevel(changed, b), dominatesAtCommonLevel(a, b));
    assert.equal(dominatesAtCommonLevel(b, changed), dominatesAtCommonLevel(b, a));
  }), { numRuns: 300 });
});

test('when a cheap winner loses at the next level, then a promoted rival beats it there, and an unpromoted one is judged at level 0', () => {
  const cheapWinner: Leveled = { id: 1, levels: [[0.95, 0.94], [0.80, 0.81]] };
  const survivor: Leveled = { id: 2, levels: [[0.93, 0.92], [0.90, 0.91]] };
  const fresh: Leveled = { id: 3, levels: [[0.94, 0.93]] };
  assert.equal(dominatesAtCommonLevel(survivor, cheapWinner), true, 'level 1 decides between the promoted');
  assert.equal(dominatesAtCommonLevel(cheapWinner, fresh), true, 'level 0 decides against the unpromoted');
  assert.equal(dominatesAtCommonLevel(fresh, survivor), true, 'level 0: 0.94 > 0.93');
  // a cycle over levels: survivor ≻ cheapWinner ≻ fresh ≻ survivor → an empty front; each is beaten once, so all share the win
  assert.deepEqual(leveledFront([cheapWinner, survivor, fresh]), []);
  const wins = new Set(Array.from({ length: 40 }, (_, s) => leveledWinner(Rng.fromSeed(s), [cheapWinner, survivor, fresh]).id));
  assert.deepEqual([...wins].sort(), [1, 2, 3]);
  // without the fresh rival the promotion decides: the survivor wins every time
  assert.equal(leveledWinner(Rng.fromSeed(1), [cheapWinner, survivor]).id, 2);
});

test('when the front is not empty, then the winner is always one of its members', () => {
  fc.assert(fc.property(leveled(2), fc.integer({ min: 0, max: 1000 }), (members, seed) => {
    const front = leveledFront(members);
    const winner = leveledWinner(Rng.fromSeed(seed), members);
    if (front.length > 0) assert.ok(front.includes(members.indexOf(winner)));
  }), { numRuns: 200 });
});

test('when promotions are chosen, then they are rung-front members below the top level, not yet promoted, at most k, highest level first', () => {
  fc.assert(fc.property(leveled(2), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 2 }), (members, k, top) => {
    const clipped = members.map((m) => ({ ...m, levels: m.levels.slice(0, top + 1) }));
    const promoted = new Set(clipped.filter((m) => m.id % 3 === 0).map((m) => m.id));
    const chosen = promotionChoice(clipped, top, k, promoted);
    assert.ok(chosen.length <= k);
    const levels = chosen.map((m) => m.levels.length - 1);
    assert.deepEqual(levels, [...levels].sort((a, b) => b - a));
    for (const m of chosen) {
      const level = m.levels.length - 1;
      assert.ok(level < top && !promoted.has(m.id));
      const rung = clipped.filter((o) => o.levels.length - 1 >= level);
      assert.ok(!rung.some((o) => dominates(o.levels[level], m.levels[level])), `candidate ${m.id} is on rung ${level}'s front`);
    }
    assert.deepEqual(promotionChoice(clipped, top, k, promoted), chosen, 'deterministic');
  }), { numRuns: 300 });
});

test('when rungs have quotas, then each rung promotes at most its quota and the choice is otherwise the one without quotas', () => {
  fc.assert(fc.property(leveled(2), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }), (members, k, quota) => {
    const free = promotionChoice(members, 2, k);
    const capped = promotionChoice(members, 2, k, new Set(), quota);
    for (const level of [0, 1]) assert.ok(capped.filter((m) => m.levels.length - 1 === level).length <= quota[level], `rung ${level} within its quota ${quota[level]}`);
    // Rung 1 is chosen first: its picks are the unlimited choice's, cut to the quota.
    const fromOne = (chosen: readonly Leveled[]) => chosen.filter((m) => m.levels.length === 2).map((m) => m.id);
    assert.deepEqual(fromOne(capped), fromOne(free).slice(0, quota[1]));
    assert.deepEqual(promotionChoice(members, 2, k, new Set(), [Infinity, Infinity]), free, 'an infinite quota changes nothing');
  }), { numRuns: 300 });
});

test('when a reduction factor is set, then rung ℓ may send ⌊reached[ℓ] / η⌋ minus those already above it, never fewer than none', () => {
  assert.deepEqual(promotionQuota([10, 0, 0], 2, 3), [3, 0]);
  assert.deepEqual(promotionQuota([10, 2, 0], 2, 3), [1, 0]);
  assert.deepEqual(promotionQuota([12, 4, 1], 2, 3), [0, 0]);
  assert.deepEqual(promotionQuota([12, 6, 1], 2, 3), [0, 1]);
  assert.deepEqual(promotionQuota([5, 9, 9], 2, 1), [0, 0], 'more above than the share allows (a changed η): none, not a negative quota');
  assert.deepEqual(promotionQuota([7, 3], 1, 1.5), [1]);
});

test('when every candidate is at level 0, then the leveled layers are the plain non-dominated sort', () => {
  fc.assert(fc.property(leveled(0), (members) => {
    assert.deepEqual([...leveledLayers(members)], nonDominatedSort(members.map((m) => m.levels[0])).map((layer) => [...layer].sort((a, b) => a - b)));
  }), { numRuns: 200 });
});

test('when candidates of mixed levels are sorted into layers, then each layer is leveledBest of those not yet placed and every candidate is placed once', () => {
  fc.assert(fc.property(leveled(2), (members) => {
    const layers = [...leveledLayers(members)];
    assert.deepEqual(layers.flat().sort((a, b) => a - b), members.map((_, i) => i));
    let left = members.map((_, i) => i);
    for (const layer of layers) {
      assert.deepEqual(layer, leveledBest(left.map((i) => members[i])).map((j) => left[j]));
      left = left.filter((i) => !layer.includes(i));
    }
  }), { numRuns: 200 });
});
