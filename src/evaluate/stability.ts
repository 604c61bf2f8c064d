/**
 * Rejection stage 2: the adversarial stability test (PAPER.md §4). Gradient ascent on the
 * network weights to make the loss gradient's norm ‖g‖ as large as possible; a layer whose
 * ‖g‖ passes a threshold (or turns NaN/Inf) is rejected: it trains today but may blow up later.
 *
 *   for s in 1..S:
 *     g = ∇θ L(θ);  if ‖g‖ > threshold or not finite: reject
 *     u = g / ‖g‖
 *     Hu ≈ (∇θ L(θ + h·u) − g) / h          finite difference: tfjs gives no second derivatives
 *     θ ← θ + η · Hu / ‖Hu‖                 ∇θ ‖g‖² = 2·H·g ∝ Hu: normalised ascent step
 *
 * Moving statistics are frozen while probing; the weights are restored at the end.
 */
import * as tf from '@tensorflow/tfjs';
import type { RejectionCode } from './rejection.js';

export interface StabilityOptions {
  /** Ascent steps S (default 100); stops early on rejection. */
  readonly steps: number;
  /** Reject when ‖g‖ exceeds this (default 1e8). */
  readonly threshold: number;
  /** Length η of each normalised ascent step in weight space. */
  readonly stepSize: number;
  /** Finite-difference step h along the unit gradient direction. */
  readonly fdStep: number;
}

export interface StabilityResult {
  readonly passed: boolean;
  readonly reason?: string;
  /** Stable code of the reason, when rejected. */
  readonly code?: RejectionCode;
  readonly stepsRun: number;
  readonly maxGradNorm: number;
  /** ‖g‖ at each step, for reports and tuning. */
  readonly gradNorms: readonly number[];
}

/** A differentiable loss of some trainable variables (e.g. a proxy network on a fixed batch). */
export interface Differentiable {
  readonly variables: readonly tf.Variable[];
  loss(): tf.Scalar;
}

/** Runs the stability probe; leaves every variable as it found it. */
export function stabilityProbe(target: Differentiable, options: StabilityOptions): StabilityResult {
  const vars = [...target.variables];
  const saved = vars.map((v) => tf.clone(v));
  const gradNorms: number[] = [];
  try {
    for (let step = 1; step <= options.steps; step++) {
      const g = gradients(target, vars);
      const norm = globalNorm(g);
      gradNorms.push(norm);
      if (!Number.isFinite(norm)) return verdict(false, 'gradient-not-finite', `gradient norm not finite at ascent step ${step}`, step, gradNorms, g);
      if (norm > options.threshold) return verdict(false, 'gradient-too-large', `gradient norm ${norm.toExponential(2)} > ${options.threshold.toExponential(0)} at ascent step ${step}`, step, gradNorms, g);
      const h = options.fdStep;
      addScaled(vars, g, h / Math.max(norm, 1e-30));
      const gShifted = gradients(target, vars);
      addScaled(vars, g, -h / Math.max(norm, 1e-30));
      const hu = tf.tidy(() => gShifted.map((gs, i) => tf.div(tf.sub(gs, g[i]), h)));
      tf.dispose([...g, ...gShifted]);
      const huNorm = globalNorm(hu);
      if (!Number.isFinite(huNorm)) {
        tf.dispose(hu);
        return verdict(false, 'curvature-not-finite', `curvature not finite at ascent step ${step}`, step, gradNorms);
      }
      if (huNorm > 0) addScaled(vars, hu, options.stepSize / huNorm);
      tf.dispose(hu);
    }
    return verdict(true, undefined, undefined, options.steps, gradNorms);
  } finally {
    vars.forEach((v, i) => v.assign(saved[i]));
    tf.dispose(saved);
  }
}

function verdict(passed: boolean, code: RejectionCode | undefined, reason: string | undefined, stepsRun: number, gradNorms: number[], toDispose: tf.Tensor[] = []): StabilityResult {
  tf.dispose(toDispose);
  const finite = gradNorms.filter(Number.isFinite);
  return { passed, ...(code ? { code } : {}), reason, stepsRun, gradNorms, maxGradNorm: gradNorms.some((n) => !Number.isFinite(n)) ? Infinity : Math.max(0, ...finite) };
}

function gradients(target: Differentiable, vars: tf.Variable[]): tf.Tensor[] {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => target.loss(), vars);
    value.dispose();
    return vars.map((v) => grads[v.name]);
  });
}

/** √(Σ‖t‖²) over a list of tensors, read back once. */
function globalNorm(tensors: tf.Tensor[]): number {
  const total = tf.tidy(() => tf.addN(tensors.map((t) => tf.sum(tf.square(t)))));
  const value = Math.sqrt(total.dataSync()[0]);
  total.dispose();
  return value;
}

/** v ← v + scale·d for every variable. */
function addScaled(vars: tf.Variable[], directions: tf.Tensor[], scale: number): void {
  vars.forEach((v, i) => tf.tidy(() => v.assign(tf.add(v, tf.mul(directions[i], scale)))));
}
