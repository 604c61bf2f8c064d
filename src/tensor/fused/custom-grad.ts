import * as tf from '@tensorflow/tfjs';

/** What a forward computation returns: its value and the gradient with respect to each input. */
export interface WithGradient {
  readonly value: tf.Tensor;
  readonly gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

/**
 * Applies `forward` to `inputs` with its own gradient (tf.customGrad with typed arguments).
 * Tensors made in `forward` are freed after it unless returned or passed to `save`.
 */
export function withGradient(inputs: tf.Tensor[], forward: (xs: tf.Tensor[], save: tf.GradSaveFunc) => WithGradient): tf.Tensor {
  const f = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return forward(args.slice(0, -1) as tf.Tensor[], save);
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(...inputs);
}
