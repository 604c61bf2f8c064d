/**
 * The aggregation axes, one descriptor each (STYLE.md 15, as ops are in ops.ts): which NHWC
 * dimensions a statistic reduces over (PAPER.md §1). Each axis gives the DSL two ops,
 * `mean_<axis>` and `var_<axis>` (ops.ts makes them from this list), and the float64
 * interpreter, GraphLayer and the three exporters reduce over `dims`; so adding an axis that is a
 * plain reduction is one entry here (plus its tests). Two axes need more than a reduction, said
 * by `kind`: 'batch' keeps moving averages for inference, 'group' splits the channels in groups.
 */

/** NHWC dimension indices: 0 = N (batch), 1 = H, 2 = W, 3 = C. */
export type NhwcDim = 0 | 1 | 2 | 3;

export interface AxisSpec {
  /** The NHWC dimensions reduced over (for 'group': besides the channels of one group). */
  readonly dims: readonly NhwcDim[];
  /**
   * 'reduce': a plain reduction over `dims`; 'batch': batch statistics while training and their
   * moving averages in inference (BatchNorm's); 'group': over H, W and each group of channels.
   */
  readonly kind: 'reduce' | 'batch' | 'group';
  /** In the paper's search space (Table 1). */
  readonly paper: boolean;
}

export const AXES = {
  batch: { dims: [0, 1, 2], kind: 'batch', paper: true },
  instance: { dims: [1, 2], kind: 'reduce', paper: true },
  group: { dims: [1, 2], kind: 'group', paper: true },
  layer: { dims: [1, 2, 3], kind: 'reduce', paper: false },
} as const satisfies Record<string, AxisSpec>;

/** Axes an aggregation reduces over, in NHWC terms (PAPER.md §1). */
export type AggregationAxes = keyof typeof AXES;
/** Every aggregation axis, in AXES' order (the order of the aggregation ops). */
export const AGGREGATION_AXES = Object.keys(AXES) as readonly AggregationAxes[];

/** A reduce axis's dimensions in NCHW order (PyTorch's layout), e.g. instance → [2, 3]. */
export function nchwDims(dims: readonly NhwcDim[]): number[] {
  const NCHW: Readonly<Record<NhwcDim, number>> = { 0: 0, 1: 2, 2: 3, 3: 1 };
  return dims.map((d) => NCHW[d]).sort((a, b) => a - b);
}

/** The kind of an op's axis (undefined for an element-wise op, whose `axes` is undefined). */
export function axisKind(axes: AggregationAxes | undefined): AxisSpec['kind'] | undefined {
  return axes === undefined ? undefined : AXES[axes].kind;
}
