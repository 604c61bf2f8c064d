/**
 * Does a config's stability probe reject layers known to train well? (issue 17, item 3)
 *
 *   for each layer of a calibration panel (zoo names and expressions, one per line):
 *     probe it on every proxy network of the config under each setting of a small grid
 *   print: per layer, pass/fail and the largest gradient norm per setting, beside the layer's
 *     mean target accuracy from a fidelity report (the panel's ground truth), so a probe that
 *     stops a layer which reaches a good target score shows as a false rejection.
 *
 * Usage: node --import tsx scripts/probe-panel.ts --config configs/discovery.json
 *          [--panel results/calibration/panel.txt] [--fidelity results/calibration/fidelity-fashion-allimages.json]
 *          [--good 0.85] [--seed 0] [--md out.md]
 * "good" = a mean target accuracy at or above --good (the target's BN-ReLU is about 0.88).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../src/config/load.js';
import { RunConfigSchema } from '../src/config/run-config.js';
import { createStabilityProber, type StabilitySettings } from '../src/evaluate/stability-stage.js';
import { resolveLayer } from '../src/graph/index.js';
import { functionalFingerprint } from '../src/tensor/fingerprint.js';

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'configs/discovery.json' },
    panel: { type: 'string', default: 'results/calibration/panel.txt' },
    fidelity: { type: 'string', default: 'results/calibration/fidelity-fashion-allimages.json' },
    good: { type: 'string', default: '0.85' },
    seed: { type: 'string', default: '0' },
    md: { type: 'string' },
  },
});

const config = loadConfigFile(args.config!, RunConfigSchema);
if (config.objective !== 'proxy') throw new Error('probe-panel needs a proxy config');
const evaluation = config.evaluation!;
const names = readFileSync(args.panel!, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

// The panel's ground truth: each layer's mean target accuracy over networks (fidelity report).
interface FidelityLayer { readonly name?: string; readonly expression: string }
const fidelity = JSON.parse(readFileSync(args.fidelity!, 'utf8')) as {
  layers: FidelityLayer[];
  sides: { target: { columns: { layerMeans: number[] }[] } };
};
const targetMean = new Map<string, number>();
fidelity.layers.forEach((l, i) => {
  const columns = fidelity.sides.target.columns;
  const mean = columns.reduce((s, c) => s + c.layerMeans[i]!, 0) / columns.length;
  targetMean.set(l.name ?? l.expression, mean);
  targetMean.set(l.expression, mean);
});

const current = evaluation.rejection.stability;
// Two probes per layer and network, run with no threshold so the whole trace of ‖g‖ is kept: any
// (steps ≤ traced steps, threshold) setting is then read off the trace without probing again.
const TRACES: readonly [string, StabilitySettings][] = [
  ['batch 32', { ...current, steps: 100, batchSize: 32, threshold: Number.POSITIVE_INFINITY }],
  ['batch 16', { ...current, steps: 20, batchSize: 16, threshold: Number.POSITIVE_INFINITY }],
];
const SETTINGS: readonly { label: string; trace: number; steps: number; threshold: number }[] = [
  { label: '100 steps, batch 32, 1e8 (discovery.json)', trace: 0, steps: 100, threshold: 1e8 },
  { label: '50 steps, batch 32, 1e8', trace: 0, steps: 50, threshold: 1e8 },
  { label: '100 steps, batch 32, 1e10', trace: 0, steps: 100, threshold: 1e10 },
  { label: '20 steps, batch 16, 1e8 (quick.json)', trace: 1, steps: 20, threshold: 1e8 },
];
/** Passes when every step up to `steps` has a finite ‖g‖ at or below the threshold. */
const passes = (norms: readonly number[], steps: number, threshold: number): boolean =>
  norms.slice(0, steps).every((g) => Number.isFinite(g) && g <= threshold);
const prober = await createStabilityProber(evaluation);
const good = Number(args.good);
const lines: string[] = [];
const out = (s: string): void => { console.log(s); lines.push(s); };
out(`config ${args.config}, panel ${args.panel} (${names.length} layers), target means from ${args.fidelity}; good = target mean ≥ ${good}; load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
out('');
out(`| layer | target mean | max ‖g‖ in 20 / 50 / 100 steps (batch 32) | ${SETTINGS.map((x) => x.label).join(' | ')} |`);
out(`| --- | --- | --- | ${SETTINGS.map(() => '---').join(' | ')} |`);
const tally = SETTINGS.map(() => ({ goodRejected: 0, badRejected: 0 }));
let goodCount = 0;
for (const name of names) {
  const { graph } = resolveLayer(name);
  const fingerprint = functionalFingerprint(graph);
  const mean = targetMean.get(name);
  const isGood = mean !== undefined && mean >= good;
  if (isGood) goodCount++;
  // traces[t][k]: ‖g‖ per step of trace t on network k (a non-finite norm ends a trace early).
  const traces = TRACES.map(([, settings]) => prober.probe(graph, fingerprint, args.seed!, settings).map((r) => {
    const norms = [...r.gradNorms];
    return r.stepsRun > norms.length || !r.passed ? [...norms, Number.NaN] : norms;
  }));
  const maxOver = (steps: number): string => {
    const all = traces[0]!.flatMap((norms) => norms.slice(0, steps));
    return all.some((g) => !Number.isFinite(g)) ? 'non-finite' : Math.max(...all).toExponential(1);
  };
  const cells = SETTINGS.map((setting, g) => {
    const passed = traces[setting.trace]!.every((norms) => passes(norms, setting.steps, setting.threshold));
    if (!passed) tally[g]![isGood ? 'goodRejected' : 'badRejected']++;
    return passed ? 'pass' : '**reject**';
  });
  out(`| ${name.length > 60 ? `${name.slice(0, 57)}…` : name} | ${mean?.toFixed(4) ?? '-'} | ${[20, 50, 100].map(maxOver).join(' / ')} | ${cells.join(' | ')} |`);
}
out('');
SETTINGS.forEach((setting, g) => out(`${setting.label}: rejects ${tally[g]!.goodRejected} of ${goodCount} good layers, ${tally[g]!.badRejected} of ${names.length - goodCount} others`));
out(`load after ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
if (args.md) writeFileSync(args.md, `${lines.join('\n')}\n`);
