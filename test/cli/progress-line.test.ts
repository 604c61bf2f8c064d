import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from '../../src/cli/progress-line.js';
import type { EvolverState } from '../../src/search/evolver.js';

const counters = { proposed: 4, evaluated: 3, rejected: 0, cacheHits: 0, rejectedByStage: {}, front: 1 };

test('when no batch has settled yet, then the progress line shows no best value rather than 0.000', () => {
  const state = { numObjectives: 3, hallOfFame: [], nextId: 4 } as unknown as EvolverState;
  assert.match(progressLine(counters, state, Date.now() - 60_000, 96), /· best - ·/);
  const settled = { numObjectives: 2, hallOfFame: [{ objectives: [0.9, 0.8] }], nextId: 4 } as unknown as EvolverState;
  assert.match(progressLine(counters, settled, Date.now() - 60_000, 96), /· best 0\.900\/0\.800 ·/);
});
