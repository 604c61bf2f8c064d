import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/graph/parse.js';
import { functionalFingerprint, probeGraph } from '../../src/tensor/fingerprint.js';

const fp = (e: string): string => functionalFingerprint(parseExpression(e));

test('when two graphs compute the same function, then they share a fingerprint', () => {
  assert.equal(fp('v1 * x + zero'), fp('x * v1'));
  assert.equal(fp('x * sigmoid(x)'), fp('sigmoid(x) * x'));
  assert.equal(fp('x - x * zero'), fp('x'));
  assert.equal(fp('(x + x) / (one + one)'), fp('x'));
  assert.equal(fp('square(x) - x * x + x'), fp('x'));
});

test('when two graphs compute different functions, then their fingerprints differ', () => {
  const distinct = [
    'x', 'v1 * x', 'x + v0', 'x * sigmoid(x)', 'x * tanh(x)', 'x / sqrt(var_group(x))',
    'x / sqrt(var_instance(x))', 'x / sqrt(var_layer(x))', 'x / sqrt(var_batch(x))',
    'x - mean_batch(x)', 'x - mean_instance(x)', 'x - mean_group(x)', 'x - mean_layer(x)',
  ];
  const prints = distinct.map(fp);
  assert.equal(new Set(prints).size, distinct.length);
});

test('when the output cannot depend on x or is infinite, then the probe says so', () => {
  assert.equal(probeGraph(parseExpression('x * zero')).constant, true);
  assert.equal(probeGraph(parseExpression('x')).constant, false);
  assert.equal(probeGraph(parseExpression('x / zero')).finite, false);
  assert.equal(probeGraph(parseExpression('exp(exp(exp(x)))')).finite, false);
  assert.equal(probeGraph(parseExpression('x * sigmoid(v1 * x) / sqrt(var_group(x))')).finite, true);
});

test('when computed twice, then the fingerprint is the same string', () => {
  const e = 'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))';
  assert.equal(fp(e), fp(e));
  assert.match(fp(e), /^[0-9a-f]{16}$/);
});
