/**
 * A plain float64 interpreter of layer graphs (training mode: batch statistics), independent of
 * tfjs. It computes functional fingerprints identically on every machine and backend, and it is
 * a second implementation of the DSL's semantics to test the tfjs one against.
 */
import type { LayerGraph } from '../graph/types.js';
import { ACTIVATIONS } from '../graph/activations.js';
import { AXES, type AggregationAxes, type AxisSpec } from '../graph/axes.js';
import { INPUT_COUNT, INPUT_INDEX, OPS, DEFAULT_EPSILON, type OpName } from '../graph/ops.js';
import { effectiveGroups } from './layer-options.js';
import { liveNodes } from '../graph/live.js';

/** An NHWC tensor as a flat float64 array. */
export interface Tensor64 {
  readonly shape: readonly [number, number, number, number];
  readonly data: Float64Array;
}

export interface InterpretOptions {
  /** Per-channel values of v0 and v1 (defaults 0 and 1), γ and β (defaults 1 and 0). */
  readonly v0?: ArrayLike<number>;
  readonly v1?: ArrayLike<number>;
  readonly gamma?: ArrayLike<number>;
  readonly beta?: ArrayLike<number>;
  readonly epsilon?: number;
  readonly groups?: number;
  /** Channels per group; wins over `groups` (see effectiveGroups). */
  readonly groupSize?: number;
}

/** Evaluates the layer on x (training mode), including the final affine and activation. */
export function interpretGraph(graph: LayerGraph, x: Tensor64, options: InterpretOptions = {}): Tensor64 {
  const [n, h, w, c] = x.shape;
  const size = x.data.length;
  const eps = options.epsilon ?? DEFAULT_EPSILON;
  const groups = effectiveGroups(c, options.groups ?? 32, options.groupSize);
  const perChannel = (values: ArrayLike<number> | undefined, fallback: number): Float64Array => {
    const out = new Float64Array(size);
    if (values === undefined) return fallback === 0 ? out : out.fill(fallback);
    for (let i = 0; i < size; i++) out[i] = values[i % c];
    return out;
  };
  // Inputs other than x are broadcast to full arrays only when some live node reads them.
  const values: (Float64Array | undefined)[] = [];
  values[INPUT_INDEX.x] = x.data;
  const input = (index: number): Float64Array => {
    let value = values[index];
    if (value === undefined) {
      if (index === INPUT_INDEX.zero) value = new Float64Array(size);
      else if (index === INPUT_INDEX.one) value = new Float64Array(size).fill(1);
      else if (index === INPUT_INDEX.v0) value = perChannel(options.v0, 0);
      else value = perChannel(options.v1, 1);
      values[index] = value;
    }
    return value;
  };

  const cellTable = (axes: AggregationAxes): CellTable => cellTableFor(n, h * w, c, groups, axes);

  // Dead nodes do not change the output; searched graphs have many, so they are skipped.
  const live = liveNodes(graph);
  for (let k = 0; k < graph.nodes.length; k++) {
    if (!live.has(INPUT_COUNT + k)) continue;
    const node = graph.nodes[k];
    const a = node.args[0] < INPUT_COUNT ? input(node.args[0]) : values[node.args[0]]!;
    const b = node.args.length < 2 ? a : node.args[1] < INPUT_COUNT ? input(node.args[1]) : values[node.args[1]]!;
    const spec = OPS[node.op];
    values[INPUT_COUNT + k] = spec.kind === 'aggregation'
      ? aggregate(a, cellTable(spec.axes!), spec.statistic === 'var')
      : elementwiseArray(node.op, a, b, eps);
  }

  const y = graph.output < INPUT_COUNT ? input(graph.output) : values[graph.output]!;
  const activation = graph.activation;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const ch = i % c;
    const v = y[i] * (options.gamma ? options.gamma[ch] : 1) + (options.beta ? options.beta[ch] : 0);
    out[i] = activation === undefined ? v : ACTIVATIONS[activation].float64(v);
  }
  return { shape: x.shape, data: out };
}

/** Which aggregation cell each element belongs to, and each cell's element count. */
interface CellTable {
  readonly cell: Int32Array;
  readonly count: Float64Array;
}

// Tables depend only on the geometry, and the search interprets thousands of graphs on the same
// few probe shapes: build each once. Bounded, since a long-lived process may see many shapes.
const cellTables = new Map<string, CellTable>();
const MAX_CELL_TABLES = 64;

/** The cell table of NHWC data with `positions` = H·W for one kind of axes. */
function cellTableFor(n: number, positions: number, c: number, groups: number, axes: AggregationAxes): CellTable {
  const key = `${n}/${positions}/${c}/${groups}/${axes}`;
  let table = cellTables.get(key);
  if (table !== undefined) return table;
  const size = n * positions * c;
  const perGroup = c / groups;
  // A cell keeps the dimensions an axis does not reduce: N and/or C (H and W are always reduced), or N and the group.
  const { dims, kind }: AxisSpec = AXES[axes];
  const keepN = !dims.includes(0);
  const keepC = kind !== 'group' && !dims.includes(3);
  const cells = kind === 'group' ? n * groups : (keepN ? n : 1) * (keepC ? c : 1);
  const cell = new Int32Array(size);
  const count = new Float64Array(cells);
  for (let i = 0; i < size; i++) {
    const ch = i % c;
    const sample = Math.floor(i / (positions * c));
    const id = kind === 'group' ? sample * groups + Math.floor(ch / perGroup) : (keepN ? sample : 0) * (keepC ? c : 1) + (keepC ? ch : 0);
    cell[i] = id;
    count[id]++;
  }
  table = { cell, count };
  if (cellTables.size >= MAX_CELL_TABLES) cellTables.clear();
  cellTables.set(key, table);
  return table;
}

/** Per-cell mean (or biased variance) of `a`, broadcast back to every element of the cell. */
function aggregate(a: Float64Array, table: CellTable, variance: boolean): Float64Array {
  const { cell, count } = table;
  const size = a.length;
  const mean = new Float64Array(count.length);
  for (let i = 0; i < size; i++) mean[cell[i]] += a[i];
  for (let j = 0; j < mean.length; j++) mean[j] /= count[j];
  let stat = mean;
  if (variance) {
    stat = new Float64Array(count.length);
    for (let i = 0; i < size; i++) { const d = a[i] - mean[cell[i]]; stat[cell[i]] += d * d; }
    for (let j = 0; j < stat.length; j++) stat[j] /= count[j];
  }
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = stat[cell[i]];
  return out;
}

/**
 * An element-wise op over whole arrays, with the registry's float64 implementation (one loop per
 * op; the hottest ops are written out so their loop has no call).
 */
function elementwiseArray(op: OpName, a: Float64Array, b: Float64Array, eps: number): Float64Array {
  const size = a.length;
  const out = new Float64Array(size);
  switch (op) {
    case 'add': for (let i = 0; i < size; i++) out[i] = a[i] + b[i]; break;
    case 'sub': for (let i = 0; i < size; i++) out[i] = a[i] - b[i]; break;
    case 'mul': for (let i = 0; i < size; i++) out[i] = a[i] * b[i]; break;
    case 'div': for (let i = 0; i < size; i++) out[i] = a[i] / b[i]; break;
    case 'sigmoid': for (let i = 0; i < size; i++) out[i] = 1 / (1 + Math.exp(-a[i])); break;
    default: {
      const f = OPS[op].float64;
      if (f === undefined) throw new Error(`not an element-wise op: ${op}`);
      for (let i = 0; i < size; i++) out[i] = f(a[i], b[i], eps);
    }
  }
  return out;
}
