import { INPUT_COUNT } from './ops.js';
import type { LayerGraph } from './types.js';

/**
 * Graph indices of the nodes the output depends on (itself included), initial nodes too.
 * Iterative (a 20,000-node chain must not overflow the stack); indices out of range are ignored.
 */
export function liveNodes(graph: LayerGraph): Set<number> {
  const live = new Set<number>();
  const stack = [graph.output];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (live.has(index)) continue;
    live.add(index);
    const node = index >= INPUT_COUNT ? graph.nodes[index - INPUT_COUNT] : undefined;
    if (node) stack.push(...node.args);
  }
  return live;
}
