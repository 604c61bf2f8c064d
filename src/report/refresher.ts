/**
 * Keeps a running search's report fresh at a bounded cost: a refresh starts only when the time
 * all refreshes took, plus the expected time of this one, stays within `share` (default 2%) of
 * the wall time since the search started. The expected time is the last refresh's scaled by how
 * much the journal has grown since (a report reads the whole journal), with a 25% margin; before
 * the first, a guess from the journal's size; never two refreshes at once. Refreshes run in a worker
 * thread (write-in-worker.ts), so they never stall the search loop; their time, worker start-up
 * included, is read from the worker's finish flag at the next poke, so the accounting works even
 * when the search loop never yields to the event loop. Errors never reach the search: they go to
 * `onError` and the next refresh tries again.
 *
 *   poke():  if a refresh finished: spent += its time
 *            expected ← last · size/size_at_last   (first: START_MS + PER_MB_MS · size in MB)
 *            if none runs and spent + 1.25·expected ≤ share · (now − start): start one (live)
 *   final(): wait for a running refresh, then write the final report here (the run's own state)
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../run/folder/files.js';
import { loadGraphviz } from './render-graph.js';
import { startReportWorker, type ReportJob } from './write-in-worker.js';
import { writeReport, type WriteReportOptions, type WriteReportResult } from './write-report.js';

type Writer = (runPath: string, options: WriteReportOptions) => Promise<WriteReportResult>;

export interface ReportRefresherOptions {
  readonly runPath: string;
  /** Output file (default `<run>/report.html`). */
  readonly out?: string;
  /** Share of the search's wall time refreshes may take; default 0.02. */
  readonly share?: number;
  /** Milliseconds clock (default Date.now). */
  readonly now?: () => number;
  /** The writer of the final report (default writeReport, in this thread); tests pass a fake. */
  readonly write?: Writer;
  /** The writer of the refreshes (default: writeReport in a worker thread; `write` when that is given). */
  readonly writeLive?: Writer;
  /** Called with a refresh's error (the search goes on). */
  readonly onError?: (err: unknown) => void;
  /** The journal's size in bytes (default: stat of `<run>/journal.jsonl`, 0 when missing). */
  readonly journalBytes?: () => number;
}

export interface ReportRefresher {
  /** Loads what the final report needs (Graphviz wasm); await it before the search starts. */
  ready(): Promise<void>;
  /** A checkpoint or a result happened: account a finished refresh, start one if due. Returns at once. */
  poke(): void;
  /** Waits for a refresh in progress, then writes the final report and returns it (undefined if it failed). */
  final(): Promise<WriteReportResult | undefined>;
  /** Reports written or tried so far (the final one included) and the time they took, ms. */
  stats(): { readonly writes: number; readonly spentMs: number; readonly lastMs: number };
}

/**
 * Before the first refresh, the expected time: START_MS (a worker thread's start, modules
 * loaded) plus PER_MB_MS per MB of journal. Measured on a loaded 2-core machine (BENCHMARKS.md,
 * report): ~2 s to start under tsx, ~100 ms per MB (a 50,000-candidate fast run has 54 MB).
 */
const START_MS = 2000;
const PER_MB_MS = 100;

/** A refresher for the run at `options.runPath` (see the module comment). */
export function createReportRefresher(options: ReportRefresherOptions): ReportRefresher {
  const now = options.now ?? Date.now;
  const share = options.share ?? 0.02;
  const write = options.write ?? writeReport;
  const started = now();
  let spentMs = 0;
  let lastMs = 0;
  let bytesAtLast = 0;
  const journalBytes = options.journalBytes ?? (() => {
    try {
      return statSync(join(options.runPath, RUN_FILES.journal)).size;
    } catch {
      return 0;
    }
  });
  /** The expected time of a refresh now, ms. */
  const expected = (bytes: number): number => (lastMs > 0 && bytesAtLast > 0 ? lastMs * Math.max(1, bytes / bytesAtLast) : START_MS + (PER_MB_MS * bytes) / 1e6);
  let writes = 0;
  let running: { readonly job: ReportJob; readonly startedAt: number; readonly bytes: number } | null = null;
  const out = options.out ? { out: options.out } : {};

  const startLive = (): ReportJob => {
    if (options.writeLive === undefined && options.write === undefined) return startReportWorker(options.runPath, { live: true, ...out });
    let finished: number | null = null;
    const done = (options.writeLive ?? write)(options.runPath, { live: true, ...out });
    done.then(() => { finished = now(); }, () => { finished = now(); });
    return { done, finishedAt: () => finished };
  };
  const account = (ms: number): void => {
    lastMs = ms;
    spentMs += ms;
    writes++;
  };
  /** Accounts the running refresh if it has finished; true when none runs any more. */
  const settle = (): boolean => {
    if (running === null) return true;
    const finishedAt = running.job.finishedAt();
    if (finishedAt === null) return false;
    account(Math.max(0, finishedAt - running.startedAt));
    bytesAtLast = running.bytes;
    running = null;
    return true;
  };

  return {
    ready: () => (options.write ? Promise.resolve() : loadGraphviz()),
    poke() {
      if (!settle()) return;
      const t = now();
      const room = share * (t - started) - spentMs;
      // Cheap test first (poke runs on every result): the expected time is at least this.
      if (room < 1.25 * (lastMs > 0 ? lastMs : START_MS)) return;
      const bytes = journalBytes();
      if (room < 1.25 * expected(bytes)) return;
      const job = startLive();
      job.done.catch((err: unknown) => options.onError?.(err));
      running = { job, startedAt: t, bytes };
    },
    async final() {
      const pending = running;
      if (pending !== null) {
        await pending.job.done.catch(() => undefined);
        if (!settle()) { account(now() - pending.startedAt); running = null; }
      }
      const t0 = now();
      try {
        return await write(options.runPath, { live: false, ...out });
      } catch (err) {
        options.onError?.(err);
        return undefined;
      } finally {
        account(now() - t0);
      }
    },
    stats: () => ({ writes, spentMs, lastMs }),
  };
}
