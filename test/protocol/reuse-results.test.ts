/**
 * `--reuse`: a training another results folder holds under the same key is copied in, not
 * trained again; anything else is trained; a training of another protocol is never taken.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { resolveLayer } from '../../src/graph/resolve.js';
import { runFidelity } from '../../src/protocol/fidelity.js';
import { PANEL_BASELINES } from '../../src/protocol/fidelity-panel.js';
import { functionalFingerprint } from '../../src/tensor/fingerprint.js';
import { resultLines, tempDir, tinyConfig } from './helpers.js';

const PLANTED = fileURLToPath(new URL('./fixtures/planted-evaluator.ts', import.meta.url));
const MORE = ['ln-relu', 'bn-swish'];

/** A planted evaluator scoring every layer `value`: which study trained a result shows in it. */
function constant(value: number, layers: readonly string[]) {
  const qualities = Object.fromEntries([...PANEL_BASELINES, ...layers].map((n) => [functionalFingerprint(resolveLayer(n).graph), value]));
  return () => ({ kind: 'module' as const, module: PLANTED, config: { qualities, noise: 0 } });
}

function accuracies(path: string): number[] {
  return resultLines(path).map((l) => (JSON.parse(l) as { accuracy: number }).accuracy);
}

test('when a study reuses one with the same protocols, then nothing is trained and its results are the first study\'s', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  const first = await runFidelity({ proxyPath: config, targetPath: config, layers: MORE, seeds: 2, out: join(dir, 'a'), workers: 'inline', fsync: false, resamples: 50, spec: constant(0.7, MORE) });
  assert.equal(first.ran, 2 * 6 * 2);
  // The second study would score 0.2 everywhere if it trained anything.
  const second = await runFidelity({ proxyPath: config, targetPath: config, layers: MORE, seeds: 2, out: join(dir, 'b'), workers: 'inline', fsync: false, resamples: 50, spec: constant(0.2, MORE), reuse: [join(dir, 'a')] });
  assert.equal(second.ran, 0);
  assert.equal(second.reused, 2 * 6 * 2);
  assert.equal(second.earlier, 0, 'reused trainings are not counted as the folder\'s own earlier ones');
  const targetResults = (root: string) => join(dir, root, `target-${first.report.target.digest}`, 'results.jsonl');
  assert.deepEqual(accuracies(targetResults('b')), accuracies(targetResults('a')));
  assert.ok(accuracies(targetResults('b')).every((a) => a === 0.7));
  assert.deepEqual(second.report.stats?.correlations, first.report.stats?.correlations);
});

test('when a study has layers the reused folder lacks, then only those are trained', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  await runFidelity({ proxyPath: config, targetPath: config, layers: MORE, seeds: 1, out: join(dir, 'a'), workers: 'inline', fsync: false, resamples: 50, spec: constant(0.7, MORE) });
  const more = [...MORE, 'gn-swish'];
  const second = await runFidelity({ proxyPath: config, targetPath: config, layers: more, seeds: 2, out: join(dir, 'b'), workers: 'inline', fsync: false, resamples: 50, spec: constant(0.2, more), reuse: [join(dir, 'a')] });
  // 7 layers × 2 seeds × 2 sides = 28 trainings; the first study had 6 layers × seed 0 × 2 sides.
  assert.equal(second.reused, 12);
  assert.equal(second.ran, 28 - 12);
  const target = accuracies(join(dir, 'b', `target-${second.report.target.digest}`, 'results.jsonl'));
  assert.equal(target.filter((a) => a === 0.7).length, 6);
  assert.equal(target.filter((a) => a === 0.2).length, 8);
});

test('when the reused folder holds another protocol\'s trainings, then none is taken', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  const longer = join(dir, 'longer.json');
  const text = JSON.parse(readFileSync(config, 'utf8')) as { evaluation: { training: { steps: number } } };
  text.evaluation.training.steps += 1;
  writeFileSync(longer, JSON.stringify(text));
  await runFidelity({ proxyPath: config, targetPath: config, layers: MORE, seeds: 1, out: join(dir, 'a'), workers: 'inline', fsync: false, resamples: 50, spec: constant(0.7, MORE) });
  const other = await runFidelity({ proxyPath: longer, targetPath: longer, layers: MORE, seeds: 1, out: join(dir, 'b'), workers: 'inline', fsync: false, resamples: 50, spec: constant(0.2, MORE), reuse: [join(dir, 'a')] });
  assert.equal(other.reused, 0);
  assert.equal(other.ran, 12);
});

test('when --reuse names a folder without results, then the command exits 3 with the reason before training anything', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  const io = memoryIo();
  const code = await main(['fidelity', 'ln-relu', '--proxy', config, '--target', config, '--workers', 'inline', '--reuse', dir, '--out', join(dir, 'out')], io);
  assert.equal(code, 3);
  assert.match(io.err.join(''), /--reuse .*holds no results\.jsonl/);
  assert.deepEqual(resultLines(join(dir, 'out', 'results.jsonl')), []);
});
