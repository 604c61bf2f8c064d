/**
 * The Redis pool: evaluations go to `evonorm worker` processes on any number of machines through
 * a BullMQ queue (ARCHITECTURE.md "Many machines").
 *
 *   evaluate(request): job id = digest(spec, seed) + fingerprint (+ the promotion level above 0)
 *                      (a redelivered or repeated job is one job: equal functions share one
 *                      evaluation per level); await it, then add it
 *                      (a job still in Redis from an earlier session is reused: completed → its
 *                      result, failed → tried again, waiting or running → awaited)
 *   a job's completed / failed event          → its evaluation (failed: stage 'error')
 *   every check interval, and on a reconnect  → look at each awaited job in Redis:
 *       missing (lost, e.g. a Redis restart without persistence) → enqueue it again
 *       completed / failed (an event we missed)                   → settle it
 *   every check interval (BullMQ's stalled check, run here, not by the workers):
 *       a running job whose lock expired (its worker died) → back to the queue;
 *       after `maxStalledCount` such returns                → failed, i.e. stage 'error'
 *   no answer within timeoutMs (optional; default none) → stage 'timeout'
 *
 * The pool does not know how many workers are listening: `slots` says how many evaluations to
 * keep in flight (the async schedule fills that many; a batch is sent whole).
 */
import { createHash } from 'node:crypto';
import { isNotConnectionError, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, EvaluationRequest } from '../evaluate/types.js';
import { EvonormError } from '../util/errors.js';
import { errorText, failedEvaluation } from './failure.js';
import { checkedEvaluation } from './checked-evaluation.js';
import { assertReachable, DEFAULT_QUEUE, redisConnection } from './redis-connection.js';
import type { EvaluationPool, PoolOptions } from './types.js';

/** What a job carries: the evaluator's description and the request. */
export interface RedisJobData {
  readonly spec: EvaluatorSpec;
  readonly request: EvaluationRequest;
}

/** Defaults of the check interval and stall limit (the config's dispatch.redis fields). */
export const REDIS_CHECK_DEFAULTS = { checkIntervalMs: 10_000, maxStalledCount: 2 } as const;

/** How long finished jobs (their results) stay in Redis for a resumed search: one hour. */
const KEEP_FINISHED_SECONDS = 3600;

export interface RedisPoolOptions extends PoolOptions {
  /** redis://host:port of the server the workers listen to. */
  readonly url: string;
  /** Queue name; default 'evonorm'. Runs that share a queue share its workers. */
  readonly queue?: string;
  /** Evaluations kept in flight (about the number of remote workers); default 1. */
  readonly slots?: number;
  /**
   * Milliseconds between two checks of the awaited jobs (lost jobs enqueued again) and two
   * stalled-job checks (BullMQ stalledInterval); default 10 000.
   */
  readonly checkIntervalMs?: number;
  /** Times a job may go back to the queue because its worker died before it fails (BullMQ maxStalledCount); default 2. */
  readonly maxStalledCount?: number;
  /** Called when awaited jobs were missing from Redis and were enqueued again (for a warning). */
  readonly onRequeue?: (jobIds: readonly string[]) => void;
}

/** One awaited job: the data to enqueue it again, and who waits for it. */
interface Awaited {
  readonly id: string;
  readonly data: RedisJobData;
  readonly start: number;
  readonly resolvers: Array<(evaluation: Evaluation) => void>;
  timer?: NodeJS.Timeout;
  /** Set once the first add returned: before that, a missing job is not lost, just not added yet. */
  added?: boolean;
}

