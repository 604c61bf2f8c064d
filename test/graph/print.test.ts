import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/graph/parse.js';
import { printExpression } from '../../src/graph/print.js';
import { canonicalHash } from '../../src/graph/canonical.js';
import type { LayerGraph } from '../../src/graph/types.js';

const X = 0, V1 = 4, N0 = 5, N1 = 6;

test('when an expression is already minimal, then printing its parse gives it back', () => {
  for (const text of [
    'x * sigmoid(v1 * x) / sqrt(var_group(x))',
    'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))',
    'x / max(sqrt(var_batch(x)), (x + one) * sqrt(mean_instance(square(x))))',
    'x - (v1 - x)',
    'x / (v1 * x)',
    'x * v1 / x',
    '(x + v1) * (x - v1)',
    '-(x * v1) - -x',
    '-sigmoid(x) * --x',
    'relu(affine((x - mean_batch(x)) / sqrt(var_batch(x))))',
    'swish(affine(x))',
    'x',
  ]) {
    assert.equal(printExpression(parseExpression(text)), text);
  }
});

test('when redundant parentheses are written, then the printer drops them', () => {
  assert.equal(printExpression(parseExpression('((x) + (v1 * x))')), 'x + v1 * x');
  assert.equal(printExpression(parseExpression('(x - v1) - x')), 'x - v1 - x');
  assert.equal(printExpression(parseExpression('-(x)')), '-x');
  assert.equal(printExpression(parseExpression('add(x, neg(mul(x, v1)))')), 'x + -(x * v1)');
});

test('when a node is shared, then it is printed at each use and parses back to one node', () => {
  const g: LayerGraph = { nodes: [{ op: 'sigmoid', args: [X] }, { op: 'mul', args: [N0, N0] }], output: N1 };
  const text = printExpression(g);
  assert.equal(text, 'sigmoid(x) * sigmoid(x)');
  assert.deepEqual(parseExpression(text), g);
});

test('when a graph has dead nodes, then the printed text has only the live ones', () => {
  const g: LayerGraph = { nodes: [{ op: 'exp', args: [X] }, { op: 'mul', args: [X, V1] }], output: N1 };
  assert.equal(printExpression(g), 'x * v1');
  assert.equal(canonicalHash(parseExpression(printExpression(g))), canonicalHash(g));
});
