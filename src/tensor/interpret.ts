/**
 * A plain float64 interpreter of layer graphs (training mode: batch statistics), independent of
 * tfjs. It computes functional fingerprints identically on every machine and backend, and it is
 * a second implementation of the DSL's semantics to test the tfjs one against.
 */
import type { LayerGraph } from '../graph/types.js';
import { INPUT_COUNT, INPUT_INDEX, OPS, DEFAULT_EPSILON } from '../graph/ops.js';
import { effectiveGroups } from './layer-options.js';

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
}

/** Evaluates the layer on x (training mode), including the final affine and activation. */
export function interpretGraph(graph: LayerGraph, x: Tensor64, options: InterpretOptions = {}): Tensor64 {
  const [n, h, w, c] = x.shape;
  const size = x.data.length;
  const eps = options.epsilon ?? DEFAULT_EPSILON;
  const groups = effectiveGroups(c, options.groups ?? 32);
  const perChannel = (values: ArrayLike<number> | undefined, fallback: number): Float64Array => {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = values ? values[i % c] : fallback;
    return out;
  };
  const values: Float64Array[] = [];
  values[INPUT_INDEX.x] = x.data;
  values[INPUT_INDEX.zero] = new Float64Array(size);
  values[INPUT_INDEX.one] = new Float64Array(size).fill(1);
  values[INPUT_INDEX.v0] = perChannel(options.v0, 0);
  values[INPUT_INDEX.v1] = perChannel(options.v1, 1);

  // Index → aggregation cell id, for each kind of axes.
  const cellOf = (axes: string, i: number): number => {
    const ch = i % c;
    const sample = Math.floor(i / (h * w * c));
    switch (axes) {
      case 'batch': return ch;
      case 'instance': return sample * c + ch;
      case 'group': return sample * groups + Math.floor(ch / (c / groups));
      default: return sample; // layer
    }
  };
  const cellCount = (axes: string): number =>
    axes === 'batch' ? c : axes === 'instance' ? n * c : axes === 'group' ? n * groups : n;

  graph.nodes.forEach((node, k) => {
    const a = values[node.args[0]];
    const b = node.args.length > 1 ? values[node.args[1]] : a;
    const out = new Float64Array(size);
    const spec = OPS[node.op];
    if (spec.kind === 'aggregation') {
      const cells = cellCount(spec.axes!);
      const sum = new Float64Array(cells);
      const count = new Float64Array(cells);
      for (let i = 0; i < size; i++) { const cell = cellOf(spec.axes!, i); sum[cell] += a[i]; count[cell]++; }
      const mean = sum.map((s, j) => s / count[j]);
      let stat = mean;
      if (spec.statistic === 'var') {
        const sq = new Float64Array(cells);
        for (let i = 0; i < size; i++) { const cell = cellOf(spec.axes!, i); sq[cell] += (a[i] - mean[cell]) ** 2; }
        stat = sq.map((s, j) => s / count[j]);
      }
      for (let i = 0; i < size; i++) out[i] = stat[cellOf(spec.axes!, i)];
    } else {
      for (let i = 0; i < size; i++) out[i] = elementwise(node.op, a[i], b[i], eps);
    }
    values[INPUT_COUNT + k] = out;
  });

  const y = values[graph.output];
  const gamma = perChannel(options.gamma, 1);
  const beta = perChannel(options.beta, 0);
  const activation = graph.activation;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let v = y[i] * gamma[i] + beta[i];
    if (activation === 'relu') v = Math.max(v, 0);
    else if (activation === 'swish') v = v / (1 + Math.exp(-v));
    out[i] = v;
  }
  return { shape: x.shape, data: out };
}

/** One element-wise op on numbers, with the numerics of src/graph/ops.ts. */
export function elementwise(op: string, a: number, b: number, eps: number): number {
  const signPlus = (v: number): number => (v >= 0 ? 1 : -1);
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'max': return Math.max(a, b);
    case 'min': return Math.min(a, b);
    case 'neg': return -a;
    case 'sigmoid': return 1 / (1 + Math.exp(-a));
    case 'tanh': return Math.tanh(a);
    case 'exp': return Math.exp(a);
    case 'log': return signPlus(a) * Math.log(Math.abs(a) + eps);
    case 'abs': return Math.abs(a);
    case 'square': return a * a;
    case 'sqrt': return signPlus(a) * Math.sqrt(Math.abs(a) + eps);
    case 'relu': return Math.max(a, 0);
    default: throw new Error(`not an element-wise op: ${op}`);
  }
}
