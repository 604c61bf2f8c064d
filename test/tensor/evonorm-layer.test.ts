import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { canonicalHash, graphToJson, zooLayer } from '../../src/graph/index.js';
import { makeSynthetic } from '../../src/data/synthetic.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { EvoNormLayer } from '../../src/tensor/evonorm-layer.js';
import { folderIO } from '../../src/tensor/folder-io.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { Rng } from '../../src/util/rng.js';
import { isEvonormError } from '../../src/util/errors.js';
import { maxRelDiff, seededInput, seededVector } from './helpers.js';

const data = makeSynthetic({ rng: Rng.fromSeed('evonorm-layer'), count: 80, size: 8, numClasses: 4, validationFraction: 0.2 });

/** conv → EvoNorm-B0 (batch and instance statistics) → conv → EvoNorm-S0 (groups of 4) → pool → dense. */
function buildModel(rng: Rng): tf.Sequential {
  const init = (): tf.serialization.Serializable => tf.initializers.glorotUniform({ seed: rng.tfSeed() });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: init() as never }),
      new EvoNormLayer({ graph: 'evonorm-b0', options: { momentum: 0.5 } }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: init() as never }),
      new EvoNormLayer({ graph: graphToJson(zooLayer('evonorm-s0'), { options: { groupSize: 4, epsilon: 1e-4 } }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init() as never }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
}

function split(which: 'train' | 'validation'): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const s = data[which];
  return { x: tf.tensor4d(s.images, [s.count, 8, 8, 1]), y: tf.oneHot(tf.tensor1d(s.labels, 'int32'), 4).toFloat() as tf.Tensor2D };
}

// Both backends by default; EVONORM_TEST_BACKEND=cpu|wasm (the project's switch) runs one.
const BACKENDS = process.env.EVONORM_TEST_BACKEND ? [process.env.EVONORM_TEST_BACKEND as 'cpu' | 'wasm'] : (['cpu', 'wasm'] as const);

