/**
 * The calibration table of issue 16 from the fidelity reports of a study: one row per proxy
 * protocol (and per number of its seeds, from the report's bySeeds), with the proxy's cost per
 * candidate, its reliability, and its Spearman ρ with the target over the panel and within the
 * panel's better half (by target). Markdown on stdout, for BENCHMARKS.md.
 *
 *   node --import tsx scripts/calibration-table.ts results/calibration/fidelity-*.json
 *
 * Each file is `evonorm fidelity … --json` output (format evonorm.fidelity, version 1).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { FidelityReport } from '../src/protocol/fidelity.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: calibration-table.ts <fidelity.json>...\n');
  process.exit(2);
}

const f2 = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}` : 'n/a');
const rows: string[] = [];
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as FidelityReport;
  const stats = report.stats;
  const name = basename(file).replace(/^fidelity-/, '').replace(/\.json$/, '');
  if (stats === null) {
    rows.push(`| ${name} | (no figures yet: seed 0 of a side is not complete) |||||||`);
    continue;
  }
  const p = report.proxy;
  const mean = stats.correlations.find((c) => c.name === 'mean')!;
  const reliability = stats.proxy.columns.find((c) => c.name === 'mean')!.reliability;
  const perTraining = stats.proxy.cpuSecondsPerCandidate / Math.max(1, stats.proxy.seeds);
  for (const s of stats.bySeeds) {
    const full = s.seeds === stats.proxy.seeds;
    rows.push([
      name,
      `${p.dataset}, ${p.steps}×${p.batchSize}${report.otherData ? ' (other data)' : ''}`,
      String(s.seeds),
      (perTraining * s.seeds).toFixed(0),
      full && reliability.icc !== null ? `${reliability.icc.toFixed(2)} [${reliability.low?.toFixed(2)}, ${reliability.high?.toFixed(2)}]` : full ? 'n/a (1 seed)' : '',
      full ? `${f2(mean.all.rho)} [${f2(mean.all.rhoLow)}, ${f2(mean.all.rhoHigh)}]` : f2(s.rho),
      full ? `${f2(mean.betterHalf.rho)} [${f2(mean.betterHalf.rhoLow)}, ${f2(mean.betterHalf.rhoHigh)}]` : f2(s.rhoBetterHalf),
      `${stats.layers} / ${report.target.seeds}`,
    ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'));
  }
}
process.stdout.write([
  '| proxy | protocol | seeds | CPU-s per candidate | ICC(1) of one seed, mean column [95%] | ρ all [95%] | ρ better half [95%] | layers / target seeds |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n') + '\n');
process.stdout.write('\nρ: Spearman of the mean over networks, proxy (validation split) vs target (held-out test split); '
  + 'rows with fewer seeds give the mean ρ over every subset of that many proxy seeds (no interval). '
  + 'CPU-s: thread CPU time of the trainings, summed over the networks.\n');
