/**
 * A layer graph as a tfjs layer: `EvoNormLayer` is a `tf.layers.Layer` for NHWC input that
 * computes exactly what GraphLayer computes (it wraps one), so a found layer drops into a
 * `tf.sequential` or functional model, trains with `model.fit`, and saves and loads with the
 * model (it is registered for serialisation as "evonorm>EvoNormLayer").
 *
 *   const model = tf.sequential({ layers: [
 *     tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, padding: 'same' }),
 *     new EvoNormLayer({ graph: 'evonorm-s0' }),
 *     tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 10 }) ] });
 *
 * Weights (per channel C, created in build): γ `gamma` (init 1), β `beta` (init 0), `v0`
 * (init 0) and `v1` (init 1) when the graph reads them, and one non-trainable
 * `moving_<mean|var>_n<k>` ([1,1,1,C]; init 0 for means, 1 for variances) per batch
 * aggregation node k. Training mode (model.fit, or `apply(x, { training: true })`) uses batch
 * statistics and updates the moving ones (m ← momentum·m + (1−momentum)·batch, the biased
 * batch variance); inference (predict, the default) uses the moving statistics.
 *
 * Options (ε, groups or groupSize, momentum) come from the layer JSON document when the graph
 * is given as one, overridden by `options`; defaults DEFAULT_LAYER_JSON_OPTIONS. groupSize
 * (channels per group) overrides groups (src/tensor/layer-options.ts effectiveGroups).
 *
 * getConfig holds the graph as a version-2 layer JSON document (with its options). tfjs
 * converts every string of a saved config to snake_case and back to camelCase on load, which
 * turns op names like var_group into varGroup; fromConfig maps them back.
 *
 * Registration with tf.serialization happens when this module is imported (as for tfjs's own
 * layers): a model can only be loaded once its classes are registered.
 */
import * as tf from '@tensorflow/tfjs';
import { graphToJson, layerJsonOptions, LayerJsonOptionsSchema, LAYER_FORMAT, readLayerJson, type LayerJson, type LayerJsonOptions } from '../graph/json.js';
import { OP_NAMES } from '../graph/ops.js';
import { resolveLayer } from '../graph/resolve.js';
import type { LayerGraph } from '../graph/types.js';
import { assertValidGraph } from '../graph/validate.js';
import { EvonormError } from '../util/errors.js';
import { GraphLayer } from './graph-layer.js';

/** The base layer arguments of tfjs (name, trainable, inputShape, dtype, …). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Arguments of an EvoNormLayer. */
export interface EvoNormLayerArgs extends BaseLayerArgs {
  /**
   * The layer: a LayerGraph, a layer JSON document (any version), or a string: a zoo name
   * (e.g. "evonorm-s0"), an expression, or the path of a .json layer file.
   */
  readonly graph: LayerGraph | LayerJson | string;
  /** Layer options; they override those of a JSON document. Missing fields: the defaults. */
  readonly options?: Partial<LayerJsonOptions>;
  /** Most intermediate nodes accepted when checking the graph (default: no limit). */
  readonly maxNodes?: number;
}

/** A tfjs layer that applies a layer graph (see the module comment). */
export class EvoNormLayer extends tf.layers.Layer {
  /** The name tfjs serialisation knows the class by (registered under the package "evonorm"). */
  static className = 'EvoNormLayer';

  /** The graph this layer applies. */
  readonly graph: LayerGraph;
  /** The complete layer options (ε, groups or groupSize, momentum). */
  readonly layerOptions: LayerJsonOptions;
  private core: GraphLayer | undefined;

  constructor(args: EvoNormLayerArgs) {
    super(args);
    const { graph, options } = resolveGraphArg(args.graph, args.maxNodes ?? Number.MAX_SAFE_INTEGER);
    const merged = layerJsonOptions({ ...options, ...definedFields(args.options ?? {}) });
    const parsed = LayerJsonOptionsSchema.safeParse(merged);
    if (!parsed.success) {
      throw new EvonormError('BAD_INPUT', `EvoNormLayer: invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    this.graph = graph;
    this.layerOptions = merged;
  }

  /** The GraphLayer doing the computation (after build). */
  get graphLayer(): GraphLayer {
    if (!this.core) throw new EvonormError('INTERNAL', `EvoNormLayer ${this.name} is not built yet (apply it to an input first)`);
    return this.core;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (shape.length !== 4 || typeof channels !== 'number') {
      throw new EvonormError('BAD_INPUT', `EvoNormLayer expects NHWC input [batch, height, width, channels] with known channels, got [${shape.join(', ')}]`);
    }
    // GraphLayer applies the group rule (effectiveGroups: groupSize wins over groups).
    const { epsilon, momentum, groups, groupSize } = this.layerOptions;
    this.core = new GraphLayer(this.graph, channels, this.name, { epsilon, momentum, groups, ...(groupSize !== undefined ? { groupSize } : {}) }, (key, weightShape, init, trainable) =>
      this.addWeight(key, weightShape, 'float32', tf.initializers.constant({ value: init }), undefined, trainable).read() as tf.Variable,
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const core = this.graphLayer;
    if (x.rank !== 4 || x.shape[3] !== core.channels) {
      throw new EvonormError('BAD_INPUT', `EvoNormLayer ${this.name} expects NHWC input with ${core.channels} channels, got shape [${x.shape.join(', ')}]`);
    }
    return core.apply(x as tf.Tensor4D, kwargs.training === true);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const graph = graphToJson(this.graph, { expression: false, options: this.layerOptions });
    return { ...super.getConfig(), graph: graph as unknown as tf.serialization.ConfigDictValue };
  }

  /** Rebuilds a layer from getConfig's output, also after tfjs's snake/camel-case round trip. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ ...config, graph: restoreOpNames(config.graph) });
  }
}

tf.serialization.registerClass(EvoNormLayer, 'evonorm');

/** The graph and the options stated with it (JSON documents only). */
function resolveGraphArg(spec: EvoNormLayerArgs['graph'], maxNodes: number): { graph: LayerGraph; options: Partial<LayerJsonOptions> } {
  if (typeof spec === 'string') {
    const resolved = resolveLayer(spec, { maxNodes });
    return { graph: resolved.graph, options: resolved.options ?? {} };
  }
  if ((spec as { format?: unknown }).format === LAYER_FORMAT) {
    const file = readLayerJson(spec, { maxNodes });
    return { graph: file.graph, options: file.hasOptions ? file.options : {} };
  }
  const graph = spec as LayerGraph;
  assertValidGraph(graph, { maxNodes });
  return { graph, options: {} };
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const OP_BY_CAMEL_CASE = new Map<string, string>(OP_NAMES.map((op) => [op.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), op]));

/** A layer JSON document whose op names tfjs camel-cased (varGroup) with the names restored. */
function restoreOpNames(graph: unknown): unknown {
  const doc = graph as { nodes?: unknown } | null;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.nodes)) return graph;
  const nodes = doc.nodes.map((node: unknown) => {
    const op = (node as { op?: unknown } | null)?.op;
    return typeof op === 'string' && OP_BY_CAMEL_CASE.has(op) ? { ...(node as object), op: OP_BY_CAMEL_CASE.get(op) } : node;
  });
  return { ...doc, nodes };
}
