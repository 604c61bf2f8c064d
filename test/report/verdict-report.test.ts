/**
 * status and the report say in words whether a new layer beat BN-ReLU and the seeds, with the
 * noise (src/run/status/verdict.ts), on a real tiny proxy search with evaluation.seeds = 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../src/config/run-config.js';
import { startSearch } from '../../src/run/loop/start-search.js';
import { writeReport } from '../../src/report/write-report.js';
import { cli, tempDir } from './helpers.js';

const CONFIG: RunConfigInput = {
  seed: 2,
  objective: 'proxy',
  evaluation: {
    backend: (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu',
    data: { name: 'synthetic', count: 160, size: 8, numClasses: 4, noise: 0.3 },
    architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }],
    training: { steps: 8, batchSize: 16, lr: 0.05, warmupSteps: 2, evalBatchSize: 80 },
    seeds: 2,
    rejection: { stability: { enabled: false }, quality: { steps: 2, minAccuracy: 0 } },
  },
  search: { populationSize: 4, tournamentSize: 2, batchSize: 2, maxCandidates: 8, seedLayers: ['bn-relu', 'gn-relu'] },
  dispatch: { mode: 'inline' },
};

test('when a proxy search has scored new layers, then status (text and JSON) and the report state the verdict against BN-ReLU with its noise', async () => {
  const dir = tempDir();
  await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'run', workers: 'inline', fsync: false, exportAtEnd: false });
  const run = join(dir, 'run');
  const json = await cli('status', run, '--json');
  assert.equal(json.code, 0, json.err);
  const verdict = JSON.parse(json.out).verdict;
  assert.ok(verdict.newScored > 0, 'the tiny search scored new layers');
  assert.equal(verdict.noiseSource, 'journaled standard errors');
  assert.equal(verdict.perObjective[0].versusBnRelu.referenceName, 'BN-ReLU');
  assert.ok(['beats', 'within-noise', 'loses'].includes(verdict.perObjective[0].versusBnRelu.outcome));
  const text = await cli('status', run);
  assert.ok(text.out.includes(verdict.sentence), text.out);
  // A protocol nobody calibrated is said to be so, in status and in the report.
  assert.equal(JSON.parse(json.out).calibration.calibrated, null);
  assert.match(text.out, /This protocol has not been calibrated/);
  const { path } = await writeReport(run, { out: join(dir, 'report.html') });
  const html = readFileSync(path, 'utf8');
  assert.match(html, /id="verdict"><b>Did the search find anything\?<\/b> (A new layer beat|No new layer beat) BN-ReLU/);
  assert.match(html, /id="protocol-calibration">This protocol has not been calibrated/);
});

test('when a run is training-free (fast objective), then status gives no accuracy verdict', async () => {
  const { smallRun } = await import('./helpers.js');
  const json = await cli('status', await smallRun(), '--json');
  assert.equal(json.code, 0, json.err);
  assert.equal(JSON.parse(json.out).verdict, undefined);
  assert.equal(JSON.parse(json.out).calibration, undefined);
});
