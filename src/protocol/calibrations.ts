/**
 * Protocols whose fidelity was measured (issue 16's calibration study, results/calibration/):
 * how well a search run under one of them ranks layers as a longer training on held-out data
 * would. A run whose evaluation protocol has the same digest (src/protocol/job.ts, the proxy
 * config without backend and seeds, scored on the validation split) is told so by `status` and
 * its report; any other protocol is "not calibrated".
 *
 * Each entry restates figures of a committed fidelity report (`source`, written by
 * `evonorm fidelity --json`); test/protocol/calibrations.test.ts checks them against it, so the
 * two cannot drift apart.
 */
import type { FidelityReport } from './fidelity.js';
import { ProxyConfigSchema } from '../evaluate/config.js';
import { protocolDigest } from './job.js';

export interface Calibration {
  /** Short name, e.g. "quick-mnist". */
  readonly name: string;
  /** protocolDigest(evaluation, 'validation') of the calibrated protocol. */
  readonly proxyDigest: string;
  /** The committed fidelity report these figures come from. */
  readonly source: string;
  /** The target in words ("Fashion-MNIST 28×28, 1000 steps × 64, held-out test split, 1 seed"). */
  readonly target: string;
  /** True when the proxy trains on other data than the target (a transfer figure). */
  readonly otherData: boolean;
  readonly layers: number;
  /** Proxy seeds per layer and network in the study, and target seeds. */
  readonly proxySeeds: number;
  readonly targetSeeds: number;
  /** Spearman ρ of the mean over networks with its 95% bootstrap interval, over the panel and within its better half. */
  readonly rho: readonly [number, number, number];
  readonly rhoBetterHalf: readonly [number, number, number];
  /** Mean ρ over the panel and within its better half with k proxy seeds per network, k = 1 … proxySeeds (what evaluation.seeds = k gives). */
  readonly bySeeds: readonly { readonly seeds: number; readonly rho: number; readonly rhoBetterHalf: number }[];
  /** When the study was measured (YYYY-MM-DD). */
  readonly measured: string;
}

export const CALIBRATIONS: readonly Calibration[] = [
  // configs/discovery.json and configs/calibration/proxy-fashion-allimages.json (the same protocol; seeds are not part of the digest).
  {
    "name": "fashion-allimages",
    "proxyDigest": "030d58406fbf5652",
    "source": "results/calibration/fidelity-fashion-allimages.json",
    "target": "a 5× longer training at 28×28 (Fashion-MNIST, 1,000 steps × 64, the official test split, 2 seeds)",
    "otherData": false,
    "layers": 30,
    "proxySeeds": 1,
    "targetSeeds": 2,
    "rho": [
      0.912,
      0.755,
      0.953
    ],
    "rhoBetterHalf": [
      0.718,
      0.398,
      0.869
    ],
    "bySeeds": [
      {
        "seeds": 1,
        "rho": 0.912,
        "rhoBetterHalf": 0.718
      }
    ],
    "measured": "2026-12-07"
  },
  // configs/calibration/proxy-fashion-600.json: all images, 3× the steps (configs/discovery.json's first promotion level).
  {
    "name": "fashion-600",
    "proxyDigest": "047b20412fb70c7f",
    "source": "results/calibration/fidelity-fashion-600.json",
    "target": "a 5× longer training at 28×28 (Fashion-MNIST, 1,000 steps × 64, the official test split, 2 seeds)",
    "otherData": false,
    "layers": 30,
    "proxySeeds": 1,
    "targetSeeds": 2,
    "rho": [
      0.925,
      0.8,
      0.962
    ],
    "rhoBetterHalf": [
      0.768,
      0.483,
      0.92
    ],
    "bySeeds": [
      {
        "seeds": 1,
        "rho": 0.925,
        "rhoBetterHalf": 0.768
      }
    ],
    "measured": "2026-12-07"
  },
  // configs/calibration/proxy-quick-fashion.json: the quick protocol on 8,000 Fashion-MNIST images.
  {
    "name": "quick-fashion",
    "proxyDigest": "02cf9e797fd4ad1c",
    "source": "results/calibration/fidelity-quick-fashion.json",
    "target": "a 5× longer training at 28×28 (Fashion-MNIST, 1,000 steps × 64, the official test split, 2 seeds)",
    "otherData": false,
    "layers": 30,
    "proxySeeds": 3,
    "targetSeeds": 2,
    "rho": [
      0.886,
      0.629,
      0.95
    ],
    "rhoBetterHalf": [
      0.689,
      0.079,
      0.931
    ],
    "bySeeds": [
      {
        "seeds": 1,
        "rho": 0.858,
        "rhoBetterHalf": 0.606
      },
      {
        "seeds": 2,
        "rho": 0.862,
        "rhoBetterHalf": 0.645
      },
      {
        "seeds": 3,
        "rho": 0.886,
        "rhoBetterHalf": 0.689
      }
    ],
    "measured": "2026-12-07"
  },
  // configs/quick.json, the demo (MNIST): a transfer figure, its target is on Fashion-MNIST.
  {
    "name": "quick-mnist",
    "proxyDigest": "5406363356d274f1",
    "source": "results/calibration/fidelity-quick-mnist.json",
    "target": "a 5× longer training at 28×28 on Fashion-MNIST (1,000 steps × 64, the official test split, 2 seeds)",
    "otherData": true,
    "layers": 30,
    "proxySeeds": 3,
    "targetSeeds": 2,
    "rho": [
      0.916,
      0.761,
      0.96
    ],
    "rhoBetterHalf": [
      0.789,
      0.448,
      0.928
    ],
    "bySeeds": [
      {
        "seeds": 1,
        "rho": 0.898,
        "rhoBetterHalf": 0.759
      },
      {
        "seeds": 2,
        "rho": 0.904,
        "rhoBetterHalf": 0.773
      },
      {
        "seeds": 3,
        "rho": 0.916,
        "rhoBetterHalf": 0.789
      }
    ],
    "measured": "2026-12-07"
  },
];

