/**
 * Starts the thread pool's worker entry, next to this module: worker.js when running from the
 * compiled dist/ (tsc output); worker.ts when running the TypeScript sources under tsx
 * (`node --import tsx`, the test runner). In the second case the thread is started from a tiny
 * bootstrap that registers tsx's loader inside the new thread and then imports worker.ts:
 * Node 20 does not apply `--import tsx` in execArgv to a worker's own entry module.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  /** The worker module (worker.ts or worker.js). */
  readonly url: URL;
  /** True when it is TypeScript and needs tsx. */
  readonly typescript: boolean;
}

/** The worker entry for the current module's flavour (.ts under tsx, .js compiled). */
export function workerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const typescript = new URL(moduleUrl).pathname.endsWith('.ts');
  return { url: new URL(typescript ? './worker.ts' : './worker.js', moduleUrl), typescript };
}

/** Starts a thread running the worker entry with `workerData`. */
export function startWorker(workerData: unknown, entry: WorkerEntry = workerEntry()): Worker {
  if (!entry.typescript) return new Worker(entry.url, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => tsx.register())` +
    `.then(() => import(${JSON.stringify(entry.url.href)}));`;
  return new Worker(bootstrap, { eval: true, workerData });
}
