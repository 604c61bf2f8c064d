import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalHash, canonicalize, liveNodes, validateGraph, zooLayer, INPUT_COUNT, OPS, type LayerGraph } from '../../src/graph/index.js';

/** True when node `from` is `target` or reads it, directly or not (test oracle). */
function reads(graph: LayerGraph, from: number, target: number): boolean {
  if (from === target) return true;
  if (from < INPUT_COUNT) return false;
  return graph.nodes[from - INPUT_COUNT].args.some((a) => reads(graph, a, target));
}
import { Rng } from '../../src/util/rng.js';
import { mutate, mutationOptions } from '../../src/search/mutate.js';
import { randomGraph } from '../../src/search/random-graph.js';
import { PAPER_OPS, searchSpace } from '../../src/search/space.js';
import { EvonormError } from '../../src/util/errors.js';

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const allKinds = mutationOptions({ weights: { op: 1, args: 1, both: 1, insert: 1, delete: 1, wrap: 1 } });

test('when random graphs are drawn from many seeds, then each validates within the node limit and ends in its last node', () => {
  const space = searchSpace({ maxNodes: 6, minNodes: 2 });
  fc.assert(
    fc.property(seeds, (seed) => {
      const graph = randomGraph(Rng.fromSeed(seed), space);
      assert.deepEqual(validateGraph(graph, { maxNodes: 6 }), []);
      assert.ok(graph.nodes.length >= 2 && graph.nodes.length <= 6);
      assert.equal(graph.output, INPUT_COUNT + graph.nodes.length - 1);
      for (const node of graph.nodes) assert.ok(space.ops.includes(node.op));
    }),
    { numRuns: 300 },
  );
});

test('when the space restricts ops and inputs, then random graphs use only those', () => {
  const space = searchSpace({ ops: ['add', 'mul', 'var_instance'], inputs: ['x', 'v1'], maxNodes: 5 });
  fc.assert(
    fc.property(seeds, (seed) => {
      const graph = randomGraph(Rng.fromSeed(seed), space);
      graph.nodes.forEach((node, k) => {
        assert.ok(['add', 'mul', 'var_instance'].includes(node.op));
        for (const a of node.args) assert.ok(a === 0 || a === 4 || (a >= INPUT_COUNT && a < INPUT_COUNT + k));
      });
    }),
    { numRuns: 200 },
  );
});

test('when the default space is built, then it holds exactly the paper ops, 10 nodes and every input', () => {
  const space = searchSpace();
  assert.deepEqual([...space.ops], PAPER_OPS);
  assert.ok(space.ops.every((op) => OPS[op].paper));
  assert.equal(space.maxNodes, 10);
  assert.deepEqual([...space.inputs], ['x', 'zero', 'one', 'v0', 'v1']);
});

test('when the space lacks x or has bad limits, then searchSpace throws BAD_CONFIG', () => {
  for (const bad of [{ inputs: ['v0' as const] }, { ops: [] }, { maxNodes: 0 }, { minNodes: 5, maxNodes: 3 }]) {
    assert.throws(() => searchSpace(bad), (err: unknown) => err instanceof EvonormError && err.code === 'BAD_CONFIG');
  }
});

test('when a random graph is mutated with every kind enabled, then the child validates and its structure changed', () => {
  const space = searchSpace({ maxNodes: 7 });
  fc.assert(
    fc.property(seeds, (seed) => {
      const rng = Rng.fromSeed(seed);
      const parent = randomGraph(rng, space);
      const { graph, info } = mutate(rng, parent, space, allKinds);
      assert.deepEqual(validateGraph(graph, { maxNodes: 7 }), []);
      assert.notEqual(canonicalHash(graph), canonicalHash(parent));
      assert.ok(info.attempts >= 1 && info.attempts <= allKinds.maxAttempts);
    }),
    { numRuns: 300 },
  );
});

