/**
 * Writes the HTML report of a run folder: read the folder (tolerating damage), build the model,
 * render, and write the file atomically (a browser or a reader never sees half a report).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EvonormError } from '../util/errors.js';
import writeFileAtomic from 'write-file-atomic';
import { buildReportModel, type ModelOptions } from './report-model.js';
import { defaultReportPath } from './report-path.js';
import { readRerankResults } from './rerank-results.js';
import { readFidelityResults } from './fidelity-results.js';
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
 * not a run folder at all, and EvonormError('BAD_INPUT') when `out` is in a folder that does not
 * exist; a damaged or half-written run gets a partial report.
 */
export async function writeReport(runPath: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const started = Date.now();
  if (options.out !== undefined) {
    const folder = dirname(resolve(options.out));
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new EvonormError('BAD_INPUT', `cannot write the report to ${options.out}: folder ${folder} does not exist`, { path: options.out });
  }
  const snapshot = readRunSnapshot(runPath);
  const model = buildReportModel(snapshot, readRerankResults(snapshot.run.path), options);
  const html = await renderReportHtml(model, (options.now ?? (() => new Date()))().toISOString(), readFidelityResults(snapshot.run.path));
  const path = resolve(options.out ?? defaultReportPath(snapshot.run.path));
  writeFileAtomic.sync(path, html);
  return { path, bytes: Buffer.byteLength(html), ms: Date.now() - started, problems: model.problems, state: model.state.kind };
}
