import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctFront, frontPoint } from '../../../src/run/replay/candidates.js';

test('when two candidates compute the same function under different graphs, then the front counts them once', () => {
  const points = [
    frontPoint(0, 'fp-a', 'hash-1', [1, 0]),
    frontPoint(1, 'fp-a', 'hash-2', [1, 0]), // another graph, same fingerprint: one layer
    frontPoint(2, 'fp-b', 'hash-3', [0, 1]),
    frontPoint(3, 'fp-c', 'hash-4', [0, 0.5]), // dominated
    frontPoint(4, null, 'hash-5', [0.5, 0.5]),
  ];
  assert.deepEqual(distinctFront(points).map((p) => p.id), [0, 2, 4]);
});

test('when the front is kept up to date one point at a time, then it equals the front of all points', () => {
  const points = Array.from({ length: 60 }, (_, i) => frontPoint(i, `fp-${i % 17}`, `h-${i}`, [Math.sin(i * 1.3), Math.cos(i * 0.7)]));
  let running = distinctFront<ReturnType<typeof frontPoint>>([]);
  for (const p of points) running = distinctFront([...running, p]);
  assert.deepEqual(running, distinctFront(points));
});
