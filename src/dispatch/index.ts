/** Where evaluations run: inline (this thread), worker threads; Redis/BullMQ is not built yet. */
export type { EvaluationPool, PoolOptions } from './types.js';
export { createInlinePool } from './inline-pool.js';
export { createThreadPool } from './thread-pool.js';
export { createPool, type PoolSettings } from './create-pool.js';
export { workerEntry, startWorker, type WorkerEntry } from './worker-entry.js';
