/**
 * The worker-thread entry that writes one report (src/report/write-in-worker.ts starts it): reads
 * { runPath, options } from workerData, writes the report, posts { result } or { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isEvonormError } from '../util/errors.js';
import { writeReport, type WriteReportOptions } from './write-report.js';

const { runPath, options } = workerData as { runPath: string; options: WriteReportOptions };
writeReport(runPath, options).then(
  (result) => parentPort?.postMessage({ result }),
  (err: unknown) => parentPort?.postMessage({ error: { message: (err as Error)?.message ?? String(err), code: isEvonormError(err) ? err.code : undefined } }),
);
