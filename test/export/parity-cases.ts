/**
 * The layers the export parity tests run: every zoo layer and seeded random valid graphs over
 * every op of the registry, run by GraphLayer (tfjs, cpu) through the same sequence the
 * exported code runs: inference with the initial buffers, 3 training steps (the first one also
 * differentiated), inference after them.
 */
import * as tf from '@tensorflow/tfjs';
import { OP_NAMES } from '../../src/graph/ops.js';
import { liveNodes } from '../../src/graph/live.js';
import { ZOO_NAMES, zooLayer } from '../../src/graph/zoo.js';
import type { LayerGraph } from '../../src/graph/types.js';
import { printExpression } from '../../src/graph/print.js';
import { randomGraph } from '../../src/search/random-graph.js';
import { searchSpace } from '../../src/search/space.js';
import { GraphLayer } from '../../src/tensor/graph-layer.js';
import { interpretGraph } from '../../src/tensor/interpret.js';
import { Rng } from '../../src/util/rng.js';

export const SHAPE: [number, number, number, number] = [3, 3, 3, 8];
export const CHANNELS = SHAPE[3];
export const OPTIONS = { epsilon: 1e-5, groups: 4, momentum: 0.9 };

/** Fewest live nodes (initial nodes included) of a random graph the parity tests use. */
export const MIN_LIVE = 6;

export interface ParityCase {
  readonly label: string;
  readonly name: string;
  readonly graph: LayerGraph;
}

/**
 * |a−b| / max(1, |b|), the worst over all elements (as test/tensor/helpers.ts); elements that are
 * both NaN or the same infinity agree.
 */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    const d = Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** Seeded inputs: xs[0..2] the training batches, xs[3] the inference batch; `up` weighs the loss. */
export function inputs(label: string): { xs: Float32Array[]; up: Float32Array; vectors: Record<'v0' | 'v1' | 'gamma' | 'beta', Float32Array> } {
  const rng = Rng.fromSeed(`parity-${label}`);
  const size = SHAPE.reduce((a, b) => a * b, 1);
  const draw = (scale: number, shift = 0): Float32Array => Float32Array.from({ length: size }, (_, i) => shift * (i % CHANNELS) / CHANNELS + scale * rng.normal());
  const vector = (center: number, spread: number): Float32Array => Float32Array.from({ length: CHANNELS }, () => center + spread * rng.normal());
  return {
    xs: [draw(1, 0.5), draw(1.3, 1), draw(0.8, -0.5), draw(1.1, 0.2)],
    up: draw(1),
    vectors: { v0: vector(0.2, 0.3), v1: vector(1, 0.3), gamma: vector(1, 0.3), beta: vector(0, 0.3) },
  };
}

/**
 * Every zoo layer, then random valid graphs (seeded, over every op) until `randomCount` are
 * well conditioned in float32: finite, |y| < 1e3, and GraphLayer's float32 training output
 * within 1e-5 of the float64 interpreter (else float32 rounding, not the export, decides the
 * comparison), and with at least MIN_LIVE live nodes (most random graphs are mostly dead
 * nodes). Returns the cases and how many random graphs were passed over, for each reason.
 */
export function parityCases(randomCount: number, seed = 'export-parity'): { cases: ParityCase[]; skipped: number; small: number } {
  const cases: ParityCase[] = ZOO_NAMES.map((name) => ({ label: `zoo ${name}`, name, graph: zooLayer(name) }));
  const rng = Rng.fromSeed(seed);
  const space = searchSpace({ ops: OP_NAMES, maxNodes: 10, minNodes: 6 });
  let skipped = 0;
  let small = 0;
  for (let i = 0; cases.length < ZOO_NAMES.length + randomCount && i < randomCount * 40; i++) {
    const graph = randomGraph(rng, space);
    const label = `random #${i}: ${printExpression(graph)}`;
    if (liveNodes(graph).size < MIN_LIVE) small++;
    else if (wellConditioned(graph, label)) cases.push({ label, name: `random-${i}`, graph });
    else skipped++;
  }
  return { cases, skipped, small };
}

