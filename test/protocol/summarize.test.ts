import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zooLayer } from '../../src/graph/zoo.js';
import type { TrainingJob } from '../../src/protocol/job.js';
import type { TrainingRecord } from '../../src/protocol/results-file.js';
import { summarize } from '../../src/protocol/summarize.js';
import { tInterval } from '../../src/protocol/stats.js';

function job(layer: string, seed: number): TrainingJob {
  return { key: `${layer}/${seed}`, layer, graph: zooLayer('bn-relu'), fingerprint: layer, archName: 'resnet', arch: 0, batchSize: 8, seed, steps: 10, lr: 0.1, warmupSteps: 0 };
}

function record(j: TrainingJob, accuracy: number | null): TrainingRecord {
  const base = { format: 'evonorm.protocol-result' as const, version: 1 as const, key: j.key, layer: j.layer, fingerprint: j.fingerprint, arch: 0, archName: 'resnet', batchSize: 8, seed: j.seed, steps: 10, lr: 0.1, warmupSteps: 0, split: 'validation', ms: 1, finishedAt: '2026-01-01T00:00:00.000Z' };
  return accuracy === null ? { ...base, status: 'rejected', stage: 'training', reason: 'non-finite training loss at step 3' } : { ...base, status: 'ok', accuracy };
}

test('when a layer diverges in one seed, then that seed is a failure of its cell and the paired difference uses the other seeds only', () => {
  const jobs = [0, 1, 2].flatMap((s) => [job('bn-relu', s), job('s0', s)]);
  const acc: Record<string, number | null> = { 'bn-relu/0': 0.9, 'bn-relu/1': 0.8, 'bn-relu/2': 0.85, 's0/0': 0.92, 's0/1': null, 's0/2': 0.9 };
  const records = new Map(jobs.map((j) => [j.key, record(j, acc[j.key]!)]));
  const cells = summarize(jobs, (k) => records.get(k), 'bn-relu');
  const s0 = cells.find((c) => c.layer === 's0')!;
  assert.deepEqual(s0.values.map((v) => v.seed), [0, 2]);
  assert.deepEqual(s0.failures, [{ seed: 1, stage: 'training', reason: 'non-finite training loss at step 3' }]);
  assert.ok(Math.abs(s0.mean - 0.91) < 1e-12);
  assert.deepEqual(s0.vsBaseline!.seeds, [0, 2]);
  const want = tInterval([0.92 - 0.9, 0.9 - 0.85]);
  assert.ok(Math.abs(s0.vsBaseline!.mean - want.mean) < 1e-12 && Math.abs(s0.vsBaseline!.halfWidth - want.halfWidth) < 1e-12);
  assert.equal(cells.find((c) => c.layer === 'bn-relu')!.vsBaseline, null);
});

test('when trainings are missing, then the cell counts them as missing, not as failures', () => {
  const jobs = [0, 1].map((s) => job('bn-relu', s));
  const records = new Map([[jobs[0]!.key, record(jobs[0]!, 0.7)]]);
  const [cell] = summarize(jobs, (k) => records.get(k), 'bn-relu');
  assert.equal(cell!.missing, 1);
  assert.equal(cell!.failures.length, 0);
  assert.ok(Number.isNaN(cell!.sd));
});
