/** The run config's search defaults are the evolver's own (src/search/defaults.ts): written once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunConfigSchema } from '../../src/config/run-config.js';
import { evolverOptions } from '../../src/search/evolver.js';

test('when a config leaves the search settings out, then they resolve to what the evolver uses when given none', () => {
  const { search } = RunConfigSchema.parse({ objective: 'fast' });
  const evolver = evolverOptions({});
  assert.equal(search.populationSize, evolver.populationSize);
  assert.equal(search.tournamentSize, evolver.tournamentSize);
  assert.equal(search.rejectedJoinPopulation, evolver.rejectedJoinPopulation);
  assert.equal(search.space.maxNodes, evolver.space.maxNodes);
  assert.equal(search.space.minNodes, evolver.space.minNodes);
  assert.equal(search.mutation.maxAttempts, evolver.mutation.maxAttempts);
  assert.equal(search.mutation.drift, evolver.mutation.drift);
});
