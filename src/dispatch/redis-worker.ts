/**
 * An evaluation worker on a BullMQ queue (`evonorm worker --redis URL`): takes jobs
 * { spec, request } from the queue, builds the evaluator each spec describes (once per spec,
 * activating its tfjs backend first), and returns the Evaluation as the job's result. An
 * evaluator that throws gives a stage 'error' rejection, like the thread pool's workers.
 *
 * While it runs a job the worker renews the job's lock every lockMs / 2; when the process dies
 * the lock expires after at most lockMs and the search's stalled check (src/dispatch/redis-pool.ts;
 * workers run none of their own) returns the job to the queue. close({ abandon: true }) stops at
 * once: running evaluations are aborted and their jobs go straight back to the queue.
 */
import { hostname } from 'node:os';
import { WaitingError, Worker } from 'bullmq';
import { createEvaluator, specBackend, type EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, Evaluator } from '../evaluate/types.js';
import { errorText, failedEvaluation } from './failure.js';
import { assertReachable, DEFAULT_QUEUE, redisConnection } from './redis-connection.js';
import type { RedisJobData } from './redis-pool.js';

/** Default lock time of a running job (BullMQ lockDuration): 30 s. */
export const DEFAULT_LOCK_MS = 30_000;

export interface RedisWorkerOptions {
  readonly url: string;
  /** Queue name; default 'evonorm'. */
  readonly queue?: string;
  /** Jobs evaluated at once by this process; default 1 (an evaluation uses a core). */
  readonly concurrency?: number;
  /**
   * Milliseconds a running job stays locked without renewal (BullMQ lockDuration; renewed every
   * half of it): after this a dead worker's job counts as stalled. Default 30 000.
   */
  readonly lockMs?: number;
  /** The worker's name in Redis (a job's `processedBy`); default <hostname>:<pid>. */
  readonly name?: string;
  /** Called after each job, for logs. */
  readonly onJob?: (info: { id: string; status: Evaluation['status']; costMs: number }) => void;
  /** Called with connection and lock errors, each once (Redis went away, a job was lost). */
  readonly onError?: (message: string) => void;
}

export interface RedisWorkerHandle {
  /** Resolves once connected and taking jobs. */
  readonly ready: Promise<void>;
  /** The worker's name in Redis. */
  readonly name: string;
  /**
   * Stops taking jobs and disconnects. By default waits for the running jobs; with `abandon`,
   * aborts them and returns their jobs to the queue for another worker. Resolves with the
   * number of jobs returned.
   */
  close(options?: { abandon?: boolean }): Promise<number>;
}

/**
 * Starts a worker process's BullMQ Worker. Rejects with EvonormError('BAD_CONFIG') when the URL
 * is not a Redis URL or nothing answers there (BullMQ would retry forever).
 */
export async function startRedisWorker(options: RedisWorkerOptions): Promise<RedisWorkerHandle> {
  const connection = redisConnection(options.url);
  await assertReachable(options.url);
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
  const running = new Set<AbortController>();
  let abandoning = false;
  let returned = 0;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const worker = new Worker<RedisJobData, Evaluation>(
    options.queue ?? DEFAULT_QUEUE,
    async (job, token) => {
      const start = performance.now();
      const abort = new AbortController();
      running.add(abort);
      let evaluation: Evaluation;
      try {
        const evaluator = await evaluatorFor(job.data.spec);
        evaluation = abort.signal.aborted ? failedEvaluation('error', 'interrupted', 0) : await evaluator.evaluate(job.data.request, abort.signal);
      } catch (err) {
        evaluation = failedEvaluation('error', `evaluator threw: ${errorText(err)}`, performance.now() - start);
      } finally {
        running.delete(abort);
      }
      if (abort.signal.aborted && token !== undefined && evaluation.status === 'rejected' && evaluation.stage === 'error') {
        // Abandoned: back to the queue now, rather than after the lock expires.
        await job.moveToWait(token);
        returned++;
        throw new WaitingError();
      }
      options.onJob?.({ id: job.id ?? '?', status: evaluation.status, costMs: evaluation.costMs });
      return evaluation;
    },
    {
      connection, name, concurrency: options.concurrency ?? 1,
      lockDuration: options.lockMs ?? DEFAULT_LOCK_MS,
      // The search runs the stalled check with its own interval and limit (dispatch.redis).
      skipStalledCheck: true,
    },
  );
  let lastError = '';
  worker.on('error', (err) => {
    // Connection errors: ioredis retries. Lock errors: the job was lost (Redis restarted) or
    // taken back (stalled); its result cannot be delivered and the job runs again. Each once.
    const message = errorText(err);
    if (message === lastError || abandoning) return;
    lastError = message;
    options.onError?.(/lock|missing key/i.test(message) ? `${message} (the job was lost or taken back; it runs again)` : `Redis: ${message} (retrying)`);
  });
  return {
    name,
    ready: worker.waitUntilReady().then(() => undefined),
    async close({ abandon = false } = {}): Promise<number> {
      if (abandon) {
        abandoning = true;
        for (const controller of running) controller.abort();
      }
      await worker.close();
      for (const evaluator of evaluators.values()) (await evaluator.catch(() => null))?.dispose?.();
      return returned;
    },
  };
}
