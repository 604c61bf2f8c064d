/**
 * Promotions in the evolver (src/search/promotion.ts): rounds chosen after a settled batch and
 * applied later, tournaments between candidates of different levels decided at the highest level
 * both were measured at (src/search/levels.ts), a rejected promotion off the front, and states
 * that survive JSON and the checkpoint check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/graph/index.js';
import { ask, createEvolver, evolverOptions, front, tell, type EvolverSettings, type EvolverState } from '../../src/search/index.js';
import { applyPromotions, choosePromotions, type PromotionResult } from '../../src/search/promotion.js';
import { leveledTournamentWinner } from '../../src/search/selection.js';
import { checkEvolverState } from '../../src/run/replay/evolver-check.js';
import { EvonormError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const A = parseExpression('x * sigmoid(x)');
const B = parseExpression('relu(x)');
const C = parseExpression('tanh(x)');

/** An evolver whose first batch is the seeds A and B, told these level-0 objectives. */
function afterFirstBatch(settings: EvolverSettings, a: number[], b: number[], seed = 1): EvolverState {
  const asked = ask(createEvolver(Rng.fromSeed(seed), { numObjectives: 2, ...settings }, [A, B, C]), 2);
  return tell(asked.state, [{ id: 0, objectives: a }, { id: 1, objectives: b }]);
}

const LEVELS = { populationSize: 3, tournamentSize: 3, promotion: { levels: 2, perBatch: 2 } } as const;

test('when promotion levels are off, then the evolver state and options carry no promotion fields (existing checkpoints unchanged)', () => {
  const state = createEvolver(Rng.fromSeed(1), {}, [A]);
  assert.equal('leveled' in state, false);
  assert.equal('promoting' in state, false);
  assert.equal('promotion' in state.options, false);
  assert.deepEqual(choosePromotions(state).orders, []);
});

