/**
 * The fidelity study of a run, read from `runs/<name>/fidelity/fidelity.json` when it exists
 * (written by `evonorm fidelity --panel runs/<name>`: format `evonorm.fidelity` version 1,
 * src/protocol/fidelity.ts). Never throws: an absent or unreadable file is a state the report
 * shows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { FidelityReport } from '../protocol/fidelity.js';

/** The folder `evonorm fidelity --panel runs/<name>` writes by default, and its report file. */
export const FIDELITY_DIR = 'fidelity';
export const FIDELITY_FILE = 'fidelity.json';

export type FidelityResults =
  | { readonly state: 'absent' }
  | { readonly state: 'unreadable'; readonly reason: string }
  | { readonly state: 'present'; readonly report: FidelityReport };

const ReportSchema = z.looseObject({
  format: z.literal('evonorm.fidelity'),
  version: z.literal(1),
  complete: z.boolean(),
  proxy: z.looseObject({ config: z.string(), dataset: z.string() }),
  target: z.looseObject({ config: z.string(), dataset: z.string() }),
  layers: z.array(z.looseObject({ name: z.string(), expression: z.string() })),
  stats: z.looseObject({
    correlations: z.array(z.looseObject({ name: z.string() })),
    proxy: z.looseObject({ columns: z.array(z.looseObject({ name: z.string(), layerMeans: z.array(z.number()) })) }),
    target: z.looseObject({ columns: z.array(z.looseObject({ name: z.string(), layerMeans: z.array(z.number()) })) }),
  }).nullable(),
});

/** The fidelity study of the run at `runPath` (see the module comment). */
export function readFidelityResults(runPath: string): FidelityResults {
  const path = join(runPath, FIDELITY_DIR, FIDELITY_FILE);
  if (!existsSync(path)) return { state: 'absent' };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { state: 'unreadable', reason: `${FIDELITY_FILE} is not JSON (${(err as Error).message})` };
  }
  const parsed = ReportSchema.safeParse(value);
  if (!parsed.success) return { state: 'unreadable', reason: `${FIDELITY_FILE} is not an evonorm.fidelity report this version can read (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})` };
  return { state: 'present', report: parsed.data as unknown as FidelityReport };
}
