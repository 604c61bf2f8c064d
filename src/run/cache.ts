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
