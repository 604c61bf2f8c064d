/** Softmax cross-entropy with label smoothing, the training and validation loss. */
import * as tf from '@tensorflow/tfjs';

/**
 * Mean softmax cross-entropy of `logits` [N, K] against integer `labels` [N], with the one-hot
 * targets smoothed to (1 − s)·onehot + s/K (s = `smoothing`, 0 for plain cross-entropy).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, smoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const onehot = tf.oneHot(labels, k).toFloat();
    const targets = smoothing > 0 ? tf.add(tf.mul(onehot, 1 - smoothing), smoothing / k) : onehot;
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}
