/**
 * The shared engine of `evonorm compare` and `evonorm rerank`: plan the trainings (layer ×
 * architecture × batch size × seed), run what the results folder does not have yet on an
 * evaluation pool, and write the summary (JSON + CSV) next to the append-only results file.
 *
 * Results folder (documented for other tools; `evonorm.protocol-summary` version 1):
 *   results.jsonl   one line per finished training (src/protocol/results-file.ts), append-only
 *   summary.json    the table as data: objective, protocol, layers, cells (summarize.ts), best3
 *   summary.csv     one row per cell
 *   protocol.json   what was asked (layers, config, batch sizes, seeds), for people
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPool, type PoolSettings } from '../dispatch/create-pool.js';
import type { ProxyConfig } from '../evaluate/config.js';
import { architectureNames } from '../evaluate/config.js';
import type { EvaluatorSpec } from '../evaluate/registry.js';
import type { LayerGraph } from '../graph/types.js';
import { printExpression } from '../graph/print.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';
import type { ScoreSplit } from '../data/load.js';
import { describeScaling, scaleSchedule, type LrScaling } from './batch-scaling.js';
import { jobKey, protocolDigest, type TrainingJob } from './job.js';
import { ResultsFile, type TrainingRecord } from './results-file.js';
import { reuseResults } from './reuse-results.js';
import { runJobs, type JobProgress } from './run-jobs.js';
import { summarize, type Cell } from './summarize.js';
import type { TrainingEvaluatorConfig } from '../evaluate/training-evaluator.js';

/** A layer of the comparison. */
export interface ProtocolLayer {
  /** The name shown in tables (zoo name, expression, file name, or "front #id"). */
  readonly name: string;
  readonly graph: LayerGraph;
  /** zoo | expression | file | front (a layer of a search's Pareto front). */
  readonly source: string;
  /** Rerank: the candidate id in the search. */
  readonly candidateId?: number;
  /** Rerank: its search objectives (validation accuracies, one per search architecture). */
  readonly searchObjectives?: readonly number[];
}

export interface ProtocolOptions {
  readonly kind: 'compare' | 'rerank' | 'fidelity';
  readonly layers: readonly ProtocolLayer[];
  /** Validated proxy protocol: data, architectures, training (base schedule), layer options. */
  readonly proxy: ProxyConfig;
  readonly batchSizes: readonly number[];
  /** Protocol seeds 0..seeds−1. */
  readonly seeds: number;
  readonly lrScaling: LrScaling;
  readonly baseline: string;
  readonly split: ScoreSplit;
  readonly outDir: string;
  /** Where trainings run (mode, workers, redis); the spec is filled in here. */
  readonly dispatch: Omit<PoolSettings, 'spec'>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: JobProgress) => void;
  /** Extra facts for protocol.json (config path, argv, …). */
  readonly asked?: Record<string, unknown>;
  /** Extra top-level fields for summary.json (rerank: best3, run). */
  readonly extend?: (cells: readonly Cell[]) => Record<string, unknown>;
  /** Fsync every result (default true). */
  readonly fsync?: boolean;
  /**
   * False: train nothing and write nothing; read the results file as it is (another process may be
   * appending to it) and summarize it. Default true.
   */
  readonly train?: boolean;
  /** The evaluator the pool builds; default the built-in training evaluator (protocolSpec). Tests plant one here. */
  readonly spec?: EvaluatorSpec;
  /** Other results folders or files whose trainings with the same key are copied in, not trained (reuse-results.ts). */
  readonly reuse?: readonly string[];
}

