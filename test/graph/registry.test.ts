import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPS, OP_NAMES, ELEMENTWISE_UNARY, isOpName } from '../../src/graph/ops.js';
import { nonNegativeNodes } from '../../src/graph/nonnegative.js';
import { liveNodes } from '../../src/graph/live.js';
import { parseExpression } from '../../src/graph/parse.js';
import { printExpression } from '../../src/graph/print.js';
import { canonicalHash } from '../../src/graph/canonical.js';
import { graphFromJson, graphToJson } from '../../src/graph/json.js';
import { PAPER_OPS } from '../../src/search/space.js';
import { Rng } from '../../src/util/rng.js';

const SAMPLES = [-3, -1, -0.25, 0, 1e-3, 0.5, 2, 40];

test('when the registry is read, then every element-wise op has a float64 implementation and code for every target', () => {
  for (const name of OP_NAMES) {
    const spec = OPS[name];
    assert.equal(spec.name, name);
    if (spec.kind === 'aggregation') {
      assert.ok(spec.statistic && spec.axes, name);
      continue;
    }
    assert.equal(typeof spec.float64, 'function', name);
    for (const target of ['torch', 'keras', 'tfjs'] as const) {
      const code = spec.code?.[target] ?? '';
      assert.ok(code.includes('$a'), `${name}/${target}: ${code}`);
      assert.equal(code.includes('$b'), spec.arity === 2, `${name}/${target} reads $b iff binary`);
    }
  }
});

test('when an op claims a non-negative value, then its float64 implementation never goes below 0 on samples', () => {
  const rng = Rng.fromSeed('registry-sign');
  for (const name of OP_NAMES) {
    const spec = OPS[name];
    if (spec.kind !== 'elementwise') continue;
    for (let i = 0; i < 200; i++) {
      const free = SAMPLES[rng.int(SAMPLES.length)]!;
      const pos = Math.abs(SAMPLES[rng.int(SAMPLES.length)]!);
      const [a, b] =
        spec.nonNegative === 'always' ? [free, free * 0.7] :
        spec.nonNegative === 'first' ? [pos, free] :
        spec.nonNegative === 'both' ? [pos, pos + 0.1] :
        spec.nonNegative === 'either' ? [pos, free] : [NaN, NaN];
      if (Number.isNaN(a)) break;
      assert.ok(spec.float64!(a, b, 1e-5) >= 0, `${name}(${a}, ${b})`);
    }
  }
});

test('when softplus is evaluated in float64, then it is ln(1 + eᵃ) without overflow', () => {
  const f = OPS.softplus.float64!;
  for (const a of [-30, -2, 0, 0.5, 3]) assert.ok(Math.abs(f(a, a, 0) - Math.log(1 + Math.exp(a))) < 1e-12, `softplus(${a})`);
  assert.equal(f(1000, 1000, 0), 1000);
  assert.ok(f(-1000, -1000, 0) >= 0);
  assert.ok(ELEMENTWISE_UNARY.includes('softplus'));
  assert.ok(!PAPER_OPS.includes('softplus'), 'softplus is an extension, not in the paper\'s space');
});

test('when softplus is written in an expression, then it parses, prints back and survives the JSON format', () => {
  const text = 'x * softplus(v1 * x) / sqrt(var_group(x))';
  const graph = parseExpression(text);
  assert.ok(graph.nodes.some((n) => n.op === 'softplus'));
  assert.equal(printExpression(graph), text);
  assert.equal(canonicalHash(graphFromJson(graphToJson(graph))), canonicalHash(graph));
  assert.throws(() => parseExpression('softplus(x, x)'), /argument/);
  assert.ok(isOpName('softplus'));
});

test('when a graph has softplus, then the non-negativity analysis knows its value is ≥ 0', () => {
  const graph = parseExpression('sqrt(softplus(x)) + sqrt(x)');
  const known = nonNegativeNodes(graph);
  const softplus = graph.nodes.findIndex((n) => n.op === 'softplus') + 5;
  assert.equal(known[softplus], true);
  assert.equal(known[0], false);
});

test('when a graph has a long chain, then liveNodes finds every node without recursion', () => {
  const n = 20_000;
  const nodes = Array.from({ length: n }, (_, k) => ({ op: 'neg' as const, args: [k === 0 ? 0 : 5 + k - 1] }));
  const live = liveNodes({ nodes, output: 5 + n - 1 });
  assert.equal(live.size, n + 1);
  const dead = liveNodes({ nodes: [{ op: 'exp', args: [0] }, { op: 'neg', args: [0] }], output: 6 });
  assert.deepEqual([...dead].sort(), [0, 6]);
});