function wellConditioned(graph: LayerGraph, label: string): boolean {
  const { xs, vectors } = inputs(label);
  const layer = new GraphLayer(graph, CHANNELS, 'w', OPTIONS);
  try {
    setVectors(layer, vectors);
    const x = tf.tensor4d(xs[0]!, SHAPE);
    layer.freezeMovingStats = true;
    const y = tf.tidy(() => layer.apply(x, true).dataSync());
    const yEval = tf.tidy(() => layer.apply(x, false).dataSync());
    x.dispose();
    const ref = interpretGraph(graph, { shape: SHAPE, data: Float64Array.from(xs[0]!) }, { ...vectors, groups: OPTIONS.groups, epsilon: OPTIONS.epsilon });
    const bounded = (v: ArrayLike<number>): boolean => Array.from(v).every((e) => Number.isFinite(e) && Math.abs(e) < 1e3);
    return bounded(y) && bounded(yEval) && maxRel(y, ref.data) < 1e-5;
  } finally {
    layer.dispose();
  }
}

/** Sets v0, v1, γ, β (those the layer has) from `vectors`. */
export function setVectors(layer: GraphLayer, vectors: Record<string, Float32Array>): void {
  const names = Object.keys(layer.getWeights());
  const weights: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(vectors)) if (names.includes(`${layer.name}/${k}`)) weights[`${layer.name}/${k}`] = v;
  layer.setWeights(weights);
}

export interface ModeResult {
  readonly y: number[];
  /** Gradients of Σ up ⊙ y: `x` and each trainable parameter by its GraphLayer short name. */
  readonly grads: Record<string, number[]>;
}

export interface GraphLayerRun {
  readonly eval0: ModeResult;
  readonly train: ModeResult;
  readonly eval3: ModeResult;
  /** Moving statistics after the 3 training steps, by GraphLayer node k. */
  readonly moving: Record<string, number[]>;
}

/** Runs GraphLayer through the parity sequence (see the module comment). */
export function runGraphLayer(c: ParityCase): GraphLayerRun {
  const { xs, up, vectors } = inputs(c.label);
  const layer = new GraphLayer(c.graph, CHANNELS, 'l', OPTIONS);
  try {
    setVectors(layer, vectors);
    const upT = tf.tensor4d(up, SHAPE);
    const paramNames = Object.keys(layer.getWeights()).filter((k) => !k.includes('/moving_')).map((k) => k.slice(2));
    const mode = (flat: Float32Array, training: boolean): ModeResult => {
      const x = tf.tensor4d(flat, SHAPE);
      const loss = (t: tf.Tensor4D): tf.Scalar => tf.sum(tf.mul(layer.apply(t, training), upT));
      const y = tf.tidy(() => Array.from(layer.apply(x, training).dataSync()));
      const { value, grads } = tf.variableGrads(() => loss(x), layer.trainableVariables());
      const dx = dLossDx(() => tf.grad((t: tf.Tensor) => loss(t as tf.Tensor4D))(x), x);
      const out: Record<string, number[]> = { x: Array.from(dx.dataSync()) };
      const vars = layer.trainableVariables();
      // A parameter the output does not depend on (in this mode) has no gradient: 0.
      paramNames.forEach((name, i) => { const g = grads[vars[i]!.name]; out[name] = g ? Array.from(g.dataSync()) : new Array<number>(CHANNELS).fill(0); });
      tf.dispose([x, value, dx, ...Object.values(grads)]);
      return { y, grads: out };
    };
    const eval0 = mode(xs[3]!, false);
    layer.freezeMovingStats = true;
    const train = mode(xs[0]!, true);
    layer.freezeMovingStats = false;
    for (const x of xs.slice(0, 3)) tf.tidy(() => { layer.apply(tf.tensor4d(x, SHAPE), true); });
    const moving: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(layer.getWeights())) if (k.includes('/moving_')) moving[k.slice(2)] = Array.from(v);
    const eval3 = mode(xs[3]!, false);
    upT.dispose();
    return { eval0, train, eval3, moving };
  } finally {
    layer.dispose();
  }
}

/** tf.grad w.r.t. x, or zeros when the output does not depend on x (inference on batch statistics only). */
function dLossDx(grad: () => tf.Tensor, x: tf.Tensor): tf.Tensor {
  try {
    return grad();
  } catch (err) {
    if (!/Cannot compute gradient/.test((err as Error).message)) throw err;
    return tf.zerosLike(x);
  }
}
