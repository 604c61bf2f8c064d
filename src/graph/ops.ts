/**
 * The op registry of the layer DSL: every primitive a layer graph may use (PAPER.md §1, Table 1)
 * in ONE entry each — arity, algebraic facts (commutative, infix form), the float64
 * implementation, the sign rule of the non-negativity analysis and the code snippets of the
 * PyTorch / Keras / tfjs exporters. Adding an op is one entry here, plus its tfjs kernel in
 * src/tensor/op-kernels.ts, which is a `Record<ElementwiseOp, …>` and so fails to compile until
 * the new op has one (graph/ may not import tfjs; see ARCHITECTURE.md), plus its tests.
 * (max/min export as `where(a >= b, a, b)`: ties take a, as GraphLayer's gradient does.)
 * Aggregations have no per-op code: `mean_<axis>` and `var_<axis>` come from each axis of
 * src/graph/axes.ts, and each backend implements "mean/var over the axis's dims" once.
 *
 * Numerics (defined here once; src/tensor/ implements exactly this). sign⁺(a) is 1 for a ≥ 0 and
 * −1 for a < 0 (so the root of 0 is √ε, as in every reference implementation, never 0 or NaN):
 * - `sqrt(a)  = sign⁺(a)·√(|a| + ε)`: `sqrt(var_batch(x))` is exactly the reference √(s² + ε),
 *   and a channel with variance 0 (e.g. all zeros after a dead ReLU) divides by √ε, not by 0.
 * - `log(a)   = sign⁺(a)·ln(|a| + ε)`: finite everywhere.
 * - `div(a,b) = a / b` in IEEE arithmetic: b = 0 gives ±Inf or NaN, which the evaluator turns
 *   into a rejection (non-finite output). No hidden "safe" division that would mask explosions.
 * - `softplus(a) = ln(1 + eᵃ)` (not in the paper; computed without overflow).
 * - `var_*(a) = mean((a − mean(a))²)` over the op's axes (biased, as BatchNorm normalises).
 * - ε defaults to 1e-5 (every reference implementation); the layer options may change it.
 */

/** Names of the initial nodes, in index order: node i < INPUT_COUNT is INPUT_NAMES[i]. */
export const INPUT_NAMES = ['x', 'zero', 'one', 'v0', 'v1'] as const;
export type InputName = (typeof INPUT_NAMES)[number];
/** Number of initial nodes; intermediate node k has index INPUT_COUNT + k. */
export const INPUT_COUNT = INPUT_NAMES.length;
/** Index of each initial node. */
export const INPUT_INDEX: Readonly<Record<InputName, number>> = { x: 0, zero: 1, one: 2, v0: 3, v1: 4 };
/** Initial nodes that are per-channel trainable vectors, with their initial value. */
export const TRAINABLE_INPUTS: Readonly<Partial<Record<InputName, number>>> = { v0: 0, v1: 1 };

import { AGGREGATION_AXES, AXES, type AggregationAxes } from './axes.js';

export { AGGREGATION_AXES, type AggregationAxes } from './axes.js';

/**
 * When an op's value is provably ≥ 0 (src/graph/nonnegative.ts): always, when its first
 * argument is, when both are, when either is, or never. Used only to skip sign⁺ in sqrt/log.
 */
export type NonNegativeRule = 'always' | 'first' | 'both' | 'either' | 'never';

/** Targets of the code exporters (src/export/). */
export type CodeTarget = 'torch' | 'keras' | 'tfjs';
/**
 * One element-wise op as source code of each target: a template over `$a`, `$b` (identifiers
 * of the argument values) and `$eps` (the ε expression). `signPlus($a)` stands for the target's
 * sign⁺ helper, which the exporter defines when a template uses it.
 */
export type CodeTemplates = Readonly<Record<CodeTarget, string>>;

export interface OpSpec {
  readonly name: string;
  readonly arity: 1 | 2;
  readonly kind: 'elementwise' | 'aggregation';
  /** f(a,b) = f(b,a): the canonical form orders such arguments. */
  readonly commutative: boolean;
  /** Infix symbol for the text syntax (binary arithmetic only). */
  readonly infix?: '+' | '-' | '*' | '/';
  /** Operator precedence of the infix form: higher binds tighter. */
  readonly precedence?: number;
  /** Prefix symbol for the text syntax (neg: `-a`, binding tighter than * and /). */
  readonly prefix?: '-';
  /** For aggregations: the statistic and the axes. */
  readonly statistic?: 'mean' | 'var';
  readonly axes?: AggregationAxes;
  /** In the paper's search space (Table 1). Extensions (sub, min, relu, softplus, layer axes) are not. */
  readonly paper: boolean;
  readonly nonNegative: NonNegativeRule;
  /** Element-wise ops: the value on numbers (`b` is `a` for unary ops). */
  readonly float64?: (a: number, b: number, eps: number) => number;
  /** Element-wise ops: the exporters' code. */
  readonly code?: CodeTemplates;
  /** sqrt/log: the cheaper code used when the argument is provably ≥ 0 (same value). */
  readonly codeNonNegative?: CodeTemplates;
}