test('when a batch settles, then its front members are promoted one level, at most k, oldest first, and their scores join per level', () => {
  // Both on the level-0 front (neither dominates): both promoted to level 1.
  let state = afterFirstBatch({ ...LEVELS, promotion: { levels: 2, perBatch: 1 } }, [0.95, 0.90], [0.93, 0.92]);
  let chosen = choosePromotions(state);
  assert.deepEqual(chosen.orders.map((o) => [o.id, o.level]), [[0, 1]], 'k = 1: the oldest');
  state = applyPromotions(chosen.state, [{ id: 0, level: 1, objectives: [0.8, 0.81] }]);
  assert.deepEqual(state.leveled?.map((m) => [m.id, m.levels]), [[0, [[0.95, 0.90], [0.8, 0.81]]]]);
  chosen = choosePromotions(state);
  // Level 1 first: candidate 0 is on rung 1's front (alone there); then candidate 1 at level 0 would need k = 2.
  assert.deepEqual(chosen.orders.map((o) => [o.id, o.level]), [[0, 2]]);
  assert.throws(() => choosePromotions(chosen.state), (e: unknown) => e instanceof EvonormError && e.code === 'INTERNAL', 'a round is open');
  assert.throws(() => applyPromotions(chosen.state, []), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_INPUT', 'every order needs its result');
  assert.throws(() => applyPromotions(chosen.state, [{ id: 0, level: 1, objectives: [1, 1] }]), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_INPUT', 'at its own level');
  state = applyPromotions(chosen.state, [{ id: 0, level: 2, objectives: [0.7, 0.7] }]);
  assert.deepEqual(choosePromotions(state).orders.map((o) => [o.id, o.level]), [[1, 1]], 'candidate 0 is at the top level');
});

test('when candidates of different levels meet in a tournament, then each pair is decided at the highest level both were measured at', () => {
  // Level 0: A [0.95, 0.90] and B [0.93, 0.92] tie (neither dominates); level 1: B [0.90, 0.91] ≻ A [0.80, 0.81].
  let state = afterFirstBatch(LEVELS, [0.95, 0.90], [0.93, 0.92]);
  const round = choosePromotions(state);
  assert.deepEqual(round.orders.map((o) => o.id), [0, 1]);
  const results: PromotionResult[] = [{ id: 1, level: 1, objectives: [0.90, 0.91] }, { id: 0, level: 1, objectives: [0.80, 0.81] }];
  const promoted = applyPromotions(round.state, results);
  const [a, b] = promoted.population;
  const levels = new Map(promoted.leveled!.map((m) => [m.id, { levels: m.levels, failed: m.failed !== null }]));
  for (let seed = 0; seed < 30; seed++) {
    assert.equal(leveledTournamentWinner(Rng.fromSeed(seed), [a, b], levels).id, 1, 'the promoted pair meets at level 1: B');
    assert.ok([0, 1].includes(leveledTournamentWinner(Rng.fromSeed(seed), [a, b], new Map()).id));
  }
  assert.equal(new Set(Array.from({ length: 30 }, (_, s) => leveledTournamentWinner(Rng.fromSeed(s), [a, b], new Map()).id)).size, 2, 'at level 0 alone they tie');
  // A fresh C [0.96, 0.95] (level 0 only) meets both at level 0, where it dominates them: B's level-1 numbers are no bonus.
  const third = ask(promoted, 1);
  state = tell(third.state, [{ id: 2, objectives: [0.96, 0.95] }]);
  const parents = Array.from({ length: 20 }, (_, s) => ask({ ...state, rng: Rng.fromSeed(`t${s}`).state() }, 1).candidates[0].parentId);
  assert.deepEqual(new Set(parents), new Set([2]));
  // Without C the tournament {A, B} always goes to B.
  const twoOnly = { ...promoted, seeds: [], options: { ...promoted.options, populationSize: 2, tournamentSize: 2 } };
  const fromPair = Array.from({ length: 20 }, (_, s) => ask({ ...twoOnly, rng: Rng.fromSeed(`u${s}`).state() }, 1).candidates[0]);
  assert.deepEqual(new Set(fromPair.map((c) => c.parentId)), new Set([1]));
});

test('when a promotion is rejected, then its candidate leaves the front, loses tournaments and never climbs again', () => {
  const state = afterFirstBatch(LEVELS, [0.95, 0.90], [0.93, 0.92]);
  const round = choosePromotions(state);
  const after = applyPromotions(round.state, [
    { id: 0, level: 1, rejection: { reason: 'non-finite training loss', stage: 'training' } },
    { id: 1, level: 1, objectives: [0.5, 0.5] },
  ]);
  assert.deepEqual(after.leveled?.map((m) => [m.id, m.failed?.level ?? null]), [[0, 1], [1, null]]);
  assert.deepEqual(front(after).map((m) => m.id), [1]);
  assert.deepEqual(choosePromotions(after).orders.map((o) => [o.id, o.level]), [[1, 2]]);
  const levels = new Map(after.leveled!.map((m) => [m.id, { levels: m.levels, failed: m.failed !== null }]));
  assert.equal(leveledTournamentWinner(Rng.fromSeed(3), after.population.slice(0, 2), levels).id, 1);
});

test('when a state with promotions goes through JSON, then it continues identically and the checkpoint check accepts it', () => {
  const state = afterFirstBatch(LEVELS, [0.95, 0.90], [0.93, 0.92]);
  const round = choosePromotions(state);
  const reloaded = checkEvolverState(JSON.parse(JSON.stringify(round.state)));
  const results: PromotionResult[] = [{ id: 0, level: 1, objectives: [0.8, 0.81] }, { id: 1, level: 1, objectives: [0.9, 0.91] }];
  assert.deepEqual(applyPromotions(reloaded, results), applyPromotions(round.state, results));
  const wrong = JSON.parse(JSON.stringify(round.state)) as { promoting: { level: number }[] };
  wrong.promoting[0].level = 2;
  assert.throws(() => checkEvolverState(wrong), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_RUN' && /promoted to level 2/.test(e.message));
  const stray = { ...JSON.parse(JSON.stringify(round.state)), options: { ...round.state.options, promotion: undefined } };
  assert.throws(() => checkEvolverState(JSON.parse(JSON.stringify(stray))), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_RUN');
});

test('when promotion settings ask for the async schedule, average selection or no level, then they are refused', () => {
  const bad = (settings: EvolverSettings) => assert.throws(() => evolverOptions(settings), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG');
  bad({ promotion: { levels: 1, perBatch: 1 }, schedule: 'async' });
  bad({ promotion: { levels: 1, perBatch: 1 }, selection: 'average' });
  bad({ promotion: { levels: 0, perBatch: 1 } });
  bad({ promotion: { levels: 1, perBatch: 0 } });
  assert.deepEqual(evolverOptions({ promotion: { levels: 2, perBatch: 3 } }).promotion, { levels: 2, perBatch: 3 });
});

test('when a seed is a reference layer, then it climbs one level per round behind the leaders, beyond k, and never past the highest level reached', () => {
  const settings = { populationSize: 3, tournamentSize: 3, promotion: { levels: 2, perBatch: 1, references: [0] } };
  const asked = ask(createEvolver(Rng.fromSeed(1), { numObjectives: 2, ...settings }, [A, B, C]), 3);
  // A (the reference, id 0) is dominated at level 0: off the front, so promotionChoice alone would never measure it again.
  let state = tell(asked.state, [{ id: 0, objectives: [0.80, 0.80] }, { id: 1, objectives: [0.95, 0.90] }, { id: 2, objectives: [0.93, 0.92] }]);
  assert.deepEqual(state.references?.map((r) => r.id), [0]);
  let round = choosePromotions(state);
  assert.deepEqual(round.orders.map((o) => [o.id, o.level]), [[0, 1], [1, 1]], 'k = 1 leader (B) and the reference with it');
  state = applyPromotions(round.state, [{ id: 0, level: 1, objectives: [0.70, 0.70] }, { id: 1, level: 1, objectives: [0.90, 0.90] }]);
  round = choosePromotions(state);
  assert.deepEqual(round.orders.map((o) => [o.id, o.level]), [[0, 2], [1, 2]]);
  const reloaded = checkEvolverState(JSON.parse(JSON.stringify(round.state)));
  const results: PromotionResult[] = [{ id: 0, level: 2, objectives: [0.72, 0.71] }, { id: 1, level: 2, objectives: [0.91, 0.90] }];
  assert.deepEqual(applyPromotions(reloaded, results), applyPromotions(round.state, results), 'a checkpoint continues identically');
  state = applyPromotions(round.state, results);
  round = choosePromotions(state);
  assert.deepEqual(round.orders.map((o) => [o.id, o.level]), [[2, 1]], 'the reference is at the top level reached: no order for it');
  state = applyPromotions(round.state, [{ id: 2, level: 1, objectives: [0.5, 0.5] }]);
  assert.deepEqual(state.leveled?.find((m) => m.id === 0)?.levels, [[0.80, 0.80], [0.70, 0.70], [0.72, 0.71]]);
});

test('when a reference is not a seed layer, or a checkpoint keeps a stranger as one, then it is refused', () => {
  assert.throws(() => createEvolver(Rng.fromSeed(1), { promotion: { levels: 1, perBatch: 1, references: [3] } }, [A, B, C]),
    (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG' && /reference 3 is not a seed layer/.test(e.message));
  const settings = { populationSize: 3, tournamentSize: 3, promotion: { levels: 1, perBatch: 1, references: [0] } };
  const asked = ask(createEvolver(Rng.fromSeed(1), { numObjectives: 2, ...settings }, [A, B, C]), 3);
  const state = tell(asked.state, [{ id: 0, objectives: [0.8, 0.8] }, { id: 1, objectives: [0.9, 0.9] }, { id: 2, objectives: [0.7, 0.7] }]);
  const wrong = JSON.parse(JSON.stringify(state)) as { references: { id: number }[]; population: { id: number }[] };
  wrong.references.push({ ...JSON.parse(JSON.stringify(state.population.find((m) => m.id === 1))) });
  assert.throws(() => checkEvolverState(wrong), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_RUN' && /not a scored reference/.test(e.message));
});

test('when the promotion pool is the population, then a rung refreshes as members age out; with the default, a newcomer must beat every cheap score so far', () => {
  const settings = (pool?: 'population') => ({ populationSize: 2, tournamentSize: 2, promotion: { levels: 1, perBatch: 2, ...(pool ? { pool } : {}) } });
  const run = (pool?: 'population') => {
    const first = ask(createEvolver(Rng.fromSeed(1), { numObjectives: 2, ...settings(pool) }, [A, B, C]), 2);
    // A (id 0) has the best cheap score of the run; it ages out when C (id 2) joins the population of 2.
    let state = tell(first.state, [{ id: 0, objectives: [0.95, 0.95] }, { id: 1, objectives: [0.50, 0.50] }]);
    const second = ask(state, 1);
    state = tell(second.state, [{ id: 2, objectives: [0.60, 0.60] }]);
    return state;
  };
  const byFront = run();
  const byPopulation = run('population');
  assert.deepEqual(byPopulation.population.map((m) => m.id), [1, 2], 'A has aged out (else this test shows nothing)');
  assert.deepEqual(choosePromotions(byFront).orders.map((o) => [o.id, o.level]), [[0, 1]], 'default: A, still on the run\'s level-0 front, blocks C');
  assert.deepEqual(choosePromotions(byPopulation).orders.map((o) => [o.id, o.level]), [[2, 1]], 'population: C leads the living population');
  // The option survives a checkpoint, and a state without it reads as the default.
  assert.equal(checkEvolverState(JSON.parse(JSON.stringify(byPopulation))).options.promotion?.pool, 'population');
  assert.equal('pool' in (byFront.options.promotion ?? {}), false);
});

test('when a reduction factor is set, then a level holds at most 1/η of the candidates evaluated below it, references aside, and it survives a checkpoint', () => {
  const settings = (reduction?: number) => ({ populationSize: 3, tournamentSize: 3, promotion: { levels: 2, perBatch: 2, references: [0], ...(reduction ? { reduction } : {}) } });
  // A (the reference), B and C all scored; B and C share the level-0 front.
  const start = (reduction?: number) => {
    const asked = ask(createEvolver(Rng.fromSeed(1), { numObjectives: 2, ...settings(reduction) }, [A, B, C]), 3);
    return tell(asked.state, [{ id: 0, objectives: [0.80, 0.80] }, { id: 1, objectives: [0.95, 0.90] }, { id: 2, objectives: [0.93, 0.92] }]);
  };
  assert.deepEqual(choosePromotions(start()).orders.map((o) => [o.id, o.level]), [[0, 1], [1, 1], [2, 1]], 'without η: k = 2 leaders and the reference');
  // η = 2: ⌊3 scored / 2⌋ = 1 candidate may reach level 1; the reference climbs beyond it, uncounted.
  let round = choosePromotions(start(2));
  assert.deepEqual(round.orders.map((o) => [o.id, o.level]), [[0, 1], [1, 1]]);
  let state = applyPromotions(round.state, [{ id: 0, level: 1, objectives: [0.7, 0.7] }, { id: 1, level: 1, objectives: [0.9, 0.9] }]);
  // Level 1 holds 1 (≥ ⌊3 / 2⌋), level 2 may hold ⌊1 / 2⌋ = 0: no promotion at all, where without η B would climb to 2 and C to 1.
  assert.deepEqual(choosePromotions(state).orders, []);
  const free = applyPromotions(choosePromotions(start()).state, [{ id: 0, level: 1, objectives: [0.7, 0.7] }, { id: 1, level: 1, objectives: [0.9, 0.9] }, { id: 2, level: 1, objectives: [0.8, 0.8] }]);
  assert.deepEqual(choosePromotions(free).orders.map((o) => [o.id, o.level]), [[0, 2], [1, 2]]);
  // η = 1: each level may hold as many as the one below: C follows B to level 1, then B goes on to level 2.
  round = choosePromotions(start(1));
  assert.deepEqual(round.orders.map((o) => [o.id, o.level]), [[0, 1], [1, 1], [2, 1]]);
  state = applyPromotions(round.state, [{ id: 0, level: 1, objectives: [0.7, 0.7] }, { id: 1, level: 1, objectives: [0.9, 0.9] }, { id: 2, level: 1, objectives: [0.8, 0.8] }]);
  const reloaded = checkEvolverState(JSON.parse(JSON.stringify(state)));
  assert.equal(reloaded.options.promotion?.reduction, 1);
  assert.deepEqual(choosePromotions(reloaded).orders.map((o) => [o.id, o.level]), [[0, 2], [1, 2]]);
  assert.throws(() => evolverOptions({ promotion: { levels: 1, perBatch: 1, reduction: 0.5 } }), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG' && /reduction/.test(e.message));
  assert.equal('reduction' in (evolverOptions({ promotion: { levels: 1, perBatch: 1 } }).promotion ?? {}), false, 'absent unless set: existing checkpoints unchanged');
});
