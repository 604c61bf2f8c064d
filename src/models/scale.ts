/**
 * Width and depth multipliers, as in MobileNet/EfficientNet: channels rounded to a multiple of a
 * divisor (friendly to group aggregations), block counts rounded up.
 */

/**
 * Scales a channel count by `width`, rounded to the nearest multiple of `divisor` (at least
 * `divisor`, and never more than 10% below the exact value, as MobileNet's make_divisible).
 */
export function scaleChannels(channels: number, width: number, divisor = 4): number {
  const exact = channels * width;
  let c = Math.max(divisor, Math.round(exact / divisor) * divisor);
  if (c < 0.9 * exact) c += divisor;
  return c;
}

/** Scales a block count by `depth`, rounded up (at least 1). */
export function scaleDepth(blocks: number, depth: number): number {
  return Math.max(1, Math.ceil(blocks * depth));
}

/** `options` over `defaults`, where an undefined field in `options` keeps the default. */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...defaults, ...given } as D & O;
}
