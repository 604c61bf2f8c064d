/**
 * Rerank results of a run, read from `runs/<name>/rerank/` when that folder exists (written by
 * `evonorm rerank`). The reader is lenient about the file layout: it takes every JSON file in
 * the folder and collects rows that name a layer, an architecture, a mean and a 95% confidence
 * interval, under the field names a results table commonly uses (layer/name/expression,
 * arch/architecture, mean, ci [lo, hi] | ciLow/ciHigh | low/high, seeds/n). Anything else is
 * reported as unreadable rather than guessed at.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One rerank figure: a layer's held-out score on one architecture. */
export interface RerankRow {
  readonly layer: string;
  readonly arch: string;
  readonly mean: number;
  readonly ciLow?: number;
  readonly ciHigh?: number;
  readonly seeds?: number;
  /** The candidate id, when the row says which front member it is. */
  readonly candidateId?: number;
  readonly expression?: string;
}

export type RerankResults =
  | { readonly state: 'absent' }
  | { readonly state: 'unreadable'; readonly files: string[]; readonly reason: string }
  | { readonly state: 'present'; readonly rows: RerankRow[]; readonly files: string[] };

/** The rerank folder's results (see the module comment). */
export function readRerankResults(runPath: string): RerankResults {
  const dir = join(runPath, 'rerank');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { state: 'absent' };
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const rows: RerankRow[] = [];
  const broken: string[] = [];
  for (const file of files) {
    try {
      collectRows(JSON.parse(readFileSync(join(dir, file), 'utf8')), rows, 0);
    } catch {
      broken.push(file);
    }
  }
  if (rows.length > 0) return { state: 'present', rows, files };
  const reason = files.length === 0 ? 'the folder has no JSON results yet (a rerank may still be running)' : broken.length === files.length ? 'its JSON files could not be parsed' : 'no rows with a layer, an architecture, a mean and a confidence interval were found';
  return { state: 'unreadable', files, reason };
}

function collectRows(value: unknown, rows: RerankRow[], depth: number): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) {
      const row = asRow(item);
      if (row) rows.push(row);
      else collectRows(item, rows, depth + 1);
    }
    return;
  }
  for (const child of Object.values(value as Record<string, unknown>)) collectRows(child, rows, depth + 1);
}

function asRow(item: unknown): RerankRow | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  const layer = str(o.layer) ?? str(o.name) ?? str(o.expression);
  const arch = str(o.arch) ?? str(o.architecture);
  const mean = num(o.mean);
  if (layer === undefined || arch === undefined || mean === undefined) return undefined;
  const ci = Array.isArray(o.ci) && o.ci.length === 2 ? o.ci : undefined;
  const ciLow = num(ci?.[0]) ?? num(o.ciLow) ?? num(o.low);
  const ciHigh = num(ci?.[1]) ?? num(o.ciHigh) ?? num(o.high);
  const seeds = num(o.seeds) ?? num(o.n);
  const candidateId = num(o.candidateId) ?? num(o.id);
  const expression = str(o.expression);
  return { layer, arch, mean, ...(ciLow !== undefined ? { ciLow } : {}), ...(ciHigh !== undefined ? { ciHigh } : {}), ...(seeds !== undefined ? { seeds } : {}), ...(candidateId !== undefined ? { candidateId } : {}), ...(expression ? { expression } : {}) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
