/**
 * Mean and variance aggregations with a hand-written gradient and matmul reductions
 * (reduce.ts): the forward is two passes as tf.moments (mean, then mean of squared deviations,
 * which stays exact for zero-variance channels), the backward is one or two element-wise ops:
 *
 *   mean:  dx = dμ / m            (broadcast back over the m reduced elements)
 *   var:   dx = dσ² · 2(x − μ) / m  (the μ term vanishes: Σ(x − μ) = 0)
 *
 * tf.moments instead records mean, sub, square and mean, whose gradients broadcast with
 * ones-multiplies and reduce by transposing sums (about 4× the work on wasm).
 */
import * as tf from '@tensorflow/tfjs';
import { withGradient } from './custom-grad.js';
import { simdMoments, simdMomentsAvailable, simdMomentsGrad, type MiddleShape } from '../wasm-kernels/simd/index.js';
import { expandTo, middleShape, reduceSumTo } from './reduce.js';

export type Statistic = 'mean' | 'var';

/** The shape of a statistic of `shape` over `axes` (kept dims). */
function reducedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * The mean or (biased) variance of `a` over `axes`, with kept dims. An axis on which `a` has
 * size 1 (a broadcast value) contributes nothing, as for the full tensor.
 */
export function statistic(a: tf.Tensor, axes: readonly number[], which: Statistic): tf.Tensor {
  const out = reducedShape(a.shape, axes);
  const count = axes.reduce((p, i) => p * a.shape[i]!, 1);
  if (count === 1) return which === 'mean' ? a : tf.zerosLike(a);
  const middle = middleShape(a.shape, out);
  if (middle !== undefined && simdMomentsAvailable(a)) return simdStatistic(a, out, middle, which);
  return withGradient([a], ([x], save) => {
    const mean = tf.mul(reduceSumTo(x!, out), 1 / count);
    if (which === 'mean') {
      return { value: mean, gradFunc: (dy) => expandTo(tf.mul(dy, 1 / count), x!.shape) };
    }
    const dev = tf.sub(x!, mean);
    save([dev]);
    const variance = tf.mul(reduceSumTo(tf.mul(dev, dev), out), 1 / count);
    return { value: variance, gradFunc: (dy, [d]) => tf.mul(d!, tf.mul(dy, 2 / count)) };
  });
}

/**
 * statistic() as one SIMD kernel call each way on wasm (src/tensor/wasm-kernels/simd/moments-middle.ts):
 * the same values as the path below, bit for bit, in 1 call instead of 6 forward and 1 instead of 2 backward.
 */
function simdStatistic(a: tf.Tensor, out: readonly number[], middle: MiddleShape, which: Statistic): tf.Tensor {
  return withGradient([a], ([x], save) => {
    const [mean, variance] = simdMoments(x!, middle, which === 'var');
    save([x!, mean!]);
    return {
      value: tf.reshape(which === 'var' ? variance! : mean!, [...out]),
      gradFunc: (dy, [xs, mu]) => simdMomentsGrad(xs!, mu!, tf.reshape(dy, [middle.outer, middle.inner]), middle, which),
    };
  });
}

/** [C, G] indicator: 1 where channel c belongs to group g (contiguous groups of C/G). */
function groupMatrix(channels: number, groups: number): tf.Tensor2D {
  const per = channels / groups;
  const m = new Float32Array(channels * groups);
  for (let c = 0; c < channels; c++) m[c * groups + Math.floor(c / per)] = 1;
  return tf.tensor2d(m, [channels, groups]);
}

/**
 * The mean or variance of `a` ([N,H,W,C], or smaller and broadcastable) over (h, w, channels
 * of the group) per sample, expanded back to channels: shape [N,1,1,C]. Groups are contiguous
 * channel blocks of C/G. A value without a channel axis (C = 1) is constant over each group.
 */
export function groupStatistic(a: tf.Tensor, groups: number, which: Statistic): tf.Tensor {
  const [n, h, w, c] = a.shape as [number, number, number, number];
  if (c === 1 || groups === 1) {
    // Constant over channels: a group statistic is the instance one; G = 1 is the layer one.
    return statistic(a, groups === 1 ? [1, 2, 3] : [1, 2], which);
  }
  const per = c / groups;
  const count = h * w * per;
  const perChannelShape = [n, 1, 1, c];
  return withGradient([a], ([x], save) => {
    const m = groupMatrix(c, groups);
    // Σ over (h, w) per channel, then over each group's channels, then back onto its channels.
    const toGroups = (t: tf.Tensor): tf.Tensor =>
      tf.reshape(tf.matMul(tf.matMul(tf.reshape(reduceSumTo(t, perChannelShape), [n, c]), m), m, false, true), perChannelShape);
    const mean = tf.mul(toGroups(x!), 1 / count);
    if (which === 'mean') {
      // Tensors made here are freed after the forward unless saved, so m is saved for the backward.
      save([m]);
      return {
        value: mean,
        gradFunc: (dy, [mm]) => expandTo(tf.mul(toGroupsSmall(dy, mm!, n, c), 1 / count), x!.shape),
      };
    }
    const dev = tf.sub(x!, mean);
    save([dev, m]);
    const variance = tf.mul(toGroups(tf.mul(dev, dev)), 1 / count);
    return {
      value: variance,
      gradFunc: (dy, [d, mm]) => tf.mul(d!, tf.mul(toGroupsSmall(dy, mm!, n, c), 2 / count)),
    };
  });
}

/** Σ of a [N,1,1,C] value over each group's channels, on every channel of the group. */
function toGroupsSmall(t: tf.Tensor, m: tf.Tensor, n: number, c: number): tf.Tensor {
  return tf.reshape(tf.matMul(tf.matMul(tf.reshape(t, [n, c]), m), m, false, true), [n, 1, 1, c]);
}
