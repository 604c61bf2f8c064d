/**
 * The evaluation caches a resume rebuilds from the journal's results (src/run/replay/replay.ts hands
 * them over in file order): a candidate whose fingerprint was evaluated before a crash reuses
 * that result and is never trained twice. Both caches keep what the live loop keeps
 * (isCacheable: src/run/loop/evaluate-candidate.ts caches through it too), so a resumed run reuses
 * exactly what an uninterrupted one would: a stage 'error' rejection (a crashed worker) is tried
 * again, every other result is reused.
 */
import type { Evaluation } from '../../evaluate/types.js';
import type { EvaluatedEvent, PromotionEvaluatedEvent } from '../journal/events.js';

/** Whether an evaluation may be reused for its function: every one but a stage 'error' rejection (a crashed worker, tried again). */
export function isCacheable(evaluation: Evaluation): boolean {
  return !(evaluation.status === 'rejected' && evaluation.stage === 'error');
}

export interface RebuildCacheOptions {
  /** Which cacheable evaluations to keep (default: all, rejections other than stage 'error' included). */
  readonly include?: (evaluation: Evaluation) => boolean;
}

/**
 * Maps each fingerprint of the `evaluated` events to its evaluation (the first cacheable one in
 * journal order; cached copies agree with it). Events without a fingerprint, and stage 'error'
 * rejections (isCacheable), are skipped.
 */
export function fingerprintCache(evaluations: readonly EvaluatedEvent[], options: RebuildCacheOptions = {}): Map<string, Evaluation> {
  const cache = new Map<string, Evaluation>();
  for (const event of evaluations) {
    if (event.fingerprint === null || cache.has(event.fingerprint)) continue;
    if (!isCacheable(event.evaluation) || (options.include && !options.include(event.evaluation))) continue;
    cache.set(event.fingerprint, event.evaluation);
  }
  return cache;
}

/** The cache key of a function's evaluation at a promotion level: the fingerprint itself at level 0. */
export function levelCacheKey(fingerprint: string, level: number): string {
  return level === 0 ? fingerprint : `${fingerprint}@level${level}`;
}

/**
 * The promotions' cache: levelCacheKey(fingerprint, level) → the first `promotion-evaluated`
 * evaluation of that function at that level (stage 'error', a crashed worker, left out: it is
 * tried again), so a resumed run never evaluates a promotion twice.
 */
export function levelCache(promotions: readonly PromotionEvaluatedEvent[]): Map<string, Evaluation> {
  const cache = new Map<string, Evaluation>();
  for (const event of promotions) {
    if (event.fingerprint === null) continue;
    const key = levelCacheKey(event.fingerprint, event.level);
    if (cache.has(key) || !isCacheable(event.evaluation)) continue;
    cache.set(key, event.evaluation);
  }
  return cache;
}
