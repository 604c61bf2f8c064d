/**
 * The post-affine activations, one descriptor each (STYLE.md 15, as ops are in ops.ts): what an
 * activation applied after the layer's per-channel affine computes, on numbers (the float64
 * interpreter) and as code of each export target. Adding one is an entry here plus its tfjs
 * kernel in src/tensor/op-kernels.ts (ACTIVATION_KERNELS, a Record over these names, so it does
 * not compile without one); the text syntax, the JSON format, validation and the exporters
 * derive from ACTIVATIONS.
 */
import type { CodeTemplates } from './ops.js';

export interface ActivationSpec {
  /** What it computes on z = g·γ + β, for people. */
  readonly formula: string;
  /** The value on a number (the float64 interpreter, the functional fingerprint). */
  readonly float64: (z: number) => number;
  /** The activation as code of each export target, a template over `$a`. */
  readonly code: CodeTemplates;
}

export const ACTIVATIONS = {
  relu: {
    formula: 'max(z, 0)',
    float64: (z) => Math.max(z, 0),
    code: { torch: 'torch.relu($a)', keras: 'ops.relu($a)', tfjs: 'tf.relu($a)' },
  },
  swish: {
    formula: 'z·sigmoid(z)',
    float64: (z) => z / (1 + Math.exp(-z)),
    code: { torch: '$a * torch.sigmoid($a)', keras: '$a * ops.sigmoid($a)', tfjs: 'tf.mul($a, tf.sigmoid($a))' },
  },
} as const satisfies Record<string, ActivationSpec>;

/** A post-affine activation's name. */
export type PostAffineActivation = keyof typeof ACTIVATIONS;
/** Every post-affine activation, in ACTIVATIONS' order. */
export const POST_AFFINE_ACTIVATIONS = Object.keys(ACTIVATIONS) as readonly PostAffineActivation[];

/** The code of activation `name` on the identifier `value` in an export target. */
export function activationCode(name: PostAffineActivation, target: keyof CodeTemplates, value: string): string {
  return ACTIVATIONS[name].code[target].replaceAll('$a', value);
}
