import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize, INPUT_COUNT, type LayerGraph, type OpName } from '../../src/graph/index.js';
import { EvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';
import {
  ask, createEvolver, front, paretoFront, tell,
  type Candidate, type EvaluationResult, type EvolverSettings, type EvolverState,
} from '../../src/search/index.js';

// Toy objectives, computed here: how well a graph's live ops match a target multiset
// (EvoNorm-S0's ops), and how close its live size is to the target's.
const TARGET: OpName[] = ['mul', 'sigmoid', 'mul', 'var_group', 'sqrt', 'div'];

function toyObjectives(graph: LayerGraph): number[] {
  const ops = canonicalize(graph).nodes.map((n) => n.op);
  const left = [...TARGET];
  let hits = 0;
  for (const op of ops) {
    const i = left.indexOf(op);
    if (i >= 0) {
      left.splice(i, 1);
      hits++;
    }
  }
  return [hits / TARGET.length, -Math.abs(ops.length - TARGET.length) / TARGET.length];
}

/** The toy evaluator: rejects graphs that use exp (as a filter would), scores the rest. */
function evaluate(candidate: Candidate): EvaluationResult {
  if (candidate.graph.nodes.some((n) => n.op === 'exp')) {
    return { id: candidate.id, rejection: { reason: 'uses exp', stage: 'toy' } };
  }
  return { id: candidate.id, objectives: toyObjectives(candidate.graph) };
}

interface Drive {
  readonly order?: 'forward' | 'reverse' | 'split';
  readonly roundTrip?: boolean;
  readonly seeds?: readonly LayerGraph[];
}

/** Runs `batches` ask/tell rounds of `size`; returns the final state and every proposal. */
function drive(seed: number | string, settings: EvolverSettings, batches: number, size: number, how: Drive = {}) {
  let state: EvolverState = createEvolver(Rng.fromSeed(seed), settings, how.seeds);
  const proposals: Candidate[] = [];
  const reload = (s: EvolverState): EvolverState => (how.roundTrip ? (JSON.parse(JSON.stringify(s)) as EvolverState) : s);
  for (let b = 0; b < batches; b++) {
    const asked = ask(reload(state), size);
    proposals.push(...asked.candidates);
    state = reload(asked.state);
    const results = asked.candidates.map(evaluate);
    if (how.order === 'reverse') {
      state = tell(state, results.reverse());
    } else if (how.order === 'split') {
      // Odd ids first, then the even ids one at a time, saving the state in between.
      state = reload(tell(state, results.filter((r) => r.id % 2 === 1)));
      for (const r of results.filter((r) => r.id % 2 === 0).reverse()) state = reload(tell(state, [r]));
    } else {
      state = tell(state, results);
    }
  }
  return { state, proposals };
}

const SMALL: EvolverSettings = { populationSize: 16, tournamentSize: 4, space: { maxNodes: 8 } };

test('when the same seed runs twice, then it proposes the same candidates; another seed proposes others', () => {
  const a = drive(42, SMALL, 8, 5);
  const b = drive(42, SMALL, 8, 5);
  const c = drive(43, SMALL, 8, 5);
  assert.deepEqual(a.proposals, b.proposals);
  assert.deepEqual(a.state, b.state);
  assert.notDeepEqual(a.proposals.map((p) => p.hash), c.proposals.map((p) => p.hash));
});

test('when results of a batch arrive in another order or in pieces, then the run is unchanged', () => {
  const forward = drive(7, SMALL, 10, 6);
  const reverse = drive(7, SMALL, 10, 6, { order: 'reverse' });
  const split = drive(7, SMALL, 10, 6, { order: 'split' });
  assert.deepEqual(reverse.proposals, forward.proposals);
  assert.deepEqual(reverse.state, forward.state);
  assert.deepEqual(split.state, forward.state);
});

test('when the state goes through JSON between every call, then the run continues identically', () => {
  const plain = drive('json', { ...SMALL, mutation: { weights: { insert: 1, delete: 1 } } }, 10, 4);
  const saved = drive('json', { ...SMALL, mutation: { weights: { insert: 1, delete: 1 } } }, 10, 4, { roundTrip: true, order: 'split' });
  assert.deepEqual(saved.proposals, plain.proposals);
  assert.equal(JSON.stringify(saved.state), JSON.stringify(plain.state));
});

test('when a batch is open, then ask throws INTERNAL; bad results throw BAD_INPUT', () => {
  const { state } = ask(createEvolver(Rng.fromSeed(1), SMALL), 3);
  const code = (c: string) => (err: unknown) => err instanceof EvonormError && err.code === c;
  assert.throws(() => ask(state, 1), code('INTERNAL'));
  assert.throws(() => tell(state, [{ id: 99, objectives: [1] }]), code('BAD_INPUT'));
  assert.throws(() => tell(state, [{ id: 0, objectives: [1] }, { id: 0, objectives: [1] }]), code('BAD_INPUT'));
  assert.throws(() => tell(state, [{ id: 0, objectives: [1] }, { id: 1, objectives: [1, 2] }]), code('BAD_INPUT'));
  assert.throws(() => tell(state, [{ id: 0, objectives: [] }]), code('BAD_INPUT'));
});

test('when more than P candidates have been told, then the population holds the P youngest', () => {
  const { state, proposals } = drive(3, SMALL, 9, 5);
  assert.equal(state.population.length, 16);
  assert.deepEqual(state.population.map((m) => m.id), proposals.slice(-16).map((p) => p.id));
  assert.equal(state.counts.proposed, 45);
  assert.equal(state.counts.scored + state.counts.rejected, 45);
});

test('when rejected candidates are kept out, then the population holds only scored members', () => {
  const { state } = drive(3, { ...SMALL, rejectedJoinPopulation: false }, 9, 5);
  assert.ok(state.population.length > 0);
  assert.ok(state.population.every((m) => m.objectives !== null && m.rejection === null));
});

test('when a scored result is told as a duplicate, then it is counted as scored and can reach the hall of fame, but does not join the population', () => {
  let state = createEvolver(Rng.fromSeed(4), { populationSize: 8, tournamentSize: 2 });
  const asked = ask(state, 4);
  state = asked.state;
  const [a, b, c, d] = asked.candidates;
  state = tell(state, [
    { id: a!.id, objectives: [0.5, 0.5] },
    { id: b!.id, objectives: [0.5, 0.5], duplicate: true },
    { id: c!.id, rejection: { stage: 'quality', reason: 'low' } },
    { id: d!.id, objectives: [0.9, 0.1], duplicate: true },
  ]);
  assert.deepEqual(state.population.map((m) => m.id), [a!.id, c!.id]);
  assert.equal(state.counts.scored, 3);
  assert.equal(state.counts.rejected, 1);
  assert.ok(state.hallOfFame.some((m) => m.id === d!.id));
  // The flag survives a checkpoint round trip of an open batch.
  const open = ask(state, 2);
  const half = tell(open.state, [{ id: open.candidates[0]!.id, objectives: [0.1, 0.1], duplicate: true }]);
  const resumed = JSON.parse(JSON.stringify(half)) as EvolverState;
  const done = tell(resumed, [{ id: open.candidates[1]!.id, objectives: [0.2, 0.2] }]);
  assert.deepEqual(done.population.map((m) => m.id), [a!.id, c!.id, open.candidates[1]!.id]);
});

test('when the population is not yet full, then proposals are random; afterwards they are children of members', () => {
  const { proposals } = drive(5, SMALL, 8, 6);
  // 16 = P: batches 0-1 (12) are random, batch 2 has 4 random then 2 children.
  assert.ok(proposals.slice(0, 16).every((p) => p.origin === 'random' && p.parentId === null));
  for (const p of proposals.slice(16)) {
    assert.equal(p.origin, 'mutation');
    assert.ok(p.parentId !== null && p.parentId < p.batch * 6, 'a parent comes from an earlier, settled batch');
    assert.ok(p.mutation !== null);
  }
});

test('when seed graphs are given, then they are proposed first, in order', () => {
  const seedGraphs: LayerGraph[] = [
    { nodes: [{ op: 'sigmoid', args: [0] }, { op: 'mul', args: [0, 5] }], output: INPUT_COUNT + 1 },
    { nodes: [{ op: 'var_batch', args: [0] }, { op: 'sqrt', args: [5] }, { op: 'div', args: [0, 6] }], output: INPUT_COUNT + 2, activation: 'relu' },
  ];
  const { proposals } = drive(9, SMALL, 2, 3, { seeds: seedGraphs });
  assert.deepEqual(proposals.slice(0, 2).map((p) => p.graph), seedGraphs);
  assert.deepEqual(proposals.slice(0, 2).map((p) => p.origin), ['seed', 'seed']);
  assert.equal(proposals[2].origin, 'random');
});

test('when an invalid seed graph is given, then createEvolver throws BAD_GRAPH', () => {
  const bad: LayerGraph = { nodes: [{ op: 'sigmoid', args: [1] }], output: INPUT_COUNT };
  assert.throws(() => createEvolver(Rng.fromSeed(1), SMALL, [bad]), (err: unknown) => err instanceof EvonormError && err.code === 'BAD_GRAPH');
});

test('when selection is random, then every proposal is a fresh random graph', () => {
  const { proposals } = drive(11, { ...SMALL, selection: 'random' }, 6, 6);
  assert.ok(proposals.every((p) => p.origin === 'random' && p.parentId === null));
});

test('when objectives are not finite, then the candidate is rejected at stage evolver and stays out of the front', () => {
  let { state, candidates } = ask(createEvolver(Rng.fromSeed(2), SMALL), 3);
  state = tell(state, [
    { id: candidates[0].id, objectives: [Number.NaN, 5] },
    { id: candidates[1].id, objectives: [1, Infinity] },
    { id: candidates[2].id, objectives: [0, 0] },
  ]);
  const [a, b, c] = state.population;
  assert.equal(a.rejection?.stage, 'evolver');
  assert.equal(b.rejection?.stage, 'evolver');
  assert.equal(c.rejection, null);
  assert.deepEqual(front(state).map((m) => m.id), [candidates[2].id]);
  assert.equal(state.counts.rejected, 2);
});

test('when a run goes on, then the hall of fame is the Pareto front of everything scored, one per hash', () => {
  const { state, proposals } = drive(13, SMALL, 12, 5);
  const scored = proposals.map(evaluate).map((r, i) => ({ r, p: proposals[i] })).filter(({ r }) => 'objectives' in r);
  const points = scored.map(({ r }) => (r as { objectives: readonly number[] }).objectives);
  const expected: number[] = [];
  const hashes = new Set<string>();
  for (const i of paretoFront(points)) {
    if (hashes.has(scored[i].p.hash)) continue;
    hashes.add(scored[i].p.hash);
    expected.push(scored[i].p.id);
  }
  assert.deepEqual(front(state).map((m) => m.id), expected);
});

test('when evolving on the toy objective, then the best candidates beat the initial random population', () => {
  const settings: EvolverSettings = { populationSize: 20, tournamentSize: 5, space: { maxNodes: 8 } };
  for (const seed of [1, 2, 3]) {
    const { proposals } = drive(seed, settings, 30, 10);
    const score = (p: Candidate): number => {
      const r = evaluate(p);
      return 'objectives' in r ? r.objectives[0] + r.objectives[1] : -Infinity;
    };
    const initialBest = Math.max(...proposals.slice(0, 20).map(score));
    const lastBest = Math.max(...proposals.slice(-50).map(score));
    assert.ok(lastBest > initialBest, `seed ${seed}: ${lastBest} ≤ ${initialBest}`);
  }
});

test('when the schedule is async, then ask runs with results outstanding and each result applies on arrival', () => {
  const settings: EvolverSettings = { populationSize: 6, tournamentSize: 3, space: { maxNodes: 6 }, schedule: 'async' };
  let state = createEvolver(Rng.fromSeed('async'), settings);
  const out: Candidate[] = [];
  const all: Candidate[] = [];
  // Keep three candidates out at a time; results come back newest first.
  for (let step = 0; step < 40; step++) {
    while (out.length < 3) {
      const asked = ask(state, 1);
      state = asked.state;
      out.push(...asked.candidates);
      all.push(...asked.candidates);
    }
    assert.equal(state.pending.length, 3);
    const done = out.pop()!;
    const before = state.population.length;
    state = tell(state, [evaluate(done)]);
    assert.equal(state.pending.length, 2);
    assert.ok(!state.pending.some((c) => c.id === done.id));
    assert.equal(state.population.length, Math.min(6, before + 1));
    assert.equal(state.population.at(-1)!.id, done.id, 'the result joined the population at once');
  }
  assert.ok(state.counts.proposed >= 42);
  assert.ok(state.population.some((m) => m.origin === 'mutation'), 'children are proposed once the population is full');
  // Outstanding random graphs count toward the population: no more than P are proposed.
  assert.equal(all.filter((c) => c.origin === 'random').length, 6);
  assert.throws(() => createEvolver(Rng.fromSeed(1), { schedule: 'later' as never }), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG');
});

test('when the schedule is batch (default), then the state says so and asking with a batch open still throws', () => {
  const state = ask(createEvolver(Rng.fromSeed(2), { populationSize: 4 }), 2).state;
  assert.equal(state.options.schedule, 'batch');
  assert.throws(() => ask(state, 1), (e: unknown) => e instanceof EvonormError && e.code === 'INTERNAL');
});

test('when fillByMutation is on, then a population below P grows by children of its members; off, by random graphs', () => {
  const seeds = [canonicalize({ nodes: [{ op: 'mul', args: [0, 0] }], output: INPUT_COUNT } as LayerGraph)];
  const run = (fillByMutation: boolean): Candidate[] => {
    let state = createEvolver(Rng.fromSeed(9), { populationSize: 20, tournamentSize: 4, fillByMutation }, seeds);
    const proposals: Candidate[] = [];
    for (let b = 0; b < 4; b++) {
      // The seed alone first: slots of the batch that proposes it see an empty population (random graphs).
      const asked = ask(state, b === 0 ? 1 : 3);
      proposals.push(...asked.candidates);
      state = tell(asked.state, asked.candidates.map(evaluate));
    }
    assert.ok(state.population.length < 20, 'the population is still below P');
    assert.equal(state.options.fillByMutation, fillByMutation ? true : undefined);
    return proposals;
  };
  const filled = run(true);
  assert.equal(filled[0]!.origin, 'seed');
  // After the seed, nothing random: every later slot is a child of a member.
  assert.ok(filled.slice(1).every((c) => c.origin === 'mutation' && c.parentId !== null));
  assert.ok(run(false).slice(1).every((c) => c.origin === 'random'));
});
