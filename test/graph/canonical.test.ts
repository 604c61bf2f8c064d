import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHash, canonicalize, structuralKey } from '../../src/graph/canonical.js';
import type { LayerGraph } from '../../src/graph/types.js';
import { isEvonormError } from '../../src/util/errors.js';

const X = 0, V1 = 4, N0 = 5, N1 = 6, N2 = 7, N3 = 8;

/** x * sigmoid(v1 * x), written in one order. */
const s0a: LayerGraph = {
  nodes: [{ op: 'mul', args: [V1, X] }, { op: 'sigmoid', args: [N0] }, { op: 'mul', args: [X, N1] }],
  output: N2,
};
/** The same expression with commutative args swapped, a dead node, and a different numbering. */
const s0b: LayerGraph = {
  nodes: [{ op: 'exp', args: [X] }, { op: 'mul', args: [X, V1] }, { op: 'sigmoid', args: [N1] }, { op: 'mul', args: [N2, X] }],
  output: N3,
};

test('when two graphs differ only in numbering, dead nodes and commutative order, then they hash alike', () => {
  assert.equal(canonicalHash(s0a), canonicalHash(s0b));
  assert.deepEqual(canonicalize(s0a), canonicalize(s0b));
  assert.match(canonicalHash(s0a), /^[0-9a-f]{64}$/);
});

test('when a graph is canonicalized, then dead nodes are gone and the output is last', () => {
  const c = canonicalize(s0b);
  assert.equal(c.nodes.length, 3);
  assert.equal(c.output, N0 + 2);
});

test('when a subexpression is repeated in two nodes, then the canonical form merges them', () => {
  // sigmoid(x) * sigmoid(x) with the two sigmoids as separate nodes.
  const g: LayerGraph = { nodes: [{ op: 'sigmoid', args: [X] }, { op: 'sigmoid', args: [X] }, { op: 'mul', args: [N0, N1] }], output: N2 };
  const c = canonicalize(g);
  assert.deepEqual(c, { nodes: [{ op: 'sigmoid', args: [X] }, { op: 'mul', args: [N0, N0] }], output: N1 });
});

test('when canonicalize runs twice, then the second run changes nothing', () => {
  const once = canonicalize(s0b);
  assert.deepEqual(canonicalize(once), once);
});

test('when a non-commutative op has its args swapped, then the hash changes', () => {
  const a: LayerGraph = { nodes: [{ op: 'div', args: [X, V1] }], output: N0 };
  const b: LayerGraph = { nodes: [{ op: 'div', args: [V1, X] }], output: N0 };
  assert.notEqual(canonicalHash(a), canonicalHash(b));
});

test('when only the post-affine activation differs, then the hash differs', () => {
  assert.notEqual(canonicalHash(s0a), canonicalHash({ ...s0a, activation: 'relu' }));
  assert.notEqual(canonicalHash({ ...s0a, activation: 'swish' }), canonicalHash({ ...s0a, activation: 'relu' }));
  assert.equal(canonicalize({ ...s0b, activation: 'relu' }).activation, 'relu');
});

test('when nodes are given in a forward-referencing but acyclic order, then canonicalize sorts them', () => {
  const g: LayerGraph = { nodes: [{ op: 'mul', args: [X, N1] }, { op: 'sigmoid', args: [X] }], output: N0 };
  const c = canonicalize(g);
  assert.deepEqual(c.nodes, [{ op: 'sigmoid', args: [X] }, { op: 'mul', args: [X, N0] }]);
});

test('when the structural key is built, then it spells the canonical nodes and output', () => {
  assert.equal(structuralKey(s0a), 'mul(0,4);sigmoid(5);mul(0,6)>7');
  assert.equal(structuralKey({ nodes: [], output: X }), '>0');
});

test('when a graph has a cycle, then canonicalize throws BAD_GRAPH', () => {
  const g: LayerGraph = { nodes: [{ op: 'add', args: [X, N1] }, { op: 'exp', args: [N0] }], output: N1 };
  assert.throws(() => canonicalize(g), (err: unknown) => isEvonormError(err) && err.code === 'BAD_GRAPH');
});

test('when nodes share a height, then they are ordered by op name then args', () => {
  const g: LayerGraph = {
    nodes: [{ op: 'var_group', args: [X] }, { op: 'sqrt', args: [N0] }, { op: 'sigmoid', args: [X] }, { op: 'mul', args: [N2, X] }, { op: 'div', args: [N3, N1] }],
    output: N0 + 4,
  };
  assert.equal(structuralKey(g), 'sigmoid(0);var_group(0);mul(0,5);sqrt(6);div(7,8)>9');
});
