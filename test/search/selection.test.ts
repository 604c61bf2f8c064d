import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { INPUT_COUNT } from '../../src/graph/index.js';
import { Rng } from '../../src/util/rng.js';
import { dominates, drawTournament, tournamentWinner, type EvaluatedCandidate } from '../../src/search/index.js';

function member(id: number, objectives: number[] | null): EvaluatedCandidate {
  return {
    id,
    graph: { nodes: [{ op: 'neg', args: [0] }], output: INPUT_COUNT },
    hash: `h${id}`,
    parentId: null,
    origin: 'random',
    mutation: null,
    batch: 0,
    objectives,
    rejection: objectives === null ? { reason: 'test', stage: 'test' } : null,
  };
}

const tournaments = fc.array(
  fc.option(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 }), { nil: null }),
  { minLength: 1, maxLength: 8 },
);

test('when a tournament mixes scored and rejected members, then the pareto winner is scored and non-dominated', () => {
  fc.assert(
    fc.property(tournaments, fc.integer(), (objs, seed) => {
      const members = objs.map((o, i) => member(i, o));
      const winner = tournamentWinner(Rng.fromSeed(seed), members, 'pareto');
      const scored = members.filter((m) => m.objectives !== null);
      if (scored.length === 0) return;
      assert.notEqual(winner.objectives, null);
      assert.ok(scored.every((m) => !dominates(m.objectives!, winner.objectives!)));
    }),
  );
});

test('when selection is average, then the winner has the best mean among scored members', () => {
  fc.assert(
    fc.property(tournaments, fc.integer(), (objs, seed) => {
      const members = objs.map((o, i) => member(i, o));
      const winner = tournamentWinner(Rng.fromSeed(seed), members, 'average');
      const scored = members.filter((m) => m.objectives !== null);
      if (scored.length === 0) return;
      const mean = (m: EvaluatedCandidate) => (m.objectives![0] + m.objectives![1]) / 2;
      assert.equal(mean(winner), Math.max(...scored.map(mean)));
    }),
  );
});

test('when the Pareto front has several members, then each of them wins sometimes', () => {
  const members = [member(0, [3, 0]), member(1, [0, 3]), member(2, [2, 2]), member(3, [1, 1]), member(4, null)];
  const rng = Rng.fromSeed('spread');
  const wins = new Set<number>();
  for (let i = 0; i < 200; i++) wins.add(tournamentWinner(rng, members, 'pareto').id);
  assert.deepEqual([...wins].sort(), [0, 1, 2]);
});

test('when every member is rejected, then the winner is one of them', () => {
  const members = [member(0, null), member(1, null)];
  assert.ok([0, 1].includes(tournamentWinner(Rng.fromSeed(1), members, 'pareto').id));
});

test('when a tournament is larger than the population, then it holds the whole population once', () => {
  const drawn = drawTournament(Rng.fromSeed(1), [1, 2, 3], 10);
  assert.deepEqual([...drawn].sort(), [1, 2, 3]);
  assert.equal(drawTournament(Rng.fromSeed(1), [1, 2, 3, 4, 5], 2).length, 2);
});