/** The summary document written to summary.json (and printed by --json). */
export interface ProtocolSummary {
  readonly format: 'evonorm.protocol-summary';
  readonly version: 1;
  readonly kind: 'compare' | 'rerank' | 'fidelity';
  /** False while trainings are missing (interrupted): rerun the same command to finish. */
  readonly complete: boolean;
  readonly objective: {
    readonly metric: 'top-1 accuracy';
    readonly split: ScoreSplit;
    readonly higherIsBetter: true;
    readonly description: string;
  };
  readonly protocol: {
    readonly digest: string;
    readonly dataset: string;
    readonly architectures: readonly string[];
    readonly batchSizes: readonly number[];
    readonly seeds: readonly number[];
    readonly lrScaling: LrScaling;
    readonly schedule: string;
    readonly confidence: number;
    readonly trainings: number;
  };
  readonly baseline: string;
  readonly layers: readonly { readonly name: string; readonly expression: string; readonly fingerprint: string; readonly source: string; readonly candidateId?: number; readonly searchObjectives?: readonly number[] }[];
  readonly cells: readonly Cell[];
  readonly [extra: string]: unknown;
}

/** The results-folder file names. */
export const PROTOCOL_FILES = { results: 'results.jsonl', summary: 'summary.json', csv: 'summary.csv', asked: 'protocol.json' } as const;

/** All trainings of the protocol, seed-major so that every cell fills up evenly. */
export function planJobs(options: Pick<ProtocolOptions, 'layers' | 'proxy' | 'batchSizes' | 'seeds' | 'lrScaling' | 'split'>): TrainingJob[] {
  const { proxy } = options;
  const digest = protocolDigest(proxy, options.split);
  const names = architectureNames(proxy);
  const base = { batchSize: proxy.training.batchSize, steps: proxy.training.steps, lr: proxy.training.lr, warmupSteps: proxy.training.warmupSteps };
  const fingerprints = options.layers.map((l) => functionalFingerprint(l.graph));
  const jobs: TrainingJob[] = [];
  for (let seed = 0; seed < options.seeds; seed++) {
    for (const batchSize of options.batchSizes) {
      const schedule = scaleSchedule(base, batchSize, options.lrScaling);
      for (let arch = 0; arch < proxy.architectures.length; arch++) {
        options.layers.forEach((layer, i) => {
          const settings = { seed, arch, batchSize, ...schedule };
          jobs.push({ ...settings, key: jobKey(digest, fingerprints[i]!, settings, proxy.architectures[arch]), layer: layer.name, graph: layer.graph, fingerprint: fingerprints[i]!, archName: names[arch]! });
        });
      }
    }
  }
  return jobs;
}

/** Writes `text` to `path` atomically (temp file + rename). */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * What the pool's workers build their evaluator from: plain JSON naming the built-in kind, no
 * file path, so a Redis worker on another machine uses its own installation.
 */
export function protocolSpec(proxy: ProtocolOptions['proxy'], split: ProtocolOptions['split']): EvaluatorSpec {
  const config: TrainingEvaluatorConfig = { proxy, score: split };
  return { kind: 'protocol', config, backend: proxy.backend };
}

