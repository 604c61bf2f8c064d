/** The report shows a run's fidelity study: the verdict in words, the scatter, the correlations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFidelity } from '../../src/protocol/fidelity.js';
import { writeReport } from '../../src/report/write-report.js';
import { smallRun, tempDir } from './helpers.js';

const PLANTED = fileURLToPath(new URL('../protocol/fixtures/planted-evaluator.ts', import.meta.url));

test('when a run has a fidelity study, then its report says in words how well the search score predicts the target, with a scatter', async () => {
  const dir = tempDir();
  const run = join(dir, 'run');
  cpSync(await smallRun(), run, { recursive: true });
  const before = await writeReport(run, { out: join(dir, 'before.html') });
  assert.match(readFileSync(before.path, 'utf8'), /No fidelity study/);

  const config = join(dir, 'protocol.json');
  writeFileSync(config, JSON.stringify({ evaluation: { backend: 'cpu', data: { name: 'synthetic', count: 120, size: 8, testFraction: 0.25 }, architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }] } }));
  const { outDir, report } = await runFidelity({
    proxyPath: config, targetPath: config, panel: run, sample: 6, layers: [], seeds: 2, workers: 'inline', fsync: false, resamples: 100,
    spec: () => ({ kind: 'module', module: PLANTED, config: { qualities: {}, noise: 0.01 } }),
  });
  assert.equal(outDir, join(run, 'fidelity'));
  assert.ok(report.layers.some((l) => l.source.startsWith('search rank 1 of')), 'the run\'s best candidate is in the panel');
  const after = await writeReport(run, { out: join(dir, 'after.html') });
  const html = readFileSync(after.path, 'utf8');
  assert.match(html, /id="fidelity-verdict">Over \d+ layers, the proxy&#39;s ranking .* predicts the target&#39;s with ρ = /);
  assert.match(html, /id="fidelity-plot"><svg/);
  assert.match(html, /better half ρ, 95%/);
});
