/**
 * Promotions in the evolver (issue 17 item 1): after each settled batch, which candidates are
 * evaluated at their next level, and how those results join the state. The rules (common-level
 * dominance, rungs, the choice) are src/search/levels.ts; this is their bookkeeping, pure and
 * JSON-serialisable like the rest of the evolver state.
 *
 *   the loop ('batch' schedule only), at the settle point of batch b:
 *     state ← applyPromotions(state, results of round b − 1)   every order answered; id order
 *     { state, orders } ← choosePromotions(state)              round b: at most k orders
 *     the orders are evaluated while batch b + 1 is (they do not change it: batch b + 1 was asked
 *     from the state before them), and applied at batch b + 1's settle point
 *   after the last batch of a run that spent its candidate budget, closing rounds: once all
 *   results of the open round are in, applyPromotions then choosePromotions again, until a round
 *   has no orders (src/run/loop/search-loop.ts), so a finished run's front is promoted as far as these
 *   rules allow
 *
 *   choosePromotions: members = hall of fame (level-0 front) ∪ every promoted candidate
 *                     (pool 'population': the current population, with the levels each reached)
 *     promotionChoice(members, top = levels, k = perBatch, excluded = rejected promotions,
 *                     quota = with a reduction η, ⌊reached[ℓ] / η⌋ − reached[ℓ + 1] per rung ℓ)
 *     each chosen candidate gets an order at its highest level + 1
 *   applyPromotions: objectives (K finite numbers) → appended to the candidate's levels;
 *     a rejection (or non-finite objectives) → `failed`: the climb ends, the candidate leaves
 *     the front and loses tournaments (levels.ts)
 *
 * Why the delay of one batch: the results of round b arrive in any order, like a batch's, and
 * are applied at a fixed point (after batch b + 1, in id order), so the run does not depend on
 * finishing order and a resumed run (whose checkpoint holds the open orders) ends identically.
 */
import { EvonormError } from '../util/errors.js';
import type { EvaluatedCandidate, EvaluationResult, Rejection } from './candidate.js';
import type { EvolverState } from './evolver.js';
import { highestLevel, leveledRunFront, promotionChoice, promotionQuota, type Leveled, type RunFrontMember } from './levels.js';
import { isFinitePoint, type ObjectivePoint } from './pareto.js';
import type { LeveledCandidate, PromotionOrder, PromotionSettings } from './state-schema.js';

export type { LeveledCandidate, PromotionOrder, PromotionSettings } from './state-schema.js';

/** The result of an order: the evaluation at `level` of candidate `id`. */
export type PromotionResult = EvaluationResult & { readonly level: number };

/** The promoted candidates by id (empty without promotions). */
export function leveledById(state: EvolverState): Map<number, LeveledCandidate> {
  return new Map((state.leveled ?? []).map((m) => [m.id, m]));
}

/**
 * Opens round of promotions after a settled batch (see the module comment): the state with the
 * orders open, and the orders in id order (none without levels). Throws EvonormError('INTERNAL')
 * while a batch or an earlier round is open.
 */
export function choosePromotions(state: EvolverState): { state: EvolverState; orders: PromotionOrder[] } {
  const settings = state.options.promotion;
  if (!settings) return { state, orders: [] };
  if (state.pending.length > 0 || (state.promoting?.length ?? 0) > 0) {
    throw new EvonormError('INTERNAL', 'choosePromotions: a batch or a round of promotions is still open');
  }
  const leveled = leveledById(state);
  const members = new Map<number, Leveled & { readonly candidate: EvaluatedCandidate }>();
  if (settings.pool === 'population') {
    // The living population only, each member with the levels it reached: a rung's front then
    // refreshes as members age out, instead of being the best cheap scores of the whole run.
    for (const m of state.population) {
      if (m.objectives === null || !isFinitePoint(m.objectives)) continue;
      members.set(m.id, { id: m.id, levels: leveled.get(m.id)?.levels ?? [m.objectives], candidate: leveled.get(m.id) ?? m });
    }
  } else {
    for (const m of state.hallOfFame) members.set(m.id, { id: m.id, levels: [m.objectives!], candidate: m });
    for (const m of leveled.values()) members.set(m.id, { id: m.id, levels: m.levels, candidate: m });
  }
  const excluded = new Set([...leveled.values()].filter((m) => m.failed !== null).map((m) => m.id));
  const sorted = [...members.values()].sort((a, b) => a.id - b.id);
  const quota = settings.reduction === undefined ? [] : promotionQuota(reachedPerLevel(state, leveled, settings), settings.levels, settings.reduction);
  const chosen = promotionChoice(sorted, settings.levels, settings.perBatch, excluded, quota)
    .map((m) => ({ id: m.id, level: highestLevel(m) + 1, candidate: strip(members.get(m.id)!.candidate) }));
  const orders = [...chosen, ...referenceOrders(state, leveled, chosen, excluded)].sort((a, b) => a.id - b.id);
  return { state: { ...state, promoting: orders }, orders };
}

/**
 * How many candidates were evaluated at each level, 0 to L: [0] every scored candidate (cache hits
 * included, as the evolver counts them), [ℓ ≥ 1] the promoted candidates that reached ℓ, passed or
 * failed there. The reference layers are left out above level 0: they climb beyond k, measured
 * rather than selected, so they do not use up the selected candidates' share.
 */
