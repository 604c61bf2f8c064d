/**
 * The thread pool: N worker_threads, each with its own evaluator (and its own tfjs) built from
 * the spec once; jobs go to whichever worker is idle and come back in any order, each request's
 * promise resolving with its own evaluation.
 *
 *   evaluate(request): queue the job; pump()
 *   pump(): give queued jobs to ready, idle workers (one job per worker at a time)
 *   result from a worker      → resolve that job; pump()
 *   worker crash (uncaught error or exit) → its job resolves as stage 'error'; replace the worker
 *   job older than timeoutMs  → resolves as stage 'timeout'; terminate and replace the worker
 *   a replacement that cannot start is dropped; with no worker left, queued jobs fail ('error')
 *
 * Requests cross the thread boundary by structured clone: LayerGraph and EvaluationRequest are
 * plain data.
 */
import type { Worker } from 'node:worker_threads';
import type { EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, EvaluationRequest } from '../evaluate/types.js';
import { EvonormError, type ErrorCode, ERROR_EXIT } from '../util/errors.js';
import { errorText, failedEvaluation } from './failure.js';
import { checkedEvaluation } from './checked-evaluation.js';
import type { JobMessage, WorkerInit, WorkerMessage } from './protocol.js';
import type { EvaluationPool, EvaluationWatch, PoolOptions } from './types.js';
import { startWorker, workerEntry } from './worker-entry.js';

interface Job {
  readonly id: number;
  readonly request: EvaluationRequest;
  readonly resolve: (evaluation: Evaluation) => void;
  readonly watch?: EvaluationWatch;
  start: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  /** Set when the pool terminated it on purpose (time-out, close): its exit is expected. */
  retired: boolean;
  job: Job | null;
  /** Message of an uncaught error, reported before the thread exits. */
  crash: string | null;
}

/**
 * A pool of `workers` threads evaluating with the evaluator `spec` describes. Resolves once every
 * worker has built its evaluator; rejects (after stopping them) with the first worker's
 * construction error, as an EvonormError with the same code when it had one.
 */
export async function createThreadPool(spec: EvaluatorSpec, workers: number, options: PoolOptions = {}): Promise<EvaluationPool> {
  if (!Number.isInteger(workers) || workers < 1) throw new EvonormError('BAD_CONFIG', `thread pool: workers must be an integer ≥ 1, got ${workers}`);
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new EvonormError('BAD_CONFIG', `thread pool: timeoutMs must be > 0, got ${timeoutMs}`);
  const entry = workerEntry();
  const init: WorkerInit = { spec };
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextJobId = 0;
  let closed = false;
  /** Why the last worker failed to start, for jobs left with no worker. */
  let lastStartFailure = 'no worker could start';
  /** The backend the first ready worker reported. */
  let backend: string | undefined;

  /** Starts a worker; `onStart` learns whether it became ready (null) or why not. */
  const spawn = (onStart: (failure: Error | null) => void): void => {
    const worker = startWorker(init, entry);
    const slot: Slot = { worker, ready: false, retired: false, job: null, crash: null };
    slots.add(slot);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        slot.ready = true;
        backend ??= message.backend;
        onStart(null);
        pump();
      } else if (message.type === 'init-error') {
        lastStartFailure = `worker could not build its evaluator: ${message.message}`;
        retire(slot);
        onStart(startError(message.message, message.code));
        failIfNoWorkers();
      } else if (message.type === 'progress') {
        if (slot.job !== null && slot.job.id === message.jobId) slot.job.watch?.onProgress?.(message.progress);
      } else if (message.type === 'result') {
        const job = slot.job;
        if (job === null || job.id !== message.jobId) return; // a late answer to a job already settled
        slot.job = null;
        settle(job, checkedEvaluation(message.evaluation, 'a worker thread', performance.now() - job.start));
        pump();
      }
    });
    worker.on('error', (err) => {
      slot.crash = errorText(err);
    });
    worker.on('exit', (code) => {
      slots.delete(slot);
      if (slot.retired) return;
      const why = slot.crash ?? `exited with code ${code}`;
      if (!slot.ready) {
        lastStartFailure = `worker died while starting: ${why}`;
        onStart(new EvonormError('INTERNAL', lastStartFailure));
        failIfNoWorkers();
        return;
      }
      const job = slot.job;
      slot.job = null;
      if (job !== null) settle(job, failedEvaluation('error', `worker crashed: ${why}`, performance.now() - job.start, 'worker-failed'));
      replace();
    });
  };

  /** A new worker in place of one that crashed or timed out (not once the pool is closed). */
  const replace = (): void => {
    if (closed) return;
    spawn(() => pump());
  };

  const retire = (slot: Slot): void => {
    slot.retired = true;
    slots.delete(slot);
    void slot.worker.terminate();
  };

  const settle = (job: Job, evaluation: Evaluation): void => {
    clearTimeout(job.timer);
    job.resolve(evaluation);
  };

  const failIfNoWorkers = (): void => {
    if (slots.size > 0) return;
    for (const job of queue.splice(0)) settle(job, failedEvaluation('error', lastStartFailure, 0, 'worker-failed'));
  };

  const pump = (): void => {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.ready || slot.job !== null) continue;
      const job = queue.shift()!;
      slot.job = job;
      job.start = performance.now();
      if (timeoutMs !== undefined) {
        job.timer = setTimeout(() => {
          if (slot.job !== job) return;
          slot.job = null;
          retire(slot);
          settle(job, failedEvaluation('timeout', `no result after ${timeoutMs} ms`, performance.now() - job.start));
          replace();
        }, timeoutMs);
      }
      const message: JobMessage = { type: 'job', jobId: job.id, request: job.request };
      slot.worker.postMessage(message);
    }
  };

  // Start every worker and wait until each has built its evaluator.
  const started = await Promise.all(
    Array.from({ length: workers }, () => new Promise<Error | null>((resolve) => spawn(resolve))),
  );
  const failure = started.find((f) => f !== null);
  if (failure) {
    closed = true;
    await Promise.all([...slots].map((slot) => { slot.retired = true; return slot.worker.terminate(); }));
    throw failure;
  }

  return {
    size: workers,
    ...(backend !== undefined ? { backend } : {}),
    evaluate(request: EvaluationRequest, watch?: EvaluationWatch): Promise<Evaluation> {
      if (closed) return Promise.reject(new EvonormError('INTERNAL', 'evaluate on a closed pool'));
      return new Promise<Evaluation>((resolve) => {
        queue.push({ id: nextJobId++, request, resolve, ...(watch ? { watch } : {}), start: performance.now() });
        if (slots.size === 0) failIfNoWorkers();
        else pump();
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const stopping: Promise<number>[] = [];
      for (const slot of [...slots]) {
        slot.retired = true;
        if (slot.job !== null) settle(slot.job, failedEvaluation('error', 'pool closed before the evaluation finished', performance.now() - slot.job.start, 'worker-failed'));
        slot.job = null;
        stopping.push(slot.worker.terminate());
      }
      slots.clear();
      for (const job of queue.splice(0)) settle(job, failedEvaluation('error', 'pool closed before the evaluation started', 0, 'worker-failed'));
      await Promise.all(stopping);
    },
  };
}

/** The error to reject createThreadPool with: the worker's code when it is one of ours. */
function startError(message: string, code: string | undefined): EvonormError {
  const known = code !== undefined && Object.prototype.hasOwnProperty.call(ERROR_EXIT, code);
  return new EvonormError(known ? (code as ErrorCode) : 'INTERNAL', known ? message : `worker could not build its evaluator: ${message}`);
}
