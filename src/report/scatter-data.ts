/**
 * The points of the Pareto scatter: every scored candidate, one point per function (candidates
 * with the same fingerprint have the same objectives, so they draw as one point, with a count).
 * When there are more than `maxPoints` functions, the front, the seed and the zoo layers are all
 * kept and the others are thinned to every n-th by id; `note` says so, for the page.
 */
import type { CandidateRecord } from '../run/replay/candidates.js';
import { functionKey } from './candidates.js';
import { zooNameOfHash } from './layer-names.js';

export type PointKind = 'front' | 'seed' | 'zoo' | 'other';

/** One point of the scatter. */
export interface ScatterPoint {
  /** The first candidate with this function. */
  readonly id: number;
  readonly objectives: readonly number[];
  readonly expression: string;
  readonly kind: PointKind;
  /** The zoo name when the layer is a zoo layer. */
  readonly zoo?: string;
  /** Scored candidates with this function (the first included). */
  readonly count: number;
}

export interface ScatterData {
  readonly points: ScatterPoint[];
  /** Scored candidates (all, duplicates included). */
  readonly scored: number;
  /** Distinct scored functions. */
  readonly functions: number;
  /** Set when the scatter was thinned: what is shown and how it was chosen. */
  readonly note?: string;
}

/** The scatter points of the scored records; `frontIds` are the front's members. */
export function scatterData(records: readonly CandidateRecord[], frontIds: ReadonlySet<number>, k: number, maxPoints: number): ScatterData {
  const byKey = new Map<string, { first: CandidateRecord; objectives: readonly number[]; count: number; front: boolean; seed: boolean }>();
  let scored = 0;
  for (const r of records) {
    const e = r.evaluated?.evaluation;
    if (e?.status !== 'ok' || e.objectives.length !== k) continue;
    scored++;
    const key = functionKey(r);
    const known = byKey.get(key);
    if (known) {
      known.count++;
      known.front ||= frontIds.has(r.proposed.id);
      known.seed ||= r.proposed.origin === 'seed';
    } else byKey.set(key, { first: r, objectives: e.objectives, count: 1, front: frontIds.has(r.proposed.id), seed: r.proposed.origin === 'seed' });
  }
  const all = [...byKey.values()].map((v): ScatterPoint => {
    const zoo = zooNameOfHash(v.first.proposed.hash);
    const kind: PointKind = v.front ? 'front' : v.seed ? 'seed' : zoo !== undefined ? 'zoo' : 'other';
    return { id: v.first.proposed.id, objectives: v.objectives, expression: v.first.proposed.expression, kind, ...(zoo ? { zoo } : {}), count: v.count };
  });
  if (all.length <= maxPoints) return { points: all, scored, functions: all.length };
  const kept = all.filter((p) => p.kind !== 'other');
  const others = all.filter((p) => p.kind === 'other').sort((a, b) => a.id - b.id);
  const room = Math.max(0, maxPoints - kept.length);
  const stride = room > 0 ? Math.ceil(others.length / room) : Number.POSITIVE_INFINITY;
  const sampled = Number.isFinite(stride) ? others.filter((_, i) => i % stride === 0) : [];
  const points = [...kept, ...sampled];
  const note = `${points.length.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} distinct functions are drawn: every front, seed and zoo layer, and ${
    sampled.length > 0 ? `every ${ordinal(stride)} other function by candidate id` : 'no other function'
  } (the file would be too large with all of them).`;
  return { points, scored, functions: all.length, note };
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
}
