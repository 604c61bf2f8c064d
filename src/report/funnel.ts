/**
 * The rejection funnel: how many candidates are left after each stage of the evaluation, from
 * proposed to scored (PAPER.md §4: the rejection protocols).
 *
 *   proposed → not yet evaluated (pending) drop out → static checks → stability probe →
 *   quality probe → hurdles (only when a candidate was stopped at one) → training/other → scored
 *
 * The counts are `status`'s (src/run/replay/outcomes.ts): a cache hit reuses an earlier evaluation and
 * counts under the outcome it reused, so each stage's drop equals status's rejections at it.
 */
import type { Outcomes } from '../run/replay/outcomes.js';

/** One step of the funnel. */
export interface FunnelStep {
  /** What the step is, for people. */
  readonly stage: string;
  /** Candidates left after the step. */
  readonly remaining: number;
  /** Candidates that dropped out at the step. */
  readonly dropped: number;
  /** dropped / candidates entering the step (0 when none entered). */
  readonly dropShare: number;
}

/** Rejection stages in the order the evaluation applies them; others (training, error, timeout) go to "other". */
const ORDER = ['static', 'stability', 'quality', 'hurdle'] as const;
const LABEL: Record<string, string> = {
  static: 'static checks',
  stability: 'stability probe',
  quality: 'quality probe',
  hurdle: 'hurdles (stopped early)',
  other: 'training, errors, time-outs',
};

/** The funnel of the run's candidates, from their outcomes (the replay's: src/run/replay/replay.ts). */
export function rejectionFunnel(outcomes: Outcomes): FunnelStep[] {
  const rejected: Record<string, number> = { static: 0, stability: 0, quality: 0, hurdle: 0, other: 0 };
  for (const [stage, n] of Object.entries(outcomes.rejectedByStage)) {
    rejected[(ORDER as readonly string[]).includes(stage) ? stage : 'other'] += n;
  }
  const steps: FunnelStep[] = [];
  let left = outcomes.proposed;
  const step = (stage: string, dropped: number): void => {
    steps.push({ stage, remaining: left - dropped, dropped, dropShare: left > 0 ? dropped / left : 0 });
    left -= dropped;
  };
  steps.push({ stage: 'proposed', remaining: left, dropped: 0, dropShare: 0 });
  if (outcomes.pending > 0) step('still being evaluated', outcomes.pending);
  for (const stage of [...ORDER, 'other']) if (stage !== 'hurdle' || rejected.hurdle > 0) step(LABEL[stage], rejected[stage]);
  steps.push({ stage: 'scored', remaining: left, dropped: 0, dropShare: 0 });
  return steps;
}
