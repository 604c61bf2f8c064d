/**
 * Writes the HTML report of a run folder: read the folder (tolerating damage), build the model,
 * render, and write the file atomically (a browser or a reader never sees half a report).
 */
import { resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { buildReportModel, type ModelOptions } from './report-model.js';
import { defaultReportPath } from './report-path.js';
import { readRerankResults } from './rerank-results.js';
import { renderReportHtml } from './render-report.js';
import { readRunSnapshot } from './run-snapshot.js';

export interface WriteReportOptions extends ModelOptions {
  /** Output file (default `<run>/report.html`). */
  readonly out?: string;
  /** Clock for the "written at" time (default: now). */
  readonly now?: () => Date;
}

export interface WriteReportResult {
  /** Absolute path of the file written. */
  readonly path: string;
  readonly bytes: number;
  /** Wall time spent, ms (a timing). */
  readonly ms: number;
  /** What the report says is missing or damaged (empty for a sound run). */
  readonly problems: readonly string[];
  /** The run's state as the report shows it. */
  readonly state: string;
}

/**
 * Writes the report of the run at `runPath`. Throws EvonormError('BAD_RUN') only when the path is
 * not a run folder at all; a damaged or half-written run gets a partial report.
 */
export async function writeReport(runPath: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const started = Date.now();
  const snapshot = readRunSnapshot(runPath);
  const model = buildReportModel(snapshot, readRerankResults(snapshot.run.path), options);
  const html = await renderReportHtml(model, (options.now ?? (() => new Date()))().toISOString());
  const path = resolve(options.out ?? defaultReportPath(snapshot.run.path));
  writeFileAtomic.sync(path, html);
  return { path, bytes: Buffer.byteLength(html), ms: Date.now() - started, problems: model.problems, state: model.state.kind };
}
