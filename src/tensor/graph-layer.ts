/**
 * A layer graph applied to tfjs tensors (NHWC): the DSL's semantics on real data.
 *
 *   values[0..4] = x, zero, one, v0, v1        (v0, v1: per-channel trainable, init 0 and 1)
 *   for each node k: values[5+k] = op(values[args])   (numerics as in src/graph/ops.ts)
 *   y = broadcast(values[output]) · γ + β        (γ, β per channel, init 1 and 0)
 *   y = activation(y) when the graph has one     (relu, swish)
 *
 * Values are kept in their smallest broadcastable shape ([1,1,1,1] constants, [1,1,1,C]
 * parameters and batch statistics, [N,1,1,C] instance/group statistics), which makes element-wise
 * work on statistics cheap; a mean or variance over axes on which a value is broadcast equals
 * the one over the full tensor, so this changes no result.
 *
 * Batch aggregations use batch statistics in training (and update a per-node moving average)
 * and the moving average in inference, exactly like BatchNorm.
 *
 * Speed (wasm): broadcasting binary ops and aggregations use src/tensor/fused (reductions as
 * average poolings, hand-written gradients), computing the same values. A graph that is
 * structurally EvoNorm-S0 runs as the fused kernel of src/tensor/wasm-kernels on wasm and cpu
 * when the input is small (where that kernel is faster; see FUSED_MAX_SIZE) and at any size where
 * its SIMD wasm twin is loaded; BN-ReLU in training
 * mode runs as the fused kernel there too, on small inputs (wasm-kernels/bn-relu.ts, BN_RELU_MAX_SIZE),
 * and on inputs of any size where its SIMD wasm twin is loaded (wasm-kernels/simd).
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerGraph, PostAffineActivation } from '../graph/types.js';
import { INPUT_COUNT, INPUT_INDEX, OPS, TRAINABLE_INPUTS, type ElementwiseOp, type InputName, type OpName } from '../graph/ops.js';
import type { NormActSite } from './norm-act-site.js';
import { DEFAULT_LAYER_OPTIONS, effectiveGroups, type LayerOptions } from './layer-options.js';
import { nonNegativeNodes } from '../graph/nonnegative.js';
import { liveNodes } from '../graph/live.js';
import { ACTIVATION_KERNELS, TFJS_KERNELS } from './op-kernels.js';
import { AXES, axisKind, type AxisSpec } from '../graph/axes.js';
import { binaryOp, BN_RELU_MAX_SIZE, expandTo, FUSED_BACKENDS, FUSED_MAX_SIZE, fusedLayerOf, groupStatistic, statistic, type FusedLayer } from './fused/index.js';
import { bnReluTrain, evonormS0, simdBnReluActive, simdEvonormS0Active } from './wasm-kernels/index.js';
import { channelAffineRows, simdFamilyEnabled } from './wasm-kernels/simd/index.js';

type Activation = PostAffineActivation;

/**
 * Creates one variable of a GraphLayer: `key` is its short name (v0, v1, gamma, beta, or
 * moving_<mean|var>_n<k>), filled with `init`. The default makes a plain tf.variable; the tfjs
 * layer class (evonorm-layer.ts) passes one that creates tf.layers weights instead.
 */
export type VariableFactory = (key: string, shape: number[], init: number, trainable: boolean) => tf.Variable;

/** The moving statistics of one batch-aggregation node. */
interface MovingStat {
  readonly node: number;
  readonly statistic: 'mean' | 'var';
  readonly value: tf.Variable;
}

export class GraphLayer implements NormActSite {
  readonly options: LayerOptions;
  readonly groups: number;
  /** When true, training-mode calls do not update moving statistics (probes, finite differences). */
  freezeMovingStats = false;
  /** When false, known zoo layers run op by op like any graph (to compare with the fused kernel). */
  useFusedKernels = true;
  /** Trainable parameters by short name (v0, v1, gamma, beta). */
  private readonly params = new Map<string, tf.Variable>();
  private readonly moving: MovingStat[] = [];
  private readonly nonNegative: boolean[];
  private readonly activation: Activation | undefined;
  private readonly fused: FusedLayer | undefined;

