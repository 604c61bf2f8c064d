/**
 * The residual join (src/tensor/wasm-kernels/simd/residual-join.ts, family 'step-calls') and a graph
 * layer's affine as one call (channelAffineRows): values
 * and every gradient equal the op-by-op affine(s), add and ReLU bit for bit (NaN, ±0, ±Inf included),
 * on every residual shape of the three proxies and on odd ones; whole trainings equal with the
 * family off; fewer kernel calls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, DatasetConfigSchema } from '../../src/data/index.js';
import { parseExpression } from '../../src/graph/parse.js';
import type { LayerGraph } from '../../src/graph/types.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { buildModel, ModelConfigSchema } from '../../src/models/index.js';
import { graphNormAct, selectBackend } from '../../src/tensor/index.js';
import { binaryOp } from '../../src/tensor/fused/index.js';
import { channelAffineRows, residualJoin, setSimdFamilyEnabled, type SkipAffine } from '../../src/tensor/wasm-kernels/simd/index.js';
import { crossEntropy, makeBatch, MomentumSgd } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { countKernelCalls, seededInput, seededVector } from './helpers.js';

/** Bits of a float32 tensor (so NaN payloads and −0 compare too). */
const bits = (t: tf.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);

/** y and the gradients of Σ y ⊙ up with respect to x, γ, β, skip (and γs, βs): fused or op by op. */
function run(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, skip: tf.Tensor4D, affine: SkipAffine | null, relu: boolean, up: tf.Tensor4D, fused: boolean): tf.Tensor[] {
  setSimdFamilyEnabled('step-calls', fused);
  try {
    const args = affine ? [x, gamma, beta, skip, affine.gamma, affine.beta] : [x, gamma, beta, skip];
    const f = (...t: tf.Tensor[]): tf.Tensor => residualJoin(t[0]!, t[1]!, t[2]!, t[3]!, affine ? { gamma: t[4]!, beta: t[5]! } : null, relu);
    const y = f(...args);
    const grads = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(f(...t), up)))(args);
    return [y, ...grads];
  } finally {
    setSimdFamilyEnabled('step-calls', true);
  }
}

/** [n, h, w, c] of every residual join of the three proxies at 14×14 and 28×28 (batch 64). */
function joinShapes(): Array<[number, number, number, number]> {
  const seen = new Map<string, [number, number, number, number]>();
  const engine = tf.engine() as unknown as { runKernel: (name: string, inputs: Record<string, tf.Tensor>, attrs: unknown) => unknown };
  const runKernel = engine.runKernel;
  engine.runKernel = function (name, inputs, attrs) {
    if (name.startsWith('SimdResidualJoin')) seen.set(String(inputs.x!.shape), [64, ...inputs.x!.shape.slice(1)] as [number, number, number, number]);
    return runKernel.call(engine, name, inputs, attrs);
  };
  try {
    for (const arch of ['resnet', 'mobilenetv2', 'efficientnet'] as const) {
      for (const size of [14, 28]) {
        const model = buildModel(ModelConfigSchema.parse({ arch }), [size, size, 1], 10, graphNormAct(zooLayer('bn-relu')).factory, Rng.fromSeed(1));
        tf.tidy(() => model.apply(tf.zeros([2, size, size, 1]), true));
        model.dispose();
      }
    }
  } finally {
    engine.runKernel = runKernel;
  }
  return [...seen.values()];
}

