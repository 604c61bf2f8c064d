/**
 * The zoo: known normalization-activation layers as expressions (PAPER.md §2), the baselines
 * the search is compared against and the EvoNorms it should rediscover.
 *
 * How layers whose activation follows the affine are written: the paper's BN-ReLU is
 * max(BN(x)·γ + β, 0), the ReLU after the affine. Writing `max(BN(x), zero)` as the graph output
 * would put the ReLU before the affine, a different layer. Such layers are written
 * `relu(affine(e))` (or `swish(affine(e))`), which sets LayerGraph.activation: the graph output
 * is the normalised `e`, and the tensor code applies `·γ + β` and then the activation.
 * EvoNorms need none of this: their nonlinearity sits inside the graph, before the affine.
 * `sqrt` already includes ε (ops.ts), so `sqrt(var_batch(x))` is √(s² + ε).
 */
import { EvonormError } from '../util/errors.js';
import { closest } from './names.js';
import { parseExpression } from './parse.js';
import type { LayerGraph } from './types.js';

export interface ZooEntry {
  /** The layer in the expression syntax. */
  readonly expression: string;
  /** One line for people: what it is and where it comes from. */
  readonly description: string;
  /** B: uses batch statistics; S: batch-independent; baseline: a hand-designed layer. */
  readonly family: 'B' | 'S' | 'baseline';
}

const BN = '(x - mean_batch(x)) / sqrt(var_batch(x))';
const GN = '(x - mean_group(x)) / sqrt(var_group(x))';
const LN = '(x - mean_layer(x)) / sqrt(var_layer(x))';

/** The known layers, by name. */
export const ZOO: Readonly<Record<string, ZooEntry>> = {
  'bn-relu': {
    expression: `relu(affine(${BN}))`,
    description: 'BatchNorm then ReLU: max(BN(x)·γ + β, 0)',
    family: 'baseline',
  },
  'bn-swish': {
    expression: `swish(affine(${BN}))`,
    description: 'BatchNorm then Swish/SiLU: z·σ(z) with z = BN(x)·γ + β',
    family: 'baseline',
  },
  'gn-relu': {
    expression: `relu(affine(${GN}))`,
    description: 'GroupNorm then ReLU: max(GN(x)·γ + β, 0)',
    family: 'baseline',
  },
  'gn-swish': {
    expression: `swish(affine(${GN}))`,
    description: 'GroupNorm then Swish/SiLU',
    family: 'baseline',
  },
  'ln-relu': {
    expression: `relu(affine(${LN}))`,
    description: 'LayerNorm over (h,w,c) then ReLU',
    family: 'baseline',
  },
  'identity-affine': {
    expression: 'x',
    description: 'No normalization, no activation: only the per-channel affine x·γ + β',
    family: 'baseline',
  },
  'evonorm-b0': {
    expression: 'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))',
    description: 'EvoNorm-B0 (Liu et al. 2020): batch and instance variance, v1 gates the instance term',
    family: 'B',
  },
  'evonorm-b1': {
    expression: 'x / max(sqrt(var_batch(x)), (x + one) * sqrt(mean_instance(square(x))))',
    description: 'EvoNorm-B1 (Liu et al. 2020)',
    family: 'B',
  },
  'evonorm-b2': {
    expression: 'x / max(sqrt(var_batch(x)), sqrt(mean_instance(square(x))) - x)',
    description: 'EvoNorm-B2 (Liu et al. 2020)',
    family: 'B',
  },
  'evonorm-s0': {
    expression: 'x * sigmoid(v1 * x) / sqrt(var_group(x))',
    description: 'EvoNorm-S0 (Liu et al. 2020): swish-like gate over group standard deviation',
    family: 'S',
  },
  'evonorm-s1': {
    expression: 'x * sigmoid(x) / sqrt(var_group(x))',
    description: 'EvoNorm-S1 (Liu et al. 2020)',
    family: 'S',
  },
  'evonorm-s2': {
    expression: 'x * sigmoid(x) / sqrt(mean_group(square(x)))',
    description: 'EvoNorm-S2 (Liu et al. 2020)',
    family: 'S',
  },
};

/** Zoo layer names, in table order. */
export const ZOO_NAMES: readonly string[] = Object.keys(ZOO);

/** True when `name` is a zoo layer. */
export function isZooName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ZOO, name);
}

/** The graph of zoo layer `name`; throws EvonormError('BAD_INPUT') for an unknown name. */
export function zooLayer(name: string): LayerGraph {
  if (!isZooName(name)) {
    const hint = closest(name, ZOO_NAMES);
    throw new EvonormError(
      'BAD_INPUT',
      `unknown zoo layer "${name}"${hint ? ` (did you mean ${hint}?)` : ''}; known: ${ZOO_NAMES.join(', ')}`,
    );
  }
  return parseExpression(ZOO[name].expression);
}
