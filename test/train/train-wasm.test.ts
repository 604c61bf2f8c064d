import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { makeSynthetic } from '../../src/data/synthetic.js';
import { buildModel, ModelConfigSchema } from '../../src/models/index.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { trainModel } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { bnRelu } from '../models/helpers.js';
import { TINY_TRAINING } from './helpers.js';

// The wasm backend with the project's training kernels; skipped where wasm cannot load.
const wasm = await selectBackend('wasm').then(
  () => true,
  () => false,
);

const dataset = makeSynthetic({ rng: Rng.fromSeed('wasm-bars'), count: 400, size: 10, noise: 0 });

for (const arch of ['resnet', 'mobilenetv2', 'efficientnet'] as const) {
  test(`when ${arch} (default blocks, half width) trains 80 steps on wasm, then it is far above chance`, { skip: !wasm && 'wasm backend unavailable' }, async () => {
    const start = tf.memory().numTensors;
    const model = buildModel(ModelConfigSchema.parse({ arch, width: 0.5 }), [10, 10, 1], 4, bnRelu, Rng.fromSeed(1));
    const result = await trainModel({ ...TINY_TRAINING, model, dataset, steps: 80, rng: Rng.fromSeed('batches') });
    model.dispose();
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(result.status, 'ok');
    assert.ok(result.valAccuracy >= 0.6, `${arch}: accuracy ${result.valAccuracy} (chance 0.25)`);
    assert.equal(tf.memory().numTensors, start);
  });
}
