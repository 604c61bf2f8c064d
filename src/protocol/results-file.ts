/**
 * The append-only results file of a compare or rerank (results.jsonl): one JSON line per
 * finished training, keyed by the training's identity (TrainingJob.key). It is the source of
 * truth for resuming: a training whose key is in the file is never run again. A torn last line
 * (kill -9 mid-write) is dropped and cut off before anything is appended.
 *
 * Line format (`evonorm.protocol-result`, version 1):
 *   { format, version, key, layer, fingerprint, arch, archName, batchSize, seed, steps, lr,
 *     warmupSteps, split, status: "ok" | "rejected", accuracy?, stage?, reason?, ms, cpuMs?, finishedAt }
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { Evaluation } from '../evaluate/types.js';
import type { TrainingJob } from './job.js';

export interface TrainingRecord {
  readonly format: 'evonorm.protocol-result';
  readonly version: 1;
  readonly key: string;
  readonly layer: string;
  readonly fingerprint: string;
  readonly arch: number;
  readonly archName: string;
  readonly batchSize: number;
  readonly seed: number;
  readonly steps: number;
  readonly lr: number;
  readonly warmupSteps: number;
  /** The split the accuracy was measured on: "validation" or "test" (held out). */
  readonly split: string;
  readonly status: 'ok' | 'rejected';
  /** Top-1 accuracy on `split` (status ok). */
  readonly accuracy?: number;
  /** Where and why it failed (status rejected): static, training (non-finite), error, timeout. */
  readonly stage?: string;
  readonly reason?: string;
  readonly ms: number;
  /** CPU time of the thread that ran the training (ms), when the evaluator measured it. */
  readonly cpuMs?: number;
  readonly finishedAt: string;
}

/** The record of a finished training. */
export function toRecord(job: TrainingJob, split: string, evaluation: Evaluation, now = new Date()): TrainingRecord {
  const base = {
    format: 'evonorm.protocol-result' as const, version: 1 as const, key: job.key, layer: job.layer, fingerprint: job.fingerprint,
    arch: job.arch, archName: job.archName, batchSize: job.batchSize, seed: job.seed, steps: job.steps, lr: job.lr,
    warmupSteps: job.warmupSteps, split, ms: Math.round(evaluation.costMs), ...cpuOf(evaluation), finishedAt: now.toISOString(),
  };
  return evaluation.status === 'ok'
    ? { ...base, status: 'ok', accuracy: evaluation.objectives[0] }
    : { ...base, status: 'rejected', stage: evaluation.stage, reason: evaluation.reason };
}

/** The training's thread CPU time from its evaluation, when the evaluator reported one. */
function cpuOf(evaluation: Evaluation): { cpuMs?: number } {
  const cpuMs = (evaluation.archs?.[0] as { cpuMs?: unknown } | undefined)?.cpuMs;
  return typeof cpuMs === 'number' && Number.isFinite(cpuMs) ? { cpuMs: Math.round(cpuMs) } : {};
}

export class ResultsFile {
  private readonly byKey = new Map<string, TrainingRecord>();

  /** Opens (or starts) the file at `path`, reading what is there and repairing a torn tail. */
  /**
   * `readOnly`: only read what is there, never repair a torn tail (another process may be in
   * the middle of appending to the file) and never append.
   */
  constructor(readonly path: string, private readonly fsync = true, private readonly readOnly = false) {
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    let good = 0;
    for (let start = 0; start < text.length;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break; // torn last line
      const line = text.slice(start, end);
      start = end + 1;
      try {
        const record = JSON.parse(line) as TrainingRecord;
        if (record?.format === 'evonorm.protocol-result' && typeof record.key === 'string') this.byKey.set(record.key, record);
      } catch {
        break; // a corrupt line: keep what came before it
      }
      good = start;
    }
    if (!readOnly && Buffer.byteLength(text.slice(0, good)) !== Buffer.byteLength(text)) truncateSync(path, Buffer.byteLength(text.slice(0, good)));
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): TrainingRecord | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Appends one record (one write, fsynced by default) and remembers it. */
  append(record: TrainingRecord): void {
    if (this.readOnly) throw new Error(`${this.path} was opened read-only`);
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      if (this.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.byKey.set(record.key, record);
  }
}
