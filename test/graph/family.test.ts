import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { structuralFamily } from '../../src/graph/family.js';
import { parseExpression } from '../../src/graph/parse.js';
import { ZOO_NAMES, zooLayer } from '../../src/graph/zoo.js';
import { canonicalize } from '../../src/graph/canonical.js';
import { randomGraph } from '../../src/search/random-graph.js';
import { searchSpace } from '../../src/search/space.js';
import { Rng } from '../../src/util/rng.js';

const family = (expression: string): string => structuralFamily(parseExpression(expression));

test('when the zoo layers are read, then they fall into four families', () => {
  const byName = Object.fromEntries(ZOO_NAMES.map((name) => [name, structuralFamily(zooLayer(name))]));
  assert.deepEqual(byName, {
    'bn-relu': 'relu∘affine∘div',
    'bn-swish': 'swish∘affine∘div',
    'gn-relu': 'relu∘affine∘div',
    'gn-swish': 'swish∘affine∘div',
    'ln-relu': 'relu∘affine∘div',
    'identity-affine': 'x',
    'evonorm-b0': 'div',
    'evonorm-b1': 'div',
    'evonorm-b2': 'div',
    'evonorm-s0': 'div',
    'evonorm-s1': 'div',
    'evonorm-s2': 'div',
  });
});

test('when the four tanh layers of the discovery-1 front are read, then they are one family', () => {
  const front = [
    'tanh(x / max(var_batch(x), mean_instance(sigmoid(mean_group(v1)))))',
    'tanh((x + mean_group(log(abs(square(exp((one + one) * zero)))))) / exp((one + one) * zero))',
    'tanh((x + var_instance(square(v0))) / square(mean_batch(exp(square(v0)))))',
    'tanh(x / (mean_group(exp(mean_batch(v1))) / exp(mean_batch(v1))))',
  ];
  assert.deepEqual(front.map(family), ['tanh∘div', 'tanh∘div', 'tanh∘div', 'tanh∘div']);
});

test('when a chain of unary ops ends at an initial node, then the node closes the family', () => {
  assert.equal(family('tanh(x)'), 'tanh∘x');
  assert.equal(family('-sigmoid(mean_batch(x))'), 'neg∘sigmoid∘mean_batch∘x');
  assert.equal(family('x'), 'x');
  assert.equal(family('sqrt(var_instance(x)) * x'), 'mul');
  assert.equal(family('tanh(abs(x) + v0)'), 'tanh∘add');
});

test('when two graphs have the same canonical form, then they have the same family', () => {
  const space = searchSpace({ maxNodes: 8 });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const graph = randomGraph(Rng.fromSeed(seed), space);
      const fam = structuralFamily(graph);
      assert.equal(structuralFamily(canonicalize(graph)), fam);
      assert.match(fam, /^[a-z_]+(∘[a-z0-9_]+)*$/);
    }),
    { numRuns: 200 },
  );
});
