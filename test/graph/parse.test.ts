import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/graph/parse.js';
import { canonicalHash } from '../../src/graph/canonical.js';
import { INPUT_INDEX } from '../../src/graph/ops.js';
import { isEvonormError } from '../../src/util/errors.js';

const { x: X, zero: ZERO, one: ONE, v1: V1 } = INPUT_INDEX;
const N0 = 5, N1 = 6, N2 = 7;

/** Asserts that parsing fails with BAD_EXPRESSION at `position` and a message matching `pattern`. */
function assertParseError(text: string, position: number, pattern: RegExp): void {
  assert.throws(
    () => parseExpression(text),
    (err: unknown) => {
      assert.ok(isEvonormError(err), 'an EvonormError');
      assert.equal(err.code, 'BAD_EXPRESSION');
      assert.equal((err.details as { position: number }).position, position);
      assert.match(err.message, pattern);
      // The caret line points at the position.
      const lines = err.message.split('\n');
      assert.equal(lines[2].indexOf('^'), 2 + position);
      return true;
    },
  );
}

test('when an expression uses infix operators, then * and / bind tighter than + and -', () => {
  const g = parseExpression('x + v1 * x');
  assert.deepEqual(g, { nodes: [{ op: 'mul', args: [V1, X] }, { op: 'add', args: [X, N0] }], output: N1 });
});

test('when operators of equal precedence repeat, then they associate to the left', () => {
  assert.deepEqual(parseExpression('x - v1 - one'), {
    nodes: [{ op: 'sub', args: [X, V1] }, { op: 'sub', args: [N0, ONE] }],
    output: N1,
  });
  assert.deepEqual(parseExpression('x / v1 * one'), {
    nodes: [{ op: 'div', args: [X, V1] }, { op: 'mul', args: [N0, ONE] }],
    output: N1,
  });
});

test('when parentheses group a sum, then they override precedence', () => {
  assert.deepEqual(parseExpression('(x + one) * v1'), {
    nodes: [{ op: 'add', args: [X, ONE] }, { op: 'mul', args: [N0, V1] }],
    output: N1,
  });
});

test('when a minus is unary, then it becomes neg', () => {
  assert.deepEqual(parseExpression('-x'), { nodes: [{ op: 'neg', args: [X] }], output: N0 });
  assert.deepEqual(parseExpression('x * -v1'), {
    nodes: [{ op: 'neg', args: [V1] }, { op: 'mul', args: [X, N0] }],
    output: N1,
  });
  assert.deepEqual(parseExpression('--x'), { nodes: [{ op: 'neg', args: [X] }, { op: 'neg', args: [N0] }], output: N1 });
});

test('when ops are called as functions, then infix and call forms give the same graph', () => {
  assert.deepEqual(parseExpression('add(x, mul(v1, x))'), parseExpression('x + v1 * x'));
  assert.deepEqual(parseExpression('max(x, zero)'), { nodes: [{ op: 'max', args: [X, ZERO] }], output: N0 });
  assert.deepEqual(parseExpression('sqrt(var_group(x))'), {
    nodes: [{ op: 'var_group', args: [X] }, { op: 'sqrt', args: [N0] }],
    output: N1,
  });
});

test('when a subexpression repeats, then it becomes one node', () => {
  const g = parseExpression('sigmoid(x) * sigmoid(x) + x * v1 + v1 * x');
  assert.equal(g.nodes.filter((n) => n.op === 'sigmoid').length, 1);
  assert.equal(g.nodes.filter((n) => n.op === 'mul').length, 2); // sigmoid², and x·v1 == v1·x
});

test('when the input is a bare initial node, then the graph has no nodes and outputs it', () => {
  assert.deepEqual(parseExpression('  x '), { nodes: [], output: X });
  assert.deepEqual(parseExpression('x + 1 - 0'), {
    nodes: [{ op: 'add', args: [X, ONE] }, { op: 'sub', args: [N0, ZERO] }],
    output: N1,
  });
});

test('when the expression is wrapped in relu(affine(...)), then it sets the post-affine activation', () => {
  assert.deepEqual(parseExpression('relu(affine(x * v1))'), { nodes: [{ op: 'mul', args: [X, V1] }], output: N0, activation: 'relu' });
  assert.deepEqual(parseExpression('swish(affine(x))'), { nodes: [], output: X, activation: 'swish' });
  assert.deepEqual(parseExpression('affine(x * v1)'), parseExpression('x * v1'));
  // relu without affine is the ordinary op, inside the graph.
  assert.deepEqual(parseExpression('relu(x)'), { nodes: [{ op: 'relu', args: [X] }], output: N0 });
  assert.notEqual(canonicalHash(parseExpression('relu(x)')), canonicalHash(parseExpression('relu(affine(x))')));
});

test('when an op name is misspelt, then the error points at it and suggests the op', () => {
  assertParseError('x * sigmod(x)', 4, /unknown op "sigmod" at 4 \(did you mean sigmoid\?\)/);
  assertParseError('var_grup(x)', 0, /did you mean var_group\?/);
});

test('when a name is not an initial node, then the error names it', () => {
  assertParseError('x + y', 4, /unknown name "y" at 4/);
  assertParseError('x * v2', 4, /did you mean v1|v0/);
});

test('when an op gets the wrong number of arguments, then the error says so at the op', () => {
  assertParseError('x + max(x)', 4, /max takes 2 arguments, got 1/);
  assertParseError('sigmoid(x, v1)', 0, /sigmoid takes 1 argument, got 2/);
  assertParseError('exp()', 0, /exp takes 1 argument, got 0/);
});

test('when tokens are out of place, then the error names the unexpected token', () => {
  assertParseError('x y', 2, /unexpected name "y" at 2/);
  assertParseError('x * * v1', 4, /unexpected '\*' at 4/);
  assertParseError('x +', 3, /unexpected end of expression at 3/);
  assertParseError('x $ v1', 2, /unexpected character '\$' at 2/);
  assertParseError('max(x; v1)', 5, /unexpected character ';' at 5/);
  assertParseError('sigmoid + x', 0, /sigmoid at 0 needs arguments/);
  assertParseError('x(v1)', 0, /"x" at 0 is an input, not an op/);
  assertParseError('x * 2', 4, /unsupported constant 2/);
});

test('when parentheses are unbalanced, then the error points at the lonely one', () => {
  assertParseError('(x + v1', 0, /unbalanced parentheses: '\(' at 0 is never closed/);
  assertParseError('x * sigmoid(x', 11, /'\(' at 11 is never closed/);
  assertParseError('x + v1)', 6, /unexpected '\)' at 6 \(unbalanced parentheses\)/);
  assertParseError('()', 1, /unexpected '\)' at 1/);
});

test('when the input is empty or blank, then it is an error at 0', () => {
  assertParseError('', 0, /empty expression/);
  assertParseError('   ', 0, /empty expression/);
});

test('when affine or swish appear anywhere but the top, then it is an error at them', () => {
  assertParseError('x * affine(x)', 4, /affine at 4 may only wrap the whole expression/);
  assertParseError('swish(x)', 0, /swish at 0 is only a post-affine activation/);
  assertParseError('x + swish(affine(x))', 4, /swish at 4/);
  assertParseError('relu(affine(affine(x)))', 12, /affine at 12/);
});
