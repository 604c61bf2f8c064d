/** The calibrated protocols restate committed fidelity reports exactly, and runs under them are told so. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CALIBRATIONS, calibrationFromReport, calibrationOf, calibrationSentence } from '../../src/protocol/calibrations.js';
import type { FidelityReport } from '../../src/protocol/fidelity.js';
import { loadConfigFile } from '../../src/config/load.js';
import { RunConfigSchema } from '../../src/config/run-config.js';

test('when a calibration is listed, then its figures are those of its committed fidelity report', () => {
  for (const entry of CALIBRATIONS) {
    const report = JSON.parse(readFileSync(entry.source, 'utf8')) as FidelityReport;
    assert.deepEqual(entry, calibrationFromReport(report, entry.name, entry.source, entry.target, entry.measured), entry.name);
  }
});

test('when a protocol has no calibration, then the sentence says so and names the command that measures it', () => {
  assert.equal(calibrationOf({ data: { name: 'nothing-like-this' } }), undefined);
  assert.match(calibrationSentence(undefined), /not been calibrated.*evonorm fidelity/);
});

test('when a fidelity report has figures, then its entry carries ρ over the panel, within the better half and by proxy seeds, and the sentence picks the run\'s seeds', () => {
  const correlation = (rho: number) => ({ layers: 30, rho, rhoLow: rho - 0.1, rhoHigh: rho + 0.05, tau: 0, tauLow: 0, tauHigh: 0, top5: 3 });
  const report = {
    format: 'evonorm.fidelity', version: 1, complete: true, otherData: true,
    proxy: { digest: 'abc', seeds: 3 }, target: { seeds: 1 },
    stats: {
      layers: 30,
      correlations: [{ name: 'resnet', all: correlation(0.5), betterHalf: correlation(0.1) }, { name: 'mean', all: correlation(0.81234), betterHalf: correlation(0.4) }],
      bySeeds: [{ seeds: 1, subsets: 3, rho: 0.7, rhoBetterHalf: 0.2 }, { seeds: 2, subsets: 3, rho: 0.78, rhoBetterHalf: 0.3 }, { seeds: 3, subsets: 1, rho: 0.81234, rhoBetterHalf: 0.4 }],
    },
  } as unknown as FidelityReport;
  const entry = calibrationFromReport(report, 'x', 'results/x.json', 'a longer training', '2026-12-07')!;
  assert.deepEqual(entry.rho, [0.812, 0.712, 0.862]);
  assert.deepEqual(entry.rhoBetterHalf, [0.4, 0.3, 0.45]);
  assert.equal(entry.otherData, true);
  assert.deepEqual(entry.bySeeds.map((b) => b.seeds), [1, 2, 3]);
  const sentence = calibrationSentence(entry, 1);
  assert.match(sentence, /with 3 seeds per network, its ranking predicts a longer training \(other data: a transfer figure\) with Spearman ρ = \+0\.81 \[\+0\.71, \+0\.86\]/);
  assert.match(sentence, /With 1 seed per network, as this run trains, ρ = \+0\.70 over the panel and \+0\.20 within its better half\./);
  assert.match(calibrationSentence(entry, 5), /With 3 seeds per network, as this run trains/);
  assert.equal(calibrationFromReport({ ...report, stats: null } as FidelityReport, 'x', 's', 't', 'd'), undefined);
});

test('when the calibrated demo protocol is looked up, then configs/quick.json is found by its digest', () => {
  const quick = loadConfigFile('configs/quick.json', RunConfigSchema);
  assert.equal(calibrationOf(quick.evaluation!)?.name, 'quick-mnist');
});

test('when configs/discovery.json is looked up, then it is the calibrated fashion-allimages protocol (its seeds and rejection settings aside), and its first level the fashion-600 one', () => {
  const discovery = loadConfigFile('configs/discovery.json', RunConfigSchema);
  assert.equal(calibrationOf(discovery.evaluation!)?.name, 'fashion-allimages');
  assert.match(calibrationSentence(calibrationOf(discovery.evaluation!), discovery.evaluation!.seeds), /With 1 seed per network, as this run trains, ρ = \+0\.91/);
  const level1 = { ...discovery.evaluation!, training: { ...discovery.evaluation!.training, ...(discovery.search!.levels[0]!.training as object) } };
  assert.equal(calibrationOf(level1)?.name, 'fashion-600');
});
