import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hypervolume } from '../../src/report/hypervolume.js';

/** Oracle: on integer points, the number of unit cells whose upper corner some point dominates. */
function cellCount(points: number[][], ref: number[]): number {
  const k = ref.length;
  const top = ref.map((_, m) => Math.max(ref[m], ...points.map((p) => p[m])));
  let count = 0;
  const corner = new Array<number>(k);
  const visit = (m: number): void => {
    if (m === k) {
      if (points.some((p) => p.every((v, i) => v >= corner[i]))) count++;
      return;
    }
    for (let c = ref[m] + 1; c <= top[m]; c++) {
      corner[m] = c;
      visit(m + 1);
    }
  };
  visit(0);
  return count;
}

test('when points have integer coordinates, then the hypervolume equals the count of dominated unit cells (K = 1, 2, 3)', () => {
  for (const k of [1, 2, 3]) {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -2, max: 6 }), { minLength: k, maxLength: k }), { maxLength: 12 }), (points) => {
        const ref = new Array<number>(k).fill(0);
        assert.equal(hypervolume(points, ref), cellCount(points, ref));
      }),
      { numRuns: 150, seed: 7 },
    );
  }
});

test('when no point is above the reference, then the hypervolume is 0', () => {
  assert.equal(hypervolume([], [0, 0]), 0);
  assert.equal(hypervolume([[0, 5], [5, 0]], [0, 0]), 0);
});

test('when one point dominates another, then adding the dominated one changes nothing', () => {
  assert.equal(hypervolume([[0.5, 0.5], [0.2, 0.3]], [0, 0]), hypervolume([[0.5, 0.5]], [0, 0]));
  assert.equal(hypervolume([[0.5, 0.5]], [0, 0]), 0.25);
});
