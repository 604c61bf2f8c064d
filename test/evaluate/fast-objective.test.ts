import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, zooLayer, type LayerGraph } from '../../src/graph/index.js';
import { affineFitError, correlation, createFastObjective, fastProbeSets } from '../../src/evaluate/fast-objective.js';
import { interpretGraph } from '../../src/tensor/interpret.js';
import { createEvaluator } from '../../src/evaluate/registry.js';
import type { Evaluation } from '../../src/evaluate/types.js';
import { EvonormError } from '../../src/util/errors.js';

const request = (graph: LayerGraph) => ({ graph, fingerprint: 'f', seed: 1 });

function objectivesOf(evaluation: Evaluation): readonly number[] {
  assert.equal(evaluation.status, 'ok', evaluation.status === 'rejected' ? evaluation.reason : '');
  return evaluation.status === 'ok' ? evaluation.objectives : [];
}

for (const variants of ['probes', 'architectures'] as const) {
  test(`when the candidate is the target (${variants}), then every objective is exactly 1`, async () => {
    const evaluator = createFastObjective({ target: 'evonorm-s0', objectives: 3, variants });
    assert.equal(evaluator.objectiveCount, 3);
    assert.equal(evaluator.objectiveNames.length, 3);
    assert.deepEqual(objectivesOf(await evaluator.evaluate(request(zooLayer('evonorm-s0')))), [1, 1, 1]);
  });

  test(`when the candidate is a different layer (${variants}), then every objective is in [0, 1) `, async () => {
    const evaluator = createFastObjective({ objectives: 4, variants });
    for (const name of ['evonorm-s1', 'gn-relu', 'bn-relu', 'evonorm-b0']) {
      for (const value of objectivesOf(await evaluator.evaluate(request(zooLayer(name))))) {
        assert.ok(value >= 0 && value < 1, `${name}: ${value}`);
      }
    }
  });
}

test('when the target is written as an expression, then the same function written differently scores 1', async () => {
  const evaluator = createFastObjective({ target: 'x * sigmoid(v1 * x) / sqrt(var_group(x))' });
  const rewritten = parseExpression('sigmoid(x * v1) * x / sqrt(var_group(x))');
  assert.deepEqual(objectivesOf(await evaluator.evaluate(request(rewritten))), [1, 1]);
});

test('when a layer divides by zero, then it is rejected at stage static with a reason', async () => {
  const evaluation = await createFastObjective().evaluate(request(parseExpression('x / zero')));
  assert.equal(evaluation.status, 'rejected');
  assert.equal(evaluation.status === 'rejected' && evaluation.stage, 'static');
  assert.match(evaluation.status === 'rejected' ? evaluation.reason : '', /non-finite/);
});

test('when a layer is finite only away from the initial parameters (x / v0), then it is rejected', async () => {
  const evaluation = await createFastObjective().evaluate(request(parseExpression('x / v0')));
  assert.equal(evaluation.status === 'rejected' && evaluation.stage, 'static');
  assert.match(evaluation.status === 'rejected' ? evaluation.reason : '', /initial parameters/);
});

test('when a layer does not depend on its input, then it is rejected as constant', async () => {
  const evaluation = await createFastObjective().evaluate(request(parseExpression('x - x')));
  assert.equal(evaluation.status === 'rejected' && evaluation.stage, 'static');
  assert.match(evaluation.status === 'rejected' ? evaluation.reason : '', /constant/);
});

test('when the graph is invalid, then it is rejected at stage static instead of throwing', async () => {
  const broken: LayerGraph = { nodes: [{ op: 'mul', args: [0, 9] }], output: 5 };
  const evaluation = await createFastObjective().evaluate(request(broken));
  assert.equal(evaluation.status === 'rejected' && evaluation.stage, 'static');
});

test('when the same candidate is evaluated by two evaluators with different seeds, then the objectives are equal', async () => {
  const graph = parseExpression('x * sigmoid(x) / sqrt(var_instance(x))');
  const a = objectivesOf(await createFastObjective({ objectives: 3 }).evaluate({ graph, fingerprint: 'a', seed: 1 }));
  const b = objectivesOf(await createFastObjective({ objectives: 3 }).evaluate({ graph, fingerprint: 'b', seed: 'other' }));
  assert.deepEqual(a, b);
});

test('when K exceeds the table of probe settings, then the extra probe sets are fresh draws with their own names', () => {
  const sets = fastProbeSets(8, 'architectures');
  const names = sets.map((s) => s.name);
  assert.equal(new Set(names).size, 8);
  assert.notDeepEqual(sets[0].x.data, sets[6].x.data);
  assert.deepEqual(sets[0].x.shape, sets[6].x.shape);
});

test('when the architecture variants are used, then a batch-statistics look-alike trades off between settings', async () => {
  // EvoNorm-S0 with batch instead of group variance: how far that is from the target depends on
  // the batch size, channels and groups of each setting, so the objectives spread out.
  const evaluator = createFastObjective({ objectives: 6, variants: 'architectures' });
  const values = objectivesOf(await evaluator.evaluate(request(parseExpression('x * sigmoid(v1 * x) / sqrt(var_batch(x))'))));
  assert.ok(Math.max(...values) - Math.min(...values) > 0.01, values.join(', '));
});