for (const backend of BACKENDS) {
  describe(`EvoNormLayer on ${backend}`, () => {
    test(`when a tf.sequential model with EvoNorm layers trains on ${backend}, is saved to a folder and loaded back, then outputs are equal`, async () => {
      await selectBackend(backend);
      const model = buildModel(Rng.fromSeed('model'));
      const train = split('train');
      const val = split('validation');
      const history = await model.fit(train.x, train.y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
      const losses = history.history.loss as number[];
      assert.ok(losses.every(Number.isFinite), `losses ${losses}`);

      const b0 = model.layers[1] as EvoNormLayer;
      const s0 = model.layers[3] as EvoNormLayer;
      assert.equal(s0.graphLayer.groups, 2, 'groupSize 4 on 8 channels: 2 groups');
      const names = b0.weights.map((w) => w.originalName.split('/').pop());
      assert.deepEqual(names, ['v1', 'gamma', 'beta', 'moving_var_n0']);
      assert.deepEqual(b0.trainableWeights.map((w) => w.originalName.split('/').pop()), ['v1', 'gamma', 'beta']);
      const movingVar = b0.nonTrainableWeights[0]!.read().dataSync();
      assert.ok(Array.from(movingVar).some((v) => Math.abs(v - 1) > 1e-3), 'training updated the moving variance');
      assert.ok(Array.from(b0.trainableWeights[1]!.read().dataSync()).some((v) => Math.abs(v - 1) > 1e-4), 'training changed γ');

      const dir = mkdtempSync(join(tmpdir(), `evonorm-layer-${backend}-`));
      await model.save(folderIO(dir));
      const saved = readFileSync(join(dir, 'model.json'), 'utf8');
      assert.match(saved, /"class_name":"EvoNormLayer"/);
      assert.match(saved, /"var_group"/);
      const beforeLoad = tf.memory().numTensors;
      const loaded = await tf.loadLayersModel(folderIO(dir));

      const lb0 = loaded.layers[1] as EvoNormLayer;
      const ls0 = loaded.layers[3] as EvoNormLayer;
      assert.ok(lb0 instanceof EvoNormLayer && ls0 instanceof EvoNormLayer);
      assert.equal(canonicalHash(lb0.graph), canonicalHash(zooLayer('evonorm-b0')));
      assert.equal(canonicalHash(ls0.graph), canonicalHash(zooLayer('evonorm-s0')));
      assert.deepEqual(lb0.layerOptions, b0.layerOptions);
      assert.deepEqual(ls0.layerOptions, { epsilon: 1e-4, groups: 32, momentum: 0.9, groupSize: 4 });

      const beforeUse = tf.memory().numTensors;
      const before = model.predict(val.x) as tf.Tensor;
      const after = loaded.predict(val.x) as tf.Tensor;
      assert.ok(maxRelDiff(after, before) <= 1e-6, `inference outputs differ by ${maxRelDiff(after, before)}`);
      // Training mode (batch statistics) agrees too.
      const features = model.layers[0]!.apply(val.x) as tf.Tensor;
      const t1 = b0.apply(features, { training: true }) as tf.Tensor;
      const t2 = lb0.apply(features, { training: true }) as tf.Tensor;
      assert.ok(maxRelDiff(t2, t1) <= 1e-6);
      assert.throws(() => b0.apply(val.x), (err: unknown) => isEvonormError(err) && /expects NHWC input with 8 channels/.test(err.message));

      tf.dispose([before, after, features, t1, t2]);
      assert.equal(tf.memory().numTensors, beforeUse, 'predict and apply (both modes) leave no tensor behind');
      loaded.dispose();
      assert.equal(tf.memory().numTensors, beforeLoad, 'a loaded model frees all its weights');
      tf.dispose([train.x, train.y, val.x, val.y]);
      model.dispose();
    });

    test(`when an EvoNormLayer and a GraphLayer with the same weights see the same input on ${backend}, then both modes agree`, async () => {
      await selectBackend(backend);
      const shape: [number, number, number, number] = [4, 3, 3, 8];
      for (const name of ['evonorm-b0', 'evonorm-s0', 'bn-relu', 'gn-swish'] as const) {
        const x = seededInput(shape, `agree-${name}`);
        const layer = new EvoNormLayer({ graph: name, options: { groups: 4 } });
        const reference = new GraphLayer(zooLayer(name), 8, 'ref', { groups: 4 });
        layer.apply(x); // builds
        const mine = layer.graphLayer.getWeights();
        const theirs: Record<string, Float32Array> = {};
        for (const key of Object.keys(mine)) {
          const short = key.slice(key.indexOf('/') + 1);
          theirs[`ref/${short}`] = short.startsWith('moving') ? mine[key]! : seededVector(8, `${name}-${short}`, short === 'v0' || short === 'beta' ? 0 : 1);
        }
        reference.setWeights(theirs);
        layer.graphLayer.setWeights(Object.fromEntries(Object.entries(theirs).map(([k, v]) => [`${layer.name}/${k.slice(4)}`, v])));
        for (const training of [true, false]) {
          const a = layer.apply(x, { training }) as tf.Tensor;
          const b = reference.apply(x, training);
          assert.ok(maxRelDiff(a, b) <= 1e-6, `${name} training=${training}: ${maxRelDiff(a, b)}`);
          tf.dispose([a, b]);
        }
        tf.dispose(x);
        layer.dispose();
        reference.dispose();
      }
    });
  });
}

test('when an EvoNormLayer gets bad options or a non-NHWC input, then the error says so', async () => {
  await selectBackend('cpu');
  const code = (fn: () => unknown, pattern: RegExp): void => {
    assert.throws(fn, (err: unknown) => isEvonormError(err) && err.code === 'BAD_INPUT' && pattern.test(err.message));
  };
  code(() => new EvoNormLayer({ graph: 'evonorm-s0', options: { epsilon: -1 } }), /epsilon/);
  code(() => new EvoNormLayer({ graph: 'evonorm-s0' }).apply(tf.zeros([2, 8])), /NHWC/);
  assert.throws(() => new EvoNormLayer({ graph: 'evonorm-s9' }), (err: unknown) => isEvonormError(err) && err.code === 'BAD_EXPRESSION');
});

test('when a group size is given, then the layer uses exactly that many channels per group (even 1), as GraphLayer does', () => {
  const shape = [2, 4, 4, 16];
  const groupsWith = (options: Record<string, number>) => {
    const layer = new EvoNormLayer({ graph: 'evonorm-s0', options });
    tf.tidy(() => { layer.apply(tf.ones(shape)); });
    const groups = layer.graphLayer.groups;
    layer.dispose();
    return groups;
  };
  assert.equal(groupsWith({ groupSize: 1 }), 16);
  assert.equal(groupsWith({ groupSize: 4 }), 4);
  assert.equal(groupsWith({ groups: 32 }), 8, 'a group count alone keeps at least 2 channels per group');
});
