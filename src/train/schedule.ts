/**
 * Learning-rate schedule: linear warm-up to the base rate, then cosine decay to zero (or a
 * constant rate when cosine is off).
 *
 *   step < warmup:  lr = base · (step + 1) / warmup
 *   otherwise:      lr = base · ½ · (1 + cos(π · (step − warmup) / (total − warmup)))
 *
 * Steps count from 0; the decay reaches 0 at step = total (one past the last step run).
 */

export interface ScheduleOptions {
  /** Steps of linear warm-up from base/warmup to base; 0 for none. */
  readonly warmupSteps: number;
  /** Cosine decay to 0 after the warm-up; false keeps the base rate. */
  readonly cosine: boolean;
}

/** The learning rate at 0-based `step` of a run of `totalSteps` steps with base rate `baseLr`. */
export function learningRateAt(step: number, totalSteps: number, baseLr: number, schedule: ScheduleOptions): number {
  const warmup = Math.max(0, Math.floor(schedule.warmupSteps));
  if (step < warmup) return (baseLr * (step + 1)) / warmup;
  if (!schedule.cosine) return baseLr;
  const span = totalSteps - warmup;
  if (span <= 0) return baseLr;
  const progress = Math.min(1, (step - warmup) / span);
  return baseLr * 0.5 * (1 + Math.cos(Math.PI * progress));
}
