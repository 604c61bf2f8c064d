import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalHash, canonicalize, parseExpression, validateGraph, type LayerGraph } from '../../src/graph/index.js';
import { Rng } from '../../src/util/rng.js';
import {
  admit, ask, createEvolver, familyCounts, familyLimit, familyOf, tell,
  type Candidate, type EvaluationResult, type EvolverSettings, type EvolverState,
} from '../../src/search/index.js';
import { checkEvolverState } from '../../src/run/replay/evolver-check.js';
import { isEvonormError } from '../../src/util/errors.js';

/** A toy objective that pulls towards one family (tanh∘div, as discovery-1's proxy did) and 4 live nodes. */
function evaluate(candidate: Candidate): EvaluationResult {
  const canonical = canonicalize(candidate.graph);
  if (canonical.nodes.some((n) => n.op === 'exp')) return { id: candidate.id, rejection: { reason: 'uses exp', stage: 'toy' } };
  return { id: candidate.id, objectives: [familyOf(candidate.graph) === 'tanh∘div' ? 1 : 0, -Math.abs(canonical.nodes.length - 4) / 4] };
}

function drive(seed: number, settings: EvolverSettings, batches: number, size: number, check: (s: EvolverState) => void = () => {}) {
  let state = createEvolver(Rng.fromSeed(seed), settings);
  const proposals: Candidate[] = [];
  for (let b = 0; b < batches; b++) {
    const asked = ask(state, size);
    proposals.push(...asked.candidates);
    state = tell(asked.state, asked.candidates.map(evaluate));
    check(state);
  }
  return { state, proposals };
}

const graph = (e: string): LayerGraph => parseExpression(e);
const member = (id: number, e: string) => ({ id, graph: graph(e) });

test('when 6 of 10 members are tanh(…) layers, then the family counts say tanh∘div 6', () => {
  const population = [
    'tanh(x / sqrt(var_batch(x)))', 'tanh(x / max(var_batch(x), v1))', 'tanh((x + v0) / sqrt(var_group(x)))',
    'tanh(x / square(mean_batch(v1)))', 'tanh(x / (v1 + one))', 'tanh((x - mean_instance(x)) / sqrt(var_instance(x)))',
    'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))', 'x * sigmoid(v1 * x) / sqrt(var_group(x))',
    'relu(affine((x - mean_batch(x)) / sqrt(var_batch(x))))', 'x',
  ].map(graph);
  assert.deepEqual(familyCounts(population), [['tanh∘div', 6], ['div', 2], ['relu∘affine∘div', 1], ['x', 1]]);
});

test('when a child would push its family over the cap, then the oldest of its family leaves instead of the oldest overall', () => {
  const population = [member(0, 'x'), member(1, 'tanh(x / v1)'), member(2, 'tanh(x / sqrt(var_batch(x)))'), member(3, 'x * v1')];
  const child = member(4, 'tanh(x / (v1 + one))');
  assert.deepEqual(admit(population, child, 4, 2).map((m) => m.id), [0, 2, 3, 4]);
  assert.deepEqual(admit(population, child, 4, null).map((m) => m.id), [1, 2, 3, 4], 'without a cap: plain aging');
  assert.deepEqual(admit(population, member(5, 'sigmoid(x)'), 4, 2).map((m) => m.id), [1, 2, 3, 5], 'under the cap: plain aging');
});

test('when the cap is a fraction of P, then the limit is ⌊cap · P⌋ members, at least 1', () => {
  assert.equal(familyLimit(null, 100), null);
  assert.equal(familyLimit(0.3, 10), 3);
  assert.equal(familyLimit(0.29, 100), 29);
  assert.equal(familyLimit(0.01, 10), 1);
  assert.equal(familyLimit(1, 48), 48);
});

test('when a capped evolver runs, then after every step no family holds more than the limit and every child validates', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0.1, max: 1, noNaN: true }), fc.integer({ min: 4, max: 16 }), (seed, cap, p) => {
      const settings: EvolverSettings = { populationSize: p, tournamentSize: 3, familyCap: cap, space: { maxNodes: 6 } };
      const limit = familyLimit(cap, p)!;
      const { proposals } = drive(seed, settings, 8, 4, (state) => {
        assert.ok(state.population.length <= p);
        const [largest] = familyCounts(state.population.map((m) => m.graph));
        assert.ok(largest[1] <= limit, `${largest[0]} holds ${largest[1]} > ${limit}`);
        checkEvolverState(JSON.parse(JSON.stringify(state)));
      });
      for (const c of proposals) assert.deepEqual(validateGraph(c.graph, { maxNodes: 6 }), [], `candidate ${c.id}`);
    }),
    { numRuns: 25 },
  );
});

test('when a run collapses into one family without a cap, then with a cap of 0.3 the same seed keeps every family at 30% or less', () => {
  const settings: EvolverSettings = { populationSize: 20, tournamentSize: 5, space: { maxNodes: 6 } };
  const largest = (s: EvolverState): number => familyCounts(s.population.map((m) => m.graph))[0][1] / s.population.length;
  const free = drive(5, settings, 60, 4).state;
  const capped = drive(5, { ...settings, familyCap: 0.3 }, 60, 4).state;
  assert.ok(largest(free) >= 0.5, `without a cap the largest family holds ${largest(free)}`);
  assert.ok(largest(capped) <= 0.3, `with a cap the largest family holds ${largest(capped)}`);
  assert.equal(capped.population.length, 20);
});

test('when a capped run is driven twice with the same seed, or reloaded from JSON between steps, then it proposes the same candidates', () => {
  const settings: EvolverSettings = { populationSize: 10, tournamentSize: 3, familyCap: 0.3 };
  const a = drive(11, settings, 10, 4).proposals.map((c) => c.hash);
  const b = drive(11, settings, 10, 4).proposals.map((c) => c.hash);
  let state = createEvolver(Rng.fromSeed(11), settings);
  const c: string[] = [];
  for (let i = 0; i < 10; i++) {
    const asked = ask(JSON.parse(JSON.stringify(state)) as EvolverState, 4);
    c.push(...asked.candidates.map((x) => x.hash));
    state = JSON.parse(JSON.stringify(tell(asked.state, asked.candidates.map(evaluate)))) as EvolverState;
  }
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
  assert.notDeepEqual(a, drive(12, settings, 10, 4).proposals.map((x) => x.hash));
});

test('when a checkpointed state has a family over its cap, or a bad cap, then the check refuses it', () => {
  const { state } = drive(3, { populationSize: 10, tournamentSize: 3, familyCap: 0.3 }, 5, 4);
  const tanh = graph('tanh(x / v1)');
  const crowded = { ...state, population: state.population.map((m, i) => (i < 4 ? { ...m, graph: tanh, hash: canonicalHash(tanh) } : m)) };
  checkEvolverState(JSON.parse(JSON.stringify(state)));
  assert.throws(() => checkEvolverState(JSON.parse(JSON.stringify(crowded))), (e: unknown) => isEvonormError(e) && e.code === 'BAD_RUN' && /family tanh∘div holds 4/.test(e.message));
  assert.throws(() => checkEvolverState({ ...state, options: { ...state.options, familyCap: 1.5 } }), (e: unknown) => isEvonormError(e) && e.code === 'BAD_RUN');
  assert.equal(familyOf(graph('tanh(x / v1)')), 'tanh∘div');
});
