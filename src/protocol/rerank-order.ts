/**
 * The order in which `evonorm rerank` takes the search's layers: Pareto rank first, ties by `by`.
 * With promotion levels it ranks as the search's selection and front do (src/search/levels.ts):
 * each pair of candidates is compared at the highest level both were measured at, never a score
 * of one level against another's.
 *
 *   no promotions: rank ← the non-dominated sort of the level-0 scores (RankedCandidate.rank)
 *                  order by rank, then by(scores) best first, then id
 *   promotions:    rank ← leveledLayers over every scored candidate, each with the levels it
 *                  passed (levels.ts; rank 0 is the run's front that status shows, one per function)
 *                  order by rank, then highest level (higher first: within a rank the candidates
 *                  are not comparable, and a higher level's scores are the more accurate ones),
 *                  then by(scores at that level) best first — so `by` only compares scores of one
 *                  level — then id
 *                  candidates whose promotion was rejected (a diverging longer training) come
 *                  after all others, ordered the same way: like a rejection, they are off the front
 *
 * The layers are peeled lazily: only as many as `top` distinct functions need.
 */
import type { RankedCandidate } from '../run/replay/candidates.js';
import { leveledLayers, type Leveled } from '../search/levels.js';
import type { ObjectivePoint } from '../search/pareto.js';
import { EvonormError } from '../util/errors.js';

/** A candidate in rerank order: its rank and the level whose scores `by` read. */
export interface RerankPick {
  readonly candidate: RankedCandidate;
  /** Its Pareto rank (leveled when the run has promotions). */
  readonly rank: number;
  /** Its highest level passed (0 without promotions), and its scores there. */
  readonly level: number;
  readonly scores: ObjectivePoint;
}

/**
 * The scored candidates in rerank order (see the module comment), stopping once `enough(picked)`
 * holds after a whole rank. `by`: "front" (first objective), "mean", or an objective name in
 * `objectiveNames`; BAD_INPUT for another.
 */
export function rerankOrder(ranked: readonly RankedCandidate[], by: string, objectiveNames: readonly string[], enough: (picked: readonly RerankPick[]) => boolean = () => false): RerankPick[] {
  const objective = objectiveNames.indexOf(by);
  if (!['front', 'mean'].includes(by) && objective < 0) {
    throw new EvonormError('BAD_INPUT', `--by must be "front", "mean" or an objective name (${objectiveNames.join(', ')}), got "${by}"`);
  }
  const key = (scores: ObjectivePoint): number => (by === 'mean' ? scores.reduce((a, b) => a + b, 0) / scores.length : scores[Math.max(0, objective)]!);
  const order = (a: RerankPick, b: RerankPick): number =>
    a.rank - b.rank || b.level - a.level || key(b.scores) - key(a.scores) || a.candidate.record.proposed.id - b.candidate.record.proposed.id;
  if (!ranked.some((c) => c.levels !== undefined)) {
    return ranked.map((c) => ({ candidate: c, rank: c.rank, level: 0, scores: c.objectives })).sort(order);
  }
  const members: Leveled[] = ranked.map((c) => ({ id: c.record.proposed.id, levels: c.levels?.scores ?? [c.objectives] }));
  const failed = (c: RankedCandidate): boolean => (c.levels?.failedAt ?? null) !== null;
  const kept: RerankPick[] = [];
  const rejected: RerankPick[] = [];
  let rank = 0;
  for (const layer of leveledLayers(members)) {
    const picks = layer.map((i) => {
      const levels = members[i].levels;
      return { candidate: ranked[i], rank, level: levels.length - 1, scores: levels[levels.length - 1] };
    }).sort(order);
    kept.push(...picks.filter((p) => !failed(p.candidate)));
    rejected.push(...picks.filter((p) => failed(p.candidate)));
    rank++;
    if (enough(kept)) return kept;
  }
  return [...kept, ...rejected.sort(order)];
}
