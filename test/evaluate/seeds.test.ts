/**
 * evaluation.seeds and the one training path (src/evaluate/arch-training.ts): with S = 2 each
 * objective is the mean of two trainings, the search trains its seed s exactly as compare's
 * evaluator trains seed s (same streams), candidates share their initial weights and batches
 * (common random numbers), and every training records its CPU time. Backend:
 * EVONORM_TEST_BACKEND (wasm by default).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createProxyEvaluator, mean, standardError } from '../../src/evaluate/proxy.js';
import { ProxyConfigSchema, type ProxyConfigInput } from '../../src/evaluate/config.js';
import { searchTrainingRoot, startArchTraining, trainArch, trainingStreams } from '../../src/evaluate/arch-training.js';
import { loadDataset } from '../../src/data/index.js';
import { resolveLayer } from '../../src/graph/resolve.js';
import { createEvaluator as createProtocolEvaluator } from '../../src/evaluate/training-evaluator.js';
import { encodeJob } from '../../src/protocol/job.js';
import { functionalFingerprint } from '../../src/tensor/fingerprint.js';
import { Rng } from '../../src/util/rng.js';
import type { ArchResult } from '../../src/evaluate/types.js';

const backend = (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu';

const CONFIG: ProxyConfigInput = {
  backend,
  data: { name: 'synthetic', count: 200, size: 8, numClasses: 4, noise: 0.3, augment: { crop: 1, flip: true } },
  architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }, { arch: 'mobilenetv2' }],
  training: { steps: 12, batchSize: 16, lr: 0.05, warmupSteps: 5, evalBatchSize: 64 },
  seeds: 2,
  rejection: { stability: { enabled: false }, quality: { steps: 4, minAccuracy: 0 } },
};
const config = ProxyConfigSchema.parse(CONFIG);
const search = await createProxyEvaluator(config);
const request = (spec: string, seed: number | string, fingerprint?: string) => {
  const graph = resolveLayer(spec).graph;
  return { graph, fingerprint: fingerprint ?? functionalFingerprint(graph), seed };
};

test('when S = 2, then each objective is the mean of the two single-seed trainings and its standard error is journaled', async () => {
  const e = await search.evaluate(request('evonorm-b0', 11));
  assert.equal(e.status, 'ok', JSON.stringify(e));
  if (e.status !== 'ok') return;
  const dataset = loadDataset(config.data, Rng.fromSeed('data'));
  const graph = resolveLayer('evonorm-b0').graph;
  for (let k = 0; k < 2; k++) {
    // The one training path, one shot, with the streams of search training s.
    const single = await Promise.all([0, 1].map(async (s) => (await trainArch({ graph, config, dataset, k, streams: trainingStreams(searchTrainingRoot(11, s), k, 16) })).accuracy));
    assert.equal(e.objectives[k], (single[0] + single[1]) / 2);
    assert.ok(Math.abs(e.objectiveErrors![k] - Math.abs(single[0] - single[1]) / 2) < 1e-12, `standard error ${e.objectiveErrors?.[k]}`);
    assert.deepEqual(e.archs?.filter((a) => a.arch === ['resnet', 'mobilenetv2'][k]).map((a) => [a.seed, a.accuracy]), [[0, single[0]], [1, single[1]]]);
  }
  assert.ok(Math.abs(standardError([0.5, 0.7]) - 0.1) < 1e-12);
  assert.ok(Number.isNaN(standardError([0.5])));
  assert.equal(mean([0.3]), 0.3);
});

test('when the search path and the compare evaluator get the same streams, then they give the identical accuracy', async () => {
  // Search training s has root "<run seed>/<s>"; compare's seed n has root "protocol/<n>": a
  // search with run seed "protocol" trains its seed s as compare trains seed s.
  const e = await search.evaluate(request('gn-relu', 'protocol'));
  assert.equal(e.status, 'ok', JSON.stringify(e));
  const protocol = await createProtocolEvaluator({ proxy: CONFIG, score: 'validation' });
  const graph = resolveLayer('gn-relu').graph;
  for (let k = 0; k < 2; k++) {
    for (const s of [0, 1]) {
      const job = encodeJob({ seed: s, arch: k, batchSize: 16, steps: 12, lr: 0.05, warmupSteps: 5 });
      const p = await protocol.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: job });
      assert.equal(p.status, 'ok', JSON.stringify(p));
      const mine: ArchResult | undefined = e.archs?.find((a) => a.arch === ['resnet', 'mobilenetv2'][k] && a.seed === s);
      assert.equal(p.status === 'ok' && p.objectives[0], mine?.accuracy, `network ${k}, seed ${s}`);
      // The protocol evaluator passes the training's CPU time through.
      assert.ok(typeof p.archs?.[0].cpuMs === 'number' && p.archs[0].cpuMs >= 0);
    }
  }
});

test('when the same layer comes with another fingerprint, then its score is the same (the trainings do not depend on the candidate)', async () => {
  const a = await search.evaluate(request('bn-relu', 3));
  const b = await search.evaluate(request('bn-relu', 3, 'some-other-fingerprint'));
  assert.equal(a.status, 'ok', JSON.stringify(a));
  assert.deepEqual(b.status === 'ok' && b.objectives, a.status === 'ok' && a.objectives);
  const c = await search.evaluate(request('bn-relu', 4));
  assert.notDeepEqual(c.status === 'ok' && c.objectives, a.status === 'ok' && a.objectives, 'another run seed draws other weights');
});

test('when two different layers are trained as search seed s, then the convolutions start from the same weights', () => {
  const dataset = loadDataset(config.data, Rng.fromSeed('data'));
  const kernels = (spec: string, s: number) => {
    const run = startArchTraining({ graph: resolveLayer(spec).graph, config, dataset, k: 0, streams: trainingStreams(searchTrainingRoot(5, s), 0, 16) });
    try {
      return run.model.kernels().map((v) => Array.from(v.dataSync()));
    } finally {
      run.dispose();
    }
  };
  const bn = kernels('bn-relu', 0);
  assert.ok(bn.length > 0);
  assert.deepEqual(kernels('evonorm-s0', 0), bn);
  assert.notDeepEqual(kernels('bn-relu', 1), bn);
});

test('when S = 2, then every training records its CPU time and no tensor is left', async () => {
  await search.evaluate(request('evonorm-s0', 1)); // warm-up
  const start = tf.memory().numTensors;
  const e = await search.evaluate(request('evonorm-s0', 2));
  assert.equal(tf.memory().numTensors, start);
  assert.equal(e.archs?.length, 4);
  for (const a of e.archs ?? []) assert.ok(typeof a.cpuMs === 'number' && Number.isFinite(a.cpuMs) && a.cpuMs >= 0, JSON.stringify(a));
  const total = (e.archs ?? []).reduce((sum, a) => sum + (a.cpuMs ?? 0), 0);
  assert.ok(total > 0, 'the trainings took some CPU time');
});

test('when the quality check fails on the mean of the seeds, then the reason says so', async () => {
  const strict = await createProxyEvaluator({ ...CONFIG, rejection: { stability: { enabled: false }, quality: { steps: 3, minAccuracy: 0.999 } } });
  const e = await strict.evaluate(request('bn-relu', 0));
  assert.equal(e.status === 'rejected' && e.stage, 'quality', JSON.stringify(e));
  assert.match(e.status === 'rejected' ? e.reason : '', /^resnet: validation accuracy .* \(mean of 2 seeds\) < 0\.999 after 3 steps/);
});
