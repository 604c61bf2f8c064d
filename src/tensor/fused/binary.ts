/**
 * Element-wise binary ops whose gradient reduces broadcast operands cheaply (reduceSumTo), and
 * reduces before the per-element work where the operand is constant over the reduced axes.
 * Values are tfjs's own; gradients follow tfjs's definitions (Maximum: a ≥ b takes dy), except
 * that max/min reduce over broadcast axes (tfjs's Maximum/Minimum gradients do not).
 */
import * as tf from '@tensorflow/tfjs';
import { withGradient } from './custom-grad.js';
import { reduceSumTo } from './reduce.js';

export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

const FORWARD: Record<BinaryOpName, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, max: tf.maximum, min: tf.minimum,
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Gradients (da, db) of op at (a, b) for upstream dy of the output's (broadcast) shape. */
function gradients(op: BinaryOpName, a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor): [tf.Tensor, tf.Tensor] {
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
    case 'max':
    case 'min': {
      const takeA = op === 'max' ? tf.greaterEqual(a, b) : tf.lessEqual(a, b);
      const maskA = tf.cast(takeA, 'float32');
      const dyA = tf.mul(dy, maskA);
      const dyB = tf.sub(dy, dyA);
      return [reduceSumTo(dyA, a.shape), reduceSumTo(dyB, b.shape)];
    }
  }
}

/**
 * op(a, b) with broadcasting; when the shapes differ the gradient is computed as described in
 * the module comment. Equal shapes use tfjs's op and gradient unchanged.
 */
export function binaryOp(op: BinaryOpName, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (sameShape(a.shape, b.shape)) return FORWARD[op](a, b);
  return withGradient([a, b], ([x, y], save) => {
    save([x!, y!]);
    return {
      value: FORWARD[op](x!, y!),
      gradFunc: (dy, saved) => gradients(op, saved[0]!, saved[1]!, dy),
    };
  });
}
