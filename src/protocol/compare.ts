/**
 * `evonorm compare`: the same training protocol for any layers, with no search — each layer ×
 * architecture × batch size × seed is one training scored on the validation split; the table
 * gives mean ± sd and the paired difference to a baseline with a Student-t interval.
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { loadEvaluationConfig } from '../config/evaluation-config.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';
import type { LrScaling } from './batch-scaling.js';
import { dispatchOf, resolveLayers } from './inputs.js';
import { protocolDigest } from './job.js';
import { runProtocol, type ProtocolSummary } from './run-protocol.js';
import type { JobProgress } from './run-jobs.js';

export interface CompareOptions {
  readonly layers: readonly string[];
  readonly configPath: string;
  readonly seeds: number;
  /** Default: the config's own training batch size only. */
  readonly batchSizes?: readonly number[];
  readonly baseline: string;
  readonly lrScaling: LrScaling;
  /** Results folder; default runs/compare-<digest of what was asked>. */
  readonly out?: string;
  /** Override the config's dispatch: a thread count or 'inline'. */
  readonly workers?: string;
  readonly backend?: string;
  readonly runsDir?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: JobProgress) => void;
  readonly onStart?: (info: { outDir: string; trainings: number }) => void;
  readonly fsync?: boolean;
}

/** Runs (or resumes) a comparison; resolves with its summary and what this session did. */
export async function runCompare(options: CompareOptions): Promise<{ summary: ProtocolSummary; outDir: string; ran: number; earlier: number; interrupted: boolean }> {
  const proxy = loadEvaluationConfig(options.configPath, options.backend);
  const dispatch = dispatchOf(options.configPath, options.workers);
  const [baseline] = resolveLayers([options.baseline]);
  const layers = resolveLayers([baseline!.name, ...options.layers]);
  const batchSizes = options.batchSizes?.length ? [...options.batchSizes] : [proxy.training.batchSize];
  const ask = { protocol: protocolDigest(proxy, 'validation'), layers: layers.map((l) => functionalFingerprint(l.graph)), batchSizes, seeds: options.seeds, lr: options.lrScaling };
  const digest = createHash('sha256').update(JSON.stringify(ask)).digest('hex').slice(0, 8);
  const outDir = options.out ?? join(options.runsDir ?? 'runs', `compare-${basename(options.configPath).replace(/\.jsonc?$/, '')}-${digest}`);
  const trainings = layers.length * proxy.architectures.length * batchSizes.length * options.seeds;
  options.onStart?.({ outDir, trainings });
  const result = await runProtocol({
    kind: 'compare', layers, proxy, batchSizes, seeds: options.seeds, lrScaling: options.lrScaling, baseline: baseline!.name,
    split: 'validation', outDir, dispatch, signal: options.signal, onProgress: options.onProgress, fsync: options.fsync,
    asked: { config: options.configPath },
  });
  return { ...result, outDir };
}
