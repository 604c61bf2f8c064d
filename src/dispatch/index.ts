/** Where evaluations run: inline (this thread), worker threads, or BullMQ workers through Redis. */
export type { EvaluationPool, PoolOptions } from './types.js';
export { createInlinePool } from './inline-pool.js';
export { createThreadPool } from './thread-pool.js';
export { createPool, type PoolSettings } from './create-pool.js';
export { capWorkers, machineCapacity, WORKER_BYTES, type MachineCapacity, type WorkerCap } from './worker-cap.js';
// The Redis pool and worker (src/dispatch/redis-pool.ts, redis-worker.ts) are imported from their
// files, so that loading this module never loads bullmq.
export { workerEntry, startWorker, type WorkerEntry } from './worker-entry.js';
