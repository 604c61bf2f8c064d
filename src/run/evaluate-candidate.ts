/**
 * One candidate's evaluation through the run's fingerprint cache, shared by both search loops:
 *   fingerprint (a failure is a static rejection) → cache hit? → already being evaluated (an
 *   identical candidate in flight)? → else the pool. Results are cached, except stage 'error'
 *   (a crashed worker): a resumed or later run tries those again.
 */
import type { EvaluationPool, EvaluationWatch } from '../dispatch/types.js';
import type { Evaluation } from '../evaluate/types.js';
import type { Hurdle } from '../evaluate/hurdles.js';
import type { Candidate } from '../search/candidate.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';

export interface CachedEvaluation {
  /** Null when the fingerprint could not be computed. */
  readonly fingerprint: string | null;
  readonly evaluation: Evaluation;
  /** Taken from the cache, or from an identical candidate evaluated at the same time. */
  readonly cached: boolean;
}

/** `inFlight` maps fingerprints to evaluations running now; the caller keeps it across calls. */
export async function evaluateThroughCache(
  candidate: Candidate,
  pool: EvaluationPool,
  cache: Map<string, Evaluation>,
  inFlight: Map<string, Promise<Evaluation>>,
  seed: number | string,
  hurdles: readonly Hurdle[] = [],
  watch?: EvaluationWatch,
): Promise<CachedEvaluation> {
  let fingerprint: string;
  try {
    fingerprint = functionalFingerprint(candidate.graph);
  } catch (err) {
    return { fingerprint: null, evaluation: { status: 'rejected', stage: 'static', code: 'fingerprint-failed', reason: `fingerprint failed: ${(err as Error).message}`, costMs: 0 }, cached: false };
  }
  const known = cache.get(fingerprint);
  if (known) return { fingerprint, evaluation: known, cached: true };
  const running = inFlight.get(fingerprint);
  if (running) return { fingerprint, evaluation: await running, cached: true };
  const pending = pool.evaluate({ graph: candidate.graph, fingerprint, seed, ...(hurdles.length > 0 ? { hurdles } : {}) }, watch);
  inFlight.set(fingerprint, pending);
  const evaluation = await pending;
  inFlight.delete(fingerprint);
  if (!(evaluation.status === 'rejected' && evaluation.stage === 'error')) cache.set(fingerprint, evaluation);
  return { fingerprint, evaluation, cached: false };
}
