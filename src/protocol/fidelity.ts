/**
 * `evonorm fidelity`: is a proxy protocol's score worth optimising? Every layer of a panel is
 * trained under the proxy protocol (exactly the training a search runs for a candidate, scored
 * on the validation split, as a search scores) and under a target protocol (what a user cares
 * about: longer training, scored on the held-out test split), at several seeds each; then
 * fidelity-stats.ts tells how reliable each protocol is and how well the proxy's ranking
 * predicts the target's.
 *
 *   panel  ← baselines + named layers + (a run's candidates sampled over its ranking | a panel file)
 *   proxy  ← runProtocol(proxy config, seeds, split "validation") in <out>/proxy-<digest>/
 *   target ← runProtocol(target config, target seeds, split "test")  in <out>/target-<digest>/
 *   stats  ← fidelityStats(tables)  →  <out>/fidelity.json, <out>/layers.csv
 *
 * Both sides are compare-style results folders keyed by each training's identity, so a rerun
 * after Ctrl-C or kill -9 trains only what is missing, and studies of several proxies against
 * one target (a calibration grid with one --out) train the target once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadEvaluationConfig } from '../config/evaluation-config.js';
import type { DatasetConfig } from '../data/config.js';
import { describeHeldOut } from '../data/load.js';
import type { EvaluatorSpec } from '../evaluate/registry.js';
import { architectureNames, type ProxyConfig } from '../evaluate/config.js';
import { printExpression } from '../graph/print.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';
import { EvonormError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import { fidelityStats, protocolStats, type FidelityStats, type ProtocolStats, type ScoreTable } from './fidelity-stats.js';
import { assemblePanel, isRunFolder, readPanelFile, sampleRunPanel } from './fidelity-panel.js';
import { dispatchOf } from './inputs.js';
import { protocolDigest } from './job.js';
import { reuseSourceFiles } from './reuse-results.js';
import type { JobProgress } from './run-jobs.js';
import { planJobs, runProtocol, writeAtomic, type ProtocolLayer } from './run-protocol.js';
import type { TrainingRecord } from './results-file.js';
import { mean } from './stats.js';

/** Which protocol a training belongs to. */
export type FidelitySide = 'proxy' | 'target';

export interface FidelityOptions {
  /** Config files (run configs or evaluation configs) of the two protocols. */
  readonly proxyPath: string;
  readonly targetPath: string;
  /** A run folder (its candidates are sampled) or a panel file (one layer per line). */
  readonly panel?: string;
  /** How many of a run's candidates to sample (default 24). */
  readonly sample?: number;
  /** More layers: zoo names, expressions, JSON files. */
  readonly layers: readonly string[];
  /** Seeds per layer and architecture under the proxy (default 3) and the target (default: the same). */
  readonly seeds: number;
  readonly targetSeeds?: number;
  /** Allow a proxy on other data than the target (a transfer study); refused by default. */
  readonly allowOtherData?: boolean;
  /** Results folder; default <run>/fidelity for a run panel, else runs/fidelity-<digest>. */
  readonly out?: string;
  readonly runsDir?: string;
  readonly workers?: string;
  readonly backend?: string;
  /** Bootstrap resamples (default 2000). */
  readonly resamples?: number;
  readonly signal?: AbortSignal;
  readonly onStart?: (info: { outDir: string; layers: readonly ProtocolLayer[]; trainings: Record<FidelitySide, number> }) => void;
  readonly onProgress?: (side: FidelitySide, p: JobProgress) => void;
  readonly fsync?: boolean;
  /** False: train nothing, only compute the figures of what the results folders hold (a study still running elsewhere). Default true. */
  readonly train?: boolean;
  /** Other results folders whose trainings with the same key are copied in, not trained (both sides). */
  readonly reuse?: readonly string[];
  /** Tests: the evaluator each side's pool builds (default: the built-in training evaluator). */
  readonly spec?: (side: FidelitySide, proxy: ProxyConfig) => EvaluatorSpec;
}