/** Plans, runs what is missing, and writes the summary; resolves with it (complete or not). */
export async function runProtocol(options: ProtocolOptions): Promise<{ summary: ProtocolSummary; ran: number; earlier: number; reused: number; interrupted: boolean; record: (key: string) => TrainingRecord | undefined }> {
  const jobs = planJobs(options);
  const train = options.train ?? true;
  if (!train) {
    const results = new ResultsFile(join(options.outDir, PROTOCOL_FILES.results), false, true);
    const summary = buildSummary(options, jobs, summarize(jobs, (key) => results.get(key), options.baseline));
    const finished = jobs.filter((j) => results.has(j.key)).length;
    return { summary, ran: 0, earlier: finished, reused: 0, interrupted: finished < jobs.length, record: (key) => results.get(key) };
  }
  mkdirSync(options.outDir, { recursive: true });
  const results = new ResultsFile(join(options.outDir, PROTOCOL_FILES.results), options.fsync ?? true);
  writeAtomic(join(options.outDir, PROTOCOL_FILES.asked), `${JSON.stringify({ kind: options.kind, layers: options.layers.map((l) => l.name), batchSizes: options.batchSizes, seeds: options.seeds, lrScaling: options.lrScaling, baseline: options.baseline, split: options.split, ...options.asked, proxy: options.proxy }, null, 2)}\n`);

  const reused = reuseResults(results, jobs, options.reuse ?? []);
  let outcome = { ran: 0, earlier: jobs.length, interrupted: false };
  if (jobs.some((j) => !results.has(j.key))) {
    const pool = await createPool({ ...options.dispatch, spec: options.spec ?? protocolSpec(options.proxy, options.split) });
    try {
      outcome = await runJobs({ jobs, pool, results, split: options.split, signal: options.signal, onProgress: options.onProgress });
    } finally {
      await pool.close();
    }
  } else {
    options.onProgress?.({ done: jobs.length, total: jobs.length, earlier: jobs.length, elapsedMs: 0, etaMs: 0 });
  }

  const cells = summarize(jobs, (key) => results.get(key), options.baseline);
  const summary = buildSummary(options, jobs, cells);
  writeAtomic(join(options.outDir, PROTOCOL_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  writeAtomic(join(options.outDir, PROTOCOL_FILES.csv), cellsCsv(cells, options.baseline, options.split));
  // `earlier` counts what was in this folder before the command: not the trainings just reused.
  return { summary, ...outcome, earlier: outcome.earlier - reused, reused, record: (key) => results.get(key) };
}

function buildSummary(options: ProtocolOptions, jobs: readonly TrainingJob[], cells: readonly Cell[]): ProtocolSummary {
  const { proxy } = options;
  const base = { batchSize: proxy.training.batchSize, steps: proxy.training.steps, lr: proxy.training.lr, warmupSteps: proxy.training.warmupSteps };
  const data = proxy.data;
  const dataset = `${data.name}${data.imageSize ? ` ${data.imageSize}×${data.imageSize}` : ''}`;
  const splitText = options.split === 'test' ? 'the held-out test split (never seen by the search)' : 'the validation split';
  const complete = cells.every((c) => c.missing === 0);
  return {
    format: 'evonorm.protocol-summary',
    version: 1,
    kind: options.kind,
    complete,
    objective: {
      metric: 'top-1 accuracy',
      split: options.split,
      higherIsBetter: true,
      description: `top-1 accuracy on ${splitText} of ${dataset} after one training per architecture × batch size × seed (higher is better)`,
    },
    protocol: {
      digest: protocolDigest(proxy, options.split),
      dataset,
      architectures: architectureNames(proxy),
      batchSizes: [...options.batchSizes],
      seeds: Array.from({ length: options.seeds }, (_, i) => i),
      lrScaling: options.lrScaling,
      schedule: describeScaling(base, options.batchSizes, options.lrScaling),
      confidence: 0.95,
      trainings: jobs.length,
    },
    baseline: options.baseline,
    layers: options.layers.map((l) => ({
      name: l.name, expression: printExpression(l.graph), fingerprint: functionalFingerprint(l.graph), source: l.source,
      ...(l.candidateId !== undefined ? { candidateId: l.candidateId } : {}),
      ...(l.searchObjectives ? { searchObjectives: l.searchObjectives } : {}),
    })),
    cells,
    ...(options.extend ? options.extend(cells) : {}),
  };
}

const num = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? '' : v.toFixed(digits));

/** summary.csv: one row per cell. */
export function cellsCsv(cells: readonly Cell[], baseline: string, split: string): string {
  const header = ['architecture', 'batch_size', 'steps', 'lr', 'layer', 'split', 'seeds_planned', 'seeds_ok', 'seeds_failed', 'seeds_missing',
    'accuracy_mean', 'accuracy_sd', `diff_vs_${baseline}`, 'diff_ci95_low', 'diff_ci95_high', 'diff_excludes_0', 'paired_seeds', 'failures'];
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = cells.map((c) => [
    c.archName, String(c.batchSize), String(c.steps), String(+c.lr.toPrecision(6)), c.layer, split, String(c.seeds), String(c.values.length), String(c.failures.length), String(c.missing),
    num(c.mean), num(c.sd), num(c.vsBaseline?.mean), num(c.vsBaseline?.low), num(c.vsBaseline?.high),
    c.vsBaseline ? String(c.vsBaseline.excludesZero) : '', c.vsBaseline ? String(c.vsBaseline.n) : '',
    c.failures.map((f) => `seed ${f.seed} ${f.stage}: ${f.reason}`).join('; '),
  ].map(quote).join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
