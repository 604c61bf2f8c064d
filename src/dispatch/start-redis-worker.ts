/**
 * `evonorm worker` for scripts: starts a BullMQ evaluation worker in this process. bullmq is
 * loaded on the first call only, so importing the package never loads it.
 */
import type { RedisWorkerHandle, RedisWorkerOptions } from './redis-worker.js';

export type { RedisWorkerHandle, RedisWorkerOptions } from './redis-worker.js';

/** Starts a worker taking jobs from `options.queue` (default "evonorm") at `options.url`; see redis-worker.ts. */
export async function startEvaluationWorker(options: RedisWorkerOptions): Promise<RedisWorkerHandle> {
  const { startRedisWorker } = await import('./redis-worker.js');
  return startRedisWorker(options);
}
