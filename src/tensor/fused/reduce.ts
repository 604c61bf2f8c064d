/**
 * Sums and broadcasts between a tensor and a smaller broadcastable shape. tfjs-wasm reduces
 * over leading axes (e.g. NHW of NHWC) by transposing the whole tensor first and broadcasts by
 * a slow generic loop (tf.broadcastTo of [C] to [64,28,28,16]: 50 ms). Here sums run as an
 * average pooling over a window covering the summed axes (XNNPACK on wasm; [64,28,28,16] → [C]:
 * Sum 1.4–5 ms, avgPool 0.25 ms) and broadcasts as a matmul with a vector of ones (or a
 * broadcast multiply with ones where that is faster). A matmul
 * reduction (ones · t) is fast in isolation but re-packs t as XNNPACK weights on every call.
 */
import * as tf from '@tensorflow/tfjs';
import { simdSumMiddle } from '../wasm-kernels/simd/index.js';

/**
 * How `full` relates to `small` (same rank, small[i] ∈ {1, full[i]}), with size-1 axes dropped
 * and neighbouring axes of the same kind merged: 'sum' axes are 1 in small, 'keep' axes are not.
 */
type Layout =
  | { kind: 'same' }
  | { kind: 'sum'; p: number } //               [P] → []
  | { kind: 'sum-keep'; p: number; k: number } // [P, K] → [K]
  | { kind: 'keep-sum'; k: number; p: number } // [K, P] → [K]
  | { kind: 'keep-sum-keep'; k: number; p: number; k2: number } // [K, P, K2] → [K, K2]
  | { kind: 'other'; axes: number[] };

function layout(full: readonly number[], small: readonly number[]): Layout {
  if (full.length !== small.length) throw new Error(`rank mismatch: ${full} vs ${small}`);
  const runs: Array<{ sum: boolean; size: number }> = [];
  const axes: number[] = [];
  full.forEach((d, i) => {
    if (d === 1) return;
    const sum = small[i] === 1;
    if (!sum && small[i] !== d) throw new Error(`shape ${small} does not broadcast to ${full}`);
    if (sum) axes.push(i);
    const last = runs[runs.length - 1];
    if (last && last.sum === sum) last.size *= d;
    else runs.push({ sum, size: d });
  });
  const kinds = runs.map((r) => (r.sum ? 's' : 'k')).join('');
  const s = runs.map((r) => r.size);
  switch (kinds) {
    case '': case 'k': return { kind: 'same' };
    case 's': return { kind: 'sum', p: s[0]! };
    case 'sk': return { kind: 'sum-keep', p: s[0]!, k: s[1]! };
    case 'ks': return { kind: 'keep-sum', k: s[0]!, p: s[1]! };
    case 'ksk': return { kind: 'keep-sum-keep', k: s[0]!, p: s[1]!, k2: s[2]! };
    default: return { kind: 'other', axes };
  }
}

/**
 * `full` seen as [outer, p, inner] with the axes on which `small` is 1 forming the middle p, or
 * undefined when they do not form one contiguous run (size-1 axes ignored) or nothing is summed.
 */
export function middleShape(full: readonly number[], small: readonly number[]): { outer: number; p: number; inner: number } | undefined {
  const l = layout(full, small);
  switch (l.kind) {
    case 'sum': return { outer: 1, p: l.p, inner: 1 };
    case 'sum-keep': return { outer: 1, p: l.p, inner: l.k };
    case 'keep-sum': return { outer: l.k, p: l.p, inner: 1 };
    case 'keep-sum-keep': return { outer: l.k, p: l.p, inner: l.k2 };
    default: return undefined;
  }
}

/** Sums `t` over the axes on which `shape` is 1 (shape must broadcast to t's shape). */
export function reduceSumTo(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const l = layout(t.shape, shape);
  const out = [...shape];
  switch (l.kind) {
    case 'same': return t.shape.length === out.length && t.shape.every((d, i) => d === out[i]) ? t : tf.reshape(t, out);
    case 'sum': return tf.reshape(poolSum(t, 1, l.p, 1), out);
    case 'sum-keep': return tf.reshape(poolSum(t, 1, l.p, l.k), out);
    case 'keep-sum': return tf.reshape(poolSum(t, l.k, l.p, 1), out);
    case 'keep-sum-keep': return tf.reshape(poolSum(t, l.k, l.p, l.k2), out);
    case 'other': return tf.sum(t, l.axes, true);
  }
}

/**
 * Σ over the middle axis of t seen as [outer, p, inner]: one SIMD kernel on wasm when its module
 * is loaded (src/tensor/wasm-kernels/simd), else an average pooling times p.
 */
function poolSum(t: tf.Tensor, outer: number, p: number, inner: number): tf.Tensor {
  const simd = simdSumMiddle(t, outer, p, inner);
  if (simd !== undefined) return simd;
  const pooled = tf.avgPool(tf.reshape(t, [outer, p, 1, inner]) as tf.Tensor4D, [p, 1], 1, 'valid');
  return tf.mul(pooled, p);
}

/** Broadcasts `t` to `shape` (t's shape must broadcast to it): the adjoint of reduceSumTo. */
export function expandTo(t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const l = layout(shape, t.shape);
  const out = [...shape];
  switch (l.kind) {
    case 'same': return tf.reshape(t, out);
    case 'sum': return tf.reshape(tf.matMul(tf.ones([l.p, 1]), tf.reshape(t, [1, 1])), out);
    case 'sum-keep': return tf.reshape(tf.matMul(tf.ones([l.p, 1]), tf.reshape(t, [1, l.k])), out);
    case 'keep-sum': return tf.reshape(tf.matMul(tf.reshape(t, [l.k, 1]), tf.ones([1, l.p])), out);
    // A batched matmul is slow here (5 ms for [64,1,1,16] → [64,28,28,16]); a broadcast mul is not.
    case 'keep-sum-keep': case 'other': return tf.mul(t, tf.ones(out));
  }
}

/** The shape both operands broadcast to. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  return tf.backend_util.assertAndGetBroadcastShape([...a], [...b]);
}
