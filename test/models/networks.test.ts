/** The network descriptors (src/models/networks.ts) are the one list every other place derives from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ARCHS, BUILDERS, buildModel, ModelConfigSchema, NETWORKS } from '../../src/models/index.js';
import { networksSchema } from '../../src/models/config.js';
import { Rng } from '../../src/util/rng.js';
import { bnRelu } from './helpers.js';

await tf.setBackend('cpu');

test('when the config schema is read, then its arch options are the descriptors\' names, in order', () => {
  assert.deepEqual(ModelConfigSchema.options.map((o) => o.shape.arch.value), [...ARCHS]);
  assert.deepEqual(NETWORKS.map((n) => n.schema.shape.arch.value), NETWORKS.map((n) => n.arch));
});

test('when only the arch is given, then each network takes its descriptor\'s defaults', () => {
  for (const network of NETWORKS) {
    assert.deepEqual(ModelConfigSchema.parse({ arch: network.arch }), { arch: network.arch, width: 1, depth: 1, ...network.defaults });
  }
});

test('when a descriptor is added to the list, then the config schema built from it accepts that network', () => {
  const vgg = { arch: 'vgg', schema: z.strictObject({ arch: z.literal('vgg'), width: z.number().default(1) }), defaults: {} } as const;
  const schema = networksSchema([...NETWORKS, vgg]);
  assert.deepEqual(schema.parse({ arch: 'vgg' }), { arch: 'vgg', width: 1 });
  assert.match(schema.description ?? '', /vgg/);
  assert.equal(ModelConfigSchema.safeParse({ arch: 'vgg' }).success, false);
});

test('when every descriptor is built, then BUILDERS has exactly one builder per network and each builds its own arch', () => {
  assert.deepEqual(Object.keys(BUILDERS), [...ARCHS]);
  for (const arch of ARCHS) {
    const model = buildModel(ModelConfigSchema.parse({ arch, width: 0.5 }), [8, 8, 1], 3, bnRelu, Rng.fromSeed(arch));
    assert.equal(model.arch, arch);
    model.dispose();
  }
});
