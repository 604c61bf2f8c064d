import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zooLayer } from '../../../src/graph/zoo.js';
import type { CandidateRecord } from '../../../src/run/replay/candidates.js';
import { levelVerdict } from '../../../src/run/status/level-verdict.js';
import { functionalFingerprint } from '../../../src/tensor/fingerprint.js';

type Level = { level: number; objectives: number[]; errors?: number[] } | { level: number; rejected: true };

/** A planted journal record: level-0 scores, then one promotion evaluation per listed level. */
function record(id: number, origin: string, zoo: string | null, objectives: number[], levels: Level[] = []): CandidateRecord {
  const fingerprint = zoo ? functionalFingerprint(zooLayer(zoo)) : `new-${id}`;
  const promotions = levels.map((l) => ({
    type: 'promotion-evaluated', t: '2026-12-07T00:00:00Z', id, level: l.level, fingerprint, hash: `h${id}`, cached: false,
    evaluation: 'rejected' in l
      ? { status: 'rejected', stage: 'training', reason: 'planted', costMs: 1 }
      : { status: 'ok', objectives: l.objectives, ...(l.errors ? { objectiveErrors: l.errors } : {}), costMs: 1 },
  }));
  return {
    proposed: { type: 'proposed', id, origin, expression: 'x', hash: `h${id}` },
    evaluated: { type: 'evaluated', id, fingerprint, evaluation: { status: 'ok', objectives, costMs: 1 } },
    ...(promotions.length > 0 ? { promotions } : {}),
  } as unknown as CandidateRecord;
}

test('when BN-ReLU stayed at level 0, then the level verdict compares the level-2 scores with the best seed measured there and says BN-ReLU was not', () => {
  const records = [
    record(0, 'seed', 'bn-relu', [0.86]),
    record(2, 'seed', 'evonorm-b0', [0.85], [{ level: 1, objectives: [0.86] }, { level: 2, objectives: [0.868], errors: [0.0015] }]),
    record(9, 'mutation', null, [0.84], [{ level: 1, objectives: [0.871] }, { level: 2, objectives: [0.873], errors: [0.0009] }]),
    // A level-0 score far above everyone's must not enter a level-2 comparison.
    record(12, 'mutation', null, [0.99]),
  ];
  const v = levelVerdict(records, ['resnet'])!;
  assert.equal(v.level, 2);
  assert.equal(v.candidates, 2);
  assert.equal(v.bnReluMeasured, false);
  assert.equal(v.verdict.perObjective[0]!.bestNew.id, 9);
  const c = v.verdict.perObjective[0]!.versusBestSeed!;
  assert.equal(c.referenceName, 'evonorm-b0');
  assert.ok(Math.abs(c.difference - 0.005) < 1e-12);
  assert.ok(Math.abs(c.noise! - Math.hypot(0.0015, 0.0009)) < 1e-12);
  assert.equal(c.outcome, 'beats');
  assert.equal(v.verdict.perObjective[0]!.versusBnRelu, null);
  assert.match(v.sentence, /^At promotion level 2, where 2 layers were measured/);
  assert.match(v.sentence, /BN-ReLU was not measured at level 2/);
});

test('when the highest level has no reference, then the verdict comes from the highest level that has both', () => {
  const records = [
    record(0, 'seed', 'bn-relu', [0.86], [{ level: 1, objectives: [0.87], errors: [0.002] }]),
    record(9, 'mutation', null, [0.87], [{ level: 1, objectives: [0.872], errors: [0.002] }, { level: 2, objectives: [0.88], errors: [0.001] }]),
  ];
  const v = levelVerdict(records, ['resnet'])!;
  assert.equal(v.level, 1);
  assert.equal(v.bnReluMeasured, true);
  assert.equal(v.verdict.perObjective[0]!.versusBnRelu!.outcome, 'within-noise');
  assert.doesNotMatch(v.sentence, /was not measured/);
});

test('when no level holds a new layer that passed and a reference, then there is no level verdict', () => {
  assert.equal(levelVerdict([record(0, 'seed', 'bn-relu', [0.86]), record(9, 'mutation', null, [0.87])], ['resnet']), null);
  const rejected = [
    record(0, 'seed', 'bn-relu', [0.86], [{ level: 1, objectives: [0.87] }]),
    record(9, 'mutation', null, [0.87], [{ level: 1, rejected: true }]),
  ];
  assert.equal(levelVerdict(rejected, ['resnet']), null);
});
