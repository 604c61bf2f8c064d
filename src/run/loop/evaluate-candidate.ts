/**
 * One candidate's evaluation through the run's fingerprint cache, shared by both search loops:
 *   fingerprint (a failure is a static rejection) → cache hit? → already being evaluated (an
 *   identical candidate in flight)? → else the pool. Results are cached, except stage 'error'
 *   (a crashed worker): a resumed or later run tries those again (src/run/replay/cache.ts isCacheable,
 *   the rule a resume's rebuilt caches follow too).
 * A promotion (level ≥ 1) goes the same way with its level in the request and in the cache key
 * (levelCacheKey), so the same function is evaluated once per level.
 */
import type { EvaluationPool, EvaluationWatch } from '../../dispatch/types.js';
import type { Evaluation } from '../../evaluate/types.js';
import type { Hurdle } from '../../evaluate/hurdles.js';
import type { Candidate } from '../../search/candidate.js';
import { functionalFingerprint } from '../../tensor/fingerprint.js';
import { isCacheable, levelCacheKey } from '../replay/cache.js';

export interface CachedEvaluation {
  /** Null when the fingerprint could not be computed. */
  readonly fingerprint: string | null;
  readonly evaluation: Evaluation;
  /** Taken from the cache, or from an identical candidate evaluated at the same time. */
  readonly cached: boolean;
}

/**
 * `inFlight` maps cache keys to evaluations running now; the caller keeps it across calls.
 * `watch` is told the evaluation's progress; `level` (default 0) is the promotion level to evaluate at.
 */
export async function evaluateThroughCache(
  candidate: Candidate,
  pool: EvaluationPool,
  cache: Map<string, Evaluation>,
  inFlight: Map<string, Promise<Evaluation>>,
  seed: number | string,
  hurdles: readonly Hurdle[] = [],
  watch?: EvaluationWatch,
  level = 0,
): Promise<CachedEvaluation> {
  let fingerprint: string;
  try {
    fingerprint = functionalFingerprint(candidate.graph);
  } catch (err) {
    return { fingerprint: null, evaluation: { status: 'rejected', stage: 'static', code: 'fingerprint-failed', reason: `fingerprint failed: ${(err as Error).message}`, costMs: 0 }, cached: false };
  }
  const key = levelCacheKey(fingerprint, level);
  const known = cache.get(key);
  if (known) return { fingerprint, evaluation: known, cached: true };
  const running = inFlight.get(key);
  if (running) return { fingerprint, evaluation: await running, cached: true };
  const pending = pool.evaluate({ graph: candidate.graph, fingerprint, seed, ...(hurdles.length > 0 ? { hurdles } : {}), ...(level > 0 ? { level } : {}) }, watch);
  inFlight.set(key, pending);
  const evaluation = await pending;
  inFlight.delete(key);
  if (isCacheable(evaluation)) cache.set(key, evaluation);
  return { fingerprint, evaluation, cached: false };
}
