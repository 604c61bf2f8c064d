import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDot } from '../../src/graph/dot.js';
import { formatNodeTable, nodeTable } from '../../src/graph/table.js';
import { parseExpression } from '../../src/graph/parse.js';
import type { LayerGraph } from '../../src/graph/types.js';

const s1 = parseExpression('x * sigmoid(x) / sqrt(var_group(x))');

test('when a node table is built, then it has a header and one row per node with args by name', () => {
  const rows = nodeTable(s1);
  assert.deepEqual(rows[0], ['index', 'name', 'op', 'args', 'note']);
  assert.equal(rows.length, 1 + s1.nodes.length);
  assert.deepEqual(rows[1], ['5', 'n0', 'sigmoid', 'x', '']);
  assert.deepEqual(rows[2], ['6', 'n1', 'mul', 'x, n0', '']);
  assert.equal(rows.at(-1)?.[4], 'output → affine');
});

test('when a node is dead or the layer has a post-affine activation, then the note says so', () => {
  const g: LayerGraph = { nodes: [{ op: 'exp', args: [0] }, { op: 'tanh', args: [0] }], output: 6, activation: 'relu' };
  const rows = nodeTable(g);
  assert.equal(rows[1][4], 'dead');
  assert.equal(rows[2][4], 'output → affine → relu');
  const text = formatNodeTable(g);
  assert.equal(text.split('\n').length, 3);
  assert.ok(text.split('\n').every((line) => line === line.trimEnd()));
});

test('when the output is x itself, then the table has a row for it', () => {
  assert.deepEqual(nodeTable({ nodes: [], output: 0 })[1], ['0', 'x', 'input', '', 'output → affine']);
});

test('when a graph is drawn, then every node and edge appears in the DOT text', () => {
  const dot = toDot(s1, 'evonorm-s1');
  assert.match(dot, /^digraph "evonorm-s1" \{/);
  for (const node of ['n0: sigmoid', 'n1: mul', 'n2: var_group', 'n3: sqrt', 'n4: div']) assert.ok(dot.includes(`"${node}"`), node);
  assert.ok(dot.includes('"x" -> "n0";'));
  assert.ok(dot.includes('"n1" -> "n4" [label="0"];'), 'div args are ordered');
  assert.ok(dot.includes('"n4" -> "output";'));
  assert.equal(dot.match(/->/g)?.length, 7 + 1); // one edge per argument, one to the affine
  assert.ok(dot.trimEnd().endsWith('}'));
});
