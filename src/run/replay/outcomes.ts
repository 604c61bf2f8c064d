/**
 * How the run's candidates ended, counted once for every reader (status, the report's funnel):
 * a cache hit reuses an earlier evaluation and counts under the outcome it reused (scored, or
 * rejected at that stage), so the counts by stage add up to the rejections `status` shows.
 */
import type { CandidateRecord } from './candidates.js';

export interface Outcomes {
  readonly proposed: number;
  /** Proposed, no evaluation journaled yet. */
  readonly pending: number;
  readonly scored: number;
  readonly rejected: number;
  /** Rejections by stage (static, stability, quality, hurdle, training, error, timeout). */
  readonly rejectedByStage: Readonly<Record<string, number>>;
  /** Evaluations taken from the cache (included in scored and rejected above). */
  readonly cacheHits: number;
}

export function countOutcomes(records: readonly CandidateRecord[]): Outcomes {
  const rejectedByStage: Record<string, number> = {};
  let pending = 0;
  let scored = 0;
  let rejected = 0;
  let cacheHits = 0;
  for (const record of records) {
    const e = record.evaluated;
    if (e === undefined) {
      pending++;
      continue;
    }
    if (e.cached) cacheHits++;
    if (e.evaluation.status === 'ok') scored++;
    else {
      rejected++;
      rejectedByStage[e.evaluation.stage] = (rejectedByStage[e.evaluation.stage] ?? 0) + 1;
    }
  }
  return { proposed: records.length, pending, scored, rejected, rejectedByStage, cacheHits };
}
