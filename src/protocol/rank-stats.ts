/**
 * Rank correlation and reliability statistics for `evonorm fidelity`.
 *
 *   ranks        average ranks (ties share the mean of their places)
 *   spearman     Pearson correlation of the average ranks (ρ; handles ties)
 *   kendallTauB  τ-b = (concordant − discordant) / √((n0 − n1)(n0 − n2)), O(n²)
 *   icc1         one-way random-effects ICC(1) of a layers × seeds table (Shrout & Fleiss 1979):
 *                  MSB = k Σ(ȳi − ȳ)² / (n − 1),  MSW = ΣΣ(yij − ȳi)² / (n(k − 1))
 *                  ICC(1)   = (MSB − MSW) / (MSB + (k − 1) MSW)   reliability of ONE seed's score
 *                  ICC(1,k) = (MSB − MSW) / MSB                   reliability of the mean of k seeds
 *                  interval from F = MSB/MSW with (n − 1, n(k − 1)) degrees of freedom
 */
import { incompleteBeta, mean } from './stats.js';

/** Average ranks, 1-based, of `values` (ties get the mean of the places they share). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) out[order[j]![1]] = rank;
    start = end + 1;
  }
  return out;
}

/** Pearson correlation; NaN when fewer than 2 values or either side is constant. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 2) return NaN;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman's ρ (Pearson correlation of average ranks); NaN below 2 values or for a constant side. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}

/** Kendall's τ-b (tie-corrected); NaN below 2 values or for a constant side. */
export function kendallTauB(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n !== b.length || n < 2) return NaN;
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0) tiesA++;
      if (db === 0) tiesB++;
      if (da !== 0 && db !== 0) {
        if (da === db) concordant++;
        else discordant++;
      }
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denominator > 0 ? (concordant - discordant) / denominator : NaN;
}

/** P(F ≤ f) for the F distribution with (d1, d2) degrees of freedom. */
export function fCdf(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 0;
  return incompleteBeta((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
}

/** The p-quantile of the F distribution (0 < p < 1), by bisection on the beta variable. */
export function fQuantile(p: number, d1: number, d2: number): number {
  if (!(p > 0 && p < 1) || !(d1 > 0) || !(d2 > 0)) return NaN;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, d1 / 2, d2 / 2) < p) lo = mid;
    else hi = mid;
  }
  const x = (lo + hi) / 2;
  return (d2 * x) / (d1 * (1 - x));
}

/** ICC(1) of a table and what it is made of. */
export interface Reliability {
  /** Layers (rows) and seeds per layer (columns). */
  readonly layers: number;
  readonly seeds: number;
  /** Reliability of one seed's score: share of its variance that lies between layers. */
  readonly icc: number;
  readonly low: number;
  readonly high: number;
  /** Reliability of the mean of `seeds` seeds (what a layer mean over the seeds carries). */
  readonly iccMean: number;
  /** Seed-to-seed standard deviation of one score (√MSW). */
  readonly seedSd: number;
  /** Standard deviation of the true layer means ((MSB − MSW)/k, floored at 0, square-rooted). */
  readonly layerSd: number;
}

/**
 * ICC(1) of `table` (rows = layers, each with the same number k ≥ 2 of seed scores) with its
 * `level` interval; NaN figures when k < 2 or fewer than 2 layers (the seed noise cannot be told
 * from the spread between layers).
 */
export function icc1(table: readonly (readonly number[])[], level = 0.95): Reliability {
  const n = table.length;
  const k = table[0]?.length ?? 0;
  const none = { layers: n, seeds: k, icc: NaN, low: NaN, high: NaN, iccMean: NaN, seedSd: NaN, layerSd: NaN };
  if (n < 2 || k < 2 || table.some((row) => row.length !== k)) return none;
  const rowMeans = table.map((row) => mean(row));
  const grand = mean(rowMeans);
  const msb = (k * rowMeans.reduce((s, m) => s + (m - grand) ** 2, 0)) / (n - 1);
  const msw = table.reduce((s, row, i) => s + row.reduce((t, v) => t + (v - rowMeans[i]!) ** 2, 0), 0) / (n * (k - 1));
  const seedSd = Math.sqrt(msw);
  const layerSd = Math.sqrt(Math.max(0, (msb - msw) / k));
  if (msw === 0) return { ...none, icc: msb > 0 ? 1 : NaN, low: msb > 0 ? 1 : NaN, high: msb > 0 ? 1 : NaN, iccMean: msb > 0 ? 1 : NaN, seedSd, layerSd };
  const f = msb / msw;
  const d1 = n - 1;
  const d2 = n * (k - 1);
  const alpha = 1 - level;
  const fLow = f / fQuantile(1 - alpha / 2, d1, d2);
  const fHigh = f * fQuantile(1 - alpha / 2, d2, d1);
  return {
    layers: n,
    seeds: k,
    icc: (msb - msw) / (msb + (k - 1) * msw),
    low: (fLow - 1) / (fLow + k - 1),
    high: (fHigh - 1) / (fHigh + k - 1),
    iccMean: (msb - msw) / msb,
    seedSd,
    layerSd,
  };
}

/** How many of the `k` best (highest) of `a` are among the `k` best of `b` (same items, same order). */
export function topOverlap(a: readonly number[], b: readonly number[], k: number): number {
  const top = (values: readonly number[]): Set<number> => new Set(values.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, k).map(([, i]) => i));
  const ta = top(a);
  let shared = 0;
  for (const i of top(b)) if (ta.has(i)) shared++;
  return shared;
}
