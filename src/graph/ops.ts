/**
 * The op table of the layer DSL: every primitive a layer graph may use (PAPER.md §1, Table 1),
 * with its arity and the facts the parser, printer, canonicalizer and tensor code need.
 *
 * Numerics (defined here once; src/tensor/ implements exactly this). sign⁺(a) is 1 for a ≥ 0 and
 * −1 for a < 0 (so the root of 0 is √ε, as in every reference implementation, never 0 or NaN):
 * - `sqrt(a)  = sign⁺(a)·√(|a| + ε)`: `sqrt(var_batch(x))` is exactly the reference √(s² + ε),
 *   and a channel with variance 0 (e.g. all zeros after a dead ReLU) divides by √ε, not by 0.
 * - `log(a)   = sign⁺(a)·ln(|a| + ε)`: finite everywhere.
 * - `div(a,b) = a / b` in IEEE arithmetic: b = 0 gives ±Inf or NaN, which the evaluator turns
 *   into a rejection (non-finite output). No hidden "safe" division that would mask explosions.
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

/** Axes an aggregation reduces over, in NHWC terms (PAPER.md §1). */
export type AggregationAxes = 'batch' | 'instance' | 'group' | 'layer';
export const AGGREGATION_AXES: readonly AggregationAxes[] = ['batch', 'instance', 'group', 'layer'];

export const ELEMENTWISE_BINARY = ['add', 'sub', 'mul', 'div', 'max', 'min'] as const;
export const ELEMENTWISE_UNARY = [
  'neg', 'sigmoid', 'tanh', 'exp', 'log', 'abs', 'square', 'sqrt', 'relu',
] as const;
export const AGGREGATIONS = [
  'mean_batch', 'var_batch', 'mean_instance', 'var_instance',
  'mean_group', 'var_group', 'mean_layer', 'var_layer',
] as const;

export type BinaryOp = (typeof ELEMENTWISE_BINARY)[number];
export type UnaryOp = (typeof ELEMENTWISE_UNARY)[number];
export type AggregationOp = (typeof AGGREGATIONS)[number];
export type OpName = BinaryOp | UnaryOp | AggregationOp;

export interface OpSpec {
  readonly name: OpName;
  readonly arity: 1 | 2;
  readonly kind: 'elementwise' | 'aggregation';
  /** f(a,b) = f(b,a): the canonical form orders such arguments. */
  readonly commutative: boolean;
  /** Infix symbol for the text syntax (binary arithmetic only). */
  readonly infix?: '+' | '-' | '*' | '/';
  /** Operator precedence of the infix form: higher binds tighter. */
  readonly precedence?: number;
  /** For aggregations: the statistic and the axes. */
  readonly statistic?: 'mean' | 'var';
  readonly axes?: AggregationAxes;
  /** In the paper's search space (Table 1). Extensions (sub, min, relu, layer axes) are not. */
  readonly paper: boolean;
}

function binary(name: BinaryOp, commutative: boolean, paper: boolean, infix?: OpSpec['infix'], precedence?: number): OpSpec {
  return { name, arity: 2, kind: 'elementwise', commutative, infix, precedence, paper };
}
function unary(name: UnaryOp, paper: boolean): OpSpec {
  return { name, arity: 1, kind: 'elementwise', commutative: false, paper };
}
function aggregation(name: AggregationOp): OpSpec {
  const [statistic, axes] = name.split('_') as ['mean' | 'var', AggregationAxes];
  return { name, arity: 1, kind: 'aggregation', commutative: false, statistic, axes, paper: axes !== 'layer' };
}

/** Every op of the DSL, by name. */
export const OPS: Readonly<Record<OpName, OpSpec>> = {
  add: binary('add', true, true, '+', 1),
  sub: binary('sub', false, false, '-', 1),
  mul: binary('mul', true, true, '*', 2),
  div: binary('div', false, true, '/', 2),
  max: binary('max', true, true),
  min: binary('min', true, false),
  neg: unary('neg', true),
  sigmoid: unary('sigmoid', true),
  tanh: unary('tanh', true),
  exp: unary('exp', true),
  log: unary('log', true),
  abs: unary('abs', true),
  square: unary('square', true),
  sqrt: unary('sqrt', true),
  relu: unary('relu', false),
  mean_batch: aggregation('mean_batch'),
  var_batch: aggregation('var_batch'),
  mean_instance: aggregation('mean_instance'),
  var_instance: aggregation('var_instance'),
  mean_group: aggregation('mean_group'),
  var_group: aggregation('var_group'),
  mean_layer: aggregation('mean_layer'),
  var_layer: aggregation('var_layer'),
};

export const OP_NAMES: readonly OpName[] = Object.keys(OPS) as OpName[];

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
