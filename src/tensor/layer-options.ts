import { DEFAULT_EPSILON, DEFAULT_GROUPS } from '../graph/ops.js';

/** Numeric options of a layer; every field has a default. */
export interface LayerOptions {
  /** ε inside every square root and logarithm (default 1e-5). */
  readonly epsilon: number;
  /**
   * Most groups of group aggregations (default 32), lowered to a divisor of C that leaves at
   * least DEFAULT_MIN_GROUP_SIZE channels in each group (see effectiveGroups).
   */
  readonly groups: number;
  /**
   * Channels per group of group aggregations; when set it wins over `groups`
   * (groups = C / groupSize, lowered to a divisor of C). 1 asks for one channel per group
   * (group statistics = instance statistics). Default: unset.
   */
  readonly groupSize?: number;
  /** Moving-average momentum of batch statistics: m ← momentum·m + (1−momentum)·batch (0.9). */
  readonly momentum: number;
}

export const DEFAULT_LAYER_OPTIONS: LayerOptions = {
  epsilon: DEFAULT_EPSILON,
  groups: DEFAULT_GROUPS,
  momentum: 0.9,
};

/**
 * Fewest channels per group when only a group count is given. The reference code's 32 groups
 * on 64–2048 channels never put one channel in a group at the sites that matter; on a narrow
 * proxy (8–32 channels) 32 groups lowered to C would make every group one channel, i.e. turn
 * GN into InstanceNorm and EvoNorm-S0's group variance into an instance variance.
 */
export const DEFAULT_MIN_GROUP_SIZE = 2;

/**
 * The number of groups actually used for C channels.
 * - `groupSize` given: the largest divisor of C that is ≤ C / groupSize (at least 1).
 * - otherwise: the largest divisor of C that is ≤ `groups` and leaves at least
 *   DEFAULT_MIN_GROUP_SIZE channels per group (1 group when C is below that or prime).
 */
export function effectiveGroups(channels: number, groups: number, groupSize?: number): number {
  const most = groupSize !== undefined
    ? Math.floor(channels / Math.max(1, groupSize))
    : Math.min(groups, Math.floor(channels / DEFAULT_MIN_GROUP_SIZE));
  for (let g = Math.max(1, Math.min(most, channels)); g > 1; g--) {
    if (channels % g === 0) return g;
  }
  return 1;
}
