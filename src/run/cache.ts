/**
 * The evaluation cache rebuilt from the journal, for resuming: a candidate whose fingerprint
 * was evaluated before a crash reuses that result and is never trained twice.
 */
import type { Evaluation } from '../evaluate/types.js';
import type { JournalEvent } from './events.js';

export interface RebuildCacheOptions {
  /** Which evaluations to keep (default: all, rejections included). */
  readonly include?: (evaluation: Evaluation) => boolean;
}

/**
 * Maps each fingerprint of the journal's `evaluated` events to its evaluation (the first one
 * in journal order; cached copies agree with it). Events without a fingerprint are skipped.
 */
export function rebuildCache(events: readonly JournalEvent[], options: RebuildCacheOptions = {}): Map<string, Evaluation> {
  const cache = new Map<string, Evaluation>();
  for (const event of events) {
    if (event.type !== 'evaluated' || event.fingerprint === null) continue;
    if (cache.has(event.fingerprint)) continue;
    if (options.include && !options.include(event.evaluation)) continue;
    cache.set(event.fingerprint, event.evaluation);
  }
  return cache;
}

/** The cache key of a function's evaluation at a promotion level: the fingerprint itself at level 0. */
export function levelCacheKey(fingerprint: string, level: number): string {
  return level === 0 ? fingerprint : `${fingerprint}@level${level}`;
}

/**
 * The promotions' cache rebuilt from the journal: levelCacheKey(fingerprint, level) → the first
 * `promotion-evaluated` evaluation of that function at that level (stage 'error', a crashed worker,
 * left out: it is tried again), so a resumed run never evaluates a promotion twice.
 */
export function rebuildLevelCache(events: readonly JournalEvent[]): Map<string, Evaluation> {
  const cache = new Map<string, Evaluation>();
  for (const event of events) {
    if (event.type !== 'promotion-evaluated' || event.fingerprint === null) continue;
    const key = levelCacheKey(event.fingerprint, event.level);
    if (cache.has(key) || (event.evaluation.status === 'rejected' && event.evaluation.stage === 'error')) continue;
    cache.set(key, event.evaluation);
  }
  return cache;
}
