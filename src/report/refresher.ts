/**
 * Keeps a running search's report fresh at a bounded cost: a refresh starts only when the time
 * all refreshes took, plus the expected time of this one, stays within `share` (default 2%) of
 * the wall time since the search started. Refreshes run in a worker thread (write-in-worker.ts),
 * so they never stall the search's event loop and their measured time is their own. The expected time is the last refresh's, with a 25%
 * margin since the journal only grows; never two refreshes at once. Errors never reach the search:
 * they go to `onError` and the next refresh tries again.
 *
 * Await ready() before the search starts: it loads Graphviz for the final report.
 *
 *   poke():  if idle and spent + 1.25·last ≤ share · (now − start): write the report (live)
 *   final(): wait for a running refresh, then write the final report (the run's own state)
 */
import { loadGraphviz } from './render-graph.js';
import { writeReport, type WriteReportOptions, type WriteReportResult } from './write-report.js';
import { writeReportInWorker } from './write-in-worker.js';

export interface ReportRefresherOptions {
  readonly runPath: string;
  /** Output file (default `<run>/report.html`). */
  readonly out?: string;
  /** Share of the search's wall time refreshes may take; default 0.02. */
  readonly share?: number;
  /** Milliseconds clock (default Date.now). */
  readonly now?: () => number;
  /** The writer of the final report (default writeReport, in this thread); tests pass a fake. */
  readonly write?: (runPath: string, options: WriteReportOptions) => Promise<WriteReportResult>;
  /** The writer of the refreshes while the search runs (default: writeReport in a worker thread; `write` when that is given). */
  readonly writeLive?: (runPath: string, options: WriteReportOptions) => Promise<WriteReportResult>;
  /** Called with a refresh's error (the search goes on). */
  readonly onError?: (err: unknown) => void;
}

export interface ReportRefresher {
  /** Loads what rendering needs (Graphviz wasm); await it before the search loop starts. */
  ready(): Promise<void>;
  /** A checkpoint or a result happened: refresh the report if it is due. Returns at once. */
  poke(): void;
  /** Waits for a refresh in progress, then writes the final report and returns it (undefined if it failed). */
  final(): Promise<WriteReportResult | undefined>;
  /** Refreshes written so far (the final one included) and the time they took, ms. */
  stats(): { readonly writes: number; readonly spentMs: number; readonly lastMs: number };
}

/** Before the first refresh: the time a small report takes, ms. */
const FIRST_GUESS_MS = 200;

/** A refresher for the run at `options.runPath` (see the module comment). */
export function createReportRefresher(options: ReportRefresherOptions): ReportRefresher {
  const now = options.now ?? Date.now;
  const share = options.share ?? 0.02;
  const write = options.write ?? writeReport;
  const writeLive = options.writeLive ?? options.write ?? writeReportInWorker;
  const started = now();
  let spentMs = 0;
  let lastMs = FIRST_GUESS_MS;
  let writes = 0;
  let running: Promise<WriteReportResult | undefined> | null = null;

  const run = (live: boolean): Promise<WriteReportResult | undefined> => {
    const t0 = now();
    return (live ? writeLive : write)(options.runPath, { live, ...(options.out ? { out: options.out } : {}) }).then(
      (result) => {
        lastMs = now() - t0;
        spentMs += lastMs;
        writes++;
        return result;
      },
      (err: unknown) => {
        lastMs = Math.max(lastMs, now() - t0);
        spentMs += now() - t0;
        options.onError?.(err);
        return undefined;
      },
    );
  };

  return {
    ready: () => (options.write ? Promise.resolve() : loadGraphviz()),
    poke() {
      if (running !== null) return;
      if (spentMs + 1.25 * lastMs > share * (now() - started)) return;
      running = run(true).finally(() => { running = null; });
    },
    async final() {
      if (running !== null) await running;
      return run(false);
    },
    stats: () => ({ writes, spentMs, lastMs }),
  };
}
