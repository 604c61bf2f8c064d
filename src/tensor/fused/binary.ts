/**
 * Element-wise binary ops whose gradient reduces broadcast operands cheaply (reduceSumTo), and
 * reduces before the per-element work where the operand is constant over the reduced axes.
 * Values are tfjs's own; gradients follow tfjs's definitions (Maximum: a ≥ b takes dy), except
 * that max/min reduce over broadcast axes (tfjs's Maximum/Minimum gradients do not).
 *
 * max/min avoid tfjs-wasm's Maximum, Minimum and comparison kernels, which are slow (3–5 ms for
 * [64,28,28,16]) and very slow when broadcasting (~90 ms): the choice is a mask from Step of the
 * difference (a few fast element-wise kernels), and the value is selected, so it stays exact.
 */
import * as tf from '@tensorflow/tfjs';
import { withGradient } from './custom-grad.js';
import { simdMaxMin, simdMaxMinGrad, simdMomentsAvailable, type MaxMinPlan } from '../wasm-kernels/simd/index.js';
import { broadcastShape, expandTo, middleShape, reduceSumTo } from './reduce.js';

export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

const FORWARD: Record<Exclude<BinaryOpName, 'max' | 'min'>, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div,
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Gradients (da, db) of op at (a, b) for upstream dy of the output's (broadcast) shape. */
function gradients(op: Exclude<BinaryOpName, 'max' | 'min'>, a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const fullB = sameShape(b.shape, dy.shape);
  switch (op) {
    case 'add': return [reduceSumTo(dy, a.shape), reduceSumTo(dy, b.shape)];
    case 'sub': return [reduceSumTo(dy, a.shape), tf.neg(reduceSumTo(dy, b.shape))];
    case 'mul': return [reduceSumTo(tf.mul(dy, b), a.shape), reduceSumTo(tf.mul(dy, a), b.shape)];
    case 'div': {
      const da = reduceSumTo(tf.div(dy, b), a.shape);
      // d/db (a/b) = −a/b²; b is constant over the axes summed, so divide after the sum.
      const db = fullB ? tf.neg(tf.div(tf.mul(dy, a), tf.square(b))) : tf.neg(tf.div(reduceSumTo(tf.mul(dy, a), b.shape), tf.square(b)));
      return [da, db];
    }
  }
}

/**
 * 1 where max (or min) takes b, else 0, over the broadcast shape: a < b for max, a > b for min
 * (ties take a, as tfjs's Maximum/Minimum gradients do). step(t) is 1 for t > 0, else 0.
 */
function takesB(op: 'max' | 'min', a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const d = tf.sub(a, b);
  return tf.step(op === 'max' ? tf.neg(d) : d);
}

/**
 * How max/min(a, b) runs as one SIMD kernel (src/tensor/wasm-kernels/simd/max-min.ts): both
 * operands of the broadcast shape, or one of them a statistic broadcast over one run of axes;
 * undefined when the kernel is off or the shapes are another broadcast.
 */
function simdPlan(a: tf.Tensor, b: tf.Tensor): MaxMinPlan | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.rank !== b.rank || !simdMomentsAvailable(a)) return undefined;
  const shape = broadcastShape(a.shape, b.shape);
  const aFull = sameShape(a.shape, shape);
  const bFull = sameShape(b.shape, shape);
  if (aFull && bFull) return { outer: 1, p: 1, inner: a.size, aSmall: false, bSmall: false, shape };
  const middle = aFull ? middleShape(shape, b.shape) : bFull ? middleShape(shape, a.shape) : undefined;
  return middle && { ...middle, aSmall: !aFull, bSmall: !bFull, shape };
}

/** max(a, b) or min(a, b) with broadcasting; gradient dy to the operand taken, reduced to its shape. */
function maxMin(op: 'max' | 'min', a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const plan = simdPlan(a, b);
  if (plan !== undefined) {
    return withGradient([a, b], ([x, y], save) => {
      save([x!, y!]);
      return { value: simdMaxMin(x!, y!, plan, op === 'min'), gradFunc: (dy, [xs, ys]) => simdMaxMinGrad(xs!, ys!, dy, plan, op === 'min') };
    });
  }
  return withGradient([a, b], ([x, y], save) => {
    const shape = broadcastShape(x!.shape, y!.shape);
    const mask = takesB(op, x!, y!);
    save([mask]);
    const value = tf.where(tf.cast(mask, 'bool'), expandTo(y!, shape), expandTo(x!, shape));
    return {
      value,
      gradFunc: (dy, [m]) => {
        const dyB = tf.mul(dy, m!);
        return [reduceSumTo(tf.sub(dy, dyB), x!.shape), reduceSumTo(dyB, y!.shape)];
      },
    };
  });
}

/**
 * op(a, b) with broadcasting; when the shapes differ the gradient is computed as described in
 * the module comment. Equal shapes use tfjs's op and gradient unchanged.
 */
export function binaryOp(op: BinaryOpName, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (op === 'max' || op === 'min') return maxMin(op, a, b);
  if (sameShape(a.shape, b.shape)) return FORWARD[op](a, b);
  return withGradient([a, b], ([x, y], save) => {
    save([x!, y!]);
    return {
      value: FORWARD[op](x!, y!),
      gradFunc: (dy, saved) => gradients(op, saved[0]!, saved[1]!, dy),
    };
  });
}
