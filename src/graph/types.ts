import type { OpName } from './ops.js';
import type { PostAffineActivation } from './activations.js';

/**
 * One intermediate node: an op applied to earlier nodes.
 * `args` are node indices: 0..INPUT_COUNT-1 are the initial nodes (x, zero, one, v0, v1),
 * INPUT_COUNT + k is intermediate node k. Every arg is smaller than the node's own index.
 */
export interface GraphNode {
  readonly op: OpName;
  readonly args: readonly number[];
}

/**
 * An activation applied AFTER the per-channel affine, for layers such as BN-ReLU whose
 * activation follows `·γ + β` (PAPER.md §2). With graph output `g` the layer computes
 * - none (field absent): `y = g·γ + β`
 * - an activation of src/graph/activations.ts, e.g. `'relu'`: `z = g·γ + β; y = max(z, 0)`
 * The text syntax writes it as `relu(affine(e))` / `swish(affine(e))` at the top of an
 * expression; the JSON format as `"activation": "relu"`. It is part of the structural hash.
 * Searched (EvoNorm-style) layers leave it absent: their graph contains its own nonlinearity.
 */
export type { PostAffineActivation } from './activations.js';
export { POST_AFFINE_ACTIVATIONS } from './activations.js';

/**
 * A normalization-activation layer as a computation graph (PAPER.md §1). Immutable value.
 * The layer computes node `output` (an index as in GraphNode.args) and then always applies a
 * per-channel affine `·γ + β` (γ = 1, β = 0 at init), which is not part of the graph, and then
 * `activation` when present (see PostAffineActivation).
 */
export interface LayerGraph {
  readonly nodes: readonly GraphNode[];
  readonly output: number;
  /** Activation applied after the affine; absent for graphs that end in their own output. */
  readonly activation?: PostAffineActivation;
}
