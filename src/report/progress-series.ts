/**
 * The search over time, from the journal's replay (src/run/replay/replay.ts) in file order: after each evaluation, the best
 * value per objective, the Pareto front (kept incrementally) and its hypervolume, against the
 * number of candidates proposed so far. Sampled to at most `maxPoints` points, the last always
 * included, so a 50,000-candidate run plots as fast as a small one.
 *
 *   front ← ∅
 *   for each timeline step: proposed → n += 1
 *                   evaluated ok (first for its id) → update best; front ← the archive of
 *                   front ∪ {it} (src/search/pareto-archive.ts: the front status shows)
 *                   every ⌈N / maxPoints⌉ proposals: record (n, best, |front|, HV(front))
 *
 * With promotion levels the front is the run's front with levels as it stood at that step, as the
 * search's selection and `status` see it (src/run/replay/candidates.ts runFront: each pair compared at
 * the highest level both were measured at; a rejected promotion takes its layer off): a
 * promotion step (the first evaluation of a candidate at a level) updates it, so the front size
 * and hypervolume can drop when a promotion exposes a cheap winner. The hypervolume is that
 * front's, measured on its members' level-0 scores (the one scale every member has; levels are
 * never mixed in one figure), and the best values are kept per level (`bestByLevel[ℓ]`: the best
 * score among candidates measured at level ℓ), each on its own scale.
 *
 *   promoted ← ∅ (id → its levels passed, failed?); base ← the archive of the unpromoted scored
 *   promotion step (id, ℓ, evaluation): ℓ is its next level → levels += scores (or failed);
 *     it leaves base (base rebuilt from the unpromoted scored when it was a member)
 *   front ← runFront(base, promoted)  (base itself while nothing is promoted)
 */
import { addToArchive, paretoArchive } from '../search/pareto-archive.js';
import type { RunReplay } from '../run/replay/replay.js';
import { runFront, type LeveledPoint } from '../run/replay/candidates.js';
import type { ObjectivePoint } from '../search/pareto.js';
import { hypervolume } from './hypervolume.js';

/** One sample of the progress series. */
export interface ProgressPoint {
  /** Candidates proposed so far. */
  readonly proposed: number;
  /** Best value per objective among scored candidates so far, at level 0 (NaN before the first). */
  readonly best: readonly number[];
  /** With promotion levels: `[ℓ]` the best value per objective among candidates measured at level ℓ so far (`[0]` = best; NaN before the first). */
  readonly bestByLevel?: readonly (readonly number[])[];
  /** Members of the front (with levels: the run's front with levels). */
  readonly frontSize: number;
  /** Hypervolume of the front (its members' level-0 scores) against the series' reference point; null when not computed. */
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
  /** The final Pareto front, one member per function (the earliest id), best first objective first: the front status shows (with levels too). */
  readonly front: FrontMember[];
  /** The reference point of the hypervolume: each objective's minimum over the run's scored candidates. */
  readonly reference: readonly number[];
  /** Number of objectives (0 when nothing was scored). */
  readonly k: number;
  /** Why the hypervolume is missing, when it is. */
  readonly hypervolumeNote?: string;
  /** Promotion levels seen (the highest level any candidate was measured at; 0 without promotions). */
  readonly levels: number;
}

export interface ProgressOptions {
  /** At most this many samples (default 400). */
  readonly maxPoints?: number;
  /** Fronts larger than this skip the hypervolume for K > 2 (default 300; exact HV grows as n^(K−1)). */
  readonly maxFrontForHypervolume?: number;
}

/** The progress series of a run's replay (src/run/replay/replay.ts: its timeline and evaluations; see the module comment). */
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
  const bestByLevel: number[][] = [best];
  let front: FrontMember[] = [];
  let hv: number | null = k > 0 ? 0 : null;
  let hvNote: string | undefined;
  let frontChanged = false;
  const points: ProgressPoint[] = [];
  let proposed = 0;
  let lastRecorded = -1;
  // With promotion levels: every scored candidate (level 0), the promoted ones with their levels, the unpromoted ones' archive.
  const scored = new Map<number, FrontMember>();
  const promoted = new Map<number, LeveledPoint>();
  let base: FrontMember[] = [];
  const record = (): void => {
    if (frontChanged && k > 0) {
      if (k > 2 && front.length > maxFront) {
        hv = null;
        hvNote = `the hypervolume is not drawn: the front has more than ${maxFront} members with ${k} objectives`;
      } else hv = hypervolume(front.map((f) => f.objectives), reference);
      frontChanged = false;
    }
    points.push({ proposed, best: [...best], ...(promoted.size > 0 ? { bestByLevel: bestByLevel.map((b) => [...b]) } : {}), frontSize: front.length, hypervolume: hv });
    lastRecorded = proposed;
  };
  const improve = (level: number, p: ObjectivePoint): void => {
    while (bestByLevel.length <= level) bestByLevel.push(new Array<number>(k).fill(Number.NaN));
    p.forEach((v, m) => { if (!(v <= bestByLevel[level][m])) bestByLevel[level][m] = v; });
  };
  const setFront = (next: FrontMember[]): void => {
    if (sameMembers(next, front)) return;
    front = next;
    frontChanged = true;
  };
  const leveledFront = (): FrontMember[] =>
    runFront(base.map((m) => ({ ...m, levels: [m.objectives], failed: false })), [...promoted.values()]).map((p) => scored.get(p.id)!);

  for (const step of replay.timeline) {
    if (step.kind === 'proposed') {
      proposed++;
      if (proposed % stride === 0) record();
      continue;
    }
    if (step.kind === 'promotion') {
      const e = step.event;
      const member = scored.get(e.id);
      if (member === undefined) continue;
      const before = promoted.get(e.id) ?? { ...member, levels: [member.objectives], failed: false };
      // Its next level only (as src/run/replay/candidates.ts levelsOf reads the journal): the climb ends at a rejection.
      if (before.failed || e.level !== before.levels.length) continue;
      const scores = e.evaluation.status === 'ok' && e.evaluation.objectives.length === k ? e.evaluation.objectives : null;
      if (scores !== null) improve(e.level, scores);
      promoted.set(e.id, scores !== null ? { ...before, levels: [...before.levels, scores] } : { ...before, failed: true });
      if (base.some((m) => m.id === e.id)) base = paretoArchive([...scored.values()].filter((m) => !promoted.has(m.id)), (m) => m.key);
      setFront(leveledFront());
      continue;
    }
    const e = step.record.evaluated;
    if (e.evaluation.status !== 'ok' || e.evaluation.objectives.length !== k) continue;
    const p = e.evaluation.objectives;
    improve(0, p);
    const member = { id: e.id, objectives: p, key: keyOf(e.id, e.fingerprint, e.hash) };
    scored.set(e.id, member);
    base = addToArchive(base, member, (f) => f.key);
    setFront(promoted.size > 0 ? leveledFront() : base);
  }
  if (lastRecorded !== proposed || frontChanged || points.length === 0) record();
  front = [...front].sort((a, b) => b.objectives[0] - a.objectives[0] || a.id - b.id);
  return { points, front, reference: k > 0 ? reference : [], k, ...(hvNote ? { hypervolumeNote: hvNote } : {}), levels: bestByLevel.length - 1 };
}

function sameMembers(a: readonly FrontMember[], b: readonly FrontMember[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}
