import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, sampleSd, studentTQuantile, tInterval } from '../../src/protocol/stats.js';

test('when t quantiles are computed, then they match the printed table', () => {
  // Two-sided 95% critical values from any t table.
  const table: Record<number, number> = { 1: 12.706, 2: 4.303, 4: 2.776, 9: 2.262, 29: 2.045 };
  for (const [df, t] of Object.entries(table)) assert.ok(Math.abs(studentTQuantile(0.975, Number(df)) - t) < 5e-4, `df ${df}`);
  assert.ok(Math.abs(studentTQuantile(0.025, 4) + 2.776) < 5e-4);
});

test('when paired differences are given, then the interval equals the hand-computed Student-t interval', () => {
  // Differences 0.020, 0.030, 0.025: mean 0.025, sd 0.005, t(0.975, 2) = 4.302653,
  // half-width 4.302653·0.005/√3 = 0.012421 → [0.012579, 0.037421], which excludes 0.
  const ci = tInterval([0.02, 0.03, 0.025]);
  assert.ok(Math.abs(ci.mean - 0.025) < 1e-12);
  assert.ok(Math.abs(ci.sd - 0.005) < 1e-12);
  assert.ok(Math.abs(ci.halfWidth - 0.0124207) < 1e-6, String(ci.halfWidth));
  assert.ok(Math.abs(ci.low - 0.0125793) < 1e-6 && Math.abs(ci.high - 0.0374207) < 1e-6);
  assert.equal(ci.excludesZero, true);
  // 0.01, 0.02, 0.03: half-width 4.302653·0.01/√3 = 0.024842 > 0.02, so the interval holds 0.
  const wide = tInterval([0.01, 0.02, 0.03]);
  assert.ok(Math.abs(wide.halfWidth - 0.0248414) < 1e-6);
  assert.equal(wide.excludesZero, false);
  assert.ok(Number.isNaN(tInterval([0.5]).halfWidth));
  assert.equal(tInterval([0.5]).excludesZero, false);
  assert.ok(Number.isNaN(mean([])) && Number.isNaN(sampleSd([1])));
});
