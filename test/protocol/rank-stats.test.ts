/** Rank correlations, ICC(1) and the F distribution against published values and brute force. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fCdf, fQuantile, icc1, kendallTauB, ranks, spearman, topOverlap } from '../../src/protocol/rank-stats.js';

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);

test('when values tie, then they share the mean of their ranks', () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
});

test('when a textbook pair with a tie is ranked, then Spearman ρ and Kendall τ-b are the known values', () => {
  const x = [1, 2, 3, 4, 5];
  const y = [5, 6, 7, 8, 7];
  close(spearman(x, y), 8 / Math.sqrt(95), 1e-12, 'ρ'); // 0.8208
  close(kendallTauB(x, y), 7 / Math.sqrt(90), 1e-12, 'τ-b'); // 0.7379
  assert.equal(spearman(x, x.map((v) => -v)), -1);
  assert.ok(Number.isNaN(spearman(x, [1, 1, 1, 1, 1])), 'a constant side has no rank correlation');
});

test('when the F distribution is asked for a table value, then F(0.975; 5, 18) ≈ 3.38 and the CDF inverts the quantile', () => {
  close(fQuantile(0.975, 5, 18), 3.38, 0.005, 'F quantile');
  close(fCdf(fQuantile(0.9, 3, 40), 3, 40), 0.9, 1e-9, 'CDF∘quantile');
});

test('when the Shrout–Fleiss (1979) example is given, then ICC(1) = 0.17 [−0.13, 0.72] and ICC(1,k) = 0.44', () => {
  const table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];
  const r = icc1(table);
  close(r.icc, 0.17, 0.005, 'ICC(1)');
  close(r.iccMean, 0.44, 0.005, 'ICC(1,k)');
  close(r.low, -0.13, 0.01, 'lower bound');
  close(r.high, 0.72, 0.01, 'upper bound');
  assert.equal(r.layers, 6);
  assert.equal(r.seeds, 4);
});

test('when there is one seed per layer, then ICC(1) is not a number (seed noise cannot be told from spread)', () => {
  assert.ok(Number.isNaN(icc1([[1], [2], [3]]).icc));
});

test('when the top 5 of two orderings are compared, then the overlap counts shared layers', () => {
  assert.equal(topOverlap([9, 8, 7, 6, 5, 1, 0], [9, 8, 7, 6, 5, 1, 0], 5), 5);
  assert.equal(topOverlap([9, 8, 7, 6, 5, 1, 0], [0, 1, 2, 3, 4, 8, 9], 5), 3);
});
