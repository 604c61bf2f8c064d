/**
 * Runs the trainings of a compare or rerank on an evaluation pool, skipping every training whose
 * key is already in the results file and appending each result the moment it arrives.
 *
 *   todo ← jobs whose key is not in the results file
 *   submit every todo job to the pool (it queues them; its workers run them in parallel)
 *   on each result: unless interrupted, append it (fsync) → a kill -9 loses only unfinished ones
 *   on abort: stop waiting; the caller closes the pool (its pending answers are not recorded)
 */
import type { EvaluationPool } from '../dispatch/types.js';
import type { TrainingJob } from './job.js';
import { encodeJob } from './job.js';
import { ResultsFile, toRecord, type TrainingRecord } from './results-file.js';

export interface JobProgress {
  /** Trainings finished, in this session and earlier. */
  readonly done: number;
  readonly total: number;
  /** Finished in an earlier session (found in the results file). */
  readonly earlier: number;
  readonly elapsedMs: number;
  /** Estimated time left from this session's pace; null before the first result. */
  readonly etaMs: number | null;
  readonly last?: TrainingRecord;
}

export interface RunJobsOptions {
  readonly jobs: readonly TrainingJob[];
  readonly pool: EvaluationPool;
  readonly results: ResultsFile;
  /** The split the evaluator scores on ("validation" or "test"), stored in each record. */
  readonly split: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: JobProgress) => void;
}

/** Runs what is missing; resolves when all are recorded or the signal fires (interrupted). */
export async function runJobs(options: RunJobsOptions): Promise<{ ran: number; earlier: number; interrupted: boolean }> {
  const { jobs, pool, results, split, signal } = options;
  const unique = new Map<string, TrainingJob>();
  for (const job of jobs) if (!unique.has(job.key)) unique.set(job.key, job);
  const todo = [...unique.values()].filter((job) => !results.has(job.key));
  const earlier = unique.size - todo.length;
  const started = performance.now();
  let ran = 0;
  const report = (last?: TrainingRecord): void => {
    const elapsedMs = performance.now() - started;
    const left = todo.length - ran;
    options.onProgress?.({ done: earlier + ran, total: unique.size, earlier, elapsedMs, etaMs: ran > 0 ? (elapsedMs / ran) * left : null, ...(last ? { last } : {}) });
  };
  report();
  if (todo.length === 0 || signal?.aborted) return { ran, earlier, interrupted: Boolean(signal?.aborted) };

  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal) signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const all = Promise.all(todo.map(async (job) => {
    const evaluation = await pool.evaluate({ graph: job.graph, fingerprint: job.fingerprint, seed: encodeJob(job) });
    if (signal?.aborted) return;
    if (evaluation.status === 'rejected' && evaluation.stage === 'error' && /interrupted|pool closed/.test(evaluation.reason)) return;
    const record = toRecord(job, split, evaluation);
    results.append(record);
    ran++;
    report(record);
  }));
  const outcome = await Promise.race([all.then(() => 'done' as const), aborted]);
  return { ran, earlier, interrupted: outcome === 'aborted' };
}
