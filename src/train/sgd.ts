/**
 * SGD with momentum (optionally Nesterov) and weight decay, written with explicit tensors
 * because tf.train.momentum has neither weight decay nor a per-step learning rate argument.
 *
 *   g ← ∇w  (+ wd·w in 'l2' mode, kernels only)
 *   v ← μ·v + g
 *   w ← w − lr·(nesterov ? g + μ·v : v)  (− lr·wd·w in 'decoupled' mode, kernels only)
 *
 * 'l2' equals adding wd/2·‖w‖² to the loss (as the paper's TF reference code does); 'decoupled'
 * is SGDW (Loshchilov & Hutter), scaled by the scheduled rate. Weight decay applies to the
 * convolution and dense kernels only, not to affine/site parameters or biases.
 */
import * as tf from '@tensorflow/tfjs';
import { SGD_STEP_BACKENDS, sgdStepAll } from '../tensor/wasm-kernels/sgd-step.js';

export interface SgdOptions {
  /** Momentum coefficient μ in [0, 1); 0.9 is usual. */
  readonly momentum: number;
  /** Nesterov momentum. */
  readonly nesterov: boolean;
  /** Weight decay coefficient wd (e.g. 5e-4); 0 for none. */
  readonly weightDecay: number;
  /** 'l2' (added to the gradient; default) or 'decoupled' (SGDW). */
  readonly weightDecayMode?: 'l2' | 'decoupled';
}

export class MomentumSgd {
  /**
   * On wasm/cpu, the update of every variable is one fused kernel call (src/tensor/wasm-kernels/sgd-step.ts
   * SGD_STEP_ALL) instead of ~7 element-wise ops per variable; false forces the op-by-op update (to compare).
   */
  useFusedKernel = true;
  private readonly velocity: tf.Variable[];
  private readonly decayed: boolean[];

  /** Optimises `variables`; those in `decayedVariables` also get weight decay. */
  constructor(
    private readonly variables: readonly tf.Variable[],
    decayedVariables: readonly tf.Variable[],
    private readonly options: SgdOptions,
  ) {
    const decayedSet = new Set(decayedVariables);
    this.decayed = variables.map((v) => decayedSet.has(v));
    this.velocity = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  }

  /**
   * Applies one update with learning rate `lr`; `grads` are keyed by variable name (as
   * tf.variableGrads returns them). A variable without a gradient is left alone.
   */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    const decoupled = this.options.weightDecayMode === 'decoupled';
    if (this.useFusedKernel && SGD_STEP_BACKENDS.has(tf.getBackend())) {
      tf.tidy(() => {
        // Every float32 variable with a gradient in one kernel call; the others op by op.
        const fused: number[] = [];
        this.variables.forEach((w, i) => {
          const g = grads[w.name];
          if (g == null || g.dtype !== 'float32' || w.dtype !== 'float32') this.applyOne(w, i, g, lr);
          else fused.push(i);
        });
        if (fused.length === 0) return;
        const wds = fused.map((i) => (this.decayed[i] && weightDecay > 0 ? weightDecay : 0));
        const next = sgdStepAll(fused.map((i) => this.variables[i]!), fused.map((i) => this.velocity[i]!), fused.map((i) => grads[this.variables[i]!.name]!), wds, { lr, momentum, nesterov, decoupled });
        fused.forEach((i, k) => {
          this.velocity[i]!.assign(next.v[k]!);
          this.variables[i]!.assign(next.w[k]!);
        });
      });
      return;
    }
    tf.tidy(() => {
      this.variables.forEach((w, i) => this.applyOne(w, i, grads[w.name], lr));
    });
  }

  /** The op-by-op update of variable `i` (nothing without a gradient). */
  private applyOne(w: tf.Variable, i: number, grad: tf.Tensor | undefined, lr: number): void {
    const { momentum, nesterov, weightDecay } = this.options;
    const decoupled = this.options.weightDecayMode === 'decoupled';
    tf.tidy(() => {
      let g: tf.Tensor | undefined = grad;
      if (g == null) return;
      const rate = tf.scalar(lr);
      const decay = this.decayed[i] && weightDecay > 0;
      if (decay && !decoupled) g = tf.add(g, tf.mul(w, weightDecay));
      const v = tf.add(tf.mul(this.velocity[i], momentum), g);
      this.velocity[i].assign(v);
      const step = nesterov ? tf.add(g, tf.mul(v, momentum)) : v;
      let next = tf.sub(w, tf.mul(step, rate));
      if (decay && decoupled) next = tf.sub(next, tf.mul(w, tf.mul(rate, weightDecay)));
      w.assign(next);
    });
  }

  /** Frees the momentum buffers (not the optimised variables). */
  dispose(): void {
    for (const v of this.velocity) v.dispose();
    this.velocity.length = 0;
  }
}
