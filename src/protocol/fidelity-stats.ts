/**
 * The figures of `evonorm fidelity` from two score tables (the proxy protocol's and the target's,
 * the same layers in the same order): is the proxy's ranking worth optimising?
 *
 *   per protocol: reliability ICC(1) per architecture and for the aggregate (mean over
 *                 architectures, the search's scalar), agreement between architectures (ρ of
 *                 layer means), CPU-seconds per candidate
 *   between them: Spearman ρ and Kendall τ-b of the layer means with 95% bootstrap intervals
 *                 (resample layers, and each side's seeds), top-5 overlap — over the whole panel
 *                 and within its better half by the target's aggregate, where a search selects
 *
 * A failed training (diverged, invalid for the network) counts as chance accuracy (a guess):
 * the worst a layer can do, which is how the search ranks a rejected layer. It is counted and
 * listed (`failures`), never hidden in a mean.
 */
import type { Rng } from '../util/rng.js';
import { icc1, kendallTauB, spearman, topOverlap, type Reliability } from './rank-stats.js';
import { mean } from './stats.js';

/** One protocol's scores: scores[arch][layer][seed], null for a failed training. */
export interface ScoreTable {
  readonly archNames: readonly string[];
  readonly scores: readonly (readonly (readonly (number | null)[])[])[];
  /** What a failed training counts as: the accuracy of a guess (1 / classes). */
  readonly chance: number;
  /** Mean CPU-seconds of one training, per architecture (NaN when unknown). */
  readonly cpuSecondsPerTraining: readonly number[];
}

/** A rank correlation with its bootstrap interval. */
export interface Correlation {
  readonly layers: number;
  readonly rho: number;
  readonly rhoLow: number;
  readonly rhoHigh: number;
  readonly tau: number;
  readonly tauLow: number;
  readonly tauHigh: number;
  /** How many of the proxy's 5 best layers are among the target's 5 best. */
  readonly top5: number;
}

export interface ColumnStats {
  /** An architecture name, or "mean" for the aggregate over architectures. */
  readonly name: string;
  readonly reliability: Reliability;
  /** Mean over seeds per layer (failures at chance). */
  readonly layerMeans: readonly number[];
}

export interface ProtocolStats {
  readonly columns: readonly ColumnStats[];
  /** Spearman ρ between the layer means of each pair of architectures. */
  readonly agreement: readonly { readonly a: string; readonly b: string; readonly rho: number }[];
  /** CPU-seconds of the trainings of one candidate: Σ over architectures of seeds × one training. */
  readonly cpuSecondsPerCandidate: number;
  readonly seeds: number;
  /** Failed trainings: layer index, architecture, how many seeds. */
  readonly failures: readonly { readonly layer: number; readonly arch: string; readonly seeds: number }[];
}

export interface FidelityStats {
  readonly layers: number;
  readonly proxy: ProtocolStats;
  readonly target: ProtocolStats;
  /** Proxy vs target per shared column (architectures with the same name, and "mean"). */
  readonly correlations: readonly { readonly name: string; readonly all: Correlation; readonly betterHalf: Correlation }[];
  /**
   * What fewer proxy seeds would give: for k = 1 … S, the mean ρ (aggregate column) over every
   * k-subset of the proxy's seeds, over the panel and within its better half.
   */
  readonly bySeeds: readonly { readonly seeds: number; readonly subsets: number; readonly rho: number; readonly rhoBetterHalf: number }[];
  /** Layer indices of the better half by the target's aggregate (ties broken by index). */
  readonly betterHalf: readonly number[];
  readonly bootstrap: { readonly resamples: number; readonly level: number };
}

/** seeds of table[arch] with failures at chance: [layer][seed]. */
function filled(table: ScoreTable, arch: number): number[][] {
  return table.scores[arch]!.map((row) => row.map((v) => (v === null ? table.chance : v)));
}

/** The aggregate column: per layer and seed, the mean over architectures. */
function aggregate(table: ScoreTable): number[][] {
  const perArch = table.archNames.map((_, a) => filled(table, a));
  return perArch[0]!.map((row, layer) => row.map((_, seed) => mean(perArch.map((t) => t[layer]![seed]!))));
}

/** One protocol's figures on its own: reliability per column, agreement between architectures, cost, failures. */
export function protocolStats(table: ScoreTable, level = 0.95): ProtocolStats {
  const columns: ColumnStats[] = table.archNames.map((name, a) => {
    const rows = filled(table, a);
    return { name, reliability: icc1(rows, level), layerMeans: rows.map((r) => mean(r)) };
  });
  const agg = aggregate(table);
  columns.push({ name: 'mean', reliability: icc1(agg, level), layerMeans: agg.map((r) => mean(r)) });
  const agreement = [];
  for (let a = 0; a < table.archNames.length; a++) {
    for (let b = a + 1; b < table.archNames.length; b++) {
      agreement.push({ a: table.archNames[a]!, b: table.archNames[b]!, rho: spearman(columns[a]!.layerMeans, columns[b]!.layerMeans) });
    }
  }
  const seeds = table.scores[0]?.[0]?.length ?? 0;
  const failures = table.archNames.flatMap((arch, a) =>
    table.scores[a]!.flatMap((row, layer) => {
      const failed = row.filter((v) => v === null).length;
      return failed > 0 ? [{ layer, arch, seeds: failed }] : [];
    }));
  const cpuSecondsPerCandidate = table.cpuSecondsPerTraining.reduce((s, c) => s + c * seeds, 0);
  return { columns, agreement, cpuSecondsPerCandidate, seeds, failures };
}

