import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { balancedSubset, stratifiedHoldOut, stratifiedSplit } from '../../src/data/subset.js';
import { Rng } from '../../src/util/rng.js';

const labelsArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 });

test('when a balanced subset is taken, then it has distinct positions and class counts differ by at most one unless a class runs out', () => {
  fc.assert(
    fc.property(labelsArb, fc.integer({ min: 0, max: 80 }), fc.integer(), (labels, limit, seed) => {
      const chosen = balancedSubset(labels, 5, limit, Rng.fromSeed(seed));
      assert.equal(chosen.length, Math.min(limit, labels.length));
      assert.equal(new Set(chosen).size, chosen.length);
      const available = [0, 1, 2, 3, 4].map((k) => labels.filter((l) => l === k).length);
      const taken = [0, 1, 2, 3, 4].map((k) => chosen.filter((p) => labels[p] === k).length);
      const top = Math.max(...taken);
      taken.forEach((t, k) => assert.ok(t >= top - 1 || t === available[k]));
    }),
    { numRuns: 200 },
  );
});

test('when split by class, then train and validation partition the positions with round(n·f) per class held out', () => {
  fc.assert(
    fc.property(labelsArb, fc.double({ min: 0, max: 0.95, noNaN: true }), fc.integer(), (labels, fraction, seed) => {
      const { train, validation } = stratifiedSplit(labels, 5, fraction, Rng.fromSeed(seed));
      assert.deepEqual([...train, ...validation].sort((a, b) => a - b), labels.map((_, i) => i));
      for (let k = 0; k < 5; k++) {
        const n = labels.filter((l) => l === k).length;
        assert.equal(validation.filter((p) => labels[p] === k).length, Math.round(n * fraction));
      }
    }),
    { numRuns: 200 },
  );
});

test('when the fraction is outside [0, 1), then the split throws', () => {
  assert.throws(() => stratifiedSplit([0, 1], 2, 1, Rng.fromSeed(1)), RangeError);
  assert.throws(() => stratifiedSplit([0, 1], 2, -0.1, Rng.fromSeed(1)), RangeError);
});

test('when exactly `size` positions are held out, then they are that many, a partition, and each class gives its share to within one', () => {
  fc.assert(
    fc.property(labelsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (labels, share, seed) => {
      const size = Math.round(labels.length * share);
      const { train, validation } = stratifiedHoldOut(labels, 5, size, Rng.fromSeed(seed));
      assert.equal(validation.length, size);
      assert.deepEqual([...train, ...validation].sort((a, b) => a - b), labels.map((_, i) => i));
      for (let k = 0; k < 5; k++) {
        const n = labels.filter((l) => l === k).length;
        const taken = validation.filter((p) => labels[p] === k).length;
        assert.ok(Math.abs(taken - (n * size) / labels.length) < 1, `class ${k}: ${taken} of ${n}`);
      }
    }),
    { numRuns: 200 },
  );
  assert.throws(() => stratifiedHoldOut([0, 1], 2, 3, Rng.fromSeed(1)), RangeError);
});
