import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZOO, ZOO_NAMES, zooLayer } from '../../src/graph/zoo.js';
import { validateGraph } from '../../src/graph/validate.js';
import { canonicalHash } from '../../src/graph/canonical.js';
import { printExpression } from '../../src/graph/print.js';
import type { OpName } from '../../src/graph/ops.js';
import { isEvonormError } from '../../src/util/errors.js';

/** The ops each layer must contain, from the formulas of PAPER.md §2. */
const EXPECTED_OPS: Record<string, OpName[]> = {
  'bn-relu': ['mean_batch', 'var_batch', 'sqrt', 'sub', 'div'],
  'bn-swish': ['mean_batch', 'var_batch', 'sqrt'],
  'gn-relu': ['mean_group', 'var_group', 'sqrt'],
  'gn-swish': ['mean_group', 'var_group', 'sqrt'],
  'ln-relu': ['mean_layer', 'var_layer', 'sqrt'],
  'identity-affine': [],
  'evonorm-b0': ['var_batch', 'var_instance', 'max', 'mul', 'add', 'div'],
  'evonorm-b1': ['var_batch', 'mean_instance', 'square', 'max', 'add'],
  'evonorm-b2': ['var_batch', 'mean_instance', 'square', 'max', 'sub'],
  'evonorm-s0': ['sigmoid', 'var_group', 'mul', 'div'],
  'evonorm-s1': ['sigmoid', 'var_group'],
  'evonorm-s2': ['sigmoid', 'mean_group', 'square'],
};

test('when each zoo layer is parsed, then it is valid and contains its expected ops', () => {
  assert.deepEqual([...ZOO_NAMES].sort(), Object.keys(EXPECTED_OPS).sort());
  for (const name of ZOO_NAMES) {
    const graph = zooLayer(name);
    assert.deepEqual(validateGraph(graph), [], name);
    const ops = new Set(graph.nodes.map((n) => n.op));
    for (const op of EXPECTED_OPS[name]) assert.ok(ops.has(op), `${name} uses ${op}`);
    assert.equal(printExpression(graph), ZOO[name].expression, `${name} prints as written`);
  }
});

test('when zoo layers are hashed, then every layer is distinct', () => {
  const hashes = new Set(ZOO_NAMES.map((name) => canonicalHash(zooLayer(name))));
  assert.equal(hashes.size, ZOO_NAMES.length);
});

test('when a layer applies its activation after the affine, then the graph says so', () => {
  assert.equal(zooLayer('bn-relu').activation, 'relu');
  assert.equal(zooLayer('gn-relu').activation, 'relu');
  assert.equal(zooLayer('bn-swish').activation, 'swish');
  for (const name of ZOO_NAMES.filter((n) => n.startsWith('evonorm'))) assert.equal(zooLayer(name).activation, undefined);
});

test('when the families are listed, then B layers use batch statistics and S layers do not', () => {
  for (const name of ZOO_NAMES) {
    const batch = zooLayer(name).nodes.some((n) => n.op.endsWith('_batch'));
    if (ZOO[name].family === 'B') assert.ok(batch, name);
    if (ZOO[name].family === 'S') assert.ok(!batch, name);
  }
});

test('when an unknown zoo name is asked for, then BAD_INPUT suggests the closest', () => {
  assert.throws(() => zooLayer('evonorm-s9'), (err: unknown) => isEvonormError(err) && err.code === 'BAD_INPUT' && /evonorm-s0/.test(err.message));
});
