/** Loss and per-variable gradients of a model on one batch, and the global gradient norm. */
import * as tf from '@tensorflow/tfjs';
import type { ProxyModel } from '../models/proxy-model.js';
import { crossEntropy } from './loss.js';

/** The loss and one gradient per trainable variable, in `model.trainableVariables()` order. */
export interface LossAndGrads {
  readonly loss: tf.Scalar;
  /** Zeros for a variable the loss does not depend on. */
  readonly grads: tf.Tensor[];
}

/**
 * Cross-entropy (with `labelSmoothing`) of `model` on `images`/`labels` and its gradient with
 * respect to every trainable variable. `training` picks batch statistics (and updates moving
 * averages, as a training step would) vs moving averages. The caller disposes the result.
 */
export function lossAndGrads(
  model: ProxyModel,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  training: boolean,
  labelSmoothing = 0,
): LossAndGrads {
  const vars = model.trainableVariables();
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => crossEntropy(model.apply(images, training), labels, labelSmoothing),
      vars,
    );
    const list = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    return { loss: value as tf.Scalar, grads: list };
  });
}

/** The global L2 norm √(Σ‖g‖²) of a list of gradients, as a scalar tensor. */
export function gradientNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  });
}