  /**
   * @param graph    a valid layer graph (validate it first)
   * @param channels C, the channel count of the tensors it will see
   * @param name     unique name within a network, prefix of every weight name
   * @param options  layer options (defaults: DEFAULT_LAYER_OPTIONS)
   * @param makeVariable creates each variable (default: a plain tf.variable owned by this layer)
   */
  constructor(
    readonly graph: LayerGraph,
    readonly channels: number,
    readonly name = 'layer',
    options: Partial<LayerOptions> = {},
    makeVariable: VariableFactory = newVariable,
  ) {
    this.options = { ...DEFAULT_LAYER_OPTIONS, ...options };
    this.groups = effectiveGroups(channels, this.options.groups, this.options.groupSize);
    this.nonNegative = nonNegativeNodes(graph);
    this.activation = graph.activation;
    this.fused = fusedLayerOf(graph);
    const used = this.usedNodes();
    for (const [input, init] of Object.entries(TRAINABLE_INPUTS) as [InputName, number][]) {
      if (used.has(INPUT_INDEX[input])) this.params.set(input, makeVariable(input, [channels], init, true));
    }
    this.params.set('gamma', makeVariable('gamma', [channels], 1, true));
    this.params.set('beta', makeVariable('beta', [channels], 0, true));
    graph.nodes.forEach((node, k) => {
      const spec = OPS[node.op];
      if (axisKind(spec.axes) !== 'batch' || !used.has(INPUT_COUNT + k)) return;
      const init = spec.statistic === 'mean' ? 0 : 1;
      const key = `moving_${spec.statistic!}_n${k}`;
      this.moving.push({ node: k, statistic: spec.statistic!, value: makeVariable(key, [1, 1, 1, channels], init, false) });
    });
  }

