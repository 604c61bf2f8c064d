/** Top-1 accuracy and mean cross-entropy of a model on a split, in inference mode. */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/types.js';
import type { ProxyModel } from '../models/proxy-model.js';
import { type ChannelStats, makeBatch } from './batches.js';
import { crossEntropy } from './loss.js';

export interface EvalResult {
  /** Fraction of examples whose arg-max logit is the label (NaN for an empty split). */
  readonly accuracy: number;
  /** Mean cross-entropy without label smoothing (NaN for an empty split; may be non-finite). */
  readonly loss: number;
  readonly count: number;
}

/**
 * Evaluates `model` on every example of `split` in order, `batchSize` at a time, with moving
 * statistics (training = false). Inputs are normalised with `stats` (the ones training used;
 * null: as stored). One device read at the end.
 */
export async function evaluateModel(
  model: ProxyModel,
  split: ImageSplit,
  batchSize: number,
  stats: ChannelStats | null = null,
): Promise<EvalResult> {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`evaluateModel: batchSize must be a positive integer, got ${batchSize}`);
  if (split.count === 0) return { accuracy: NaN, loss: NaN, count: 0 };
  const totals: tf.Tensor1D[] = [];
  for (let start = 0; start < split.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.count - start) }, (_, i) => start + i);
    totals.push(
      tf.tidy(() => {
        const batch = makeBatch(split, indices, model.inputShape, stats);
        const logits = model.apply(batch.images, false);
        const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), 'float32'));
        const lossSum = tf.mul(crossEntropy(logits, batch.labels), indices.length);
        return tf.stack([correct, lossSum]) as tf.Tensor1D;
      }),
    );
  }
  const summed = tf.tidy(() => tf.addN(totals));
  const [correct, lossSum] = await summed.data();
  tf.dispose([...totals, summed]);
  return { accuracy: correct / split.count, loss: lossSum / split.count, count: split.count };
}