/** A protocol as fidelity.json describes it. */
export interface ProtocolDescription {
  readonly config: string;
  readonly digest: string;
  readonly dataset: string;
  readonly split: 'validation' | 'test';
  readonly architectures: readonly string[];
  readonly steps: number;
  readonly batchSize: number;
  /** Seeds the figures use (all trainings of seeds 0 … seeds−1 finished), of seedsPlanned. */
  readonly seeds: number;
  readonly seedsPlanned: number;
  /** True when CPU-seconds are thread CPU time; false when only wall time was recorded. */
  readonly cpuMeasured: boolean;
}

/** fidelity.json (`evonorm.fidelity`, version 1). */
export interface FidelityReport {
  readonly format: 'evonorm.fidelity';
  readonly version: 1;
  readonly complete: boolean;
  readonly proxy: ProtocolDescription;
  readonly target: ProtocolDescription;
  readonly otherData: boolean;
  readonly layers: readonly { readonly name: string; readonly expression: string; readonly fingerprint: string; readonly source: string; readonly candidateId?: number }[];
  /**
   * Over the complete seeds of each side (see proxy.seeds, target.seeds); null until both have
   * seed 0 complete. `complete` false: rerun the same command to finish the study.
   */
  readonly stats: FidelityStats | null;
  /** Each protocol's own figures (reliability, agreement, cost) as soon as its seed 0 is complete. */
  readonly sides: { readonly proxy: ProtocolStats | null; readonly target: ProtocolStats | null };
}

/** Classes of a data set: a failed training counts as 1/classes (a guess). */
function classesOf(data: DatasetConfig): number {
  return 'numClasses' in data && typeof data.numClasses === 'number' ? data.numClasses : 10;
}

/**
 * What identifies a data set's images: its config without the fields that only choose how a
 * protocol uses them (size, subsets, split sizes, preprocessing). Two protocols with different
 * sources rank layers on different tasks.
 */
const PROTOCOL_DATA_FIELDS = new Set(['imageSize', 'resize', 'normalize', 'augment', 'trainLimit', 'validationLimit', 'testLimit', 'validationSize', 'validationFraction', 'testFraction', 'limit', 'validationFrom']);
function dataSource(data: DatasetConfig): string {
  return JSON.stringify(Object.entries(data).filter(([key]) => !PROTOCOL_DATA_FIELDS.has(key)).sort(([a], [b]) => a.localeCompare(b)));
}

/** The data source in words, for messages. */
function describeSource(data: DatasetConfig): string {
  return Object.entries(data).filter(([key]) => !PROTOCOL_DATA_FIELDS.has(key)).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ');
}

function describeData(data: DatasetConfig): string {
  return `${data.name}${data.imageSize ? ` ${data.imageSize}×${data.imageSize}` : ''}`;
}

/** Refuses protocol pairs a fidelity study cannot compare (exit 3, with the reason). */
function checkProtocols(proxy: ProxyConfig, target: ProxyConfig, options: FidelityOptions): void {
  const heldOut = describeHeldOut(target.data);
  if (heldOut === null || /NOT held out/.test(heldOut.rule)) {
    throw new EvonormError('BAD_CONFIG', `--target ${options.targetPath}: the ${target.data.name} data set has no held-out test split, and a target must be scored on data no search selected on (give it a test split)`);
  }
  if (!options.allowOtherData && dataSource(proxy.data) !== dataSource(target.data)) {
    throw new EvonormError('BAD_CONFIG', `the proxy trains on other data than the target (${describeSource(proxy.data)} vs ${describeSource(target.data)}): a fidelity study compares two protocols on the same data (--allow-other-data to measure transfer on purpose)`);
  }
}

/**
 * The layers × seeds table of one side over its complete seeds: the longest run of seeds 0, 1, …
 * whose trainings have all finished (trainings run seed-major, so an interrupted study still has
 * figures over its first seeds); null before seed 0 is complete.
 */
