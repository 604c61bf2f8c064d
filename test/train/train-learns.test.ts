import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { evaluateModel, trainModel } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { TINY_TRAINING, tinyBars, tinyResnet } from './helpers.js';

await tf.setBackend('cpu');

test('when a small ResNet trains 80 steps on 4 classes of bars, then validation accuracy is far above chance', async () => {
  const start = tf.memory().numTensors;
  const dataset = tinyBars();
  const model = tinyResnet();
  const before = await evaluateModel(model, dataset.validation, 40, null);
  const result = await trainModel({ ...TINY_TRAINING, model, dataset, steps: 80, rng: Rng.fromSeed('batches') });
  assert.equal(result.status, 'ok');
  assert.equal(result.steps, 80);
  assert.equal(result.losses.length, 80);
  assert.ok(result.valAccuracy >= 0.6, `accuracy ${result.valAccuracy} (chance 0.25, ${before.accuracy} before training)`);
  assert.ok(result.trainLoss < result.losses[0], `loss ${result.losses[0]} → ${result.trainLoss}`);
  assert.ok(result.imagesPerSec > 0 && result.stepsPerSec > 0 && result.wallMs > 0);
  // Evaluating again with the training normalisation reproduces the reported figures.
  const again = await evaluateModel(model, dataset.validation, 40, result.inputStats);
  assert.equal(again.accuracy, result.valAccuracy);
  assert.ok(Math.abs(again.loss - result.valLoss) < 1e-6);
  assert.equal(again.count, dataset.validation.count);
  model.dispose();
  assert.equal(tf.memory().numTensors, start);
});
