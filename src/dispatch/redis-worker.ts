/**
 * An evaluation worker on a BullMQ queue (`evonorm worker --redis URL`): takes jobs
 * { spec, request } from the queue and evaluates them in worker threads (a thread pool per spec,
 * `concurrency` threads, each building the spec's evaluator and tfjs backend once), returning the
 * Evaluation as the job's result. An evaluator that throws, or a thread that crashes, gives a
 * stage 'error' rejection, as in the thread pool; so does a job whose spec does not parse
 * (src/evaluate/evaluator-spec.ts).
 *
 * While it runs a job the worker renews the job's lock every lockMs / 2; when the process dies
 * the lock expires after at most lockMs and the search's stalled check (src/dispatch/redis-pool.ts;
 * workers run none of their own) returns the job to the queue. close({ abandon: true }) stops at
 * once: the threads are stopped and their jobs go straight back to the queue. The threads keep
 * this thread free, so locks are renewed however long a synchronous tfjs step takes.
 */
import { hostname } from 'node:os';
import { WaitingError, Worker } from 'bullmq';
import { parseEvaluatorSpec, type EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation } from '../evaluate/types.js';
import { errorText, failedEvaluation } from './failure.js';
import { assertReachable, DEFAULT_QUEUE, redisConnection } from './redis-connection.js';
import type { RedisJobData } from './redis-pool.js';
import { createThreadPool } from './thread-pool.js';
import type { EvaluationPool } from './types.js';

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
  const concurrency = options.concurrency ?? 1;
  // One thread pool per spec, `concurrency` threads each: the evaluations run off this thread,
  // which stays free to renew the jobs' locks and to answer signals however long a training is.
  const pools = new Map<string, Promise<EvaluationPool>>();
  const poolFor = (spec: EvaluatorSpec): Promise<EvaluationPool> => {
    const key = JSON.stringify(spec);
    let pool = pools.get(key);
    if (pool === undefined) {
      pool = createThreadPool(spec, concurrency);
      pools.set(key, pool);
    }
    return pool;
  };
  let abandoning = false;
  let returned = 0;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const worker = new Worker<RedisJobData, Evaluation>(
    options.queue ?? DEFAULT_QUEUE,
    async (job, token) => {
      const start = performance.now();
      let evaluation: Evaluation | null = null;
      try {
        // Parsed, not cast: a job from another process; a malformed spec (BAD_CONFIG naming the
        // field) becomes the job's rejection with that reason, as an evaluator that cannot be built.
        const pool = await poolFor(parseEvaluatorSpec(job.data?.spec, `Redis job ${job.id ?? '?'}`));
        if (!abandoning) evaluation = await pool.evaluate(job.data.request);
      } catch (err) {
        evaluation = failedEvaluation('error', `the evaluator could not be built: ${errorText(err)}`, performance.now() - start, 'worker-failed');
      }
      if (abandoning && token !== undefined && (evaluation === null || (evaluation.status === 'rejected' && evaluation.stage === 'error'))) {
        // Abandoned (its thread stopped): back to the queue now, not after the lock expires.
        await job.moveToWait(token);
        returned++;
        throw new WaitingError();
      }
      evaluation ??= failedEvaluation('error', 'interrupted', performance.now() - start, 'interrupted');
      options.onJob?.({ id: job.id ?? '?', status: evaluation.status, costMs: evaluation.costMs });
      return evaluation;
    },
    {
      connection, name, concurrency,
      lockDuration: options.lockMs ?? DEFAULT_LOCK_MS,
      // The search runs the stalled check with its own interval and limit (dispatch.redis).
      skipStalledCheck: true,
    },
  );
  const closePools = (): Promise<unknown> => Promise.allSettled([...pools.values()].map((pool) => pool.then((p) => p.close())));
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
      abandoning ||= abandon;
      // Closing first: no new job is fetched, not even the ones being returned.
      const closing = worker.close();
      // Stopping the threads answers their running evaluations at once (stage 'error').
      if (abandon) await closePools();
      await closing;
      await closePools();
      return returned;
    },
  };
}
