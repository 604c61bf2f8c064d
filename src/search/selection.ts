/**
 * Tournament selection (PAPER.md §3): draw a random subset of the population and pick a
 * winner among it.
 *
 *   tournament = T members drawn uniformly without replacement
 *   scored = members with objectives (a rejected member loses to any scored one)
 *   if scored is empty: winner ~ uniform(tournament)
 *   pareto:  winner ~ uniform(Pareto front of scored)      (the paper's multi-objective rule)
 *   average: winner ~ uniform(argmax of mean objective over scored)
 *   with promotion levels (leveledTournamentWinner): scored = members with objectives whose
 *            promotions were never rejected; winner ~ leveledWinner(scored), each pair compared
 *            at the highest level both were measured at (src/search/levels.ts)
 */
import type { Rng } from '../util/rng.js';
import type { EvaluatedCandidate } from './candidate.js';
import { paretoFront } from './pareto.js';
import { leveledWinner, type Leveled } from './levels.js';

export type SelectionRule = 'pareto' | 'average';

/** Draws `size` distinct members uniformly (all of them when the population is smaller). */
export function drawTournament<T>(rng: Rng, population: readonly T[], size: number): T[] {
  return rng.sample(population, Math.max(1, Math.min(size, population.length)));
}

/** Picks the winner of a non-empty tournament by `rule`; ties are broken uniformly with `rng`. */
export function tournamentWinner(rng: Rng, members: readonly EvaluatedCandidate[], rule: SelectionRule): EvaluatedCandidate {
  const scored = members.filter((m) => m.objectives !== null);
  if (scored.length === 0) return rng.pick(members);
  if (rule === 'pareto') {
    const front = paretoFront(scored.map((m) => m.objectives!));
    // Empty only if objectives were non-finite, which the evolver turns into rejections.
    return front.length > 0 ? scored[rng.pick(front)] : rng.pick(members);
  }
  const means = scored.map((m) => m.objectives!.reduce((s, v) => s + v, 0) / m.objectives!.length);
  const best = Math.max(...means);
  return rng.pick(scored.filter((_, i) => means[i] === best));
}

/** What a tournament needs to know of a promoted member: its scores per level, and whether a promotion rejected it. */
export interface MemberLevels {
  readonly levels: Leveled['levels'];
  readonly failed: boolean;
}

/**
 * The Pareto winner of a non-empty tournament when some candidates were promoted: `leveled` has
 * the promoted members by id (the others have their objectives at level 0 only). A member whose
 * promotion was rejected counts as rejected (loses to any scored one); ties are broken uniformly.
 */
export function leveledTournamentWinner(rng: Rng, members: readonly EvaluatedCandidate[], leveled: ReadonlyMap<number, MemberLevels>): EvaluatedCandidate {
  const scored = members.filter((m) => m.objectives !== null && leveled.get(m.id)?.failed !== true);
  if (scored.length === 0) return rng.pick(members);
  return leveledWinner(rng, scored.map((member) => ({ id: member.id, levels: leveled.get(member.id)?.levels ?? [member.objectives!], member }))).member;
}