function scoreTable(jobs: ReturnType<typeof planJobs>, get: (key: string) => TrainingRecord | undefined, layers: readonly ProtocolLayer[], proxy: ProxyConfig, seeds: number): { table: ScoreTable; cpuMeasured: boolean; seedsDone: number } | null {
  let seedsDone = 0;
  while (seedsDone < seeds && jobs.every((job) => job.seed !== seedsDone || get(job.key) !== undefined)) seedsDone++;
  if (seedsDone === 0) return null;
  const archNames = architectureNames(proxy);
  const scores = archNames.map(() => layers.map(() => new Array<number | null>(seedsDone).fill(null)));
  const cpu = archNames.map(() => [] as number[]);
  let cpuMeasured = true;
  for (const job of jobs) {
    if (job.seed >= seedsDone) continue;
    const record = get(job.key)!;
    const layer = layers.findIndex((l) => l.name === job.layer);
    scores[job.arch]![layer]![job.seed] = record.status === 'ok' && typeof record.accuracy === 'number' ? record.accuracy : null;
    if (record.cpuMs === undefined) cpuMeasured = false;
    cpu[job.arch]!.push((record.cpuMs ?? record.ms) / 1000);
  }
  return { table: { archNames, scores, chance: 1 / classesOf(proxy.data), cpuSecondsPerTraining: cpu.map((c) => mean(c)) }, cpuMeasured, seedsDone };
}

function describeProtocol(config: string, proxy: ProxyConfig, split: 'validation' | 'test', seeds: number, done: { cpuMeasured: boolean; seedsDone: number } | null): ProtocolDescription {
  return {
    config, digest: protocolDigest(proxy, split), dataset: describeData(proxy.data), split, architectures: architectureNames(proxy),
    steps: proxy.training.steps, batchSize: proxy.training.batchSize, seeds: done?.seedsDone ?? 0, seedsPlanned: seeds, cpuMeasured: done?.cpuMeasured ?? false,
  };
}