/** Percentile of sorted values (linear interpolation), NaN for none. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * ρ and τ-b of the layer means of `proxy` and `target` ([layer][seed] tables, same layers) over
 * `subset`, with percentile bootstrap intervals: each resample draws the layers with replacement,
 * and each side's seed columns with replacement (the same columns for every layer, since the
 * seeds are common random numbers shared by all layers).
 */
export function correlate(proxy: readonly (readonly number[])[], target: readonly (readonly number[])[], subset: readonly number[], rng: Rng, resamples: number, level: number): Correlation {
  const means = (rows: readonly (readonly number[])[], layers: readonly number[], cols: readonly number[]): number[] =>
    layers.map((l) => mean(cols.map((c) => rows[l]![c]!)));
  const allCols = (rows: readonly (readonly number[])[]): number[] => Array.from({ length: rows[0]?.length ?? 0 }, (_, i) => i);
  const p = means(proxy, subset, allCols(proxy));
  const t = means(target, subset, allCols(target));
  const rhos: number[] = [];
  const taus: number[] = [];
  const kp = proxy[0]?.length ?? 0;
  const kt = target[0]?.length ?? 0;
  for (let b = 0; b < resamples && subset.length >= 3; b++) {
    const layers = subset.map(() => subset[rng.int(subset.length)]!);
    const pc = Array.from({ length: kp }, () => rng.int(kp));
    const tc = Array.from({ length: kt }, () => rng.int(kt));
    const bp = means(proxy, layers, pc);
    const bt = means(target, layers, tc);
    const rho = spearman(bp, bt);
    const tau = kendallTauB(bp, bt);
    if (Number.isFinite(rho)) rhos.push(rho);
    if (Number.isFinite(tau)) taus.push(tau);
  }
  rhos.sort((x, y) => x - y);
  taus.sort((x, y) => x - y);
  const alpha = (1 - level) / 2;
  return {
    layers: subset.length,
    rho: spearman(p, t),
    rhoLow: percentile(rhos, alpha),
    rhoHigh: percentile(rhos, 1 - alpha),
    tau: kendallTauB(p, t),
    tauLow: percentile(taus, alpha),
    tauHigh: percentile(taus, 1 - alpha),
    top5: topOverlap(p, t, Math.min(5, subset.length)),
  };
}

/** Every k-subset of 0 … n−1, for k = 1 … n. */
function subsetsOf(n: number): number[][][] {
  const out: number[][][] = Array.from({ length: n }, () => []);
  for (let mask = 1; mask < 1 << n; mask++) {
    const subset = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    out[subset.length - 1]!.push(subset);
  }
  return out;
}

/** Mean ρ against the target's means when the proxy's layer means use only k of its seeds. */
function seedSubsets(proxy: readonly (readonly number[])[], target: readonly number[], half: readonly number[]): FidelityStats['bySeeds'] {
  const seeds = proxy[0]?.length ?? 0;
  if (seeds > 12) return []; // 2^S subsets; no protocol here has that many seeds
  return subsetsOf(seeds).map((subsets, k) => {
    const rhoOver = (layers: readonly number[]): number => mean(subsets.map((cols) => spearman(layers.map((l) => mean(cols.map((c) => proxy[l]![c]!))), layers.map((l) => target[l]!))));
    return { seeds: k + 1, subsets: subsets.length, rho: rhoOver(proxy.map((_, i) => i)), rhoBetterHalf: rhoOver(half) };
  });
}

export interface FidelityStatsOptions {
  /** Bootstrap resamples (default 2000). */
  readonly resamples?: number;
  /** Confidence level of every interval (default 0.95). */
  readonly level?: number;
  /** The bootstrap's generator (a named stream of the fidelity run's seed). */
  readonly rng: Rng;
}

/** All figures of a fidelity study; both tables hold the same layers in the same order. */
export function fidelityStats(proxy: ScoreTable, target: ScoreTable, options: FidelityStatsOptions): FidelityStats {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const proxyStats = protocolStats(proxy, level);
  const targetStats = protocolStats(target, level);
  const layers = proxyStats.columns[0]!.layerMeans.length;
  const targetMean = targetStats.columns.at(-1)!.layerMeans;
  const byTarget = Array.from({ length: layers }, (_, i) => i).sort((a, b) => targetMean[b]! - targetMean[a]! || a - b);
  const betterHalf = byTarget.slice(0, Math.ceil(layers / 2)).sort((a, b) => a - b);
  const everyLayer = Array.from({ length: layers }, (_, i) => i);
  const shared = [...proxy.archNames.filter((n) => target.archNames.includes(n)), 'mean'];
  const tableOf = (table: ScoreTable, name: string): number[][] => (name === 'mean' ? aggregate(table) : filled(table, table.archNames.indexOf(name)));
  const correlations = shared.map((name) => {
    const p = tableOf(proxy, name);
    const t = tableOf(target, name);
    const rng = options.rng.child(`bootstrap/${name}`);
    return {
      name,
      all: correlate(p, t, everyLayer, rng.child('all'), resamples, level),
      betterHalf: correlate(p, t, betterHalf, rng.child('better-half'), resamples, level),
    };
  });
  const bySeeds = seedSubsets(aggregate(proxy), targetStats.columns.at(-1)!.layerMeans, betterHalf);
  return { layers, proxy: proxyStats, target: targetStats, correlations, bySeeds, betterHalf, bootstrap: { resamples, level } };
}
