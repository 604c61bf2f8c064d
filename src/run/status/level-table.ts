/**
 * Every layer measured at the run's highest promotion level, best mean first: the search's own
 * leaderboard under its most accurate protocol (with references such as BN-ReLU when
 * search.referenceLayers climbs them). The front alone does not show this: it compares two layers
 * at the highest level both reached, so a layer that leads at the top level can be kept off the
 * front by an unpromoted one whose cheaper score dominates its own (src/search/levels.ts).
 *
 * One row per function (the first candidate with it: a later identical one was a cache hit).
 */
import type { CandidateRecord } from '../replay/candidates.js';
import { formatTable } from '../../util/table.js';
import { knownLayerMark } from './objective-info.js';

export interface LevelRow {
  readonly id: number;
  readonly objectives: readonly number[];
  /** Standard error per objective (the level's seeds > 1), else null. */
  readonly errors: readonly (number | null)[];
  readonly mean: number;
  readonly expression: string;
  /** "seed = bn-relu", "= evonorm-b0" or ''. */
  readonly mark: string;
}

export interface LevelTable {
  readonly level: number;
  readonly rows: readonly LevelRow[];
}

/** The layers passed at the highest level any candidate reached; null without promotions. */
export function topLevelTable(records: readonly CandidateRecord[]): LevelTable | null {
  const level = Math.max(0, ...records.flatMap((r) => (r.promotions ?? []).map((p) => p.level)));
  if (level === 0) return null;
  const seen = new Set<string>();
  const rows: LevelRow[] = [];
  for (const r of [...records].sort((a, b) => a.proposed.id - b.proposed.id)) {
    const e = r.promotions?.find((p) => p.level === level)?.evaluation;
    if (e?.status !== 'ok' || e.objectives.length === 0) continue;
    const fingerprint = r.evaluated?.fingerprint ?? null;
    const key = fingerprint ?? `#${r.proposed.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      id: r.proposed.id,
      objectives: e.objectives,
      errors: e.objectives.map((_, m) => e.objectiveErrors?.[m] ?? null),
      mean: e.objectives.reduce((a, b) => a + b, 0) / e.objectives.length,
      expression: r.proposed.expression,
      mark: knownLayerMark(r.proposed.origin, fingerprint),
    });
  }
  rows.sort((a, b) => b.mean - a.mean || a.id - b.id);
  return { level, rows };
}

/** The table as status prints it (no final newline). */
export function formatLevelTable(table: LevelTable, objectiveNames: readonly string[]): string {
  const cell = (v: number, se: number | null): string => `${v.toFixed(4)}${se === null ? '' : ` ± ${se.toFixed(4)}`}`;
  const rows = table.rows.map((r) => [
    String(r.id),
    ...r.objectives.map((v, m) => cell(v, r.errors[m] ?? null)),
    r.mean.toFixed(4),
    `${r.expression}${r.mark ? `   [${r.mark}]` : ''}`,
  ]);
  const header = ['id', ...objectiveNames, 'mean', 'expression'];
  const right = new Set(Array.from({ length: objectiveNames.length + 2 }, (_, i) => i));
  const title = `Measured at promotion level ${table.level}, the search's most accurate protocol (${table.rows.length} layer${table.rows.length === 1 ? '' : 's'}, best mean first; ± is the standard error over the level's seeds)`;
  return `${title}\n${formatTable(header, rows, { rightAligned: right, indent: '  ' })}`;
}
