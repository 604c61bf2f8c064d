import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crowdingDistance, dominates, nonDominatedSort, paretoFront } from '../../src/search/pareto.js';

/** Brute-force oracle: a ≥ b everywhere and > somewhere, written independently of the code. */
function oracleDominates(a: readonly number[], b: readonly number[]): boolean {
  if ([...a, ...b].some((v) => !Number.isFinite(v))) return false;
  return a.every((v, i) => v >= b[i]) && a.some((v, i) => v > b[i]);
}

/** Brute-force ranks: peel off non-dominated layers one at a time, O(n²) per layer. */
function oracleFronts(points: readonly (readonly number[])[]): number[][] {
  let remaining = points.map((_, i) => i).filter((i) => points[i].every(Number.isFinite));
  const fronts: number[][] = [];
  while (remaining.length > 0) {
    const front = remaining.filter((i) => !remaining.some((j) => oracleDominates(points[j], points[i])));
    fronts.push(front);
    remaining = remaining.filter((i) => !front.includes(i));
  }
  return fronts;
}

// Small integer grid so ties and duplicates are frequent; NaN and ±Inf mixed in.
const coordinate = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) },
);
const pointSets = fc
  .integer({ min: 1, max: 4 })
  .chain((k) => fc.array(fc.array(coordinate, { minLength: k, maxLength: k }), { maxLength: 30 }));

test('when points are random with ties, duplicates and NaN, then nonDominatedSort equals the brute-force layers', () => {
  fc.assert(
    fc.property(pointSets, (points) => {
      assert.deepEqual(nonDominatedSort(points), oracleFronts(points));
    }),
    { numRuns: 300 },
  );
});

test('when points are random, then paretoFront equals the first brute-force layer', () => {
  fc.assert(
    fc.property(pointSets, (points) => {
      assert.deepEqual(paretoFront(points), oracleFronts(points)[0] ?? []);
    }),
    { numRuns: 300 },
  );
});

test('when points are random, then dominates agrees with the oracle and is irreflexive and asymmetric', () => {
  fc.assert(
    fc.property(pointSets, (points) => {
      for (const a of points) {
        assert.equal(dominates(a, a), false);
        for (const b of points) {
          assert.equal(dominates(a, b), oracleDominates(a, b));
          if (dominates(a, b)) assert.equal(dominates(b, a), false);
        }
      }
    }),
    { numRuns: 200 },
  );
});

test('when a point has NaN or Inf, then it is in no front', () => {
  const points = [[1, 2], [Number.NaN, 5], [Infinity, 9], [2, 1], [0, 0]];
  const fronts = nonDominatedSort(points);
  assert.deepEqual(fronts, [[0, 3], [4]]);
  assert.deepEqual(paretoFront(points), [0, 3]);
});

test('when two points are equal, then neither dominates and both share a front', () => {
  const points = [[1, 1], [1, 1], [0, 0]];
  assert.equal(dominates(points[0], points[1]), false);
  assert.deepEqual(nonDominatedSort(points), [[0, 1], [2]]);
});

test('when points have different lengths, then dominates throws', () => {
  assert.throws(() => dominates([1, 2], [1]), RangeError);
});

test('when a front is crowded, then its boundary points are infinite and inner distances follow the gaps', () => {
  // One objective increasing, the other decreasing: a line with uneven spacing.
  const points = [[0, 10], [1, 9], [4, 6], [10, 0]];
  const d = crowdingDistance(points, [0, 1, 2, 3]);
  assert.equal(d[0], Infinity);
  assert.equal(d[3], Infinity);
  // Inner point 1: gaps (4-0)/10 in objective 0 and (10-6)/10 in objective 1.
  assert.ok(Math.abs(d[1] - 0.8) < 1e-12);
  // Inner point 2: gaps (10-1)/10 and (9-0)/10.
  assert.ok(Math.abs(d[2] - 1.8) < 1e-12);
});

test('when a front has at most two members, then every crowding distance is infinite', () => {
  assert.deepEqual(crowdingDistance([[1, 2], [2, 1]], [0, 1]), [Infinity, Infinity]);
  assert.deepEqual(crowdingDistance([[1, 2]], [0]), [Infinity]);
});

test('when an objective is constant across the front, then it adds nothing to inner distances', () => {
  const points = [[0, 5], [1, 5], [3, 5], [4, 5]];
  const d = crowdingDistance(points, [0, 1, 2, 3]);
  assert.ok(Math.abs(d[1] - 0.75) < 1e-12);
  assert.ok(Math.abs(d[2] - 0.75) < 1e-12);
});

test('when crowding distance is asked for a subset front, then results follow the order of that subset', () => {
  const points = [[9, 9], [0, 10], [5, 5], [10, 0]];
  const d = crowdingDistance(points, [3, 2, 1]);
  assert.equal(d[0], Infinity);
  assert.equal(d[2], Infinity);
  assert.ok(Math.abs(d[1] - 2) < 1e-12);
});