function reachedPerLevel(state: EvolverState, leveled: Map<number, LeveledCandidate>, settings: PromotionSettings): number[] {
  const references = new Set(settings.references ?? []);
  const reached = [state.counts.scored, ...Array.from({ length: settings.levels }, () => 0)];
  for (const m of leveled.values()) {
    if (references.has(m.id)) continue;
    const top = m.failed !== null ? m.failed.level : m.levels.length - 1;
    for (let level = 1; level <= top; level++) reached[level]++;
  }
  return reached;
}

/**
 * The reference layers' orders of a round: each reference below the highest level any candidate
 * has reached or is ordered to climbs one level (one per round, like every promotion), so every
 * level a leader reaches soon has a baseline measured under the same protocol. Beyond k, not
 * chosen by the front: a reference is measured, not selected.
 */
function referenceOrders(state: EvolverState, leveled: Map<number, LeveledCandidate>, chosen: readonly PromotionOrder[], excluded: ReadonlySet<number>): PromotionOrder[] {
  const references = state.references ?? [];
  if (references.length === 0) return [];
  const top = Math.max(0, ...[...leveled.values()].map((m) => m.levels.length - 1), ...chosen.map((o) => o.level));
  return references.flatMap((reference) => {
    if (excluded.has(reference.id) || chosen.some((o) => o.id === reference.id)) return [];
    const level = (leveled.get(reference.id)?.levels.length ?? 1) - 1;
    return level < top ? [{ id: reference.id, level: level + 1, candidate: strip(reference) }] : [];
  });
}

/**
 * Applies the results of the open round, one for every order (any order given; applied in id
 * order), and closes it. EvonormError('BAD_INPUT') for a missing, second or unknown result, or
 * one at another level than its order's.
 */
export function applyPromotions(state: EvolverState, results: readonly PromotionResult[]): EvolverState {
  const orders = state.promoting ?? [];
  if (orders.length === 0 && results.length === 0) return state;
  const byId = new Map<number, PromotionResult>();
  for (const result of results) {
    const order = orders.find((o) => o.id === result.id);
    if (order === undefined || order.level !== result.level) throw new EvonormError('BAD_INPUT', `applyPromotions: no open promotion of candidate ${result.id} to level ${result.level}`);
    if (byId.has(result.id)) throw new EvonormError('BAD_INPUT', `applyPromotions: a second result for candidate ${result.id}`);
    byId.set(result.id, result);
  }
  const missing = orders.find((o) => !byId.has(o.id));
  if (missing) throw new EvonormError('BAD_INPUT', `applyPromotions: no result for candidate ${missing.id} at level ${missing.level}`);
  const leveled = leveledById(state);
  for (const order of orders) {
    const before = leveled.get(order.id) ?? { ...order.candidate, levels: [order.candidate.objectives!], failed: null };
    if (before.levels.length !== order.level) throw new EvonormError('INTERNAL', `applyPromotions: candidate ${order.id} is at level ${before.levels.length - 1}, not ${order.level - 1}`);
    const result = byId.get(order.id)!;
    const k = before.levels[0].length;
    if ('objectives' in result && isFinitePoint(result.objectives) && result.objectives.length === k) {
      leveled.set(order.id, { ...before, levels: [...before.levels, [...result.objectives]] });
    } else {
      const rejection: Rejection = 'rejection' in result
        ? { reason: result.rejection.reason, stage: result.rejection.stage }
        : { reason: `objective(s) [${result.objectives.join(', ')}] not ${k} finite numbers`, stage: 'evolver' };
      leveled.set(order.id, { ...before, failed: { level: order.level, rejection } });
    }
  }
  return { ...state, leveled: [...leveled.values()].sort((a, b) => a.id - b.id), promoting: [] };
}

/**
 * The front with levels as far as the evolver can tell: levels.ts leveledRunFront over the hall of
 * fame (the level-0 front of every candidate: the evolver keeps no others) and every promoted
 * candidate, one per canonical hash; the hall of fame itself when nothing was promoted. Nothing
 * the evolver decides depends on it. The run's front that status, export and the report show is
 * the journal replay's (src/run/replay/candidates.ts), which also sees unpromoted candidates off the
 * level-0 front: the two differ only when such a candidate beats a promoted one at level 0.
 */
export function leveledFrontOf(state: EvolverState): EvaluatedCandidate[] {
  const leveled = leveledById(state);
  const member = (m: EvaluatedCandidate): RunFrontMember & { readonly candidate: EvaluatedCandidate } => {
    const l = leveled.get(m.id);
    return { id: m.id, key: m.hash, levels: l?.levels ?? [m.objectives!], failed: (l?.failed ?? null) !== null, candidate: l ?? m };
  };
  return leveledRunFront(state.hallOfFame.map(member), [...leveled.values()].map(member)).map((m) => m.candidate);
}

/** The candidate's fields as scored at level 0 (a LeveledCandidate's level fields dropped). */
function strip(candidate: EvaluatedCandidate): EvaluatedCandidate {
  const { id, graph, hash, parentId, origin, mutation, batch, objectives, rejection } = candidate;
  return { id, graph, hash, parentId, origin, mutation, batch, objectives, rejection };
}
