/**
 * `evonorm fidelity`: a planted panel recovers its ρ; the same seeds give the same figures;
 * kill -9 and rerun trains nothing twice; bad studies exit 3 with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { resolveLayer } from '../../src/graph/resolve.js';
import { runFidelity, type FidelityReport } from '../../src/protocol/fidelity.js';
import { PANEL_BASELINES } from '../../src/protocol/fidelity-panel.js';
import { functionalFingerprint } from '../../src/tensor/fingerprint.js';
import { resultLines, runThenKill, tempDir, tinyConfig } from './helpers.js';

const PLANTED = fileURLToPath(new URL('./fixtures/planted-evaluator.ts', import.meta.url));
const MORE = ['ln-relu', 'bn-swish', 'gn-swish', 'identity-affine', 'evonorm-b1', 'evonorm-b2', 'evonorm-s1', 'evonorm-s2'];

/** A planted study: target quality of layer i is i/100; the proxy's is a permutation with swapped neighbours. */
async function planted(dir: string, noise: number, name: string): Promise<FidelityReport> {
  const config = tinyConfig(dir);
  const names = [...PANEL_BASELINES, ...MORE];
  const fingerprints = names.map((n) => functionalFingerprint(resolveLayer(n).graph));
  const target = Object.fromEntries(fingerprints.map((f, i) => [f, 0.5 + i / 100]));
  // Swap layers 0↔1, 2↔3, …: Spearman ρ of the planted proxy vs target = 1 − 6·12/(12·143).
  const proxy = Object.fromEntries(fingerprints.map((f, i) => [f, 0.5 + (i % 2 === 0 ? i + 1 : i - 1) / 100]));
  const { report } = await runFidelity({
    proxyPath: config, targetPath: config, layers: MORE, seeds: 3, out: join(dir, name), workers: 'inline', fsync: false, resamples: 500,
    spec: (side) => ({ kind: 'module', module: PLANTED, config: { qualities: side === 'proxy' ? proxy : target, noise } }),
  });
  return report;
}

test('when the panel has a planted ordering and little noise, then fidelity recovers the planted ρ within its interval', async () => {
  const dir = tempDir();
  const plantedRho = 1 - (6 * 12) / (12 * 143);
  const report = await planted(dir, 0.001, 'quiet');
  const agg = report.stats!.correlations.find((c) => c.name === 'mean')!;
  assert.equal(agg.all.layers, 12);
  assert.ok(agg.all.rhoLow <= plantedRho && plantedRho <= agg.all.rhoHigh, `planted ρ ${plantedRho} outside [${agg.all.rhoLow}, ${agg.all.rhoHigh}]`);
  assert.ok(Math.abs(agg.all.rho - plantedRho) < 0.05, `ρ ${agg.all.rho}`);
  assert.ok(report.stats!.proxy.columns[0]!.reliability.icc > 0.9, 'little noise: nearly all variance lies between layers');
  assert.deepEqual(report.stats!.betterHalf, [6, 7, 8, 9, 10, 11]);
});

test('when the seed noise grows past the spacing of the layers, then reliability and ρ fall and the intervals widen', async () => {
  const dir = tempDir();
  const quiet = (await planted(dir, 0.001, 'quiet')).stats!;
  const noisy = (await planted(dir, 0.05, 'noisy')).stats!;
  const rel = (s: typeof quiet) => s.proxy.columns[0]!.reliability;
  assert.ok(rel(noisy).icc < rel(quiet).icc - 0.3, `ICC ${rel(noisy).icc} vs ${rel(quiet).icc}`);
  const width = (s: typeof quiet) => s.correlations[0]!.all.rhoHigh - s.correlations[0]!.all.rhoLow;
  assert.ok(width(noisy) > width(quiet), 'a noisy proxy has a wider interval');
});

