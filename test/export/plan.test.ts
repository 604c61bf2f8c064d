import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/graph/parse.js';
import type { LayerGraph } from '../../src/graph/types.js';
import { generateCode, planLayer, CODE_FORMATS } from '../../src/export/index.js';
import { isEvonormError } from '../../src/util/errors.js';

test('when a graph has dead nodes, then the plan and every generated file leave them out', () => {
  // n0 = exp(x) is dead; n1 = sigmoid(x) is live.
  const graph: LayerGraph = { nodes: [{ op: 'exp', args: [0] }, { op: 'sigmoid', args: [0] }], output: 6 };
  const plan = planLayer(graph, 'torch');
  assert.deepEqual(plan.steps.map((s) => s.id), ['n1']);
  for (const format of CODE_FORMATS) {
    const { source } = generateCode(graph, format, { name: 'dead' });
    assert.doesNotMatch(source, /\bn0\b/, format);
    assert.doesNotMatch(source, /exp\(/, format);
  }
});

test('when a subexpression appears twice (commutative arguments swapped too), then it is computed once', () => {
  const graph: LayerGraph = {
    nodes: [
      { op: 'mul', args: [4, 0] }, // n0 = v1 * x
      { op: 'mul', args: [0, 4] }, // n1 = x * v1, the same value
      { op: 'sigmoid', args: [5] }, // n2 = sigmoid(n0)
      { op: 'sigmoid', args: [6] }, // n3 = sigmoid(n1), the same value
      { op: 'add', args: [7, 8] }, // n4 = n2 + n3
    ],
    output: 9,
  };
  const plan = planLayer(graph, 'torch');
  assert.deepEqual(plan.steps.map((s) => `${s.id}=${s.op}(${s.args.join(',')})`), ['n0=mul(v1,x)', 'n2=sigmoid(n0)', 'n4=add(n2,n2)']);
  assert.equal(plan.ids.get(8), 'n2');
});

test('when code is generated, then each planned node is one line with a comment naming it', () => {
  const graph = parseExpression('x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))');
  const plan = planLayer(graph, 'torch');
  for (const format of CODE_FORMATS) {
    const lines = generateCode(graph, format, { name: 'evonorm-b0' }).source.split('\n');
    for (const step of plan.steps) {
      const defining = lines.filter((l) => new RegExp(`^\\s*(const )?${step.id} = `).test(l));
      assert.equal(defining.length, 1, `${format}: ${step.id}`);
      assert.match(defining[0]!, new RegExp(`(#|//) ${step.id}: ${escape(step.comment)}$`), format);
    }
  }
});

test('when sqrt reads a provably non-negative value, then the code skips sign⁺, as GraphLayer does', () => {
  const plan = planLayer(parseExpression('sqrt(var_instance(x)) + sqrt(x)'), 'torch');
  const source = generateCode(parseExpression('sqrt(var_instance(x)) + sqrt(x)'), 'pytorch').source;
  assert.equal(plan.usesSignPlus, true);
  assert.match(source, /torch\.sqrt\(n0 \+ self\.eps\)/);
  assert.match(source, /_sign_plus\(x\) \* torch\.sqrt\(torch\.abs\(x\) \+ self\.eps\)/);
});

test('when a layer has several batch statistics of a kind, then each gets its own buffer named after its node', () => {
  const plan = planLayer(parseExpression('(x - mean_batch(x)) / sqrt(var_batch(x)) + var_batch(square(x))'), 'torch');
  assert.deepEqual(plan.batchStats.map((b) => b.buffer), plan.batchStats.map((b) => (b.statistic === 'mean' ? 'running_mean' : `running_var_${b.step}`)));
  assert.equal(new Set(plan.batchStats.map((b) => b.buffer)).size, 3);
});

test('when a graph holds an op this version does not know, then planning fails naming the node and the op', () => {
  const graph = { nodes: [{ op: 'gelu', args: [0] }], output: 5 } as unknown as LayerGraph;
  assert.throws(() => planLayer(graph, 'keras'), (err: unknown) => isEvonormError(err) && err.code === 'BAD_GRAPH' && /n0: op "gelu" cannot be exported/.test(err.message));
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
