/** Rejections carry a stable code beside the prose reason (issue 8, bug 9). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFastObjective } from '../../src/evaluate/fast-objective.js';
import { staticCheck } from '../../src/evaluate/static-check.js';
import { REJECTION_CODE_INFO } from '../../src/evaluate/rejection.js';
import { EvaluationSchema } from '../../src/evaluate/evaluation.js';
import { parseExpression } from '../../src/graph/parse.js';

const cases = [
  ['x / v0', 'non-finite-at-init'],
  ['zero', 'invalid-graph'],
  ['x - x', 'constant-output'],
  ['exp(exp(exp(exp(x * x))))', 'non-finite-output'],
] as const;

test('when the fast objective rejects a layer, then the rejection has the code of its reason and the code\'s stage', async () => {
  const objective = createFastObjective();
  for (const [expression, code] of cases) {
    const evaluation = await objective.evaluate({ graph: parseExpression(expression), fingerprint: 'f', seed: 0 });
    assert.equal(evaluation.status, 'rejected', expression);
    if (evaluation.status !== 'rejected') continue;
    assert.equal(evaluation.code, code, `${expression}: ${evaluation.reason}`);
    assert.equal(evaluation.stage, REJECTION_CODE_INFO[code].stage);
    assert.ok(EvaluationSchema.safeParse(JSON.parse(JSON.stringify(evaluation))).success);
  }
});

test('when the static check rejects a layer, then its verdict has the same code as the fast objective', () => {
  for (const [expression, code] of cases) {
    const verdict = staticCheck(parseExpression(expression));
    assert.equal(verdict.passed, false, expression);
    assert.equal(verdict.code, code, `${expression}: ${verdict.reason}`);
  }
});

test('when an evaluation has an unknown code, then the schema refuses it', () => {
  assert.equal(EvaluationSchema.safeParse({ status: 'rejected', stage: 'static', code: 'non-finit-output', reason: 'r', costMs: 1 }).success, false);
  assert.equal(EvaluationSchema.safeParse({ status: 'rejected', stage: 'static', reason: 'a journal from before codes', costMs: 1 }).success, true);
});
