/**
 * The batch-size sweep (the paper's Figure 1): every batch size sees the same number of images,
 * so steps scale by B0/B, and the learning rate follows the scaling rule (linear by default,
 * Goyal et al. 2017: lr ∝ B). Warm-up steps scale with steps.
 */

/** How the learning rate follows the batch size. */
export type LrScaling = 'linear' | 'sqrt' | 'none';
export const LR_SCALINGS: readonly LrScaling[] = ['linear', 'sqrt', 'none'];

/** The base schedule of the config (at its own batch size). */
export interface BaseSchedule {
  readonly batchSize: number;
  readonly steps: number;
  readonly lr: number;
  readonly warmupSteps: number;
}

/** The schedule at `batchSize`: same images (steps·B), lr scaled by `rule`. */
export function scaleSchedule(base: BaseSchedule, batchSize: number, rule: LrScaling): { steps: number; lr: number; warmupSteps: number } {
  const ratio = batchSize / base.batchSize;
  const factor = rule === 'linear' ? ratio : rule === 'sqrt' ? Math.sqrt(ratio) : 1;
  return {
    steps: Math.max(1, Math.round(base.steps / ratio)),
    lr: base.lr * factor,
    warmupSteps: Math.round(base.warmupSteps / ratio),
  };
}

/** One line saying how the sweep scaled the schedule, for the output. */
export function describeScaling(base: BaseSchedule, batchSizes: readonly number[], rule: LrScaling): string {
  const parts = batchSizes.map((b) => {
    const s = scaleSchedule(base, b, rule);
    return `batch ${b}: ${s.steps} steps, lr ${+s.lr.toPrecision(4)}, warm-up ${s.warmupSteps}`;
  });
  return `schedule: ${base.steps * base.batchSize} training images per run at every batch size; lr scaled ${rule === 'none' ? 'not at all' : `${rule}ly with the batch size`} from ${base.lr} at ${base.batchSize} (${parts.join('; ')})`;
}
