/**
 * The building unit of a proxy network: a function on NHWC tensors that knows its output shape.
 * Networks are compositions of Ops; the NetBuilder makes the Ops that own variables.
 */
import * as tf from '@tensorflow/tfjs';
import { residualJoin } from '../tensor/wasm-kernels/simd/index.js';

/** Height, width and channels of one example's feature map. */
export interface FeatureShape {
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

/** A layer or block: maps a [N, h, w, c] tensor to a [N, out.h, out.w, out.c] tensor. */
export interface Op {
  readonly out: FeatureShape;
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

/** Composes ops left to right; the shape is the last op's (or `input` for an empty list). */
export function chain(input: FeatureShape, ops: readonly Op[]): Op {
  return {
    out: ops.length === 0 ? input : ops[ops.length - 1].out,
    apply: (x, training) => ops.reduce((y, op) => op.apply(y, training), x),
  };
}

/**
 * A residual block: branch(x) + shortcut(x), then `post` (e.g. ReLU). A null shortcut is the
 * identity, which needs the branch to keep the shape.
 */
export function residual(
  branch: Op,
  shortcut: Op | null,
  post: (x: tf.Tensor4D) => tf.Tensor4D = (x) => x,
): Op {
  return {
    out: branch.out,
    apply: (x, training) => {
      const skip = shortcut === null ? x : shortcut.apply(x, training);
      return post(tf.add(branch.apply(x, training), skip));
    },
  };
}

/** An Op that is the per-channel affine x·γ + β, with its parameters, so a residual join can fuse it. */
export interface AffineOp extends Op {
  readonly gamma: tf.Tensor;
  readonly beta: tf.Tensor;
}

/**
 * A residual block whose branch and shortcut each end in a per-channel affine:
 * act(affine(branch(x)) + (shortcut ? affine'(shortcut(x)) : x)), act = ReLU when `relu`. The same
 * values as `residual(chain(branch, affine), chain(shortcut, affine'), relu)`, with the two
 * affines, the add and the ReLU as one kernel call each way on wasm (residualJoin).
 */
export function affineResidual(branch: Op, branchAffine: AffineOp, shortcut: Op | null, shortcutAffine: AffineOp | null, relu: boolean): Op {
  if ((shortcut === null) !== (shortcutAffine === null)) throw new Error('affineResidual: a shortcut comes with its affine');
  return {
    out: branchAffine.out,
    apply: (x, training) => {
      const skip = shortcut === null ? x : shortcut.apply(x, training);
      const y = branch.apply(x, training);
      return residualJoin(y, branchAffine.gamma, branchAffine.beta, skip, shortcutAffine, relu);
    },
  };
}

/** Output size along one axis of a 'same'-padded convolution with this stride. */
export function sameOutSize(size: number, stride: number): number {
  return Math.ceil(size / stride);
}
