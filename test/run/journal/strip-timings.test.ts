import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripTimings } from '../../../src/run/index.js';
import { syntheticEvents } from '../helpers.js';

test('when timings are stripped, then t, ms and every …Ms/…At key go at any depth and the rest stays', () => {
  const event = {
    type: 'evaluated',
    t: '2024-01-02T03:04:05.000Z',
    id: 3,
    workerMs: 12,
    evaluation: { status: 'ok', objectives: [0.5], costMs: 40, archs: [{ arch: 'resnet', ms: 3, accuracy: 0.5 }], stages: [{ stage: 'proxy', passed: true, ms: 4 }] },
    savedAt: 'x',
    terms: 2,
    atoms: 1,
  };
  assert.deepEqual(stripTimings(event), {
    type: 'evaluated',
    id: 3,
    evaluation: { status: 'ok', objectives: [0.5], archs: [{ arch: 'resnet', accuracy: 0.5 }], stages: [{ stage: 'proxy', passed: true }] },
    terms: 2,
    atoms: 1,
  });
  // The input is not modified.
  assert.equal(event.evaluation.costMs, 40);
});

test('when two journals differ only in timings, then they are equal after stripping, and not before', () => {
  const a = syntheticEvents(4, 2, 4);
  const b = a.map((e) => ({ ...e, t: '2030-01-01T00:00:00.000Z', ...(e.type === 'evaluated' ? { workerMs: 999, evaluation: { ...e.evaluation, costMs: 1 } } : {}) }));
  assert.notDeepEqual(a, b);
  assert.deepEqual(a.map(stripTimings), b.map(stripTimings));
  const c = b.map((e) => (e.type === 'evaluated' ? { ...e, cached: !e.cached } : e));
  assert.notDeepEqual(a.map(stripTimings), c.map(stripTimings));
});
