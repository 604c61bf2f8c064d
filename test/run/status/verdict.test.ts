import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVerdict, type VerdictCandidate } from '../../../src/run/status/verdict.js';

const names = ['resnet', 'mobilenetv2', 'efficientnet'];
const seed = (id: number, zoo: string, objectives: number[], errors?: number[]): VerdictCandidate => ({ id, origin: 'seed', zoo, objectives, ...(errors ? { errors } : {}) });
const fresh = (id: number, objectives: number[], errors?: number[]): VerdictCandidate => ({ id, origin: 'mutation', zoo: null, objectives, ...(errors ? { errors } : {}) });

test('when a new layer leads BN-ReLU by more than twice the journaled noise on two networks, then the verdict says it beat BN-ReLU on 2 of 3', () => {
  const se = [0.002, 0.002, 0.002];
  const v = runVerdict([
    seed(0, 'bn-relu', [0.90, 0.85, 0.80], se),
    seed(1, 'gn-relu', [0.89, 0.86, 0.79], se),
    fresh(5, [0.92, 0.87, 0.80], se), // +2.0, +2.0 (vs 0.85), +0.0 points; σ_d = 0.28 points
    fresh(6, [0.80, 0.70, 0.70], se),
  ], names);
  assert.equal(v.newScored, 2);
  assert.equal(v.beatsBnReluOn, 2);
  assert.deepEqual(v.perObjective.map((o) => o.versusBnRelu?.outcome), ['beats', 'beats', 'within-noise']);
  assert.equal(v.perObjective[0].bestNew.id, 5);
  assert.ok(Math.abs(v.perObjective[0].versusBnRelu!.noise! - Math.sqrt(2) * 0.002) < 1e-12);
  assert.equal(v.noiseSource, 'journaled standard errors');
  assert.match(v.sentence, /^A new layer beat BN-ReLU by more than twice the noise on 2 of 3 networks/);
  assert.match(v.sentence, /best of 2 new layers/);
});

test('when the lead is inside twice the noise, then the verdict says no new layer beat BN-ReLU', () => {
  const v = runVerdict([seed(0, 'bn-relu', [0.90], [0.01]), fresh(3, [0.91], [0.01])], ['resnet']);
  assert.equal(v.perObjective[0].versusBnRelu?.outcome, 'within-noise');
  assert.equal(v.beatsBnReluOn, 0);
  assert.match(v.sentence, /^No new layer beat BN-ReLU by more than twice the noise on any of the 1 network/);
});

test('when no standard error was journaled, then a calibrated seed sd is used, and without one the noise is stated as unknown', () => {
  const candidates = [seed(0, 'bn-relu', [0.90]), fresh(3, [0.93])];
  const calibrated = runVerdict(candidates, ['resnet'], [0.01]);
  assert.equal(calibrated.noiseSource, 'calibrated seed sd');
  assert.equal(calibrated.perObjective[0].versusBnRelu?.outcome, 'beats'); // +3 points > 2 × 1.41
  const unknown = runVerdict(candidates, ['resnet']);
  assert.equal(unknown.perObjective[0].versusBnRelu?.outcome, 'noise-unknown');
  assert.match(unknown.sentence, /noise unknown/);
});

test('when the only candidates beyond the seeds are rediscovered zoo layers, then no new layer was scored', () => {
  const v = runVerdict([seed(0, 'bn-relu', [0.9]), { id: 4, origin: 'mutation', zoo: 'evonorm-b0', objectives: [0.95] }], ['resnet']);
  assert.equal(v.newScored, 0);
  assert.deepEqual(v.perObjective, []);
  assert.match(v.sentence, /No new layer has been scored yet/);
});

test('when BN-ReLU is not among the seeds, then the best seed layer is the reference', () => {
  const v = runVerdict([seed(0, 'gn-relu', [0.80], [0.001]), seed(1, 'evonorm-s0', [0.85], [0.001]), fresh(2, [0.70], [0.001])], ['resnet']);
  assert.equal(v.perObjective[0].versusBnRelu, null);
  assert.equal(v.perObjective[0].versusBestSeed?.referenceName, 'evonorm-s0');
  assert.equal(v.perObjective[0].versusBestSeed?.outcome, 'loses');
  assert.match(v.sentence, /No new layer beat the best seed layer/);
});

test('when the best new layer is behind BN-ReLU on every network, then the verdict does not speak of its lead', () => {
  const v = runVerdict([seed(0, 'bn-relu', [0.90, 0.85], [0.002, 0.002]), fresh(3, [0.88, 0.84], [0.002, 0.002])], ['resnet', 'mobilenetv2']);
  assert.doesNotMatch(v.sentence, /lead/);
  assert.match(v.sentence, /behind BN-ReLU on every network/);
  const ahead = runVerdict([seed(0, 'bn-relu', [0.90, 0.85], [0.002, 0.002]), fresh(3, [0.91, 0.84], [0.002, 0.002])], ['resnet', 'mobilenetv2']);
  assert.match(ahead.sentence, /part of its lead is selection luck/);
});

test('when the noise is unknown but a promotion level measured it, then the sentence points to that level instead of asking for evaluation.seeds', () => {
  const candidates = [seed(0, 'bn-relu', [0.90]), fresh(3, [0.93])];
  const plain = runVerdict(candidates, ['resnet']);
  assert.match(plain.sentence, /set evaluation\.seeds ≥ 2/);
  const withLevels = runVerdict(candidates, ['resnet'], undefined, { noiseMeasuredAtLevel: 2 });
  assert.match(withLevels.sentence, /noise unknown: one training per network; the verdict at promotion level 2 has it/);
  assert.doesNotMatch(withLevels.sentence, /evaluation\.seeds/);
});