test('when a graph is mutated repeatedly, then every generation stays valid and changes', () => {
  const space = searchSpace({ maxNodes: 10 });
  fc.assert(
    fc.property(seeds, (seed) => {
      const rng = Rng.fromSeed(seed);
      let graph = randomGraph(rng, space);
      for (let step = 0; step < 20; step++) {
        const child = mutate(rng, graph, space, allKinds).graph;
        assert.deepEqual(validateGraph(child, { maxNodes: 10 }), []);
        assert.notEqual(canonicalHash(child), canonicalHash(graph));
        graph = child;
      }
    }),
    { numRuns: 50 },
  );
});

test('when only the default kinds are on, then the node count and post-affine activation are kept', () => {
  const space = searchSpace({ maxNodes: 10 });
  fc.assert(
    fc.property(seeds, (seed) => {
      const rng = Rng.fromSeed(seed);
      const parent: LayerGraph = { ...randomGraph(rng, space), activation: 'relu' };
      const { graph, info } = mutate(rng, parent, space);
      if (!info.fallback) {
        assert.equal(graph.nodes.length, parent.nodes.length);
        assert.equal(graph.activation, 'relu');
        // The chosen node is one the output reads (its canonical form changes), and only it differs.
        assert.ok(reads(parent, parent.output, INPUT_COUNT + info.node));
        graph.nodes.forEach((node, k) => {
          if (k !== info.node) assert.deepEqual(node, parent.nodes[k]);
        });
      }
    }),
    { numRuns: 200 },
  );
});

test('when insert or delete is the only kind, then the node count grows or shrinks by one', () => {
  const space = searchSpace({ maxNodes: 10, minNodes: 2 });
  const insert = mutationOptions({ weights: { op: 0, args: 0, both: 0, insert: 1 } });
  const del = mutationOptions({ weights: { op: 0, args: 0, both: 0, delete: 1 } });
  fc.assert(
    fc.property(seeds, (seed) => {
      const rng = Rng.fromSeed(seed);
      const parent = randomGraph(rng, searchSpace({ maxNodes: 8, minNodes: 3 }));
      const grown = mutate(rng, parent, space, insert);
      if (!grown.info.fallback) assert.equal(grown.graph.nodes.length, parent.nodes.length + 1);
      const shrunk = mutate(rng, parent, space, del);
      if (!shrunk.info.fallback) assert.equal(shrunk.graph.nodes.length, parent.nodes.length - 1);
      assert.deepEqual(validateGraph(grown.graph, { maxNodes: 10 }), []);
      assert.deepEqual(validateGraph(shrunk.graph, { maxNodes: 10 }), []);
    }),
    { numRuns: 200 },
  );
});

test('when wrap is the only kind, then the child keeps the parent as a subexpression of one more live node', () => {
  const space = searchSpace({ maxNodes: 10 });
  const wrap = mutationOptions({ weights: { op: 0, args: 0, both: 0, wrap: 1 } });
  fc.assert(
    fc.property(seeds, (seed) => {
      const rng = Rng.fromSeed(seed);
      const parent = randomGraph(rng, searchSpace({ maxNodes: 6 }));
      const child = mutate(rng, parent, space, wrap);
      assert.deepEqual(validateGraph(child.graph, { maxNodes: 10 }), []);
      if (!child.info.fallback) assert.equal(child.graph.nodes.length, parent.nodes.length + 1);
    }),
    { numRuns: 200 },
  );
});

test('when x * sigmoid(x) / sqrt(var_group(x)) is wrapped, then EvoNorm-S0 is one wrap away', () => {
  const space = searchSpace({});
  const wrap = mutationOptions({ weights: { op: 0, args: 0, both: 0, wrap: 1 } });
  const s1 = canonicalize(zooLayer('evonorm-s1'));
  const target = canonicalHash(zooLayer('evonorm-s0'));
  let found = false;
  for (let seed = 0; seed < 3000 && !found; seed++) found = canonicalHash(mutate(Rng.fromSeed(seed), s1, space, wrap).graph) === target;
  assert.ok(found);
});

