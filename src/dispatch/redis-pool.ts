/**
 * The Redis pool: evaluations go to `evonorm worker` processes on any number of machines through
 * a BullMQ queue (ARCHITECTURE.md "Many machines").
 *
 *   evaluate(request): add job { spec, request } to the queue, id = digest(spec, seed) + fingerprint
 *                      (a redelivered or repeated job is one job: equal functions share one
 *                      evaluation), then wait for the job's completed / failed event
 *   a worker: builds its evaluator from the job's spec (cached per spec), returns the Evaluation
 *   a failed job → stage 'error'; no answer within timeoutMs → stage 'timeout'
 *
 * The pool does not know how many workers are listening: `slots` says how many evaluations to
 * keep in flight (the async schedule fills that many; a batch is sent whole).
 */
import { createHash } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, EvaluationRequest } from '../evaluate/types.js';
import { EvonormError } from '../util/errors.js';
import { errorText, failedEvaluation } from './failure.js';
import { assertReachable, DEFAULT_QUEUE, redisConnection } from './redis-connection.js';
import type { EvaluationPool, PoolOptions } from './types.js';

/** What a job carries: the evaluator's description and the request. */
export interface RedisJobData {
  readonly spec: EvaluatorSpec;
  readonly request: EvaluationRequest;
}

export interface RedisPoolOptions extends PoolOptions {
  /** redis://host:port of the server the workers listen to. */
  readonly url: string;
  /** Queue name; default 'evonorm'. Runs that share a queue share its workers. */
  readonly queue?: string;
  /** Evaluations kept in flight (about the number of remote workers); default 1. */
  readonly slots?: number;
}

/** A pool on a BullMQ queue; rejects with EvonormError('BAD_CONFIG') when Redis cannot be reached. */
export async function createRedisPool(spec: EvaluatorSpec, options: RedisPoolOptions): Promise<EvaluationPool> {
  const connection = redisConnection(options.url);
  const name = options.queue ?? DEFAULT_QUEUE;
  const slots = options.slots ?? 1;
  if (!Number.isInteger(slots) || slots < 1) throw new EvonormError('BAD_CONFIG', `redis pool: slots must be an integer ≥ 1, got ${slots}`);
  await assertReachable(options.url);
  const queue = new Queue<RedisJobData, Evaluation>(name, { connection });
  const events = new QueueEvents(name, { connection });
  // Connection errors after this point are retried by ioredis.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  const runKey = (seed: EvaluationRequest['seed']): string => createHash('sha256').update(JSON.stringify({ spec, seed })).digest('hex').slice(0, 16);
  const waiting = new Set<(evaluation: Evaluation) => void>();
  let closed = false;

  return {
    size: slots,
    async evaluate(request: EvaluationRequest): Promise<Evaluation> {
      if (closed) throw new EvonormError('INTERNAL', 'redis pool: evaluate after close');
      const start = performance.now();
      // close() answers every evaluation still waiting (nothing else would).
      let onClose: (evaluation: Evaluation) => void = () => undefined;
      const abandon = new Promise<Evaluation>((resolve) => {
        onClose = resolve;
        waiting.add(resolve);
      });
      const run = async (): Promise<Evaluation> => {
        const job = await queue.add('evaluate', { spec, request }, {
          jobId: `${runKey(request.seed)}-${request.fingerprint}`,
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 3600 },
        });
        return (await job.waitUntilFinished(events, options.timeoutMs)) as Evaluation;
      };
      const outcome = run().catch((err: unknown) => {
        const text = errorText(err);
        const timedOut = options.timeoutMs !== undefined && /timed out/i.test(text);
        return failedEvaluation(timedOut ? 'timeout' : 'error', timedOut ? `no result after ${options.timeoutMs} ms` : `remote evaluation failed: ${text}`, performance.now() - start);
      });
      const result = await Promise.race([outcome, abandon]);
      waiting.delete(onClose);
      return result;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const resolve of waiting) resolve(failedEvaluation('error', 'redis pool closed', 0));
      waiting.clear();
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}
