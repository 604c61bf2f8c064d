/** The manifest records the backend the evaluations ran on, not the request "auto" (issue 8, bug 9). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';

test('when a proxy search asks for backend "auto", then the manifest records the one it got and each evaluation names it', async () => {
  const config = RunConfigSchema.parse({
    seed: 1,
    evaluation: {
      backend: 'auto',
      data: { name: 'synthetic', count: 40, size: 8 },
      architectures: [{ arch: 'resnet', stageBlocks: [1] }],
      training: { steps: 2, batchSize: 8, warmupSteps: 0, evalBatchSize: 40 },
      rejection: { stability: { enabled: false }, quality: { enabled: false } },
    },
    search: { maxCandidates: 2, batchSize: 2, populationSize: 2, tournamentSize: 2, seedLayers: ['bn-relu'] },
    dispatch: { mode: 'inline' },
  });
  const runsDir = mkdtempSync(join(tmpdir(), 'evonorm-manifest-'));
  const result = await startSearch({ config, runsDir, name: 'auto', fsync: false, exportAtEnd: false });
  const manifest = JSON.parse(readFileSync(result.run.manifestPath, 'utf8'));
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(manifest.backend), manifest.backend);
  assert.equal(manifest.backendRequested, 'auto');
  const evaluations = readJournal(result.run.journalPath).events.flatMap((e) => (e.type === 'evaluated' && !e.cached ? [e.evaluation] : []));
  assert.ok(evaluations.length > 0);
  for (const evaluation of evaluations) assert.equal(evaluation.backend, manifest.backend);
});
