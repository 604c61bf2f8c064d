/**
 * Writes a report in a worker thread, so a refresh never blocks the search's event loop (an
 * inline search keeps the main thread busy; a refresh there would stall it for the report's
 * whole duration). `finishedAt()` tells, without waiting and without a turn of the event loop,
 * when it finished (see worker-flag.ts); `done` settles with writeReport's result or error.
 */
import { startWorker } from '../dispatch/worker-entry.js';
import { EvonormError, type ErrorCode } from '../util/errors.js';
import { createFlag, readFlag } from './worker-flag.js';
import type { WriteReportOptions, WriteReportResult } from './write-report.js';

/** A report being written. */
export interface ReportJob {
  readonly done: Promise<WriteReportResult>;
  /** Time it finished (ms since the epoch), or null while it runs. */
  finishedAt(): number | null;
}

/** Starts writeReport(runPath, options) in a fresh worker thread (see the module comment). */
export function startReportWorker(runPath: string, options: WriteReportOptions = {}): ReportJob {
  const typescript = new URL(import.meta.url).pathname.endsWith('.ts');
  const url = new URL(typescript ? './report-worker.ts' : './report-worker.js', import.meta.url);
  // A clock cannot cross a thread boundary: the worker uses its own.
  const { now, ...rest } = options;
  void now;
  const flag = createFlag();
  const done = new Promise<WriteReportResult>((resolve, reject) => {
    const worker = startWorker({ runPath, options: rest, flag }, { url, typescript });
    let settled = false;
    worker.once('message', (message: { result?: WriteReportResult; error?: { message: string; code?: ErrorCode } }) => {
      settled = true;
      if (message.result) resolve(message.result);
      else reject(message.error?.code ? new EvonormError(message.error.code, message.error.message) : new Error(message.error?.message ?? 'the report worker failed'));
    });
    worker.once('error', (err) => { settled = true; reject(err); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`the report worker stopped (exit code ${code}) before writing the report`)); });
  });
  return { done, finishedAt: () => readFlag(flag)?.finishedAt ?? null };
}

/** writeReport in a worker thread, as a promise. */
export function writeReportInWorker(runPath: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  return startReportWorker(runPath, options).done;
}
