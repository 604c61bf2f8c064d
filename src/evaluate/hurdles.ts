/**
 * Hurdles (So et al. 2019, "The Evolved Transformer"; AutoML-Zero): stop a proxy training early
 * when, part-way through, it is already worse than most of the candidates scored before it.
 *
 *   the evaluator validates every proxy training at steps ⌊f·steps⌋ for each configured
 *   fraction f and records the K accuracies there (Evaluation.checkpoints), passed or not;
 *   before a batch is asked, the loop computes each hurdle from the history:
 *     history ← the last `window` candidates (by id) of EARLIER batches that reached step s
 *     hurdle_s[k] ← the `percentile`-th percentile of their accuracies on network k
 *   (no hurdle while fewer than `minHistory` candidates reached s);
 *   a candidate below hurdle_s on every network (stopWhen 'all', the default) or on any
 *   ('any') stops there: a rejection at stage 'hurdle' that names the step.
 *
 * Why 'all' by default: a layer below the hurdle on one network but above it on another may
 * still join the Pareto front; stopping it only when it trails on every network keeps it.
 * Why earlier batches only: the journal fixes them, so a resumed batch run computes the same
 * hurdles and stays identical to an uninterrupted one.
 */
import { z } from 'zod';
import type { TrainingCheckpoint } from './evaluation.js';

export const HurdlesSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Stop proxy trainings early at hurdles (needs the continued quality check). Default false (the paper trains every survivor fully).'),
  fractions: z.array(z.number().gt(0).lt(1)).min(1).max(8).default([0.5]).describe('Points of the training budget (fractions of training.steps) where hurdles stand. Default [0.5].'),
  percentile: z.number().min(0).max(100).default(50).describe('The hurdle is this percentile (0–100) of the accuracies earlier candidates had at the same step. Default 50.'),
  window: z.number().int().min(1).default(64).describe('How many of the most recent candidates that reached the step the percentile is taken over. Default 64.'),
  minHistory: z.number().int().min(1).default(8).describe('No hurdle until this many candidates reached the step. Default 8.'),
  stopWhen: z.enum(['all', 'any']).default('all').describe('Stop when below the hurdle on all networks (keeps candidates that could join the Pareto front) or on any. Default "all".'),
});
export type HurdlesConfig = z.infer<typeof HurdlesSchema>;

/** One hurdle as an evaluation request carries it: at `step`, at least minAccuracy[k] on network k. */
export interface Hurdle {
  readonly step: number;
  readonly minAccuracy: readonly number[];
}

/** The validation accuracies of the K networks at one step of their proxy trainings (schema in evaluation.ts). */
export type { TrainingCheckpoint } from './evaluation.js';

/** The steps (ascending, distinct, in 1..steps−1) at which hurdles stand. */
export function hurdleSteps(config: Pick<HurdlesConfig, 'fractions'>, trainingSteps: number): number[] {
  const steps = config.fractions.map((f) => Math.floor(f * trainingSteps)).filter((s) => s >= 1 && s < trainingSteps);
  return [...new Set(steps)].sort((a, b) => a - b);
}

/** A scored or stopped candidate's checkpoints, by candidate id. */
export interface HurdleRecord {
  readonly id: number;
  readonly checkpoints: readonly TrainingCheckpoint[];
}

/**
 * The hurdles for a batch whose first candidate id is `beforeId`, from the records of candidates
 * with smaller ids (see the module comment). Records may come in any order.
 */
export function hurdlesFor(records: readonly HurdleRecord[], beforeId: number, config: HurdlesConfig, trainingSteps: number): Hurdle[] {
  if (!config.enabled) return [];
  const earlier = records.filter((r) => r.id < beforeId).sort((a, b) => a.id - b.id);
  const hurdles: Hurdle[] = [];
  for (const step of hurdleSteps(config, trainingSteps)) {
    const reached = earlier
      .map((r) => r.checkpoints.find((c) => c.step === step))
      .filter((c): c is TrainingCheckpoint => c !== undefined && c.accuracies.every(Number.isFinite))
      .slice(-config.window);
    if (reached.length < config.minHistory) continue;
    const k = reached[0].accuracies.length;
    if (reached.some((c) => c.accuracies.length !== k)) continue;
    const minAccuracy = Array.from({ length: k }, (_, j) => percentile(reached.map((c) => c.accuracies[j]), config.percentile));
    hurdles.push({ step, minAccuracy });
  }
  return hurdles;
}

/** True when `accuracies` fail `hurdle` under the stop rule. */
export function belowHurdle(accuracies: readonly number[], hurdle: Hurdle, stopWhen: HurdlesConfig['stopWhen']): boolean {
  const below = accuracies.map((a, k) => !(a >= hurdle.minAccuracy[k]));
  return stopWhen === 'all' ? below.every(Boolean) : below.some(Boolean);
}

/** The p-th percentile (0–100) with linear interpolation between order statistics (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}
