/**
 * Tournament selection (PAPER.md §3): draw a random subset of the population and pick a
 * winner among it.
 *
 *   tournament = T members drawn uniformly without replacement
 *   scored = members with objectives (a rejected member loses to any scored one)
 *   if scored is empty: winner ~ uniform(tournament)
 *   pareto:  winner ~ uniform(Pareto front of scored)      (the paper's multi-objective rule)
 *   average: winner ~ uniform(argmax of mean objective over scored)
 */
import type { Rng } from '../util/rng.js';
import type { EvaluatedCandidate } from './candidate.js';
import { paretoFront } from './pareto.js';

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
