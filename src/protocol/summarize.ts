/**
 * From training records to the compare/rerank table: per architecture × batch size × layer, the
 * accuracies over seeds (mean ± sd) and the paired difference to the baseline layer with a
 * Student-t confidence interval over the seeds where both trained. A seed whose training was
 * rejected or diverged is listed as a failure of that cell, never averaged in.
 */
import type { TrainingJob } from './job.js';
import type { TrainingRecord } from './results-file.js';
import { mean, sampleSd, tInterval, type Interval } from './stats.js';

/** One failed training of a cell. */
export interface CellFailure {
  readonly seed: number;
  /** static (the layer is invalid here), training (non-finite loss: diverged), error, timeout. */
  readonly stage: string;
  readonly reason: string;
}

/** One architecture × batch size × layer. */
export interface Cell {
  readonly layer: string;
  readonly arch: number;
  readonly archName: string;
  readonly batchSize: number;
  readonly steps: number;
  readonly lr: number;
  /** Seeds planned for the cell. */
  readonly seeds: number;
  /** Accuracy per seed that trained (status ok). */
  readonly values: readonly { readonly seed: number; readonly accuracy: number }[];
  readonly failures: readonly CellFailure[];
  /** Seeds not finished yet (interrupted run). */
  readonly missing: number;
  readonly mean: number;
  readonly sd: number;
  /** Paired difference to the baseline over the seeds both trained; null for the baseline itself. */
  readonly vsBaseline: (Interval & { readonly seeds: readonly number[] }) | null;
}

/** Builds the cells, in the order of first appearance of (arch, batch size, layer) in `jobs`. */
export function summarize(jobs: readonly TrainingJob[], records: (key: string) => TrainingRecord | undefined, baseline: string, level = 0.95): Cell[] {
  const groups = new Map<string, TrainingJob[]>();
  for (const job of jobs) {
    const id = `${job.arch}\u0000${job.batchSize}\u0000${job.layer}`;
    const list = groups.get(id) ?? [];
    if (!list.some((j) => j.seed === job.seed)) list.push(job);
    groups.set(id, list);
  }
  const order = [...groups.values()].sort((a, b) => a[0]!.arch - b[0]!.arch || b[0]!.batchSize - a[0]!.batchSize);
  const accuracyBySeed = (list: readonly TrainingJob[]): Map<number, number> => {
    const out = new Map<number, number>();
    for (const job of list) {
      const r = records(job.key);
      if (r?.status === 'ok' && r.accuracy !== undefined) out.set(job.seed, r.accuracy);
    }
    return out;
  };
  return order.map((list) => {
    const first = list[0]!;
    const values: { seed: number; accuracy: number }[] = [];
    const failures: CellFailure[] = [];
    let missing = 0;
    for (const job of [...list].sort((a, b) => a.seed - b.seed)) {
      const r = records(job.key);
      if (!r) missing++;
      else if (r.status === 'ok' && r.accuracy !== undefined) values.push({ seed: job.seed, accuracy: r.accuracy });
      else failures.push({ seed: job.seed, stage: r.stage ?? 'error', reason: r.reason ?? '' });
    }
    let vsBaseline: Cell['vsBaseline'] = null;
    if (first.layer !== baseline) {
      const base = groups.get(`${first.arch}\u0000${first.batchSize}\u0000${baseline}`);
      if (base) {
        const mine = accuracyBySeed(list);
        const theirs = accuracyBySeed(base);
        const seeds = [...mine.keys()].filter((s) => theirs.has(s)).sort((a, b) => a - b);
        vsBaseline = { ...tInterval(seeds.map((s) => mine.get(s)! - theirs.get(s)!), level), seeds };
      }
    }
    const accs = values.map((v) => v.accuracy);
    return {
      layer: first.layer, arch: first.arch, archName: first.archName, batchSize: first.batchSize, steps: first.steps, lr: first.lr,
      seeds: list.length, values, failures, missing, mean: mean(accs), sd: sampleSd(accs), vsBaseline,
    };
  });
}
