/**
 * Writes a report in a worker thread, so a refresh never blocks the search's event loop (an
 * inline search keeps the main thread busy; a refresh there would stall it for the report's
 * whole duration). The time it takes is then the report's own, which is what the refresher
 * throttles on. Same result and errors as writeReport.
 */
import { startWorker } from '../dispatch/worker-entry.js';
import { EvonormError, type ErrorCode } from '../util/errors.js';
import type { WriteReportOptions, WriteReportResult } from './write-report.js';

/** writeReport(runPath, options) in a fresh worker thread (see the module comment). */
export function writeReportInWorker(runPath: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const typescript = new URL(import.meta.url).pathname.endsWith('.ts');
  const url = new URL(typescript ? './report-worker.ts' : './report-worker.js', import.meta.url);
  const { now, ...rest } = options;
  // A clock cannot cross a thread boundary: the worker uses its own.
  void now;
  const data = { runPath, options: rest };
  return new Promise((resolve, reject) => {
    const worker = startWorker(data, { url, typescript });
    let settled = false;
    worker.once('message', (message: { result?: WriteReportResult; error?: { message: string; code?: ErrorCode } }) => {
      settled = true;
      if (message.result) resolve(message.result);
      else reject(message.error?.code ? new EvonormError(message.error.code, message.error.message) : new Error(message.error?.message ?? 'the report worker failed'));
    });
    worker.once('error', (err) => { settled = true; reject(err); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`the report worker stopped (exit code ${code}) before writing the report`)); });
  });
}
