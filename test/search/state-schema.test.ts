/**
 * The evolver state's zod schema (src/search/state-schema.ts), the source of the evolver's types:
 * it accepts every state the evolver makes (mutations, promotions, a family cap, rejections,
 * an open batch) and refuses a damaged one naming the field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/graph/index.js';
import { ask, createEvolver, tell, type EvolverState } from '../../src/search/index.js';
import { applyPromotions, choosePromotions } from '../../src/search/promotion.js';
import { EvolverStateSchema } from '../../src/search/state-schema.js';
import { checkEvolverState } from '../../src/run/replay/evolver-check.js';
import { EvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const SEEDS = [parseExpression('x * sigmoid(x)'), parseExpression('relu(x)'), parseExpression('tanh(x)')];

/** Five batches of 4 with promotions (levels 2, 2 per batch) and a family cap, every fifth candidate rejected. */
function evolvedState(): EvolverState {
  let state = createEvolver(Rng.fromSeed('state-schema'), {
    populationSize: 6, tournamentSize: 3, numObjectives: 2, familyCap: 0.5, promotion: { levels: 2, perBatch: 2 },
  }, SEEDS);
  let open: { id: number; level: number }[] = [];
  for (let b = 0; b < 5; b++) {
    const asked = ask(state, 4);
    state = tell(asked.state, asked.candidates.map((c) => (c.id % 5 === 4
      ? { id: c.id, rejection: { reason: 'diverged', stage: 'stability' } }
      : { id: c.id, objectives: [0.5 + ((c.id * 7) % 11) / 30, 0.9 - ((c.id * 5) % 13) / 40] })));
    state = applyPromotions(state, open.map((o) => (o.id % 3 === 0
      ? { id: o.id, level: o.level, rejection: { reason: 'non-finite loss', stage: 'training' } }
      : { id: o.id, level: o.level, objectives: [0.4 + o.id / 100, 0.4 - o.id / 200] })));
    const round = choosePromotions(state);
    state = round.state;
    open = round.orders.map((o) => ({ id: o.id, level: o.level }));
  }
  return state;
}

test('when the evolver has run with mutations, promotions, a family cap and rejections, then the schema accepts its state (and its JSON) unchanged', () => {
  const state = evolvedState();
  assert.ok(state.population.some((m) => m.origin === 'mutation' && m.mutation !== null), 'mutated children');
  assert.ok((state.leveled ?? []).some((m) => m.failed !== null) && (state.leveled ?? []).some((m) => m.levels.length > 1), 'promotions climbed and failed');
  assert.ok((state.promoting ?? []).length > 0, 'a round is open');
  assert.ok(state.population.some((m) => m.rejection !== null), 'rejected members');
  const json = JSON.parse(JSON.stringify(state)) as unknown;
  const parsed = EvolverStateSchema.parse(json);
  assert.deepEqual(parsed, json, 'parsing adds and drops nothing');
  // zod rebuilds objects in the schema's key order, so the check hands back the value itself:
  // a resumed run writes what the checkpoint held, byte for byte.
  assert.equal(checkEvolverState(json), json);
  // An open batch with some results received.
  const asked = ask(state.promoting!.length > 0 ? applyPromotions(state, state.promoting!.map((o) => ({ id: o.id, level: o.level, objectives: [0.3, 0.3] }))) : state, 3);
  const half = tell(asked.state, [{ id: asked.candidates[1].id, objectives: [0.6, 0.6] }]);
  assert.equal(half.received.length, 1);
  EvolverStateSchema.parse(JSON.parse(JSON.stringify(half)));
});

test('when a field of the state is damaged, then the schema and the checkpoint check refuse it naming the field', () => {
  const state = JSON.parse(JSON.stringify(evolvedState())) as Record<string, any>;
  const cases: [string, (s: Record<string, any>) => void, RegExp][] = [
    ['an unknown op', (s) => { s.population[0].graph.nodes[0].op = 'cosh'; }, /population\.0\.graph\.nodes\.0\.op/],
    ['a typo in a field name', (s) => { s.counts.mutationFallback = s.counts.mutationFallbacks; delete s.counts.mutationFallbacks; }, /counts/],
    ['a string id', (s) => { s.hallOfFame[0].id = '3'; }, /hallOfFame\.0\.id/],
    ['a negative batch', (s) => { s.pending = [{ ...s.population[0], batch: -1 }]; delete s.pending[0].objectives; delete s.pending[0].rejection; }, /pending\.0\.batch/],
    ['an unknown mutation kind', (s) => { s.options.mutation.weights.swap = 1; }, /options\.mutation\.weights/],
    ['a promotion at level 0', (s) => { s.promoting[0].level = 0; }, /promoting\.0\.level/],
    ['a leveled candidate without levels', (s) => { s.leveled[0].levels = []; }, /leveled\.0\.levels/],
    ['a missing rng', (s) => { delete s.rng; }, /rng/],
  ];
  for (const [name, damage, field] of cases) {
    const broken = structuredClone(state);
    damage(broken);
    const parsed = EvolverStateSchema.safeParse(broken);
    assert.equal(parsed.success, false, name);
    assert.throws(() => checkEvolverState(broken), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_RUN' && field.test(e.message), name);
  }
});
