/**
 * The text of `evonorm fidelity`: the verdict in words first, then reliability, agreement
 * between architectures, proxy-versus-target correlations (whole panel and better half), cost,
 * and the layers that failed.
 */
import type { FidelityReport } from './fidelity.js';
import type { Correlation, ProtocolStats } from './fidelity-stats.js';
import { formatTable } from '../util/table.js';

const signed = (v: number, digits = 2): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}` : 'n/a');
const interval = (low: number, high: number): string => (Number.isFinite(low) && Number.isFinite(high) ? `[${signed(low)}, ${signed(high)}]` : '[n/a]');
const fixed = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** "ρ = +0.62 [+0.41, +0.79]". */
export function rhoText(c: Correlation): string {
  return `ρ = ${signed(c.rho)} ${interval(c.rhoLow, c.rhoHigh)}`;
}

/** One sentence a reader understands: how well the proxy's ranking predicts the target's. */
export function fidelityVerdict(report: FidelityReport): string {
  const stats = report.stats;
  if (!stats) return 'No figures yet: the first seed of each protocol is not complete (run the same command again to go on).';
  const agg = stats.correlations.find((c) => c.name === 'mean')!;
  const rel = stats.proxy.columns.at(-1)!.reliability;
  const partial = report.complete ? [] : [`(Partial: over the seeds finished so far, proxy ${report.proxy.seeds} of ${report.proxy.seedsPlanned}, target ${report.target.seeds} of ${report.target.seedsPlanned}; run the same command again to finish.)`];
  return [
    ...partial,
    `Over ${stats.layers} layers, the proxy's ranking (mean over its architectures, ${report.proxy.seeds} seed(s)) predicts the target's with ${rhoText(agg.all)} (Kendall τ-b ${signed(agg.all.tau)});`,
    `within the better half by the target (${agg.betterHalf.layers} layers), where a search selects, ${rhoText(agg.betterHalf)}.`,
    `${agg.all.top5} of the proxy's 5 best layers are among the target's 5 best.`,
    Number.isFinite(rel.icc)
      ? `One proxy seed's score is ${fixed(rel.icc * 100, 0)}% signal (ICC(1) ${fixed(rel.icc)} ${interval(rel.low, rel.high).replace(/[+]/g, '')}; seed sd ${fixed(rel.seedSd * 100)} points against a spread of ${fixed(rel.layerSd * 100)} between layers).`
      : 'The proxy\'s seed noise is unknown (it needs at least 2 seeds).',
  ].join(' ');
}

function reliabilityRows(name: string, s: ProtocolStats): string[][] {
  return s.columns.map((c) => [
    name, c.name, fixed(c.reliability.icc), interval(c.reliability.low, c.reliability.high).replace(/[+]/g, ''), fixed(c.reliability.iccMean),
    fixed(c.reliability.seedSd * 100), fixed(c.reliability.layerSd * 100),
  ]);
}

/** The whole text report. */
export function formatFidelity(report: FidelityReport): string {
  const out: string[] = [];
  const p = report.proxy;
  const t = report.target;
  out.push(`proxy:  ${p.config}: ${p.dataset}, ${p.steps} steps × ${p.batchSize}, ${p.architectures.join(' / ')}, ${p.seeds} seed(s), scored on the ${p.split} split`);
  out.push(`target: ${t.config}: ${t.dataset}, ${t.steps} steps × ${t.batchSize}, ${t.architectures.join(' / ')}, ${t.seeds} seed(s), scored on the held-out ${t.split} split${report.otherData ? ' (OTHER DATA than the proxy: a transfer study)' : ''}`);
  out.push('');
  out.push(fidelityVerdict(report));
  const { proxy: proxySide, target: targetSide } = report.sides;
  if (proxySide || targetSide) {
    out.push('', 'Reliability: ICC(1) = share of one seed\'s score variance that lies between layers; ICC(1,k) = the same for the mean of the k seeds; sd in accuracy points');
    out.push(formatTable(['protocol', 'column', 'ICC(1)', '95%', 'ICC(1,k)', 'seed sd', 'layer sd'], [...(proxySide ? reliabilityRows('proxy', proxySide) : []), ...(targetSide ? reliabilityRows('target', targetSide) : [])]));
  }
  const agreement = [...(proxySide?.agreement ?? []).map((a) => ['proxy', `${a.a} ~ ${a.b}`, signed(a.rho)]), ...(targetSide?.agreement ?? []).map((a) => ['target', `${a.a} ~ ${a.b}`, signed(a.rho)])];
  if (agreement.length > 0) {
    out.push('', 'Agreement between architectures (Spearman ρ of the layer means)');
    out.push(formatTable(['protocol', 'pair', 'ρ'], agreement));
  }
  const stats = report.stats;
  if (!stats) return out.join('\n');

  out.push('', `Proxy vs target (layer means; 95% bootstrap over layers and seeds, ${stats.bootstrap.resamples} resamples)`);
  out.push(formatTable(
    ['column', 'layers', 'Spearman ρ', '95%', 'Kendall τ-b', '95%', 'top-5', 'better half ρ', '95%', 'τ-b'],
    stats.correlations.map((c) => [
      c.name, String(c.all.layers), signed(c.all.rho), interval(c.all.rhoLow, c.all.rhoHigh), signed(c.all.tau), interval(c.all.tauLow, c.all.tauHigh), `${c.all.top5}/5`,
      signed(c.betterHalf.rho), interval(c.betterHalf.rhoLow, c.betterHalf.rhoHigh), signed(c.betterHalf.tau),
    ]),
  ));

  if (stats.bySeeds.length > 1) {
    out.push('', 'Fewer proxy seeds (mean ρ of the aggregate over every subset of the proxy\'s seeds)');
    out.push(formatTable(['proxy seeds', 'subsets', 'ρ', 'better half ρ'], stats.bySeeds.map((b) => [String(b.seeds), String(b.subsets), signed(b.rho), signed(b.rhoBetterHalf)])));
  }

  const cost = (s: ProtocolStats, d: typeof p): string => `${fixed(s.cpuSecondsPerCandidate, 1)} ${d.cpuMeasured ? 'CPU' : 'wall'}-seconds per candidate (${d.architectures.length} architecture(s) × ${d.seeds} seed(s))`;
  out.push('', `Cost: proxy ${cost(stats.proxy, p)}; target ${cost(stats.target, t)}.`);

  const failed = (name: string, s: ProtocolStats): string[] => s.failures.map((f) => `${name}: ${report.layers[f.layer]!.name} on ${f.arch}: ${f.seeds} seed(s) failed (counted at chance)`);
  const failures = [...failed('proxy', stats.proxy), ...failed('target', stats.target)];
  if (failures.length > 0) out.push('', 'Failed trainings (diverged or invalid; ranked at chance accuracy, the worst place):', ...failures.map((f) => `  ${f}`));
  return out.join('\n');
}
