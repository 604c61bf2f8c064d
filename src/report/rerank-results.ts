/**
 * Rerank results of a run, read from `runs/<name>/rerank/summary.json` when it exists (written by
 * `evonorm rerank`: format `evonorm.protocol-summary` version 1, src/protocol/run-protocol.ts).
 * Only the fields the report shows are read, leniently: one cell per layer × architecture × batch
 * size with the held-out mean, standard deviation and seeds, and the paired difference to the
 * baseline with its confidence interval; the paper's "best 3" per batch size.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The rerank folder's name inside the run folder, and its summary file. */
export const RERANK_DIR = 'rerank';
export const RERANK_SUMMARY = 'summary.json';

/** One rerank cell: a layer's held-out score on one architecture at one batch size. */
export interface RerankRow {
  readonly layer: string;
  /** The search candidate the layer is, when it is one. */
  readonly candidateId?: number;
  readonly source?: string;
  readonly arch: string;
  readonly batchSize?: number;
  readonly mean: number;
  readonly sd?: number;
  /** Seeds that trained, and seeds planned. */
  readonly trained: number;
  readonly planned?: number;
  /** Paired difference to the baseline, with its confidence interval (absent for the baseline). */
  readonly vsBaseline?: { readonly mean: number; readonly low: number; readonly high: number; readonly level?: number };
}

export type RerankResults =
  | { readonly state: 'absent' }
  | { readonly state: 'unreadable'; readonly reason: string }
  | {
      readonly state: 'present';
      readonly rows: RerankRow[];
      readonly baseline: string;
      readonly complete: boolean;
      readonly description?: string;
      readonly best3: readonly { readonly batchSize?: number; readonly rule?: string; readonly layers: readonly string[] }[];
    };

const num = z.number();
const SummarySchema = z.looseObject({
  format: z.literal('evonorm.protocol-summary'),
  complete: z.boolean().optional(),
  baseline: z.string(),
  objective: z.looseObject({ description: z.string().optional() }).optional(),
  layers: z.array(z.looseObject({ name: z.string(), candidateId: num.optional(), source: z.string().optional() })).optional(),
  cells: z.array(z.looseObject({
    layer: z.string(),
    archName: z.string(),
    batchSize: num.optional(),
    seeds: num.optional(),
    values: z.array(z.unknown()).optional(),
    mean: num.nullable(),
    sd: num.nullable().optional(),
    vsBaseline: z.looseObject({ mean: num.nullable(), low: num.nullable(), high: num.nullable(), level: num.optional() }).nullable().optional(),
  })),
  best3: z.array(z.looseObject({ batchSize: num.optional(), rule: z.string().optional(), layers: z.array(z.looseObject({ layer: z.string() })) })).optional(),
});

/** The rerank results of the run at `runPath` (see the module comment); never throws. */
export function readRerankResults(runPath: string): RerankResults {
  const dir = join(runPath, RERANK_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { state: 'absent' };
  const path = join(dir, RERANK_SUMMARY);
  if (!existsSync(path)) {
    const files = readdirSync(dir);
    return { state: 'unreadable', reason: `it has no ${RERANK_SUMMARY} yet${files.length ? ` (it holds ${files.slice(0, 5).join(', ')}); a rerank may still be running: rerun it to finish` : ''}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { state: 'unreadable', reason: `${RERANK_SUMMARY} is not JSON (${(err as Error).message})` };
  }
  const parsed = SummarySchema.safeParse(value);
  if (!parsed.success) return { state: 'unreadable', reason: `${RERANK_SUMMARY} is not an evonorm.protocol-summary this report can read (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})` };
  const s = parsed.data;
  const layers = new Map((s.layers ?? []).map((l) => [l.name, l]));
  const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  const rows = s.cells.flatMap((c): RerankRow[] => {
    if (!finite(c.mean)) return [];
    const l = layers.get(c.layer);
    const d = c.vsBaseline;
    return [{
      layer: c.layer,
      ...(l?.candidateId !== undefined ? { candidateId: l.candidateId } : {}),
      ...(l?.source ? { source: l.source } : {}),
      arch: c.archName,
      ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
      mean: c.mean,
      ...(finite(c.sd) ? { sd: c.sd } : {}),
      trained: c.values?.length ?? 0,
      ...(c.seeds !== undefined ? { planned: c.seeds } : {}),
      ...(d && finite(d.mean) && finite(d.low) && finite(d.high) ? { vsBaseline: { mean: d.mean, low: d.low, high: d.high, ...(d.level !== undefined ? { level: d.level } : {}) } } : {}),
    }];
  });
  return {
    state: 'present',
    rows,
    baseline: s.baseline,
    complete: s.complete ?? true,
    ...(s.objective?.description ? { description: s.objective.description } : {}),
    best3: (s.best3 ?? []).map((b) => ({ ...(b.batchSize !== undefined ? { batchSize: b.batchSize } : {}), ...(b.rule ? { rule: b.rule } : {}), layers: b.layers.map((l) => l.layer) })),
  };
}
