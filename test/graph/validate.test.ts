import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidGraph, validateGraph } from '../../src/graph/validate.js';
import type { LayerGraph } from '../../src/graph/types.js';
import type { OpName } from '../../src/graph/ops.js';
import { isEvonormError } from '../../src/util/errors.js';

// Graph indices: 0 x, 1 zero, 2 one, 3 v0, 4 v1, 5 n0, 6 n1, ...
const X = 0, ZERO = 1, V1 = 4, N0 = 5, N1 = 6, N2 = 7;

/** x * sigmoid(x) */
const swish: LayerGraph = { nodes: [{ op: 'sigmoid', args: [X] }, { op: 'mul', args: [X, N0] }], output: N1 };

function codes(graph: LayerGraph, maxNodes?: number): string[] {
  return validateGraph(graph, { maxNodes }).map((i) => i.code);
}

test('when a graph is well formed, then there are no issues', () => {
  assert.deepEqual(validateGraph(swish), []);
  assert.doesNotThrow(() => assertValidGraph(swish));
});

test('when the output is x itself, then the identity graph is valid', () => {
  assert.deepEqual(validateGraph({ nodes: [], output: X }), []);
});

test('when a node uses an unknown op, then UNKNOWN_OP names that node', () => {
  const graph = { nodes: [{ op: 'sigmod' as OpName, args: [X] }], output: N0 };
  const issues = validateGraph(graph);
  assert.deepEqual(issues.map((i) => [i.code, i.node]), [['UNKNOWN_OP', 0]]);
  assert.match(issues[0].message, /n0.*sigmod/);
});

test('when a node has the wrong number of args, then ARITY is reported', () => {
  assert.deepEqual(codes({ nodes: [{ op: 'mul', args: [X] }], output: N0 }), ['ARITY']);
  assert.deepEqual(codes({ nodes: [{ op: 'exp', args: [X, X] }], output: N0 }), ['ARITY']);
});

test('when an arg is not a node index, then MISSING_NODE is reported', () => {
  assert.deepEqual(codes({ nodes: [{ op: 'exp', args: [99] }, { op: 'mul', args: [X, N0] }], output: N1 }), ['MISSING_NODE']);
  assert.deepEqual(codes({ nodes: [{ op: 'exp', args: [-1] }, { op: 'mul', args: [X, N0] }], output: N1 }), ['MISSING_NODE']);
  assert.deepEqual(codes({ nodes: [{ op: 'exp', args: [1.5] }, { op: 'mul', args: [X, N0] }], output: N1 }), ['MISSING_NODE']);
});

test('when a node reads a later node, then FORWARD_REFERENCE is reported', () => {
  const graph = { nodes: [{ op: 'exp' as const, args: [N1] }, { op: 'tanh' as const, args: [X] }], output: N0 };
  const issues = validateGraph(graph);
  assert.deepEqual(issues.map((i) => [i.code, i.node]), [['FORWARD_REFERENCE', 0]]);
});

test('when a node reads itself, then CYCLE is reported naming it', () => {
  const issues = validateGraph({ nodes: [{ op: 'add', args: [X, N0] }], output: N0 });
  assert.deepEqual(issues.map((i) => i.code), ['CYCLE']);
  assert.match(issues[0].message, /cycle: n0 -> n0/);
});

test('when two nodes read each other, then CYCLE names the loop', () => {
  const graph = { nodes: [{ op: 'add' as const, args: [X, N1] }, { op: 'exp' as const, args: [N0] }], output: N1 };
  const issues = validateGraph(graph);
  assert.ok(issues.some((i) => i.code === 'CYCLE' && /n0 -> n1 -> n0/.test(i.message)));
  assert.ok(issues.some((i) => i.code === 'FORWARD_REFERENCE'));
});

test('when the output ignores x, then NO_X_DEPENDENCE is reported', () => {
  assert.deepEqual(codes({ nodes: [{ op: 'add', args: [ZERO, V1] }], output: N0 }), ['NO_X_DEPENDENCE']);
  assert.deepEqual(codes({ nodes: [], output: V1 }), ['NO_X_DEPENDENCE']);
  // A node that reads x exists but is dead: the output still ignores x.
  assert.deepEqual(codes({ nodes: [{ op: 'exp', args: [X] }, { op: 'exp', args: [V1] }], output: N1 }), ['NO_X_DEPENDENCE']);
});

test('when there are more nodes than the limit, then TOO_MANY_NODES is reported', () => {
  const chain = (n: number): LayerGraph => ({
    nodes: Array.from({ length: n }, (_, k) => ({ op: 'tanh' as const, args: [k === 0 ? X : N0 + k - 1] })),
    output: N0 + n - 1,
  });
  assert.deepEqual(codes(chain(10)), []);
  assert.deepEqual(codes(chain(11)), ['TOO_MANY_NODES']);
  assert.deepEqual(codes(chain(11), 20), []);
  assert.deepEqual(codes(chain(3), 2), ['TOO_MANY_NODES']);
});

test('when the output is out of range, then BAD_OUTPUT is reported', () => {
  assert.deepEqual(codes({ ...swish, output: N2 }), ['BAD_OUTPUT']);
  assert.deepEqual(codes({ ...swish, output: -1 }), ['BAD_OUTPUT']);
});

test('when the post-affine activation is unknown, then BAD_OUTPUT is reported', () => {
  const graph = { ...swish, activation: 'gelu' } as unknown as LayerGraph;
  assert.deepEqual(codes(graph), ['BAD_OUTPUT']);
  assert.deepEqual(codes({ ...swish, activation: 'relu' }), []);
});

test('when a graph is invalid, then assertValidGraph throws BAD_GRAPH listing the issues', () => {
  const graph = { nodes: [{ op: 'mul' as const, args: [ZERO] }], output: N0 };
  assert.throws(
    () => assertValidGraph(graph),
    (err: unknown) => isEvonormError(err) && err.code === 'BAD_GRAPH' && /ARITY/.test(err.message),
  );
});
