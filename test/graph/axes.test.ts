/** The aggregation axes (src/graph/axes.ts) are one list that the ops, the interpreter and the exporters follow. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGGREGATION_AXES, AXES, nchwDims } from '../../src/graph/axes.js';
import { AGGREGATIONS, OPS } from '../../src/graph/ops.js';
import { parseExpression } from '../../src/graph/parse.js';
import { interpretGraph } from '../../src/tensor/interpret.js';

test('when the op table is read, then each axis gives exactly mean_<axis> and var_<axis>, in the axes\' order, with its paper flag', () => {
  assert.deepEqual(AGGREGATIONS, AGGREGATION_AXES.flatMap((a) => [`mean_${a}`, `var_${a}`]));
  for (const axis of AGGREGATION_AXES) {
    for (const statistic of ['mean', 'var'] as const) {
      const spec = OPS[`${statistic}_${axis}`];
      assert.equal(spec.axes, axis);
      assert.equal(spec.statistic, statistic);
      assert.equal(spec.paper, AXES[axis].paper);
    }
  }
});

test('when a plain reduce axis is interpreted, then its mean is the brute-force mean over the dims it reduces', () => {
  const [n, h, w, c] = [2, 2, 3, 4];
  const data = Float64Array.from({ length: n * h * w * c }, (_, i) => Math.cos(i * 0.9) * 3);
  const at = (i: number) => [Math.floor(i / (h * w * c)), Math.floor(i / (w * c)) % h, Math.floor(i / c) % w, i % c];
  for (const axis of AGGREGATION_AXES.filter((a) => AXES[a].kind !== 'group')) {
    const dims: readonly number[] = AXES[axis].dims;
    const out = interpretGraph(parseExpression(`mean_${axis}(x)`), { shape: [n, h, w, c], data }).data;
    for (let i = 0; i < data.length; i++) {
      const here = at(i);
      const same = [...data.keys()].filter((j) => at(j).every((v, d) => dims.includes(d) || v === here[d]));
      const mean = same.reduce((s, j) => s + data[j]!, 0) / same.length;
      assert.ok(Math.abs(out[i]! - mean) < 1e-12, `mean_${axis} at ${i}`);
    }
  }
});

test('when NHWC dims are turned into NCHW, then each dimension keeps its meaning', () => {
  assert.deepEqual(nchwDims([0, 1, 2]), [0, 2, 3]);
  assert.deepEqual(nchwDims([1, 2]), [2, 3]);
  assert.deepEqual(nchwDims([1, 2, 3]), [1, 2, 3]);
});
