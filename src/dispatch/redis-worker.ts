/**
 * An evaluation worker on a BullMQ queue (`evonorm worker --redis URL`): takes jobs
 * { spec, request } from the queue, builds the evaluator each spec describes (once per spec,
 * activating its tfjs backend first), and returns the Evaluation as the job's result. An
 * evaluator that throws gives a stage 'error' rejection, like the thread pool's workers.
 */
import { Worker } from 'bullmq';
import { createEvaluator, specBackend, type EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, Evaluator } from '../evaluate/types.js';
import { errorText, failedEvaluation } from './failure.js';
import { DEFAULT_QUEUE, redisConnection } from './redis-connection.js';
import type { RedisJobData } from './redis-pool.js';

export interface RedisWorkerOptions {
  readonly url: string;
  /** Queue name; default 'evonorm'. */
  readonly queue?: string;
  /** Jobs evaluated at once by this process; default 1 (an evaluation uses a core). */
  readonly concurrency?: number;
  /** Called after each job, for logs. */
  readonly onJob?: (info: { id: string; status: Evaluation['status']; costMs: number }) => void;
}

export interface RedisWorkerHandle {
  /** Resolves once connected and taking jobs. */
  readonly ready: Promise<void>;
  /** Stops taking jobs, waits for the running ones, disconnects. */
  close(): Promise<void>;
}

/** Starts a worker process's BullMQ Worker. */
export function startRedisWorker(options: RedisWorkerOptions): RedisWorkerHandle {
  const evaluators = new Map<string, Promise<Evaluator>>();
  let backendReady: Promise<void> | null = null;
  const evaluatorFor = (spec: EvaluatorSpec): Promise<Evaluator> => {
    const key = JSON.stringify(spec);
    let evaluator = evaluators.get(key);
    if (evaluator === undefined) {
      const backend = specBackend(spec);
      if (backend !== null && backendReady === null) {
        // The first spec that needs tfjs picks this process's backend.
        backendReady = import('../tensor/backend.js').then(({ selectBackend }) => selectBackend(backend)).then(() => undefined);
      }
      evaluator = (backendReady ?? Promise.resolve()).then(() => createEvaluator(spec));
      evaluators.set(key, evaluator);
    }
    return evaluator;
  };
  const worker = new Worker<RedisJobData, Evaluation>(
    options.queue ?? DEFAULT_QUEUE,
    async (job) => {
      const start = performance.now();
      let evaluation: Evaluation;
      try {
        evaluation = await (await evaluatorFor(job.data.spec)).evaluate(job.data.request);
      } catch (err) {
        evaluation = failedEvaluation('error', `evaluator threw: ${errorText(err)}`, performance.now() - start);
      }
      options.onJob?.({ id: job.id ?? '?', status: evaluation.status, costMs: evaluation.costMs });
      return evaluation;
    },
    { connection: redisConnection(options.url), concurrency: options.concurrency ?? 1 },
  );
  worker.on('error', () => undefined); // connection errors: ioredis retries
  return {
    ready: worker.waitUntilReady().then(() => undefined),
    async close(): Promise<void> {
      await worker.close();
      for (const evaluator of evaluators.values()) (await evaluator.catch(() => null))?.dispose?.();
    },
  };
}