/**
 * The calibration of a run's evaluation protocol, if it was calibrated. The rejection section
 * (stability probe, quality check, hurdles) is read as its defaults: a fidelity study trains every
 * panel layer to the end, so it calibrates the scoring training, whatever stops candidates before it.
 */
export function calibrationOf(evaluation: object): Calibration | undefined {
  // The study's own digest (its proxy config, rejection settings included), then the same
  // protocol with the rejection settings at their defaults.
  const { rejection: _rejection, ...training } = evaluation as { rejection?: unknown };
  const parsed = ProxyConfigSchema.safeParse(training);
  const digests = [protocolDigest(evaluation, 'validation'), ...(parsed.success ? [protocolDigest(parsed.data, 'validation')] : [])];
  return CALIBRATIONS.find((c) => digests.includes(c.proxyDigest));
}

const f2 = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** One sentence for status and the report, for a run that trains `runSeeds` seeds per network (evaluation.seeds). */
export function calibrationSentence(calibration: Calibration | undefined, runSeeds = 1): string {
  if (calibration === undefined) {
    return 'This protocol has not been calibrated: how well its scores rank layers against a longer training is unknown (evonorm fidelity measures it).';
  }
  const c = calibration;
  const seeds = (n: number): string => `${n} seed${n === 1 ? '' : 's'}`;
  // The figure for this run's seeds, or for the most the study measured.
  const mine = c.bySeeds.find((b) => b.seeds === Math.min(runSeeds, c.proxySeeds));
  const own = mine ? ` With ${seeds(mine.seeds)} per network, as this run trains, ρ = ${f2(mine.rho)} over the panel and ${f2(mine.rhoBetterHalf)} within its better half.` : '';
  return `This protocol was calibrated (${c.measured}, ${c.source}): over ${c.layers} layers, with ${seeds(c.proxySeeds)} per network, its ranking predicts ${c.target}${c.otherData ? ' (other data: a transfer figure)' : ''} with Spearman ρ = ${f2(c.rho[0])} [${f2(c.rho[1])}, ${f2(c.rho[2])}], and within the better half of the panel with ρ = ${f2(c.rhoBetterHalf[0])} [${f2(c.rhoBetterHalf[1])}, ${f2(c.rhoBetterHalf[2])}].${own}`;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The entry a fidelity report gives (figures rounded to 3 decimals): how CALIBRATIONS entries
 * are made (scripts/calibration-entry.ts) and checked. Undefined while the report has no figures.
 */
export function calibrationFromReport(report: FidelityReport, name: string, source: string, target: string, measured: string): Calibration | undefined {
  const stats = report.stats;
  if (stats === null) return undefined;
  const mean = stats.correlations.find((c) => c.name === 'mean');
  if (mean === undefined) return undefined;
  return {
    name, proxyDigest: report.proxy.digest, source, target, otherData: report.otherData, layers: stats.layers,
    proxySeeds: report.proxy.seeds, targetSeeds: report.target.seeds,
    rho: [r3(mean.all.rho), r3(mean.all.rhoLow), r3(mean.all.rhoHigh)],
    rhoBetterHalf: [r3(mean.betterHalf.rho), r3(mean.betterHalf.rhoLow), r3(mean.betterHalf.rhoHigh)],
    bySeeds: stats.bySeeds.map((b) => ({ seeds: b.seeds, rho: r3(b.rho), rhoBetterHalf: r3(b.rhoBetterHalf) })),
    measured,
  };
}
