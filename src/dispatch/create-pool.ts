/** One factory for every kind of pool, from plain settings (e.g. a run config). */
import { availableParallelism } from 'node:os';
import type { EvaluatorSpec } from '../evaluate/registry.js';
import { EvonormError } from '../util/errors.js';
import { createInlinePool } from './inline-pool.js';
import { createThreadPool } from './thread-pool.js';
import { capWorkers, WORKER_BYTES, type MachineCapacity } from './worker-cap.js';
import type { EvaluationPool } from './types.js';

export interface PoolSettings {
  /** 'inline': this thread, one at a time; 'threads': worker_threads; 'redis': BullMQ workers. */
  readonly mode: 'inline' | 'threads' | 'redis';
  /**
   * Worker threads for mode 'threads'; default os.availableParallelism(). Capped by the cores and
   * the free memory (worker-cap.ts), with a warning. Ignored inline.
   */
  readonly workers?: number;
  /** The evaluator every worker builds. */
  readonly spec: EvaluatorSpec;
  /** Per-evaluation time limit in milliseconds; default none. */
  readonly timeoutMs?: number;
  /**
   * Mode 'redis': the server and queue (`workers` = evaluations kept in flight), and how often
   * the search checks its jobs (lost, stalled) and how often a job may stall (the config's
   * dispatch.redis; defaults 10 s and 2).
   */
  readonly redis?: { readonly url: string; readonly queue?: string; readonly stalledIntervalSeconds?: number; readonly maxStalledCount?: number };
  /** Mode 'redis': told the ids of jobs found lost (worker killed, Redis restarted) and enqueued again. */
  readonly onRequeue?: (jobIds: readonly string[]) => void;
  /** Told when fewer threads start than asked for, and why (default: a line on stderr). */
  readonly onWarning?: (message: string) => void;
  /** The machine the threads are capped by (default: this one now); for tests. */
  readonly machine?: MachineCapacity;
}

/** A ready pool for the settings; rejects like createInlinePool / createThreadPool. */
export function createPool(settings: PoolSettings): Promise<EvaluationPool> {
  const options = settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs };
  switch (settings.mode) {
    case 'inline':
      return createInlinePool(settings.spec, options);
    case 'threads': {
      const perWorker = settings.spec.kind === 'fast' ? WORKER_BYTES.fast : WORKER_BYTES.proxy;
      const cap = capWorkers(settings.workers ?? availableParallelism(), perWorker, settings.machine);
      if (cap.warning) (settings.onWarning ?? ((m) => void process.stderr.write(`evonorm: ${m}\n`)))(cap.warning);
      return createThreadPool(settings.spec, cap.workers, options);
    }
    case 'redis':
      // Imported here so runs without Redis never load bullmq.
      return import('./redis-pool.js').then(({ createRedisPool }) => {
        const redis = settings.redis;
        return createRedisPool(settings.spec, {
          ...options, url: redis?.url ?? 'redis://localhost:6379', queue: redis?.queue, slots: settings.workers ?? 1,
          ...(redis?.stalledIntervalSeconds !== undefined ? { checkIntervalMs: redis.stalledIntervalSeconds * 1000 } : {}),
          ...(redis?.maxStalledCount !== undefined ? { maxStalledCount: redis.maxStalledCount } : {}),
          ...(settings.onRequeue ? { onRequeue: settings.onRequeue } : {}),
        });
      });
    default:
      return Promise.reject(new EvonormError('BAD_CONFIG', `unknown pool mode "${String((settings as { mode?: unknown }).mode)}" (inline, threads or redis)`));
  }
}
