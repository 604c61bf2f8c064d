/**
 * The proxy evaluation of one candidate on the synthetic task with tiny networks: verdicts of
 * each rejection stage, determinism, and no tensor leaks. Backend: EVONORM_TEST_BACKEND (wasm
 * by default; cpu works too, slower).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createProxyEvaluator } from '../../src/evaluate/proxy.js';
import type { ProxyConfigInput } from '../../src/evaluate/config.js';
import { resolveLayer } from '../../src/graph/resolve.js';
import { functionalFingerprint } from '../../src/tensor/fingerprint.js';

const backend = (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu';

const CONFIG: ProxyConfigInput = {
  backend,
  data: { name: 'synthetic', count: 400, size: 10, numClasses: 4, noise: 0.1 },
  architectures: [
    { arch: 'resnet', stageBlocks: [1] },
    { arch: 'mobilenetv2' },
    { arch: 'efficientnet' },
  ],
  training: { steps: 20, batchSize: 32, lr: 0.05, warmupSteps: 3, evalBatchSize: 100 },
  rejection: { stability: { steps: 15, batchSize: 16 }, quality: { steps: 10, minAccuracy: 0.2 } },
};

const evaluator = await createProxyEvaluator(CONFIG);
const evaluate = (spec: string, seed: number | string = 0) => {
  const graph = resolveLayer(spec).graph;
  return evaluator.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed });
};

test('when bn-relu is evaluated, then it passes every stage and gets K finite accuracies', async () => {
  const e = await evaluate('bn-relu');
  assert.equal(e.status, 'ok', JSON.stringify(e));
  if (e.status !== 'ok') return;
  assert.equal(e.objectives.length, 3);
  for (const a of e.objectives) assert.ok(a >= 0 && a <= 1);
  assert.deepEqual(e.stages?.map((s) => s.stage), ['static', 'stability', 'quality', 'proxy']);
  assert.deepEqual(e.archs?.map((a) => a.arch), ['resnet', 'mobilenetv2', 'efficientnet']);
});

test('when a layer has constant or non-finite output, then it is rejected by the static check', async () => {
  const constant = await evaluate('x * zero');
  assert.equal(constant.status, 'rejected');
  assert.equal(constant.status === 'rejected' && constant.stage, 'static');
  assert.match(constant.status === 'rejected' ? constant.reason : '', /constant output/);
  for (const exploding of ['x / zero', 'exp(exp(exp(x)))', 'x / v0']) {
    const e = await evaluate(exploding);
    assert.equal(e.status === 'rejected' && e.stage, 'static', `${exploding}: ${JSON.stringify(e)}`);
    assert.match(e.status === 'rejected' ? e.reason : '', /non-finite/);
  }
});

test('when a layer normalises nothing (swish), then the stability probe rejects it for its gradient norm', async () => {
  const e = await evaluate('x * sigmoid(x)');
  assert.equal(e.status === 'rejected' && e.stage, 'stability', JSON.stringify(e));
  assert.match(e.status === 'rejected' ? e.reason : '', /gradient norm/);
});

test('when the same candidate is evaluated twice with one seed, then the objectives are identical', async () => {
  const a = await evaluate('evonorm-s0', 3);
  const b = await evaluate('evonorm-s0', 3);
  assert.equal(a.status, 'ok');
  assert.deepEqual(a.status === 'ok' && a.objectives, b.status === 'ok' && b.objectives);
});

test('when a whole candidate is evaluated, then tf.memory().numTensors returns to its start', async () => {
  await evaluate('evonorm-b0'); // warm-up: backend kernels and caches allocate once
  const start = tf.memory().numTensors;
  await evaluate('evonorm-b0', 1);
  await evaluate('x * sigmoid(x)', 1);
  assert.equal(tf.memory().numTensors, start);
});

test('when the quality check is continued, then survivors train each network once and score as without the check', async () => {
  const graph = resolveLayer('evonorm-b0').graph;
  const request = { graph, fingerprint: functionalFingerprint(graph), seed: 5 };
  const withConfig = async (quality: object) => {
    let steps = 0;
    const onProgress = (p: { step?: number }) => { if (p.step !== undefined) steps++; };
    const e = await createProxyEvaluator({ ...CONFIG, rejection: { ...CONFIG.rejection, stability: { enabled: false }, quality } }, { onProgress });
    return { evaluation: await e.evaluate(request), steps };
  };
  const continued = await withConfig({ steps: 10, minAccuracy: 0.2 });
  const unchecked = await withConfig({ enabled: false });
  const separate = await withConfig({ steps: 10, minAccuracy: 0.2, continued: false });
  const objectives = (e: typeof continued) => e.evaluation.status === 'ok' ? e.evaluation.objectives : e.evaluation;
  assert.equal(continued.evaluation.status, 'ok', JSON.stringify(continued.evaluation));
  assert.deepEqual(continued.evaluation.stages?.map((s) => s.stage), ['static', 'quality', 'proxy']);
  assert.deepEqual(objectives(continued), objectives(unchecked));
  assert.deepEqual(objectives(separate), objectives(unchecked));
  // 3 networks × 20 steps when continued; the separate check adds its own 3 × 10.
  assert.equal(unchecked.steps, 60);
  assert.equal(continued.steps, 60);
  assert.equal(separate.steps, 90);
});

test('when a continued quality check rejects, then the reason names the network and no tensor is left', async () => {
  const strict = await createProxyEvaluator({ ...CONFIG, rejection: { stability: { enabled: false }, quality: { steps: 5, minAccuracy: 0.999 } } });
  const graph = resolveLayer('bn-relu').graph;
  await strict.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: 0 }); // warm-up
  const start = tf.memory().numTensors;
  const e = await strict.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: 1 });
  assert.equal(e.status === 'rejected' && e.stage, 'quality', JSON.stringify(e));
  assert.match(e.status === 'rejected' ? e.reason : '', /^resnet: validation accuracy .* after 5 steps/);
  assert.equal(tf.memory().numTensors, start);
});

test('when hurdles are on, then each look is recorded, a candidate below every hurdle stops at that step, and one above scores as without hurdles', async () => {
  const hurdled = await createProxyEvaluator({ ...CONFIG, rejection: { ...CONFIG.rejection, stability: { enabled: false }, hurdles: { enabled: true, fractions: [0.5] } } });
  const plain = await createProxyEvaluator({ ...CONFIG, rejection: { ...CONFIG.rejection, stability: { enabled: false } } });
  const graph = resolveLayer('bn-relu').graph;
  const request = { graph, fingerprint: functionalFingerprint(graph), seed: 2 };
  const free = await hurdled.evaluate(request);
  const baseline = await plain.evaluate(request);
  assert.equal(free.status, 'ok', JSON.stringify(free));
  assert.deepEqual(free.status === 'ok' && free.objectives, baseline.status === 'ok' && baseline.objectives);
  assert.equal(free.checkpoints?.length, 1);
  assert.equal(free.checkpoints?.[0].step, 10);
  assert.equal(free.checkpoints?.[0].accuracies.length, 3);

  const start = tf.memory().numTensors;
  const stopped = await hurdled.evaluate({ ...request, hurdles: [{ step: 10, minAccuracy: [1.01, 1.01, 1.01] }] });
  assert.equal(stopped.status === 'rejected' && stopped.stage, 'hurdle', JSON.stringify(stopped));
  assert.match(stopped.status === 'rejected' ? stopped.reason : '', /^below the hurdle at step 10 of 20 on every network/);
  assert.deepEqual(stopped.stages?.map((s) => [s.stage, s.step]), [['static', undefined], ['quality', undefined], ['hurdle', 10]]);
  assert.deepEqual(stopped.checkpoints, free.checkpoints);
  assert.equal(tf.memory().numTensors, start);
  // Above the hurdle on one network is enough under the default rule.
  const passed = await hurdled.evaluate({ ...request, hurdles: [{ step: 10, minAccuracy: [1.01, 0, 1.01] }] });
  assert.deepEqual(passed.status === 'ok' && passed.objectives, baseline.status === 'ok' && baseline.objectives);
});