test('when K or the target is bad, then createFastObjective throws an EvonormError', () => {
  assert.throws(() => createFastObjective({ objectives: 0 }), (err) => err instanceof EvonormError && err.code === 'BAD_CONFIG');
  assert.throws(() => createFastObjective({ target: 'x - x' }), (err) => err instanceof EvonormError && err.code === 'BAD_CONFIG');
  assert.throws(() => createFastObjective({ target: 'evonorm-s9' }), (err) => err instanceof EvonormError);
});

test('when correlation is given vectors, then it is 1 for identical, -1 for negated and 0 for a constant one', () => {
  const a = Float64Array.from([1, 2, 4, 8]);
  assert.equal(correlation(a, a), 1);
  assert.ok(Math.abs(correlation(a, a.map((v) => -3 * v + 1)) + 1) < 1e-12);
  assert.equal(correlation(a, Float64Array.from([5, 5, 5, 5])), 0);
});

test('when the registry is given a fast spec, then it builds the fast objective with its K', async () => {
  const evaluator = await createEvaluator({ kind: 'fast', target: 'evonorm-s0', objectives: 3 });
  assert.equal(evaluator.objectiveCount, 3);
  assert.deepEqual(objectivesOf(await evaluator.evaluate(request(zooLayer('evonorm-s0')))), [1, 1, 1]);
});

test('when the registry is given an unknown kind, then it throws BAD_CONFIG', async () => {
  await assert.rejects(createEvaluator({ kind: 'nope' } as never), (err) => err instanceof EvonormError && err.code === 'BAD_CONFIG');
});

test('when a layer is a per-channel affine map of the target, then the fit error is 0 and only the raw term keeps the score below 1', async () => {
  const [set] = fastProbeSets(1);
  const c = set.x.shape[3];
  const t = Float64Array.from(set.x.data, (v) => Math.tanh(v));
  const y = t.map((v, i) => (1 + (i % c)) * v - 0.5 * (i % c));
  assert.ok(affineFitError(y, t, c) < 1e-20);
  assert.equal(affineFitError(new Float64Array(t.length), t, c), 1);
  const scaled = objectivesOf(await createFastObjective().evaluate(request(parseExpression('(one + one) * (x * sigmoid(v1 * x) / sqrt(var_group(x)))'))));
  for (const value of scaled) assert.ok(value > 0.5 && value < 1, String(value));
});

test('when the stepping stones towards EvoNorm-S0 are scored, then each later one scores higher on the matching probe family', async () => {
  // standardized inputs: only the activation matters; small inputs: only the normaliser does.
  const evaluator = createFastObjective({ objectives: 2 });
  assert.deepEqual(evaluator.objectiveNames, ['similarity:standardized', 'similarity:small']);
  const score = async (expression: string) => objectivesOf(await evaluator.evaluate(request(parseExpression(expression))));
  const [x, swish, gated, normalised, s1, s0] = await Promise.all(
    ['x', 'x * sigmoid(x)', 'x * sigmoid(v1 * x)', 'x / sqrt(var_group(x))', 'x * sigmoid(x) / sqrt(var_group(x))', 'x * sigmoid(v1 * x) / sqrt(var_group(x))'].map(score),
  );
  assert.ok(x[0] < swish[0] && swish[0] < gated[0] && gated[0] < 1, 'activation half');
  assert.ok(x[1] < normalised[1] && normalised[1] < s1[1] && s1[1] < 1, 'normalisation half');
  assert.deepEqual(s0, [1, 1]);
});

test('when the similarity is correlation, then the objective is the clipped Pearson correlation', async () => {
  const evaluator = createFastObjective({ similarity: 'correlation' });
  const [value] = objectivesOf(await evaluator.evaluate(request(parseExpression('x * sigmoid(x)'))));
  const [set] = fastProbeSets(1);
  const out = (expression: string) => interpretGraph(parseExpression(expression), set.x, { v0: set.v0, v1: set.v1, groups: set.groups }).data;
  assert.equal(value, Math.max(0, correlation(out('x * sigmoid(x)'), out('x * sigmoid(v1 * x) / sqrt(var_group(x))'))));
});

test('when the similarity, fit scale or target is unusable for the affine fit, then createFastObjective throws BAD_CONFIG', () => {
  const badConfig = (err: unknown) => err instanceof EvonormError && err.code === 'BAD_CONFIG';
  assert.throws(() => createFastObjective({ similarity: 'nope' as never }), badConfig);
  assert.throws(() => createFastObjective({ fitScale: 0 }), badConfig);
  // Constant within each channel: a per-channel affine fit would make every candidate score 1.
  assert.throws(() => createFastObjective({ target: 'var_batch(x)' }), badConfig);
});
