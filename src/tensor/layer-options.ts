import { DEFAULT_LAYER_JSON_OPTIONS, type LayerJsonOptions } from '../graph/json.js';

/**
 * Numeric options of a layer: the fields of the layer file's options (src/graph/json.ts
 * LayerJsonOptionsSchema, where each is described), so a layer and its file cannot disagree.
 * `epsilon` (default 1e-5), `groups` (default 32, lowered to a divisor of C that leaves at least
 * DEFAULT_MIN_GROUP_SIZE channels in each group; see effectiveGroups), `groupSize` (when set it
 * wins over `groups`; default unset), `momentum` (default 0.9).
 */
export type LayerOptions = Readonly<LayerJsonOptions>;

/** Every default, once (the layer file's and the evaluation config's too). */
export const DEFAULT_LAYER_OPTIONS: LayerOptions = DEFAULT_LAYER_JSON_OPTIONS;

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