interface ElementwiseFacts {
  readonly prefix?: '-';
  readonly float64: (a: number, b: number, eps: number) => number;
  readonly code: CodeTemplates;
  readonly codeNonNegative?: CodeTemplates;
  readonly nonNegative?: NonNegativeRule;
  readonly paper?: boolean;
}

type Spec<K extends OpSpec['kind'], A extends 1 | 2> = Omit<OpSpec, 'name'> & { readonly kind: K; readonly arity: A };

function binary(facts: ElementwiseFacts & { commutative: boolean; infix?: OpSpec['infix']; precedence?: number }): Spec<'elementwise', 2> {
  return { arity: 2, kind: 'elementwise', paper: true, nonNegative: 'never', ...facts };
}
function unary(facts: ElementwiseFacts): Spec<'elementwise', 1> {
  return { arity: 1, kind: 'elementwise', commutative: false, paper: true, nonNegative: 'never', ...facts };
}
function aggregation(statistic: 'mean' | 'var', axes: AggregationAxes): Spec<'aggregation', 1> {
  return {
    arity: 1, kind: 'aggregation', commutative: false, statistic, axes, paper: AXES[axes].paper,
    nonNegative: statistic === 'var' ? 'always' : 'first',
  };
}
/** The same function call in every target: `torch.f($a)`, `keras.ops.f($a)`, `tf.f($a)`. */
function call(torch: string, keras: string, tfjs: string, args = '$a'): CodeTemplates {
  return { torch: `${torch}(${args})`, keras: `keras.ops.${keras}(${args})`, tfjs: `tf.${tfjs}(${args})` };
}
/** Infix arithmetic in Python (torch, keras), a tf call in JS. */
function infix(symbol: string, tfjs: string): CodeTemplates {
  return { torch: `$a ${symbol} $b`, keras: `$a ${symbol} $b`, tfjs: `tf.${tfjs}($a, $b)` };
}
const signPlus = (v: number): number => (v >= 0 ? 1 : -1);

/** The aggregation ops of every axis (axes.ts), `mean_<axis>` then `var_<axis>`, in the axes' order. */
type AggregationTable = { readonly [K in `${'mean' | 'var'}_${AggregationAxes}`]: Spec<'aggregation', 1> };
function aggregations(): AggregationTable {
  return Object.fromEntries(AGGREGATION_AXES.flatMap((axes) => [[`mean_${axes}`, aggregation('mean', axes)], [`var_${axes}`, aggregation('var', axes)]])) as AggregationTable;
}

