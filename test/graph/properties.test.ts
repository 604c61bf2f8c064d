import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalHash, canonicalize } from '../../src/graph/canonical.js';
import { graphFromJson, graphToJson } from '../../src/graph/json.js';
import { INPUT_COUNT, OPS, OP_NAMES } from '../../src/graph/ops.js';
import { parseExpression } from '../../src/graph/parse.js';
import { printExpression } from '../../src/graph/print.js';
import type { LayerGraph } from '../../src/graph/types.js';
import { validateGraph } from '../../src/graph/validate.js';
import { arbitraryGraph, liveIntermediate } from './arbitraries.js';

const graphs = arbitraryGraph();

test('when a random graph is generated, then it is valid', () => {
  fc.assert(fc.property(graphs, (g) => validateGraph(g).length === 0));
});

test('when a graph is printed and parsed back, then its canonical hash is unchanged', () => {
  fc.assert(
    fc.property(graphs, (g) => {
      assert.equal(canonicalHash(parseExpression(printExpression(g))), canonicalHash(g));
    }),
  );
});

test('when a canonical graph is printed, parsed and printed again, then the text is the same', () => {
  fc.assert(
    fc.property(graphs, (g) => {
      const text = printExpression(canonicalize(g));
      assert.equal(printExpression(parseExpression(text)), text);
      assert.deepEqual(canonicalize(parseExpression(text)), canonicalize(g));
    }),
  );
});

test('when canonicalize is applied twice, then the second application changes nothing', () => {
  fc.assert(
    fc.property(graphs, (g) => {
      const once = canonicalize(g);
      assert.deepEqual(canonicalize(once), once);
      assert.equal(canonicalHash(once), canonicalHash(g));
    }),
  );
});

test('when a valid graph is canonicalized, then it stays valid and has no more nodes', () => {
  fc.assert(
    fc.property(graphs, (g) => {
      const c = canonicalize(g);
      assert.deepEqual(validateGraph(c), []);
      assert.ok(c.nodes.length <= g.nodes.length);
    }),
  );
});

test('when the args of commutative nodes are swapped, then the hash is unchanged', () => {
  fc.assert(
    fc.property(graphs, fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (g, flips) => {
      const swapped: LayerGraph = {
        ...g,
        nodes: g.nodes.map((n, k) => (OPS[n.op].commutative && flips[k] ? { op: n.op, args: [n.args[1], n.args[0]] } : n)),
      };
      assert.equal(canonicalHash(swapped), canonicalHash(g));
    }),
  );
});

test('when a live node gets a different op of the same arity, then the hash changes', () => {
  fc.assert(
    fc.property(graphs, fc.nat(), fc.nat(), (g, pickNode, pickOp) => {
      const live = liveIntermediate(g);
      const index = live[pickNode % live.length];
      const node = g.nodes[index - INPUT_COUNT];
      const others = OP_NAMES.filter((op) => op !== node.op && OPS[op].arity === OPS[node.op].arity);
      const nodes = g.nodes.slice();
      nodes[index - INPUT_COUNT] = { op: others[pickOp % others.length], args: node.args };
      assert.notEqual(canonicalHash({ ...g, nodes }), canonicalHash(g));
    }),
  );
});

test('when a graph goes through JSON, then it comes back identical', () => {
  fc.assert(
    fc.property(graphs, (g) => {
      const text = JSON.stringify(graphToJson(g, { name: 'g' }));
      assert.deepEqual(graphFromJson(JSON.parse(text)), g);
    }),
  );
});

test('when JSON nodes are listed in a shuffled order, then they load with the same hash', () => {
  fc.assert(
    fc.property(graphs, fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (g, keys) => {
      const doc = graphToJson(g);
      const order = doc.nodes.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
      const shuffled = { ...doc, nodes: order.map((i) => doc.nodes[i]) };
      assert.equal(canonicalHash(graphFromJson(shuffled)), canonicalHash(g));
    }),
  );
});

test('when two layers differ in one op, then their hashes differ', () => {
  assert.notEqual(canonicalHash(parseExpression('x * sigmoid(x)')), canonicalHash(parseExpression('x * tanh(x)')));
  assert.notEqual(canonicalHash(parseExpression('x / sqrt(var_group(x))')), canonicalHash(parseExpression('x / sqrt(var_batch(x))')));
  assert.equal(canonicalHash(parseExpression('x * sigmoid(x)')), canonicalHash(parseExpression('sigmoid(x) * x')));
});