/** One row per layer: its means per architecture under both protocols. */
function layersCsv(report: FidelityReport): string {
  const stats = report.stats;
  if (!stats) return '';
  const header = ['layer', 'source', ...stats.proxy.columns.map((c) => `proxy_${c.name}`), ...stats.target.columns.map((c) => `target_${c.name}`), 'proxy_failed_trainings', 'target_failed_trainings', 'expression'];
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const failedOf = (failures: FidelityStats['proxy']['failures'], i: number): number => failures.filter((f) => f.layer === i).reduce((s, f) => s + f.seeds, 0);
  const rows = report.layers.map((l, i) => [
    l.name, l.source, ...stats.proxy.columns.map((c) => c.layerMeans[i]!.toFixed(5)), ...stats.target.columns.map((c) => c.layerMeans[i]!.toFixed(5)),
    String(failedOf(stats.proxy.failures, i)), String(failedOf(stats.target.failures, i)), l.expression,
  ].map(quote).join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** The files of a fidelity results folder. */
export const FIDELITY_FILES = { report: 'fidelity.json', layers: 'layers.csv' } as const;

/** Runs (or resumes) a fidelity study; resolves with its report (stats null when interrupted). */
export async function runFidelity(options: FidelityOptions): Promise<{ report: FidelityReport; outDir: string; ran: number; earlier: number; reused: number; interrupted: boolean }> {
  const proxy = loadEvaluationConfig(options.proxyPath, options.backend);
  const target = loadEvaluationConfig(options.targetPath, options.backend);
  checkProtocols(proxy, target, options);
  options.reuse?.forEach(reuseSourceFiles); // a wrong --reuse fails before anything trains
  const runPanel = options.panel !== undefined && isRunFolder(options.panel);
  const panel = options.panel === undefined ? undefined : runPanel ? sampleRunPanel(options.panel, options.sample ?? 24) : readPanelFile(options.panel);
  const layers = assemblePanel({ panel, layers: options.layers });
  const targetSeeds = options.targetSeeds ?? options.seeds;

  const asked = { proxy: protocolDigest(proxy, 'validation'), target: protocolDigest(target, 'test'), layers: layers.map((l) => functionalFingerprint(l.graph)) };
  const digest = createHash('sha256').update(JSON.stringify(asked)).digest('hex').slice(0, 8);
  const outDir = options.out ?? (runPanel ? join(options.panel!, 'fidelity') : join(options.runsDir ?? 'runs', `fidelity-${basename(options.proxyPath).replace(/\.jsonc?$/, '')}-${digest}`));
  if (options.train !== false) mkdirSync(outDir, { recursive: true });
  else if (!existsSync(outDir)) throw new EvonormError('MISSING_FILE', `--report-only: ${outDir} holds no study yet (run without --report-only to start it)`);

  const sides = [
    { side: 'proxy' as const, config: proxy, path: options.proxyPath, split: 'validation' as const, seeds: options.seeds },
    { side: 'target' as const, config: target, path: options.targetPath, split: 'test' as const, seeds: targetSeeds },
  ];
  const plans = sides.map((s) => planJobs({ layers, proxy: s.config, batchSizes: [s.config.training.batchSize], seeds: s.seeds, lrScaling: 'none', split: s.split }));
  options.onStart?.({ outDir, layers, trainings: { proxy: plans[0]!.length, target: plans[1]!.length } });

  let ran = 0;
  let earlier = 0;
  let reused = 0;
  let interrupted = false;
  const tables: ReturnType<typeof scoreTable>[] = [];
  for (const [i, s] of sides.entries()) {
    if (interrupted && options.train !== false) {
      tables.push(null);
      continue;
    }
    const result = await runProtocol({
      kind: 'fidelity', layers, proxy: s.config, batchSizes: [s.config.training.batchSize], seeds: s.seeds, lrScaling: 'none', baseline: layers[0]!.name,
      split: s.split, outDir: join(outDir, `${s.side}-${protocolDigest(s.config, s.split)}`), dispatch: dispatchOf(s.path, options.workers),
      signal: options.signal, onProgress: (p) => options.onProgress?.(s.side, p), fsync: options.fsync, asked: { config: s.path, side: s.side },
      ...(options.spec ? { spec: options.spec(s.side, s.config) } : {}),
      ...(options.train === false ? { train: false } : {}),
      ...(options.reuse ? { reuse: options.reuse } : {}),
    });
    ran += result.ran;
    earlier += result.earlier;
    reused += result.reused;
    interrupted = result.interrupted;
    tables.push(scoreTable(plans[i]!, result.record, layers, s.config, s.seeds));
  }

  const [p, t] = tables;
  const stats = p && t ? fidelityStats(p.table, t.table, { rng: Rng.fromSeed('fidelity'), resamples: options.resamples }) : null;
  const report: FidelityReport = {
    format: 'evonorm.fidelity',
    version: 1,
    complete: p?.seedsDone === options.seeds && t?.seedsDone === targetSeeds,
    proxy: describeProtocol(options.proxyPath, proxy, 'validation', options.seeds, p ?? null),
    target: describeProtocol(options.targetPath, target, 'test', targetSeeds, t ?? null),
    otherData: dataSource(proxy.data) !== dataSource(target.data),
    layers: layers.map((l) => ({
      name: l.name, expression: printExpression(l.graph), fingerprint: functionalFingerprint(l.graph), source: l.source,
      ...(l.candidateId !== undefined ? { candidateId: l.candidateId } : {}),
    })),
    stats,
    sides: { proxy: stats?.proxy ?? (p ? protocolStats(p.table) : null), target: stats?.target ?? (t ? protocolStats(t.table) : null) },
  };
  writeAtomic(join(outDir, FIDELITY_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
  if (stats) writeAtomic(join(outDir, FIDELITY_FILES.layers), layersCsv(report));
  else rmSync(join(outDir, FIDELITY_FILES.layers), { force: true });
  return { report, outDir, ran, earlier, reused, interrupted };
}
