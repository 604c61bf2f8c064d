/**
 * The worker-thread entry that writes one report (src/report/write-in-worker.ts starts it): reads
 * { runPath, options, flag } from workerData, writes the report, then records in the shared
 * `flag` buffer when it finished (so a main thread that never yields can still see it) and posts
 * { result } or { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isEvonormError } from '../util/errors.js';
import { markFinished } from './worker-flag.js';
import { writeReport, type WriteReportOptions } from './write-report.js';

const { runPath, options, flag } = workerData as { runPath: string; options: WriteReportOptions; flag: SharedArrayBuffer };
writeReport(runPath, options).then(
  (result) => {
    markFinished(flag, true);
    parentPort?.postMessage({ result });
  },
  (err: unknown) => {
    markFinished(flag, false);
    parentPort?.postMessage({ error: { message: (err as Error)?.message ?? String(err), code: isEvonormError(err) ? err.code : undefined } });
  },
);
