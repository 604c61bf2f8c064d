import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { belowHurdle, hurdleSteps, hurdlesFor, HurdlesSchema, percentile, type HurdleRecord } from '../../src/evaluate/hurdles.js';

const ON = HurdlesSchema.parse({ enabled: true, fractions: [0.25, 0.5], percentile: 50, window: 4, minHistory: 3 });

const record = (id: number, ...checkpoints: [number, number[]][]): HurdleRecord => ({ id, checkpoints: checkpoints.map(([step, accuracies]) => ({ step, accuracies })) });

test('when percentiles are taken, then they interpolate between order statistics as numpy does', () => {
  assert.equal(percentile([3, 1, 2], 50), 2);
  assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
  assert.equal(percentile([1, 2, 3, 4], 75), 3.25);
  assert.equal(percentile([5], 90), 5);
  assert.ok(Number.isNaN(percentile([], 50)));
  fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1 }), fc.double({ min: 0, max: 100, noNaN: true }), (xs, p) => {
    const v = percentile(xs, p);
    return v >= Math.min(...xs) && v <= Math.max(...xs);
  }), { seed: 11 });
});

test('when hurdle steps are derived, then they are distinct, ascending and inside the training', () => {
  assert.deepEqual(hurdleSteps({ fractions: [0.5, 0.25, 0.5] }, 200), [50, 100]);
  assert.deepEqual(hurdleSteps({ fractions: [0.001] }, 200), []);
});

test('when hurdles are computed, then only earlier candidates within the window count, per network', () => {
  const records = [
    record(9, [50, [0.9, 0.9]]), // the current batch (id ≥ 8) is never used
    record(1, [50, [0.1, 0.5]], [100, [0.2, 0.6]]),
    record(2, [50, [0.2, 0.6]]),
    record(3, [50, [0.3, 0.7]], [100, [0.4, 0.8]]),
    record(4, [50, [0.4, 0.8]]),
    record(5, [50, [0.5, NaN]]), // a non-finite look is not a score
  ];
  const hurdles = hurdlesFor(records, 8, ON, 200);
  // Step 50: the last 4 of ids 1..4 → medians 0.25 and 0.65. Step 100: only 2 reached it (< minHistory 3).
  assert.equal(hurdles.length, 1);
  assert.equal(hurdles[0].step, 50);
  assert.ok(Math.abs(hurdles[0].minAccuracy[0] - 0.25) < 1e-12 && Math.abs(hurdles[0].minAccuracy[1] - 0.65) < 1e-12);
  // The order records arrive in does not matter; disabled hurdles are none.
  assert.deepEqual(hurdlesFor([...records].reverse(), 8, ON, 200), hurdles);
  assert.deepEqual(hurdlesFor(records, 8, { ...ON, enabled: false }, 200), []);
});

test('when a candidate is compared with a hurdle, then "all" stops it only when it trails on every network', () => {
  const hurdle = { step: 50, minAccuracy: [0.5, 0.5] };
  assert.equal(belowHurdle([0.4, 0.6], hurdle, 'all'), false);
  assert.equal(belowHurdle([0.4, 0.4], hurdle, 'all'), true);
  assert.equal(belowHurdle([0.4, 0.6], hurdle, 'any'), true);
  assert.equal(belowHurdle([0.5, 0.5], hurdle, 'any'), false);
  assert.equal(belowHurdle([NaN, 0.9], hurdle, 'any'), true);
});

test('when a hurdles config is wrong, then the schema refuses it', () => {
  assert.equal(HurdlesSchema.safeParse({ fractions: [1] }).success, false);
  assert.equal(HurdlesSchema.safeParse({ percentile: 101 }).success, false);
  assert.equal(HurdlesSchema.safeParse({ stopWhen: 'some' }).success, false);
  assert.equal(HurdlesSchema.safeParse({ fraction: [0.5] }).success, false);
});
