import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { makeSynthetic } from '../../src/data/synthetic.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { buildModel, ModelConfigSchema } from '../../src/models/index.js';
import { graphNormAct, selectBackend } from '../../src/tensor/index.js';
import { setSimdEnabled, simdEnabled } from '../../src/tensor/wasm-kernels/simd/index.js';
import { trainModel } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { TINY_TRAINING } from '../train/helpers.js';

// Sites of this config are up to 64·10·10·16 = 102,400 elements: with SIMD they all take the
// fused kernel, without it the large ones run op by op and the small ones the JS kernel.
const dataset = makeSynthetic({ rng: Rng.fromSeed('simd-bars'), count: 200, size: 10, noise: 0.1 });

function train(simd: boolean, arch: 'resnet' | 'mobilenetv2', layer: 'bn-relu' | 'evonorm-b0') {
  setSimdEnabled(simd);
  const model = buildModel(ModelConfigSchema.parse({ arch, width: 0.5 }), [10, 10, 1], 4, graphNormAct(zooLayer(layer)).factory, Rng.fromSeed(7));
  return trainModel({ ...TINY_TRAINING, batchSize: 64, model, dataset, steps: 12, rng: Rng.fromSeed('batches') }).finally(() => model.dispose());
}

let was = true;
before(async () => {
  await selectBackend('wasm');
  was = simdEnabled();
});
after(() => setSimdEnabled(was));

// EvoNorm-B0 runs op by op: its batch and instance statistics and affine gradients take the
// SIMD middle-axis sums (src/tensor/fused/reduce.ts).
for (const [arch, layer] of [['resnet', 'bn-relu'], ['mobilenetv2', 'bn-relu'], ['resnet', 'evonorm-b0']] as const) {
  test(`when ${arch} with ${layer} trains on wasm with the SIMD kernels, then every step's loss and the validation figures equal the run without them to float rounding`, async () => {
    const start = tf.memory().numTensors;
    const on = await train(true, arch, layer);
    const off = await train(false, arch, layer);
    assert.equal(on.status, 'ok');
    assert.equal(off.status, 'ok');
    assert.equal(on.losses.length, off.losses.length);
    const worst = Math.max(...on.losses.map((l, i) => Math.abs(l - off.losses[i]!) / Math.abs(off.losses[i]!)));
    assert.ok(worst <= 1e-4, `${arch}: losses differ by ${worst} relative (${on.losses} vs ${off.losses})`);
    assert.ok(Math.abs(on.valLoss - off.valLoss) <= 1e-4 * Math.abs(off.valLoss), `${arch}: valLoss ${on.valLoss} vs ${off.valLoss}`);
    assert.equal(on.valAccuracy, off.valAccuracy);
    assert.equal(tf.memory().numTensors, start);
    if (process.env.SIMD_TEST_VERBOSE) process.stderr.write(`${arch} ${layer}: worst step-loss difference ${worst}; val ${on.valLoss} vs ${off.valLoss}\n`);
  });
}
