import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  buildModel,
  EFFICIENTNET_DEFAULTS,
  MOBILENETV2_DEFAULTS,
  ModelConfigSchema,
  RESNET_DEFAULTS,
  ResNetConfigSchema,
  MobileNetV2ConfigSchema,
  EfficientNetConfigSchema,
} from '../../src/models/index.js';
import { Rng } from '../../src/util/rng.js';
import { bnRelu } from './helpers.js';

await tf.setBackend('cpu');

test('when only the arch is given, then every other field takes its documented default', () => {
  assert.deepEqual(ModelConfigSchema.parse({ arch: 'resnet' }), { arch: 'resnet', width: 1, depth: 1, ...RESNET_DEFAULTS });
  assert.deepEqual(ModelConfigSchema.parse({ arch: 'mobilenetv2' }), { arch: 'mobilenetv2', width: 1, depth: 1, ...MOBILENETV2_DEFAULTS });
  assert.deepEqual(ModelConfigSchema.parse({ arch: 'efficientnet' }), { arch: 'efficientnet', width: 1, depth: 1, ...EFFICIENTNET_DEFAULTS });
});

test('when a config has a misspelt or foreign field, then it is rejected', () => {
  assert.equal(ModelConfigSchema.safeParse({ arch: 'resnet', widht: 2 }).success, false);
  assert.equal(ModelConfigSchema.safeParse({ arch: 'mobilenetv2', block: 'basic' }).success, false);
  assert.equal(ModelConfigSchema.safeParse({ arch: 'vgg' }).success, false);
  assert.equal(ModelConfigSchema.safeParse({ arch: 'resnet', width: 0 }).success, false);
  assert.equal(ModelConfigSchema.safeParse({ arch: 'efficientnet', seRatio: 0 }).success, false);
  assert.equal(ModelConfigSchema.safeParse({ arch: 'resnet', stageBlocks: [] }).success, false);
});

test('when the schemas are inspected, then every field says what it means', () => {
  for (const schema of [ResNetConfigSchema, MobileNetV2ConfigSchema, EfficientNetConfigSchema]) {
    for (const [key, field] of Object.entries(schema.shape)) {
      const description = (field as z.ZodType).description;
      assert.ok(description && description.length > 10, `${key} lacks a description`);
    }
  }
});

test('when buildModel gets each arch, then it builds that network with the configured options', () => {
  const rng = Rng.fromSeed('registry');
  const basic = buildModel(ModelConfigSchema.parse({ arch: 'resnet', block: 'basic', stageBlocks: [1, 2] }), [12, 12, 1], 4, bnRelu, rng);
  assert.equal(basic.arch, 'resnet');
  assert.equal(basic.sites, 1 + 3);
  const mobile = buildModel(ModelConfigSchema.parse({ arch: 'mobilenetv2', width: 2 }), [12, 12, 1], 4, bnRelu, rng);
  assert.equal(mobile.arch, 'mobilenetv2');
  const plain = buildModel(ModelConfigSchema.parse({ arch: 'mobilenetv2' }), [12, 12, 1], 4, bnRelu, rng);
  assert.ok(mobile.paramCount() > plain.paramCount());
  const relu = buildModel(ModelConfigSchema.parse({ arch: 'efficientnet', seActivation: 'relu' }), [12, 12, 1], 4, bnRelu, rng);
  assert.equal(relu.arch, 'efficientnet');
  const logits = tf.tidy(() => relu.apply(tf.ones([2, 12, 12, 1]), false));
  assert.deepEqual(logits.shape, [2, 4]);
  logits.dispose();
  for (const m of [basic, mobile, plain, relu]) m.dispose();
});
