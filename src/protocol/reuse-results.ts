/**
 * `--reuse <folder>`: trainings another results folder already holds, copied into this one
 * instead of being trained again. A training's key is a digest of its protocol, the layer's
 * function and its settings (src/protocol/job.ts), so an equal key is the same training whatever
 * command ran it: a fidelity study whose target protocol is a rerank's takes the rerank's
 * trainings of the layers both have. Nothing but the key decides a match.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvonormError } from '../util/errors.js';
import type { TrainingJob } from './job.js';
import { ResultsFile } from './results-file.js';

const RESULTS_FILE = 'results.jsonl';

/**
 * The results files a `--reuse` source names: a results.jsonl file, or a folder's results.jsonl
 * and those of its subfolders (a fidelity study keeps one per side, a run one per command).
 */
export function reuseSourceFiles(source: string): string[] {
  if (!existsSync(source)) throw new EvonormError('MISSING_FILE', `--reuse ${source}: no such file or folder`);
  if (!statSync(source).isDirectory()) return [source];
  const files = [join(source, RESULTS_FILE), ...readdirSync(source).sort().map((name) => join(source, name, RESULTS_FILE))];
  const found = files.filter((f) => existsSync(f) && statSync(f).isFile());
  if (found.length === 0) throw new EvonormError('MISSING_FILE', `--reuse ${source}: holds no ${RESULTS_FILE}, in itself or a subfolder`);
  return found;
}

/**
 * Copies into `results` every planned training it lacks that a source file holds (same key),
 * under this command's layer name; returns how many. Sources are read, never written.
 */
export function reuseResults(results: ResultsFile, jobs: readonly TrainingJob[], sources: readonly string[]): number {
  if (sources.length === 0 || jobs.every((job) => results.has(job.key))) return 0;
  const files = sources.flatMap(reuseSourceFiles).filter((path) => path !== results.path).map((path) => new ResultsFile(path, false, true));
  let reused = 0;
  for (const job of jobs) {
    // Checked per job: a training planned twice (a baseline also on the front) is copied once.
    if (results.has(job.key)) continue;
    const found = files.map((file) => file.get(job.key)).find((record) => record !== undefined);
    if (found === undefined) continue;
    results.append({ ...found, layer: job.layer });
    reused++;
  }
  return reused;
}
