import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { loadEvaluationConfig } from '../../src/config/evaluation-config.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { createEvaluator } from '../../src/evaluate/registry.js';
import { encodeJob } from '../../src/protocol/job.js';
import { protocolSpec } from '../../src/protocol/run-protocol.js';
import { functionalFingerprint } from '../../src/tensor/fingerprint.js';
import { tempDir, tinyConfig } from './helpers.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('when compare/rerank hand their evaluator to a pool, then the spec names no file path and a worker builds a training from it', async () => {
  const proxy = loadEvaluationConfig(tinyConfig(tempDir()), 'cpu');
  const spec = protocolSpec(proxy, 'test');
  const text = JSON.stringify(spec);
  // The spec crosses to Redis workers on other machines: a path of this checkout would break there.
  assert.equal(text.includes(repo), false, 'the spec names a path of this checkout');
  assert.equal(spec.kind, 'protocol');
  const evaluator = await createEvaluator(JSON.parse(text));
  const graph = zooLayer('bn-relu');
  const job = { seed: 0, arch: 0, batchSize: 16, steps: 4, lr: 0.05, warmupSteps: 0 };
  const result = await evaluator.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: encodeJob(job) });
  assert.equal(result.status, 'ok', JSON.stringify(result));
  evaluator.dispose();
});