describe('SIMD residual join', () => {
  test('when a graph layer\'s affine runs as channelAffineRows, then y and dx, dγ, dβ equal its op-by-op broadcast mul and add bit for bit on proxy site shapes and odd ones', async () => {
    await selectBackend('wasm');
    for (const shape of [[64, 7, 7, 8], [64, 2, 2, 32], [64, 14, 14, 16], [3, 5, 3, 13], [2, 3, 3, 2], [2, 1, 1, 5]] as Array<[number, number, number, number]>) {
      tf.tidy(() => {
        const c = shape[3];
        const x = seededInput(shape, `rows/${shape}`, [0]);
        const up = seededInput(shape, `rows-up/${shape}`, []);
        const gamma = tf.tensor1d(seededVector(c, `rows-g/${shape}`, 1));
        const beta = tf.tensor1d(seededVector(c, `rows-b/${shape}`, 0));
        const ops = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => binaryOp('add', binaryOp('mul', a, g.reshape([1, 1, 1, c])), b.reshape([1, 1, 1, c]));
        const fused = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => channelAffineRows(a, g, b)!;
        const outs = (f: typeof ops): tf.Tensor[] => [f(x, gamma, beta), ...tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), up)))([x, gamma, beta])];
        const got = outs(fused);
        const want = outs(ops);
        got.forEach((g, i) => assert.deepEqual(bits(g), bits(want[i]!), `${shape} output ${i}`));
        assert.equal(countKernelCalls(() => { fused(x, gamma, beta); }), 1);
      });
    }
    assert.equal(tf.tidy(() => channelAffineRows(tf.ones([2, 2, 2, 1]), tf.ones([1]), tf.zeros([1]))), undefined, 'C = 1 declines');
    assert.equal(tf.tidy(() => channelAffineRows(tf.ones([1, 1, 1, 4]), tf.ones([4]), tf.zeros([4]))), undefined, 'one row declines');
  });

  before(async () => {
    await selectBackend('wasm');
  });
  after(() => setSimdFamilyEnabled('step-calls', true));

  test('when the join runs fused, then y and every gradient equal the op-by-op path bit for bit, with and without ReLU and shortcut affine, on the proxies\' join shapes and odd ones', () => {
    const shapes = joinShapes();
    assert.ok(shapes.length >= 6, `found ${shapes.length} join shapes`);
    const cases: Array<[number, number, number, number]> = [...shapes, [3, 5, 3, 13], [2, 3, 3, 5], [1, 1, 1, 1], [5, 7, 3, 3], [1, 2, 2, 4]];
    for (const shape of cases) {
      for (const affine of [true, false]) {
        for (const relu of [true, false]) {
          tf.tidy(() => {
            const c = shape[3];
            const key = `${shape}/${affine}/${relu}`;
            const x = seededInput(shape, `x/${key}`, [0]);
            const skip = seededInput(shape, `s/${key}`, []);
            const up = seededInput(shape, `up/${key}`, []);
            const gamma = tf.tensor1d(seededVector(c, `g/${key}`, 1));
            const beta = tf.tensor1d(seededVector(c, `b/${key}`, 0));
            const sa = affine ? { gamma: tf.tensor1d(seededVector(c, `sg/${key}`, 1)), beta: tf.tensor1d(seededVector(c, `sb/${key}`, 0)) } : null;
            const got = run(x, gamma, beta, skip, sa, relu, up, true);
            const want = run(x, gamma, beta, skip, sa, relu, up, false);
            assert.equal(got.length, affine ? 7 : 5);
            got.forEach((g, i) => {
              assert.deepEqual(g.shape, want[i]!.shape, `${key} output ${i} shape`);
              assert.deepEqual(bits(g), bits(want[i]!), `${key} output ${i}`);
            });
          });
        }
      }
    }
  });

  test('when the join meets NaN (either sign), ±0, ±Inf and subnormals, then y and the gradients keep tfjs\'s bits (its ReLU maps a negative sign to +0, its Step keeps NaN)', () => {
    const specials = new Uint32Array([0xffc00000, 0x7fc00000, 0x80000000, 0, 0xff800000, 0x7f800000, 0x80000001, 1, 0xbf800000, 0x3f800000, 0x7f7fffff, 0xff7fffff]);
    const shape: [number, number, number, number] = [2, 3, 4, 5];
    const n = 2 * 3 * 4 * 5;
    const make = (offset: number): tf.Tensor4D => tf.tensor4d(new Float32Array(Uint32Array.from({ length: n }, (_, i) => specials[(i * 7 + offset) % specials.length]!).buffer), shape);
    for (const affine of [true, false]) {
      for (const relu of [true, false]) {
        tf.tidy(() => {
          const x = make(0);
          const skip = make(5);
          const up = seededInput(shape, 'up-special', []);
          const gamma = tf.tensor1d([1, -1, 2, 0.5, -3]);
          const beta = tf.tensor1d([0, 1, -1, 0, 2]);
          const sa = affine ? { gamma: tf.tensor1d([1, 0.5, -2, 1, 1]), beta: tf.tensor1d([0, 0, 1, -1, 0]) } : null;
          const got = run(x, gamma, beta, skip, sa, relu, up, true);
          const want = run(x, gamma, beta, skip, sa, relu, up, false);
          got.forEach((g, i) => assert.deepEqual(bits(g), bits(want[i]!), `affine ${affine} relu ${relu} output ${i}`));
        });
      }
    }
  });

  test('when a resnet block joins, then it takes 1 kernel call each way instead of 4 forward (two affines, add, ReLU)', () => {
    tf.tidy(() => {
      const shape: [number, number, number, number] = [4, 3, 3, 8];
      const x = seededInput(shape, 'calls', []);
      const g = tf.ones([8]);
      const b = tf.zeros([8]);
      const sa = { gamma: g, beta: b };
      assert.equal(countKernelCalls(() => { residualJoin(x, g, b, x, sa, true); }), 1);
      setSimdFamilyEnabled('step-calls', false);
      assert.equal(countKernelCalls(() => { residualJoin(x, g, b, x, sa, true); }), 4);
      setSimdFamilyEnabled('step-calls', true);
    });
  });

  test('when the three proxies train with the step-calls family on and off (BN-ReLU; on resnet also EvoNorm-B0 and a random graph), then every loss and weight is equal bit for bit and no tensor is left behind', () => {
    const dataset = loadDataset(DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 600, validationLimit: 100, imageSize: 14 }), Rng.fromSeed('data'));
    const runs: Array<[string, LayerGraph]> = [
      ['resnet', zooLayer('bn-relu')], ['mobilenetv2', zooLayer('bn-relu')], ['efficientnet', zooLayer('bn-relu')],
      ['resnet', zooLayer('evonorm-b0')], ['resnet', parseExpression('max(x, x) / var_instance(x)')],
    ];
    for (const [arch, graph] of runs) {
      const trainOnce = (on: boolean): { losses: Uint32Array; weights: Uint32Array[] } => {
        setSimdFamilyEnabled('step-calls', on);
        try {
          const model = buildModel(ModelConfigSchema.parse({ arch }), [14, 14, 1], 10, graphNormAct(graph).factory, Rng.fromSeed(`init/${arch}`));
          const vars = model.trainableVariables();
          const sgd = new MomentumSgd(vars, model.kernels(), { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
          const rng = Rng.fromSeed(`batches/${arch}`);
          const losses: number[] = [];
          for (let step = 0; step < 4; step++) {
            const indices = Array.from({ length: 32 }, () => rng.int(dataset.train.count));
            losses.push(tf.tidy(() => {
              const batch = makeBatch(dataset.train, indices, model.inputShape, null);
              const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(batch.images, true), batch.labels, 0.1), vars);
              sgd.apply(grads, 0.1);
              return value.dataSync()[0]!;
            }));
          }
          const weights = vars.map(bits);
          sgd.dispose();
          model.dispose();
          return { losses: new Uint32Array(Float32Array.from(losses).buffer), weights };
        } finally {
          setSimdFamilyEnabled('step-calls', true);
        }
      };
      const start = tf.memory().numTensors;
      const on = trainOnce(true);
      const off = trainOnce(false);
      const name = `${arch} × ${graph.nodes.length} nodes`;
      assert.deepEqual(on.losses, off.losses, `${name}: losses`);
      on.weights.forEach((w, i) => assert.deepEqual(w, off.weights[i], `${name}: variable ${i}`));
      assert.equal(tf.memory().numTensors, start, `${name}: tensors left behind`);
    }
  });
});