/** A pool on a BullMQ queue; rejects with EvonormError('BAD_CONFIG') when Redis cannot be reached. */
export async function createRedisPool(spec: EvaluatorSpec, options: RedisPoolOptions): Promise<EvaluationPool> {
  const connection = redisConnection(options.url);
  const name = options.queue ?? DEFAULT_QUEUE;
  const slots = options.slots ?? 1;
  const checkIntervalMs = options.checkIntervalMs ?? REDIS_CHECK_DEFAULTS.checkIntervalMs;
  const maxStalledCount = options.maxStalledCount ?? REDIS_CHECK_DEFAULTS.maxStalledCount;
  if (!Number.isInteger(slots) || slots < 1) throw new EvonormError('BAD_CONFIG', `redis pool: slots must be an integer ≥ 1, got ${slots}`);
  if (!(checkIntervalMs > 0)) throw new EvonormError('BAD_CONFIG', `redis pool: checkIntervalMs must be > 0, got ${checkIntervalMs}`);
  if (!Number.isInteger(maxStalledCount) || maxStalledCount < 0) throw new EvonormError('BAD_CONFIG', `redis pool: maxStalledCount must be an integer ≥ 0, got ${maxStalledCount}`);
  await assertReachable(options.url);
  const queue = new Queue<RedisJobData, Evaluation>(name, { connection });
  const events = new QueueEvents(name, { connection });
  // The stalled check, with this search's interval and limit (workers skip theirs); it never processes jobs.
  const stalledChecker = new Worker<RedisJobData, Evaluation>(name, null, { connection, autorun: false, skipLockRenewal: true, stalledInterval: checkIntervalMs, maxStalledCount });
  // Connection errors after this point are retried by ioredis; the checks below catch up.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  stalledChecker.on('error', () => undefined);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  const runKey = (seed: EvaluationRequest['seed']): string => createHash('sha256').update(JSON.stringify({ spec, seed })).digest('hex').slice(0, 16);
  const awaited = new Map<string, Awaited>();
  let closed = false;

  /** Settles a job with what a worker returned (parsed: src/dispatch/checked-evaluation.ts) or with a failure. */
  const settle = (id: string, returned: unknown): void => {
    const entry = awaited.get(id);
    if (entry === undefined) return;
    awaited.delete(id);
    clearTimeout(entry.timer);
    const evaluation = checkedEvaluation(returned, 'a Redis worker', performance.now() - entry.start);
    for (const resolve of entry.resolvers) resolve(evaluation);
  };
  const failed = (entry: Awaited, reason: string | undefined): Evaluation => {
    const why = /stalled more than allowable limit/.test(reason ?? '') ? `its workers died ${maxStalledCount + 1} times (${reason})` : (reason ?? 'unknown reason');
    return failedEvaluation('error', `remote evaluation failed: ${why}`, performance.now() - entry.start, 'worker-failed');
  };
  const enqueue = (entry: Awaited): Promise<Job<RedisJobData, Evaluation>> =>
    queue.add('evaluate', entry.data, { jobId: entry.id, removeOnComplete: { age: KEEP_FINISHED_SECONDS }, removeOnFail: { age: KEEP_FINISHED_SECONDS } });

  /** Settles the job from Redis when it finished; enqueues it again when it is gone. True when it was missing. */
  const inspect = async (entry: Awaited, retryFailed: boolean): Promise<boolean> => {
    const state = await queue.getJobState(entry.id);
    if (!awaited.has(entry.id)) return false;
    if (state === 'completed' || state === 'failed') {
      const job = await queue.getJob(entry.id);
      if (job !== undefined && state === 'completed') settle(entry.id, job.returnvalue);
      else if (job !== undefined && !retryFailed) settle(entry.id, failed(entry, job.failedReason));
      else {
        // Failed in an earlier session (this one asks again), or removed since: evaluate anew.
        await job?.remove().catch(() => undefined);
        await enqueue(entry);
      }
      return false;
    }
    if (state !== 'unknown') return false;
    await enqueue(entry);
    return true;
  };

  /** One look at every awaited job; one check at a time (a check waits while Redis is away). */
  let checking = false;
  const checkAll = async (): Promise<void> => {
    if (checking || closed) return;
    checking = true;
    const lost: string[] = [];
    try {
      for (const entry of [...awaited.values()]) {
        if (!entry.added) continue;
        try {
          if (await inspect(entry, false)) lost.push(entry.id);
        } catch (err) {
          if (!isConnectionError(err)) settle(entry.id, failedEvaluation('error', `remote evaluation failed: ${errorText(err)}`, performance.now() - entry.start, 'worker-failed'));
          else throw err;
        }
      }
    } catch {
      // Redis went away again: the next check or reconnect retries.
    } finally {
      checking = false;
      if (lost.length > 0) options.onRequeue?.(lost);
    }
  };

  events.on('completed', ({ jobId, returnvalue }) => settle(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => {
    const entry = awaited.get(jobId);
    if (entry !== undefined) settle(jobId, failed(entry, failedReason));
  });
  const timer = setInterval(() => void checkAll(), checkIntervalMs);
  // After a reconnect (e.g. Redis restarted), look at once: the queue may have been lost.
  const client = await queue.client;
  const onReconnect = (): void => void checkAll();
  client.on('ready', onReconnect);
  void stalledChecker.startStalledCheckTimer().catch(() => undefined);

  return {
    size: slots,
    async evaluate(request: EvaluationRequest): Promise<Evaluation> {
      if (closed) throw new EvonormError('INTERNAL', 'redis pool: evaluate after close');
      // A promotion of the same function is another job (level 0 keeps the id it always had).
      const id = `${runKey(request.seed)}-${jobIdPart(request.fingerprint)}${request.level ? `-level${request.level}` : ''}`;
      const known = awaited.get(id);
      if (known !== undefined) return new Promise<Evaluation>((resolve) => known.resolvers.push(resolve));
      const entry: Awaited = { id, data: { spec, request }, start: performance.now(), resolvers: [] };
      const result = new Promise<Evaluation>((resolve) => entry.resolvers.push(resolve));
      awaited.set(id, entry);
      if (options.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => settle(id, failedEvaluation('timeout', `no result after ${options.timeoutMs} ms`, performance.now() - entry.start)), options.timeoutMs);
      }
      try {
        // Listening before adding: a job that finishes at once still reaches us.
        await enqueue(entry);
        entry.added = true;
        await inspect(entry, true);
      } catch (err) {
        // Redis went away: the periodic check or the reconnect enqueues it. Anything else is final.
        entry.added = true;
        if (closed || !isConnectionError(err)) settle(id, failedEvaluation('error', `remote evaluation failed: ${errorText(err)}`, performance.now() - entry.start, 'worker-failed'));
      }
      return result;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      client.off('ready', onReconnect);
      for (const id of [...awaited.keys()]) settle(id, failedEvaluation('error', 'redis pool closed', 0, 'worker-failed'));
      await Promise.allSettled([stalledChecker.close(), events.close(), queue.close()]);
    },
  };
}

/** The fingerprint as it stands in a job id: itself when plain ([A-Za-z0-9_.-]; BullMQ forbids ':'), else its digest. */
function jobIdPart(fingerprint: string): string {
  return /^[\w.-]+$/.test(fingerprint) ? fingerprint : createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);
}

/** True for an error of the connection to Redis (retried), as opposed to one of the command. */
function isConnectionError(err: unknown): boolean {
  return err instanceof Error && !isNotConnectionError(err);
}
