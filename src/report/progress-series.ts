/**
 * The search over time, from the journal's replay (src/run/replay.ts) in file order: after each evaluation, the best
 * value per objective, the Pareto front (kept incrementally) and its hypervolume, against the
 * number of candidates proposed so far. Sampled to at most `maxPoints` points, the last always
 * included, so a 50,000-candidate run plots as fast as a small one.
 *
 *   front ← ∅
 *   for each timeline step: proposed → n += 1
 *                   evaluated ok (first for its id) → update best; front ← the archive of
 *                   front ∪ {it} (src/search/pareto-archive.ts: the front status shows)
 *                   every ⌈N / maxPoints⌉ proposals: record (n, best, |front|, HV(front))
 */
import { addToArchive } from '../search/pareto-archive.js';
import type { RunReplay } from '../run/replay.js';
import { hypervolume } from './hypervolume.js';

/** One sample of the progress series. */
export interface ProgressPoint {
  /** Candidates proposed so far. */
  readonly proposed: number;
  /** Best value per objective among scored candidates so far (NaN before the first). */
  readonly best: readonly number[];
  readonly frontSize: number;
  /** Hypervolume of the front against the series' reference point; null when not computed. */
  readonly hypervolume: number | null;
}

/** A member of the final front. */
export interface FrontMember {
  readonly id: number;
  readonly objectives: readonly number[];
  /** Fingerprint (or "hash:…"): one member per function. */
  readonly key: string;
}

export interface ProgressSeries {
  readonly points: ProgressPoint[];
  /** The final Pareto front, one member per function (the earliest id), best first objective first. */
  readonly front: FrontMember[];
  /** The reference point of the hypervolume: each objective's minimum over the run's scored candidates. */
  readonly reference: readonly number[];
  /** Number of objectives (0 when nothing was scored). */
  readonly k: number;
  /** Why the hypervolume is missing, when it is. */
  readonly hypervolumeNote?: string;
}

export interface ProgressOptions {
  /** At most this many samples (default 400). */
  readonly maxPoints?: number;
  /** Fronts larger than this skip the hypervolume for K > 2 (default 300; exact HV grows as n^(K−1)). */
  readonly maxFrontForHypervolume?: number;
}

/** The progress series of a run's replay (src/run/replay.ts: its timeline and evaluations; see the module comment). */
export function progressSeries(replay: Pick<RunReplay, 'records' | 'evaluations' | 'timeline'>, keyOf: (id: number, fingerprint: string | null, hash: string) => string, options: ProgressOptions = {}): ProgressSeries {
  const maxPoints = options.maxPoints ?? 400;
  const maxFront = options.maxFrontForHypervolume ?? 300;
  const totalProposed = replay.records.length;
  const first = replay.evaluations.find((e) => e.evaluation.status === 'ok')?.evaluation;
  const k = first?.status === 'ok' ? first.objectives.length : 0;
  // The reference point: the minimum of each objective over the run.
  const reference = new Array<number>(k).fill(Number.POSITIVE_INFINITY);
  for (const { evaluation } of replay.evaluations) {
    if (evaluation.status !== 'ok' || evaluation.objectives.length !== k) continue;
    evaluation.objectives.forEach((v, m) => { if (v < reference[m]) reference[m] = v; });
  }
  const stride = Math.max(1, Math.ceil(totalProposed / maxPoints));

  const best = new Array<number>(k).fill(Number.NaN);
  let front: FrontMember[] = [];
  let hv: number | null = k > 0 ? 0 : null;
  let hvNote: string | undefined;
  let frontChanged = false;
  const points: ProgressPoint[] = [];
  let proposed = 0;
  let lastRecorded = -1;
  const record = (): void => {
    if (frontChanged && k > 0) {
      if (k > 2 && front.length > maxFront) {
        hv = null;
        hvNote = `the hypervolume is not drawn: the front has more than ${maxFront} members with ${k} objectives`;
      } else hv = hypervolume(front.map((f) => f.objectives), reference);
      frontChanged = false;
    }
    points.push({ proposed, best: [...best], frontSize: front.length, hypervolume: hv });
    lastRecorded = proposed;
  };

  for (const step of replay.timeline) {
    if (step.kind === 'proposed') {
      proposed++;
      if (proposed % stride === 0) record();
      continue;
    }
    const e = step.record.evaluated;
    if (e.evaluation.status !== 'ok' || e.evaluation.objectives.length !== k) continue;
    const p = e.evaluation.objectives;
    p.forEach((v, m) => { if (!(v <= best[m])) best[m] = v; });
    const next = addToArchive(front, { id: e.id, objectives: p, key: keyOf(e.id, e.fingerprint, e.hash) }, (f) => f.key);
    if (sameMembers(next, front)) continue;
    front = next;
    frontChanged = true;
  }
  if (lastRecorded !== proposed || frontChanged || points.length === 0) record();
  front.sort((a, b) => b.objectives[0] - a.objectives[0] || a.id - b.id);
  return { points, front, reference: k > 0 ? reference : [], k, ...(hvNote ? { hypervolumeNote: hvNote } : {}) };
}

function sameMembers(a: readonly FrontMember[], b: readonly FrontMember[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}
