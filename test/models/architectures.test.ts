import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { efficientnet, mobilenetv2, resnet, type ModelOptions, type ProxyModel } from '../../src/models/index.js';
import { crossEntropy } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { bnRelu, countingFactory } from './helpers.js';

await tf.setBackend('cpu');

type Build = (o: ModelOptions) => ProxyModel;
const ARCHS: ReadonlyArray<[string, Build]> = [
  ['resnet (bottleneck)', resnet],
  ['resnet (basic)', (o) => resnet({ ...o, block: 'basic' })],
  ['mobilenetv2', mobilenetv2],
  ['efficientnet', efficientnet],
];
const SHAPES: ReadonlyArray<[number, number, number]> = [
  [28, 28, 1],
  [12, 12, 1],
  [32, 32, 3],
];

function options(inputShape: readonly [number, number, number], extra: Partial<ModelOptions> = {}): ModelOptions {
  return { inputShape, numClasses: 10, width: 1, depth: 1, normAct: bnRelu, rng: Rng.fromSeed('arch-test'), ...extra };
}

function seededImages(n: number, [h, w, c]: readonly [number, number, number]): tf.Tensor4D {
  const rng = Rng.fromSeed('images');
  return tf.tensor4d(Float32Array.from({ length: n * h * w * c }, () => rng.normal()), [n, h, w, c]);
}

for (const [name, build] of ARCHS) {
  for (const shape of SHAPES) {
    test(`when ${name} is built for ${shape.join('×')} inputs, then it gives one finite logit row per image in both modes`, () => {
      const start = tf.memory().numTensors;
      const model = build(options(shape));
      const x = seededImages(3, shape);
      for (const training of [true, false]) {
        const logits = tf.tidy(() => model.apply(x, training));
        assert.deepEqual(logits.shape, [3, 10]);
        assert.ok(logits.dataSync().every(Number.isFinite));
        logits.dispose();
      }
      x.dispose();
      model.dispose();
      assert.equal(tf.memory().numTensors, start);
    });
  }

  test(`when ${name} is built, then paramCount is the sum of its trainable variables' sizes`, () => {
    const model = build(options([12, 12, 1]));
    const sizes = model.trainableVariables().map((v) => v.shape.reduce((a, d) => a * d, 1));
    assert.equal(model.paramCount(), sizes.reduce((a, b) => a + b, 0));
    assert.ok(model.paramCount() > 1000 && model.paramCount() < 100_000, `${model.paramCount()} params`);
    assert.ok(model.trainableVariables().every((v) => v.trainable));
    model.dispose();
  });

  test(`when ${name} gets twice the width, then its multiply-adds and params grow`, () => {
    const narrow = build(options([28, 28, 1]));
    const wide = build(options([28, 28, 1], { width: 2 }));
    const half = build(options([28, 28, 1], { width: 0.5 }));
    assert.ok(half.multiplyAdds() > 0);
    assert.ok(half.multiplyAdds() < narrow.multiplyAdds() && narrow.multiplyAdds() < wide.multiplyAdds());
    assert.ok(narrow.paramCount() < wide.paramCount());
    for (const m of [narrow, wide, half]) m.dispose();
  });

  test(`when ${name} gets twice the depth, then it has more sites and multiply-adds`, () => {
    const shallow = build(options([12, 12, 1]));
    const deep = build(options([12, 12, 1], { depth: 2 }));
    assert.ok(deep.sites > shallow.sites);
    assert.ok(deep.multiplyAdds() > shallow.multiplyAdds());
    shallow.dispose();
    deep.dispose();
  });

  test(`when ${name} is built, then sites counts the factory's calls and every site name is unique`, () => {
    const { factory, names } = countingFactory(bnRelu);
    const model = build(options([12, 12, 1], { normAct: factory }));
    assert.equal(model.sites, names.length);
    assert.equal(new Set(names).size, names.length);
    model.dispose();
  });

  test(`when ${name} takes one SGD step, then every trainable variable gets a non-zero gradient`, () => {
    const model = build(options([8, 8, 1], { numClasses: 4, width: 0.5 }));
    const x = seededImages(6, [8, 8, 1]);
    const labels = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32');
    const vars = model.trainableVariables();
    const norms = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => crossEntropy(model.apply(x, true), labels), vars);
      return vars.map((v) => (grads[v.name] ? tf.sum(tf.abs(grads[v.name])).dataSync()[0] : 0));
    });
    norms.forEach((n, i) => assert.ok(n > 0, `variable ${i} of shape [${vars[i].shape}] has no gradient`));
    tf.dispose([x, labels]);
    model.dispose();
  });
}

test('when the default architectures are built, then their sites match the block structure', () => {
  const count = (build: Build, extra: Partial<ModelOptions> = {}) => {
    const m = build(options([12, 12, 1], extra));
    const n = m.sites;
    m.dispose();
    return n;
  };
  // stem + 3 stages × 1 bottleneck block × 2 sites (the third conv gets an affine).
  assert.equal(count(resnet), 1 + 3 * 2);
  // stem + 3 stages × 1 basic block × 1 site.
  assert.equal(count((o) => resnet({ ...o, block: 'basic' })), 1 + 3);
  // stem + first block (no expand: depthwise only) + 4 expanded blocks × 2 + head.
  assert.equal(count(mobilenetv2), 1 + 1 + 4 * 2 + 1);
  assert.equal(count(efficientnet), 1 + 1 + 4 * 2 + 1);
  // Depth 2: stage blocks 1, 2, 2 become 2, 4, 4.
  assert.equal(count(mobilenetv2, { depth: 2 }), 1 + 2 * 1 + 8 * 2 + 1);
  assert.equal(count(resnet, { depth: 2 }), 1 + 6 * 2);
});

test('when a model is built twice from the same seed, then its initial weights are identical', () => {
  const a = resnet(options([12, 12, 1], { rng: Rng.fromSeed(7) }));
  const b = resnet(options([12, 12, 1], { rng: Rng.fromSeed(7) }));
  const c = resnet(options([12, 12, 1], { rng: Rng.fromSeed(8) }));
  const first = (m: ProxyModel) => Array.from(m.trainableVariables()[0].dataSync());
  assert.deepEqual(first(a), first(b));
  assert.notDeepEqual(first(a), first(c));
  for (const m of [a, b, c]) m.dispose();
});

test('when the factory throws midway through a build, then nothing the build made is left behind', () => {
  const start = tf.memory().numTensors;
  let calls = 0;
  const failing = (channels: number, name: string) => {
    if (++calls === 3) throw new Error('site 3 fails');
    return bnRelu(channels, name);
  };
  assert.throws(() => mobilenetv2(options([12, 12, 1], { normAct: failing })), /site 3 fails/);
  assert.equal(tf.memory().numTensors, start);
});

test('when the input shape is not positive integers, then the build is refused', () => {
  assert.throws(() => resnet(options([0, 12, 1])), RangeError);
  assert.throws(() => efficientnet({ ...options([12, 12, 1]), numClasses: 1.5 }), RangeError);
});