const TABLE = {
  add: binary({ commutative: true, infix: '+', precedence: 1, nonNegative: 'both', float64: (a, b) => a + b, code: infix('+', 'add') }),
  sub: binary({ commutative: false, infix: '-', precedence: 1, paper: false, float64: (a, b) => a - b, code: infix('-', 'sub') }),
  mul: binary({ commutative: true, infix: '*', precedence: 2, nonNegative: 'both', float64: (a, b) => a * b, code: infix('*', 'mul') }),
  div: binary({ commutative: false, infix: '/', precedence: 2, nonNegative: 'both', float64: (a, b) => a / b, code: infix('/', 'div') }),
  max: binary({ commutative: true, nonNegative: 'either', float64: (a, b) => Math.max(a, b), code: { torch: 'torch.where($a >= $b, $a, $b)', keras: 'keras.ops.where($a >= $b, $a, $b)', tfjs: 'tf.maximum($a, $b)' } }),
  min: binary({ commutative: true, paper: false, nonNegative: 'both', float64: (a, b) => Math.min(a, b), code: { torch: 'torch.where($a <= $b, $a, $b)', keras: 'keras.ops.where($a <= $b, $a, $b)', tfjs: 'tf.minimum($a, $b)' } }),
  neg: unary({ prefix: '-', float64: (a) => -a, code: { torch: '-$a', keras: '-$a', tfjs: 'tf.neg($a)' } }),
  sigmoid: unary({ nonNegative: 'always', float64: (a) => 1 / (1 + Math.exp(-a)), code: call('torch.sigmoid', 'sigmoid', 'sigmoid') }),
  tanh: unary({ float64: (a) => Math.tanh(a), code: call('torch.tanh', 'tanh', 'tanh') }),
  exp: unary({ nonNegative: 'always', float64: (a) => Math.exp(a), code: call('torch.exp', 'exp', 'exp') }),
  log: unary({
    float64: (a, _b, eps) => signPlus(a) * Math.log(Math.abs(a) + eps),
    code: {
      torch: 'signPlus($a) * torch.log(torch.abs($a) + $eps)',
      keras: 'signPlus($a) * keras.ops.log(keras.ops.abs($a) + $eps)',
      tfjs: 'tf.mul(signPlus($a), tf.log(tf.add(tf.abs($a), $eps)))',
    },
    codeNonNegative: { torch: 'torch.log($a + $eps)', keras: 'keras.ops.log($a + $eps)', tfjs: 'tf.log(tf.add($a, $eps))' },
  }),
  abs: unary({ nonNegative: 'always', float64: (a) => Math.abs(a), code: call('torch.abs', 'abs', 'abs') }),
  square: unary({ nonNegative: 'always', float64: (a) => a * a, code: call('torch.square', 'square', 'square') }),
  sqrt: unary({
    nonNegative: 'first',
    float64: (a, _b, eps) => signPlus(a) * Math.sqrt(Math.abs(a) + eps),
    code: {
      torch: 'signPlus($a) * torch.sqrt(torch.abs($a) + $eps)',
      keras: 'signPlus($a) * keras.ops.sqrt(keras.ops.abs($a) + $eps)',
      tfjs: 'tf.mul(signPlus($a), tf.sqrt(tf.add(tf.abs($a), $eps)))',
    },
    codeNonNegative: { torch: 'torch.sqrt($a + $eps)', keras: 'keras.ops.sqrt($a + $eps)', tfjs: 'tf.sqrt(tf.add($a, $eps))' },
  }),
  relu: unary({ paper: false, nonNegative: 'always', float64: (a) => Math.max(a, 0), code: call('torch.relu', 'relu', 'relu') }),
  softplus: unary({
    paper: false,
    nonNegative: 'always',
    float64: (a) => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))),
    code: call('torch.nn.functional.softplus', 'softplus', 'softplus'),
  }),
  ...aggregations(),
} as const;

type Table = typeof TABLE;
export type OpName = keyof Table;
type NamesWhere<P> = { [K in OpName]: Table[K] extends P ? K : never }[OpName];
export type BinaryOp = NamesWhere<{ kind: 'elementwise'; arity: 2 }>;
export type UnaryOp = NamesWhere<{ kind: 'elementwise'; arity: 1 }>;
export type ElementwiseOp = BinaryOp | UnaryOp;
export type AggregationOp = NamesWhere<{ kind: 'aggregation' }>;

/** Every op of the DSL, by name, in table order. */
export const OPS: Readonly<Record<OpName, OpSpec & { readonly name: OpName }>> = Object.fromEntries(
  Object.entries(TABLE).map(([name, spec]) => [name, { ...spec, name }]),
) as Record<OpName, OpSpec & { readonly name: OpName }>;

export const OP_NAMES: readonly OpName[] = Object.keys(TABLE) as OpName[];
export const ELEMENTWISE_BINARY = OP_NAMES.filter((n) => OPS[n].kind === 'elementwise' && OPS[n].arity === 2) as readonly BinaryOp[];
export const ELEMENTWISE_UNARY = OP_NAMES.filter((n) => OPS[n].kind === 'elementwise' && OPS[n].arity === 1) as readonly UnaryOp[];
export const AGGREGATIONS = OP_NAMES.filter((n) => OPS[n].kind === 'aggregation') as readonly AggregationOp[];

/** True when `name` is an op of the DSL. */
export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

/** True when `name` is an initial node. */
export function isInputName(name: string): name is InputName {
  return (INPUT_NAMES as readonly string[]).includes(name);
}

/** Default ε, inside every square root and logarithm. */
export const DEFAULT_EPSILON = 1e-5;
/** Default number of groups for group aggregations (lowered to a divisor of C). */
export const DEFAULT_GROUPS = 32;