test('when no mutation can change the graph, then mutate falls back to a different random graph and says so', () => {
  // One unary op and one input: neg(x) has no structurally different single-node neighbour.
  const space = searchSpace({ ops: ['neg'], inputs: ['x'], maxNodes: 3 });
  const parent: LayerGraph = { nodes: [{ op: 'neg', args: [0] }], output: INPUT_COUNT };
  const { graph, info } = mutate(Rng.fromSeed(7), parent, space, mutationOptions({ maxAttempts: 5 }));
  assert.equal(info.fallback, true);
  assert.equal(info.kind, 'random');
  assert.deepEqual(validateGraph(graph, { maxNodes: 3 }), []);
  assert.notEqual(canonicalHash(graph), canonicalHash(parent));
});

test('when the same seed mutates the same graph, then the child is the same; different seeds differ', () => {
  const space = searchSpace();
  const parent = randomGraph(Rng.fromSeed('p'), space);
  const a = mutate(Rng.fromSeed(1), parent, space);
  const b = mutate(Rng.fromSeed(1), parent, space);
  assert.deepEqual(a, b);
  const hashes = new Set(Array.from({ length: 20 }, (_, s) => canonicalHash(mutate(Rng.fromSeed(s), parent, space).graph)));
  assert.ok(hashes.size > 1);
});

/** The parent's dead nodes (as ops and args), for comparing drift. */
function deadNodes(graph: LayerGraph): string[] {
  const live = liveNodes(graph);
  return graph.nodes.filter((_, k) => !live.has(INPUT_COUNT + k)).map((node) => `${node.op}(${node.args.join(',')})`);
}

// x*sigmoid(x) with two dead nodes, at the node limit of 4.
const FULL_WITH_DEAD: LayerGraph = {
  nodes: [
    { op: 'var_group', args: [0] },
    { op: 'sigmoid', args: [0] },
    { op: 'tanh', args: [3] },
    { op: 'mul', args: [0, INPUT_COUNT + 1] },
  ],
  output: INPUT_COUNT + 3,
};

test('when a full graph has dead nodes, then wrap and insert make room by dropping one and stay within the limit', () => {
  const space = searchSpace({ maxNodes: 4 });
  for (const kind of ['wrap', 'insert'] as const) {
    const only = mutationOptions({ weights: { op: 0, args: 0, both: 0, [kind]: 1 } });
    for (let seed = 0; seed < 50; seed++) {
      const { graph, info } = mutate(Rng.fromSeed(seed), FULL_WITH_DEAD, space, only);
      assert.equal(info.fallback, false, `${kind} fell back on seed ${seed}`);
      assert.equal(info.kind, kind);
      assert.deepEqual(validateGraph(graph, { maxNodes: 4 }), []);
      assert.equal(graph.nodes.length, 4);
    }
  }
});

test('when drift is on, then dead nodes are re-drawn alongside the mutation; when off, they are inherited', () => {
  const space = searchSpace({ maxNodes: 10 });
  const opOnly = { op: 0, args: 0, both: 0, wrap: 1 }; // wrap keeps every live node live
  let changed = 0;
  for (let seed = 0; seed < 40; seed++) {
    const still = mutate(Rng.fromSeed(seed), FULL_WITH_DEAD, space, mutationOptions({ weights: opOnly }));
    // Without drift every dead node is inherited (one may have come alive: wrap can read it).
    for (const node of deadNodes(still.graph)) assert.ok(deadNodes(FULL_WITH_DEAD).includes(node));
    const drifted = mutate(Rng.fromSeed(seed), FULL_WITH_DEAD, space, mutationOptions({ weights: opOnly, drift: 1 }));
    assert.deepEqual(validateGraph(drifted.graph, { maxNodes: 10 }), []);
    assert.notEqual(canonicalHash(drifted.graph), canonicalHash(FULL_WITH_DEAD));
    if (deadNodes(drifted.graph).some((node) => !deadNodes(FULL_WITH_DEAD).includes(node))) changed++;
  }
  // A re-drawn node can equal the old one by chance (rarely, with 18 ops and several inputs).
  assert.ok(changed >= 30, `dead nodes changed in only ${changed}/40 children`);
  assert.throws(() => mutationOptions({ drift: 1.5 }), RangeError);
});
