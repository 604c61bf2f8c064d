/**
 * A candidate's scores per promotion level and a run's promotion figures, as status, export and
 * the report show them (issue 17): each front layer's level, its objectives at every level it
 * passed (± standard error when that level has seeds > 1), and how often a promotion changed the
 * front — the cheap score's front winners that did not survive.
 */
import type { Ranking, RankedCandidate } from './candidates.js';
import { objectiveErrorsOf } from './objective-errors.js';

/** A candidate's objectives at one level. */
export interface LevelScore {
  readonly level: number;
  readonly objectives: readonly number[];
  /** Standard error of each objective (that level's evaluation.seeds > 1); absent otherwise. */
  readonly objectiveErrors?: readonly number[];
}

/** What a run's promotions did. */
export interface PromotionSummary {
  /** L: promotion levels above the base protocol (the run's config; at least the highest level seen). */
  readonly levels: number;
  /** Candidates evaluated at each level ℓ = 1..L (`[ℓ − 1]`), rejected ones included. */
  readonly evaluated: readonly number[];
  /** Of those, rejected at that level. */
  readonly rejected: readonly number[];
  /** Size of the cheap score's front (the Pareto front of the level-0 objectives). */
  readonly baseFront: number;
  /** Ids of the cheap front's members that are not on the run's front: they did not survive promotion. */
  readonly dropped: readonly number[];
  /** Of the promotions, those chosen in closing rounds after the budget was spent. */
  readonly closing: number;
  /** The newest (highest id) candidate ever promoted, and the newest scored: far apart, promotions have stalled. Null when none. */
  readonly newestPromoted: number | null;
  readonly newestScored: number | null;
}

/** The highest level a ranked candidate passed (0 when never promoted). */
export function levelOf(c: RankedCandidate): number {
  return (c.levels?.scores.length ?? 1) - 1;
}

/** A ranked candidate's objectives at every level it passed, level 0 first. */
export function levelScores(c: RankedCandidate): LevelScore[] {
  const errors = (e: Parameters<typeof objectiveErrorsOf>[0]) => {
    const found = objectiveErrorsOf(e);
    return found !== undefined ? { objectiveErrors: found } : {};
  };
  const above = (c.levels?.evaluations ?? []).flatMap((p) => (p.evaluation.status === 'ok' && p.level < (c.levels?.scores.length ?? 0)
    ? [{ level: p.level, objectives: p.evaluation.objectives, ...errors(p.evaluation) }]
    : []));
  return [{ level: 0, objectives: c.objectives, ...errors(c.record.evaluated?.evaluation) }, ...above];
}

/** The level that rejected a ranked candidate's promotion, with the reason; null when none did. */
export function promotionRejection(c: RankedCandidate): { readonly level: number; readonly reason: string } | null {
  const failedAt = c.levels?.failedAt ?? null;
  if (failedAt === null) return null;
  const e = c.levels!.evaluations.find((p) => p.level === failedAt)?.evaluation;
  return { level: failedAt, reason: e?.status === 'rejected' ? e.reason : 'objectives of another length than level 0' };
}

/** A run's promotion figures from its ranking; null when the run has no levels and promoted nothing. */
export function promotionSummary(ranking: Ranking, levels: number, closing = 0): PromotionSummary | null {
  const p = ranking.promotion;
  if (p === null && levels === 0) return null;
  const top = Math.max(levels, p?.evaluated.length ?? 0);
  const pad = (values: readonly number[] = []) => Array.from({ length: top }, (_, i) => values[i] ?? 0);
  const newest = (ids: number[]): number | null => (ids.length > 0 ? Math.max(...ids) : null);
  return {
    levels: top, evaluated: pad(p?.evaluated), rejected: pad(p?.rejected), baseFront: ranking.baseFront.length, dropped: p?.dropped ?? [], closing,
    newestPromoted: newest(ranking.ranked.filter((c) => c.levels !== undefined).map((c) => c.record.proposed.id)),
    newestScored: newest(ranking.ranked.map((c) => c.record.proposed.id)),
  };
}

/** One line for people, e.g. "level 1: 6 evaluated (1 rejected); 2 of the cheap score's 7 front winners did not survive promotion (#3, #17); the newest candidate promoted is #17, the newest scored #40". */
export function describePromotion(p: PromotionSummary): string {
  const levels = p.evaluated.map((n, i) => `level ${i + 1}: ${n} evaluated${p.rejected[i] > 0 ? ` (${p.rejected[i]} rejected)` : ''}`).join(', ');
  const ids = p.dropped.length > 0 ? ` (${p.dropped.map((id) => `#${id}`).join(', ')})` : '';
  const closing = p.closing > 0 ? ` (${p.closing} in closing rounds after the budget)` : '';
  // How recent the last promotion is: with promotionPool "front" they dry up as a run grows.
  const newest = p.newestPromoted !== null && p.newestScored !== null ? `; the newest candidate promoted is #${p.newestPromoted}, the newest scored #${p.newestScored}` : '';
  return `${levels}${closing}; ${p.dropped.length} of the cheap score's ${p.baseFront} front winner${p.baseFront === 1 ? '' : 's'} did not survive promotion${ids}${newest}`;
}