  /** Applies the layer: training → batch statistics (and moving-average updates). */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (this.useFused(x)) {
      // No batch statistics: training and inference are the same computation.
      return evonormS0(x, this.param('v1'), this.param('gamma'), this.param('beta'), this.groups, this.options.epsilon);
    }
    if (training && this.fused === 'bn-relu' && (x.size <= BN_RELU_MAX_SIZE || simdBnReluActive()) && this.fusedBackend(x)) return this.bnReluFused(x);
    return tf.tidy(() => {
      const values = this.evaluateNodes(x, training);
      let y = values[this.graph.output];
      // The affine as one call each way where y is x's shape (the same values; step-calls family).
      const fused = arraysEqual(y.shape, x.shape) ? channelAffineRows(y, this.param('gamma'), this.param('beta')) : undefined;
      if (fused !== undefined) {
        y = fused;
      } else {
        const gamma = this.param('gamma').reshape([1, 1, 1, this.channels]);
        const beta = this.param('beta').reshape([1, 1, 1, this.channels]);
        y = binaryOp('add', binaryOp('mul', y, gamma), beta);
      }
      if (this.activation !== undefined) y = ACTIVATION_KERNELS[this.activation](y);
      if (!arraysEqual(y.shape, x.shape)) y = expandTo(y, x.shape);
      return y as tf.Tensor4D;
    });
  }

  /**
   * Whether `x` goes through a fused kernel (EvoNorm-S0 on wasm/cpu: small tensors, FUSED_MAX_SIZE,
   * or any size where its SIMD kernel runs).
   */
  private useFused(x: tf.Tensor4D): boolean {
    return this.fused === 'evonorm-s0' && (x.size <= FUSED_MAX_SIZE || simdEvonormS0Active()) && this.fusedBackend(x);
  }

  private fusedBackend(x: tf.Tensor4D): boolean {
    return this.useFusedKernels && FUSED_BACKENDS.has(tf.getBackend()) && x.dtype === 'float32';
  }

  /** BN-ReLU in training mode as one fused op; the moving averages of its two batch nodes updated. */
  private bnReluFused(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const m = this.options.momentum;
      const movingMean = this.moving.find((s) => s.statistic === 'mean');
      const movingVar = this.moving.find((s) => s.statistic === 'var');
      if (!this.freezeMovingStats && this.moving.length === 2 && movingMean && movingVar && simdFamilyEnabled('step-calls')) {
        // The moving averages updated inside the same kernel call (bit-identical to the loop below).
        const out = bnReluTrain(x, this.param('gamma'), this.param('beta'), this.options.epsilon, { mean: movingMean.value, variance: movingVar.value, momentum: m });
        movingMean.value.assign(out.movingMean!);
        movingVar.value.assign(out.movingVariance!);
        return out.y;
      }
      const { y, mean, variance } = bnReluTrain(x, this.param('gamma'), this.param('beta'), this.options.epsilon);
      if (!this.freezeMovingStats) {
        for (const stat of this.moving) {
          const batch = (stat.statistic === 'mean' ? mean : variance).reshape([1, 1, 1, this.channels]);
          stat.value.assign(tf.add(tf.mul(stat.value, m), tf.mul(batch, 1 - m)));
        }
      }
      return y;
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Every weight by name: trainable parameters and moving statistics, as Float32Arrays. */
  getWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [key, v] of this.namedVariables()) out[key] = v.dataSync() as Float32Array;
    return out;
  }

  /** Sets weights by name (as returned by getWeights); unknown names are an error. */
  setWeights(weights: Record<string, ArrayLike<number>>): void {
    const byName = this.namedVariables();
    for (const [key, values] of Object.entries(weights)) {
      const variable = byName.get(key);
      if (!variable) throw new Error(`unknown weight "${key}" (known: ${[...byName.keys()].join(', ')})`);
      if (values.length !== variable.size) throw new Error(`weight "${key}" needs ${variable.size} values, got ${values.length}`);
      variable.assign(tf.tensor(Array.from(values), variable.shape, 'float32'));
    }
  }

  dispose(): void {
    for (const v of this.allVariables()) v.dispose();
    this.params.clear();
    this.moving.length = 0;
  }

  private allVariables(): tf.Variable[] {
    return [...this.params.values(), ...this.moving.map((m) => m.value)];
  }

  /**
   * Every variable under its weight name: `<layer>/<param>` and `<layer>/moving_<stat>_n<k>`.
   * (tfjs variable names are process-global, so the tfjs variables themselves stay unnamed.)
   */
  private namedVariables(): Map<string, tf.Variable> {
    const named = new Map<string, tf.Variable>();
    for (const [key, v] of this.params) named.set(`${this.name}/${key}`, v);
    for (const m of this.moving) named.set(`${this.name}/moving_${m.statistic}_n${m.node}`, m.value);
    return named;
  }

  private param(name: string): tf.Variable {
    const p = this.params.get(name);
    if (!p) throw new Error(`layer ${this.name} has no parameter ${name}`);
    return p;
  }

  /** Node indices reachable from the output (dead nodes get no parameters or statistics). */
  private usedNodes(): Set<number> {
    return liveNodes(this.graph);
  }

  /** Values of every live node, in their smallest broadcastable shapes. */
  private evaluateNodes(x: tf.Tensor4D, training: boolean): tf.Tensor[] {
    const c = this.channels;
    const values: tf.Tensor[] = [];
    const used = this.usedNodes();
    values[INPUT_INDEX.x] = x;
    // The constants only where used (each is a Reshape call; always with the step-calls family off).
    const all = !simdFamilyEnabled('step-calls');
    if (all || used.has(INPUT_INDEX.zero)) values[INPUT_INDEX.zero] = tf.scalar(0).reshape([1, 1, 1, 1]);
    if (all || used.has(INPUT_INDEX.one)) values[INPUT_INDEX.one] = tf.scalar(1).reshape([1, 1, 1, 1]);
    for (const input of ['v0', 'v1'] as const) {
      const p = this.params.get(input);
      if (p) values[INPUT_INDEX[input]] = p.reshape([1, 1, 1, c]);
    }
    this.graph.nodes.forEach((node, k) => {
      const index = INPUT_COUNT + k;
      if (!used.has(index)) return;
      const [a, b] = node.args.map((i) => values[i]);
      const argNonNegative = this.nonNegative[node.args[0]];
      values[index] = this.applyOp(node.op, a, b, argNonNegative, k, training);
    });
    return values;
  }

  private applyOp(op: OpName, a: tf.Tensor, b: tf.Tensor | undefined, aNonNegative: boolean, k: number, training: boolean): tf.Tensor {
    if (OPS[op].kind === 'aggregation') return this.aggregate(op, a, k, training);
    return TFJS_KERNELS[op as ElementwiseOp](a, b ?? a, { eps: this.options.epsilon, aNonNegative });
  }

  /** mean_* / var_* over the op's axes, broadcastable against x. */
  private aggregate(op: string, a: tf.Tensor, k: number, training: boolean): tf.Tensor {
    const spec = OPS[op as keyof typeof OPS];
    const c = this.channels;
    const axis: AxisSpec = AXES[spec.axes!];
    switch (axis.kind) {
      case 'batch': {
        const stat = this.moving.find((m) => m.node === k)!;
        if (!training) return stat.value;
        const batchStat = statistic(a, [...axis.dims], spec.statistic!);
        if (!this.freezeMovingStats) {
          // assign() is not recorded on the gradient tape, so no gradient flows into the average.
          const m = this.options.momentum;
          const full = batchStat.shape[3] === c ? batchStat : expandTo(batchStat, [1, 1, 1, c]);
          stat.value.assign(tf.add(tf.mul(stat.value, m), tf.mul(full, 1 - m)));
        }
        return batchStat;
      }
      case 'reduce': return statistic(a, [...axis.dims], spec.statistic!);
      case 'group': return groupStatistic(a, this.groups, spec.statistic!);
      default:
        throw new Error(`unknown op ${op}`);
    }
  }
}

/** A variable filled with `value` (the temporary initial tensor is freed by the tidy). */
function newVariable(_key: string, shape: number[], value: number, trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), trainable));
}

function arraysEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
