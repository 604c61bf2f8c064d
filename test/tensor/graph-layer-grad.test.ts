import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseExpression } from '../../src/graph/parse.js';
import { zooLayer } from '../../src/graph/zoo.js';
import type { LayerGraph } from '../../src/graph/types.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { interpretGraph } from '../../src/tensor/interpret.js';
import { Rng } from '../../src/util/rng.js';
import { seededInput, seededVector } from './helpers.js';

const SHAPE: [number, number, number, number] = [2, 3, 3, 4];
const C = SHAPE[3];
const GROUPS = 2;

/** Layers whose every op (and broadcasting pattern) the gradient check should cover. */
const GRAPHS: Array<[string, LayerGraph]> = [
  ['bn-relu', zooLayer('bn-relu')],
  ['evonorm-s0', zooLayer('evonorm-s0')],
  ['evonorm-b0', zooLayer('evonorm-b0')],
  ['gn-swish', zooLayer('gn-swish')],
  ['mixed', parseExpression('min(x - mean_layer(x), v0) * tanh(x) + var_group(mean_batch(x) + x) * mean_instance(v1)')],
  ['softplus', parseExpression('x * softplus(v1 * x - mean_group(x)) / sqrt(softplus(var_instance(x)) + v0)')],
  ['div-by-x', parseExpression('sqrt(var_instance(x)) / (abs(x) + one) - exp(neg(square(x))) * v1')],
];

type Params = Record<'x' | 'v0' | 'v1' | 'gamma' | 'beta', Float64Array>;

/** Σ up ⊙ layer(x) in float64 by the interpreter. */
function loss64(graph: LayerGraph, p: Params, up: Float64Array): number {
  const y = interpretGraph(graph, { shape: SHAPE, data: p.x }, { v0: p.v0, v1: p.v1, gamma: p.gamma, beta: p.beta, groups: GROUPS });
  let s = 0;
  for (let i = 0; i < up.length; i++) s += up[i]! * y.data[i]!;
  return s;
}

/** Central differences of loss64 w.r.t. every element of every parameter (float64, h = 1e-6). */
function numericGrads(graph: LayerGraph, p: Params, up: Float64Array): Params {
  const out = {} as Params;
  for (const key of Object.keys(p) as Array<keyof Params>) {
    const g = new Float64Array(p[key].length);
    for (let i = 0; i < g.length; i++) {
      const keep = p[key][i]!;
      const h = 1e-6 * Math.max(1, Math.abs(keep));
      p[key][i] = keep + h;
      const plus = loss64(graph, p, up);
      p[key][i] = keep - h;
      const minus = loss64(graph, p, up);
      p[key][i] = keep;
      g[i] = (plus - minus) / (2 * h);
    }
    out[key] = g;
  }
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GraphLayer gradients on ${backend} against the float64 interpreter`, () => {
    for (const [name, graph] of GRAPHS) {
      test(`when ${name} is differentiated in training mode on ${backend}, then dx, dv0, dv1, dγ, dβ match central differences`, async () => {
        await selectBackend(backend);
        const x = seededInput(SHAPE, `grad-${name}`);
        const layer = new GraphLayer(graph, C, 'g', { groups: GROUPS });
        layer.freezeMovingStats = true;
        const vectors = { v0: seededVector(C, 'v0', 0.2), v1: seededVector(C, 'v1', 1), gamma: seededVector(C, 'g', 1), beta: seededVector(C, 'b', 0) };
        const names = Object.keys(layer.getWeights());
        const weights: Record<string, Float32Array> = {};
        for (const [k, v] of Object.entries(vectors)) if (names.includes(`g/${k}`)) weights[`g/${k}`] = v;
        layer.setWeights(weights);
        const rng = Rng.fromSeed(`up-${name}`);
        const up = Float32Array.from({ length: x.size }, () => rng.normal());

        const upT = tf.tensor4d(up, SHAPE);
        const vars = layer.trainableVariables();
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, true), upT)) as tf.Scalar, vars);
        const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t as tf.Tensor4D, true), upT)))(x);

        const p: Params = {
          x: Float64Array.from(x.dataSync()),
          v0: Float64Array.from(vectors.v0), v1: Float64Array.from(vectors.v1),
          gamma: Float64Array.from(vectors.gamma), beta: Float64Array.from(vectors.beta),
        };
        const want = numericGrads(graph, p, Float64Array.from(up));
        const got: Partial<Record<keyof Params, Float32Array>> = { x: dx.dataSync() as Float32Array };
        // Trainable variables are v0?, v1?, γ, β in this order (see GraphLayer's constructor).
        const keys = (['v0', 'v1'] as const).filter((k) => names.includes(`g/${k}`));
        [...keys, 'gamma' as const, 'beta' as const].forEach((k, i) => { got[k] = grads[vars[i]!.name]!.dataSync() as Float32Array; });
        for (const [key, g] of Object.entries(got) as Array<[keyof Params, Float32Array]>) {
          const ref = want[key];
          const scale = Math.max(1, ...Array.from(ref, Math.abs));
          const worst = Math.max(...Array.from(g, (v, i) => Math.abs(v - ref[i]!) / scale));
          assert.ok(worst < 2e-4, `${name} d${key}: max diff ${worst} (scale ${scale})`);
        }
        tf.dispose([x, upT, dx, ...Object.values(grads)]);
        layer.dispose();
      });
    }

    test(`when every checked layer is built, differentiated, run for inference and disposed on ${backend}, then no tensor is left behind`, async () => {
      await selectBackend(backend);
      const x = seededInput(SHAPE, 'leak');
      const start = tf.memory().numTensors;
      for (const [, graph] of GRAPHS) {
        const layer = new GraphLayer(graph, C, 'leak', { groups: GROUPS });
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, true)) as tf.Scalar, layer.trainableVariables());
        const dx = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t as tf.Tensor4D, true)))(x);
        tf.dispose([value, dx, ...Object.values(grads), layer.apply(x, false)]);
        layer.dispose();
      }
      assert.equal(tf.memory().numTensors, start);
      x.dispose();
    });
  });
}
