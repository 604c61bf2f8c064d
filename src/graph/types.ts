import type { OpName } from './ops.js';

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
 * A normalization-activation layer as a computation graph (PAPER.md §1). Immutable value.
 * The layer computes node `output` (an index as in GraphNode.args) and then always applies a
 * per-channel affine `·γ + β` (γ = 1, β = 0 at init), which is not part of the graph.
 */
export interface LayerGraph {
  readonly nodes: readonly GraphNode[];
  readonly output: number;
}