test('when a layer fails on some seeds, then it is ranked at chance and listed, never averaged in silently', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  const names = [...PANEL_BASELINES, 'ln-relu'];
  const fps = names.map((n) => functionalFingerprint(resolveLayer(n).graph));
  const qualities = Object.fromEntries(fps.map((f, i) => [f, 0.6 + i / 100]));
  const { report } = await runFidelity({
    proxyPath: config, targetPath: config, layers: ['ln-relu'], seeds: 2, out: join(dir, 'f'), workers: 'inline', fsync: false, resamples: 100,
    spec: () => ({ kind: 'module', module: PLANTED, config: { qualities, noise: 0.001, failing: [fps[4]!] } }),
  });
  const failures = report.stats!.proxy.failures;
  assert.deepEqual(failures.map((f) => [report.layers[f.layer]!.name, f.seeds]), [['ln-relu', 2]]);
  const chance = 1 / 4; // the tiny synthetic set has 4 classes
  assert.equal(report.stats!.proxy.columns[0]!.layerMeans[4], chance);
});

async function fidelity(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(['fidelity', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** The figures of a report without its costs (CPU time differs run to run). */
function figures(report: FidelityReport): unknown {
  const strip = (s: FidelityReport['stats']) => s && { ...s, proxy: { ...s.proxy, cpuSecondsPerCandidate: 0 }, target: { ...s.target, cpuSecondsPerCandidate: 0 } };
  return { layers: report.layers, stats: strip(report.stats) };
}

test('when fidelity runs twice with the same seeds, then the figures are the same; killed with SIGKILL and rerun, it trains nothing twice', async () => {
  const dir = tempDir();
  const proxy = tinyConfig(dir, 4);
  const target = join(dir, 'target.json');
  writeFileSync(target, readFileSync(proxy, 'utf8').replace('"steps":4', '"steps":8'));
  const args = ['ln-relu', '--proxy', proxy, '--target', target, '--seeds', '2', '--resamples', '200', '--workers', 'inline'];
  const first = await fidelity([...args, '--out', join(dir, 'a'), '--json']);
  assert.equal(first.code, 0, first.err);
  const second = await fidelity([...args, '--out', join(dir, 'b'), '--json']);
  assert.equal(second.code, 0, second.err);
  const a = JSON.parse(first.out) as FidelityReport;
  assert.equal(a.complete, true);
  assert.deepEqual(figures(JSON.parse(second.out) as FidelityReport), figures(a));

  const killedDir = join(dir, 'killed');
  const proxyFile = join(killedDir, `proxy-${a.proxy.digest}`, 'results.jsonl');
  const before = await runThenKill(['fidelity', ...args, '--out', killedDir], proxyFile, 3);
  assert.ok(before >= 3 && before < 10, `killed after ${before} of 10 proxy trainings`);
  const resumed = await fidelity([...args, '--out', killedDir, '--json']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.err, new RegExp(`${20 - before} trainings run now, ${before} from earlier`));
  const keys = resultLines(proxyFile).map((l) => (JSON.parse(l) as { key: string }).key);
  assert.equal(new Set(keys).size, keys.length, 'a training was recorded twice');
  assert.equal(keys.length, 10);
  assert.deepEqual(figures(JSON.parse(resumed.out) as FidelityReport), figures(a));
  const text = await fidelity([...args, '--out', killedDir]);
  assert.match(text.out, /predicts the target's with ρ = /);
  assert.match(text.err, / 0 trainings run now/);
});

test('when the panel has under 5 layers, the target no held-out split, or the protocols other data, then fidelity exits 3 with the reason', async () => {
  const dir = tempDir();
  const proxy = tinyConfig(dir, 4);
  const small = await fidelity(['--proxy', proxy, '--target', proxy, '--workers', 'inline', '--out', join(dir, 'o1')]);
  assert.equal(small.code, 3);
  assert.match(small.err, /at least 5 distinct layers/);

  const noTest = join(dir, 'no-test.json');
  writeFileSync(noTest, readFileSync(proxy, 'utf8').replace('"testFraction":0.25', '"testFraction":0'));
  const held = await fidelity(['ln-relu', '--proxy', proxy, '--target', noTest, '--workers', 'inline', '--out', join(dir, 'o2')]);
  assert.equal(held.code, 3);
  assert.match(held.err, /no held-out test split/);

  const other = join(dir, 'other.json');
  writeFileSync(other, readFileSync(proxy, 'utf8').replace('"size":8', '"size":8,"noise":0.5'));
  const differs = await fidelity(['ln-relu', '--proxy', proxy, '--target', other, '--workers', 'inline', '--out', join(dir, 'o3')]);
  assert.equal(differs.code, 3);
  assert.match(differs.err, /same data/);
});

test('when the proxy has more seeds than one, then fidelity says what fewer seeds would give, and more seeds rank better under noise', async () => {
  const dir = tempDir();
  const stats = (await planted(dir, 0.02, 'subsets')).stats!;
  assert.deepEqual(stats.bySeeds.map((b) => [b.seeds, b.subsets]), [[1, 3], [2, 3], [3, 1]]);
  const all = stats.correlations.find((c) => c.name === 'mean')!.all.rho;
  assert.ok(Math.abs(stats.bySeeds[2]!.rho - all) < 1e-12, 'all seeds = the study\'s own ρ');
  assert.ok(stats.bySeeds[0]!.rho < stats.bySeeds[2]!.rho, `1 seed ${stats.bySeeds[0]!.rho} vs 3 seeds ${stats.bySeeds[2]!.rho}`);
});

test('when a study stops after the target\'s first seed, then its figures use the seeds finished so far and say it is partial', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  const names = [...PANEL_BASELINES, 'ln-relu'];
  const qualities = Object.fromEntries(names.map((n, i) => [functionalFingerprint(resolveLayer(n).graph), 0.6 + i / 100]));
  const options = {
    proxyPath: config, targetPath: config, layers: ['ln-relu'], seeds: 2, targetSeeds: 2, out: join(dir, 'f'), workers: 'inline', fsync: false, resamples: 100,
    spec: () => ({ kind: 'module' as const, module: PLANTED, config: { qualities, noise: 0.001 } }),
  };
  const whole = await runFidelity(options);
  assert.equal(whole.report.complete, true);
  const targetFile = join(dir, 'f', `target-${whole.report.target.digest}`, 'results.jsonl');
  const lines = resultLines(targetFile);
  writeFileSync(targetFile, `${lines.filter((l) => (JSON.parse(l) as { seed: number }).seed === 0).join('\n')}\n`);
  const partial = await runFidelity({ ...options, signal: AbortSignal.abort() });
  assert.equal(partial.interrupted, true);
  assert.equal(partial.report.complete, false);
  assert.deepEqual([partial.report.proxy.seeds, partial.report.target.seeds, partial.report.target.seedsPlanned], [2, 1, 2]);
  assert.ok(partial.report.stats !== null, 'figures over the finished seeds');
  assert.ok(Number.isNaN(partial.report.stats!.target.columns[0]!.reliability.icc), 'one target seed: no reliability yet');
  const { formatFidelity } = await import('../../src/protocol/format-fidelity.js');
  assert.match(formatFidelity(partial.report), /Partial: over the seeds finished so far, proxy 2 of 2, target 1 of 2/);

  // Before the target's first seed is complete: no correlations, but the proxy's own reliability.
  writeFileSync(targetFile, '');
  const proxyOnly = await runFidelity({ ...options, signal: AbortSignal.abort() });
  assert.equal(proxyOnly.report.stats, null);
  assert.equal(proxyOnly.report.sides.target, null);
  assert.ok(proxyOnly.report.sides.proxy!.columns[0]!.reliability.icc > 0.9, 'the proxy side has its figures');
  assert.match(formatFidelity(proxyOnly.report), /No figures yet[\s\S]*proxy +resnet +0\.9/);

  // --report-only beside a study still running elsewhere: a half-written last line is left alone.
  const proxyFile = join(dir, 'f', `proxy-${whole.report.proxy.digest}`, 'results.jsonl');
  writeFileSync(proxyFile, `${readFileSync(proxyFile, 'utf8')}{"format":"evonorm.protocol-res`);
  const before = readFileSync(proxyFile, 'utf8');
  const readOnly = await runFidelity({ ...options, train: false });
  assert.equal(readFileSync(proxyFile, 'utf8'), before, 'the results file is not repaired or appended to');
  assert.equal(readOnly.ran, 0);
  assert.deepEqual(readOnly.report.sides.proxy, proxyOnly.report.sides.proxy);
});
