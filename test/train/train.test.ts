import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { NormActFactory } from '../../src/models/index.js';
import { evaluateModel, gradientNorm, lossAndGrads, makeBatch, startTraining, trainModel } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { bnRelu, nanSite } from '../models/helpers.js';
import { TINY_TRAINING, tinyBars, tinyResnet } from './helpers.js';

await tf.setBackend('cpu');
const dataset = tinyBars();

/** Trains a fresh tiny ResNet and disposes it; returns the result. */
async function run(steps: number, batchSeed: string, normAct: NormActFactory = bnRelu, extra: object = {}) {
  const model = tinyResnet(normAct);
  try {
    return await trainModel({ ...TINY_TRAINING, model, dataset, steps, rng: Rng.fromSeed(batchSeed), ...extra });
  } finally {
    model.dispose();
  }
}

test('when the same seeds train twice, then losses and validation figures are identical', async () => {
  const a = await run(8, 'same');
  const b = await run(8, 'same');
  assert.deepEqual(a.losses, b.losses);
  assert.equal(a.valAccuracy, b.valAccuracy);
  assert.equal(a.valLoss, b.valLoss);
  const c = await run(8, 'other');
  assert.notDeepEqual(a.losses, c.losses);
});

test('when a site outputs NaN from the start, then training stops at the first check with status nonfinite', async () => {
  const result = await run(200, 'nan', nanSite, { checkEvery: 5 });
  assert.equal(result.status, 'nonfinite');
  assert.equal(result.nonfiniteAt, 0);
  assert.equal(result.steps, 5);
  assert.ok(Number.isNaN(result.valAccuracy));
});

test('when a site turns NaN at step 7, then the run stops within checkEvery steps and pins step 7', async () => {
  // Each site counts its training calls (one per step) and poisons its output from the 8th on.
  const lateNaN: NormActFactory = (channels, name) => {
    const inner = bnRelu(channels, name);
    let calls = 0;
    return {
      ...inner,
      apply: (x, training) => {
        const y = inner.apply(x, training);
        if (!training || ++calls < 8) return y;
        return tf.tidy(() => tf.mul(y, NaN));
      },
    };
  };
  const seen: number[] = [];
  const result = await run(100, 'late', lateNaN, { checkEvery: 5, onStep: (s: { step: number }) => seen.push(s.step) });
  assert.equal(result.status, 'nonfinite');
  assert.equal(result.nonfiniteAt, 7);
  assert.equal(result.steps, 10);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('when the signal is aborted, then training stops before the next step with status aborted', async () => {
  const before = new AbortController();
  before.abort();
  const none = await run(50, 'abort', bnRelu, { signal: before.signal });
  assert.equal(none.status, 'aborted');
  assert.equal(none.steps, 0);

  const during = new AbortController();
  const stopped = await run(50, 'abort', bnRelu, {
    signal: during.signal,
    checkEvery: 3,
    onStep: (s: { step: number }) => s.step === 1 && during.abort(),
  });
  assert.equal(stopped.status, 'aborted');
  assert.equal(stopped.steps, 3);
});

test('when a model is built, trained, stopped for NaN and disposed, then no tensor is left', async () => {
  const start = tf.memory().numTensors;
  await run(6, 'memory', bnRelu, { checkEvery: 4 });
  await run(6, 'memory', nanSite, { checkEvery: 4 });
  assert.equal(tf.memory().numTensors, start);
});

test('when lossAndGrads runs, then it gives one gradient per variable and gradientNorm is their L2 norm', () => {
  const start = tf.memory().numTensors;
  const model = tinyResnet();
  const batch = makeBatch(dataset.train, [0, 1, 2, 3, 4, 5, 6, 7], model.inputShape, null);
  const { loss, grads } = lossAndGrads(model, batch.images, batch.labels, true, 0.1);
  const vars = model.trainableVariables();
  assert.equal(grads.length, vars.length);
  grads.forEach((g, i) => assert.deepEqual(g.shape, vars[i].shape));
  assert.ok(Number.isFinite(loss.dataSync()[0]));
  const norm = gradientNorm(grads);
  const byHand = Math.sqrt(grads.reduce((a, g) => a + Array.from(g.dataSync()).reduce((s, v) => s + v * v, 0), 0));
  assert.ok(Math.abs(norm.dataSync()[0] - byHand) < 1e-4 * byHand);
  tf.dispose([loss, norm, ...grads, batch.images, batch.labels]);
  model.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('when a split is empty or the batch size is bad, then evaluateModel says so', async () => {
  const model = tinyResnet();
  const empty = await evaluateModel(model, { images: new Float32Array(0), labels: new Int32Array(0), count: 0 }, 8);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.accuracy));
  await assert.rejects(evaluateModel(model, dataset.validation, 0), RangeError);
  model.dispose();
});

test('when an augmentation is given, then every training batch passes through it and changes the run', async () => {
  let calls = 0;
  const flipAll = (images: Float32Array, count: number): Float32Array => {
    calls++;
    assert.equal(images.length % count, 0);
    return images.map((v) => -v);
  };
  const plain = await run(6, 'aug');
  const augmented = await run(6, 'aug', bnRelu, { augment: flipAll, checkEvery: 1 });
  assert.equal(calls, 6);
  assert.notDeepEqual(plain.losses, augmented.losses);
});

test('when a training is advanced in segments and validated between them, then it ends with the weights of an uninterrupted one', async () => {
  const weightsAfter = async (segments: readonly number[]): Promise<{ weights: Float32Array[]; result: Awaited<ReturnType<typeof trainModel>> }> => {
    const model = tinyResnet();
    const training = startTraining({ ...TINY_TRAINING, model, dataset, steps: 12, rng: Rng.fromSeed('segments'), checkEvery: 5 });
    try {
      for (const until of segments) {
        await training.advance(until);
        await training.validate(); // the quality check's look in the middle must change nothing
      }
      const result = await training.finish();
      return { weights: model.trainableVariables().map((v) => v.dataSync() as Float32Array), result };
    } finally {
      training.dispose();
      model.dispose();
    }
  };
  const whole = await weightsAfter([12]);
  const split = await weightsAfter([4, 7, 12]);
  assert.equal(split.result.steps, 12);
  assert.deepEqual(split.result.losses, whole.result.losses);
  assert.equal(split.result.valAccuracy, whole.result.valAccuracy);
  split.weights.forEach((w, i) => assert.deepEqual(w, whole.weights[i]));
});

test('when a training is advanced past its end or disposed early, then it stops at its steps and leaves no tensor', async () => {
  const start = tf.memory().numTensors;
  const model = tinyResnet();
  const training = startTraining({ ...TINY_TRAINING, model, dataset, steps: 6, rng: Rng.fromSeed('past'), checkEvery: 4 });
  await training.advance(3);
  assert.equal(training.step, 3);
  await training.advance(100);
  assert.equal(training.step, 6);
  training.dispose();
  model.dispose();
  const early = tinyResnet();
  const stopped = startTraining({ ...TINY_TRAINING, model: early, dataset, steps: 6, rng: Rng.fromSeed('past'), checkEvery: 4 });
  await stopped.advance(2);
  stopped.dispose();
  early.dispose();
  assert.equal(tf.memory().numTensors, start);
});
