import { DEFAULT_EPSILON, DEFAULT_GROUPS } from '../graph/ops.js';

/** Numeric options of a layer; every field has a default. */
export interface LayerOptions {
  /** ε inside every square root and logarithm (default 1e-5). */
  readonly epsilon: number;
  /** Groups for group aggregations (default 32), lowered to a divisor of C. */
  readonly groups: number;
  /** Moving-average momentum of batch statistics: m ← momentum·m + (1−momentum)·batch (0.9). */
  readonly momentum: number;
}

export const DEFAULT_LAYER_OPTIONS: LayerOptions = {
  epsilon: DEFAULT_EPSILON,
  groups: DEFAULT_GROUPS,
  momentum: 0.9,
};

/** The number of groups actually used for C channels: the largest divisor of C that is ≤ groups. */
export function effectiveGroups(channels: number, groups: number): number {
  for (let g = Math.max(1, Math.min(groups, channels)); g > 1; g--) {
    if (channels % g === 0) return g;
  }
  return 1;
}
