/** The post-affine activations (src/graph/activations.ts) are one list that parsing, JSON, the interpreter, tfjs and the exporters follow. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, POST_AFFINE_ACTIVATIONS } from '../../src/graph/activations.js';
import { parseExpression } from '../../src/graph/parse.js';
import { printExpression } from '../../src/graph/print.js';
import { LayerJsonNodeSchema } from '../../src/graph/json.js';
import { graphFromJson, graphToJson } from '../../src/graph/json.js';
import { ACTIVATION_KERNELS } from '../../src/tensor/op-kernels.js';
import { torchSource } from '../../src/export/torch.js';
import { kerasSource } from '../../src/export/keras.js';
import { tfjsSource } from '../../src/export/tfjs.js';

await tf.setBackend('cpu');

test('when each activation is written around affine(e), then it parses, prints back and survives the JSON format', () => {
  assert.deepEqual(POST_AFFINE_ACTIVATIONS, Object.keys(ACTIVATIONS));
  for (const name of POST_AFFINE_ACTIVATIONS) {
    const graph = parseExpression(`${name}(affine(x / sqrt(var_batch(x))))`);
    assert.equal(graph.activation, name);
    assert.equal(printExpression(graph), `${name}(affine(x / sqrt(var_batch(x))))`);
    assert.equal(graphFromJson(graphToJson(graph)).activation, name);
  }
  assert.ok(LayerJsonNodeSchema, 'the JSON schema is loaded');
});

test('when each activation\'s tfjs kernel is compared with its float64 definition, then they agree', () => {
  const values = [-3, -0.5, 0, 0.25, 2];
  for (const name of POST_AFFINE_ACTIVATIONS) {
    const got = tf.tidy(() => ACTIVATION_KERNELS[name](tf.tensor1d(values)).arraySync() as number[]);
    values.forEach((v, i) => assert.ok(Math.abs(got[i]! - ACTIVATIONS[name].float64(v)) < 1e-6, `${name}(${v})`));
  }
});

test('when a layer with each activation is exported, then every target applies that activation\'s code to y', () => {
  for (const name of POST_AFFINE_ACTIVATIONS) {
    const graph = parseExpression(`${name}(affine(x))`);
    assert.ok(torchSource(graph).includes(`y = ${ACTIVATIONS[name].code.torch.replaceAll('$a', 'y')}`), `torch ${name}`);
    assert.ok(kerasSource(graph).includes(`y = ${ACTIVATIONS[name].code.keras.replaceAll('$a', 'y')}`), `keras ${name}`);
    assert.ok(tfjsSource(graph).includes(`y = ${ACTIVATIONS[name].code.tfjs.replaceAll('$a', 'y')};`), `tfjs ${name}`);
  }
});
