import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt } from '../../src/train/index.js';

const cosine = { warmupSteps: 10, cosine: true };

test('when warm-up ends, then the rate is the base rate', () => {
  assert.equal(learningRateAt(9, 110, 0.4, cosine), 0.4);
  assert.equal(learningRateAt(10, 110, 0.4, cosine), 0.4);
});

test('when the schedule is in warm-up, then the rate rises linearly from base/warmup', () => {
  assert.ok(Math.abs(learningRateAt(0, 110, 0.4, cosine) - 0.04) < 1e-12);
  assert.ok(Math.abs(learningRateAt(4, 110, 0.4, cosine) - 0.2) < 1e-12);
});

test('when the cosine decay is half-way, then the rate is half the base rate', () => {
  assert.ok(Math.abs(learningRateAt(60, 110, 0.4, cosine) - 0.2) < 1e-12);
});

test('when the run ends, then the rate has decayed to zero and never increased after warm-up', () => {
  assert.ok(Math.abs(learningRateAt(110, 110, 0.4, cosine)) < 1e-12);
  assert.ok(learningRateAt(109, 110, 0.4, cosine) < 0.001);
  for (let s = 11; s <= 110; s++) assert.ok(learningRateAt(s, 110, 0.4, cosine) <= learningRateAt(s - 1, 110, 0.4, cosine));
});

test('when cosine is off or warm-up is zero, then the rate is constant or starts at the base', () => {
  assert.equal(learningRateAt(80, 110, 0.4, { warmupSteps: 10, cosine: false }), 0.4);
  assert.equal(learningRateAt(0, 100, 0.4, { warmupSteps: 0, cosine: true }), 0.4);
});
