/**
 * Random layer graphs, as the search's initial population and random-search baseline
 * (PAPER.md §3).
 *
 *   n ~ uniform{minNodes..maxNodes}
 *   for k in 0..n-1: node k = (op ~ uniform(space.ops), args ~ uniform(allowed inputs ∪ nodes < k))
 *   output = last node; redraw until the output depends on x
 */
import { validateGraph } from '../graph/validate.js';
import { INPUT_COUNT, INPUT_INDEX, OPS } from '../graph/ops.js';
import type { GraphNode, LayerGraph } from '../graph/types.js';
import type { Rng } from '../util/rng.js';
import { argChoices, type SearchSpace } from './space.js';

/** How many full redraws before the last node is rewired to read x (practically never used). */
const MAX_REDRAWS = 200;

/** A random node at intermediate position `position`: a random op reading earlier nodes. */
export function randomNode(rng: Rng, space: SearchSpace, position: number): GraphNode {
  const op = rng.pick(space.ops);
  const choices = argChoices(space, position);
  const args = Array.from({ length: OPS[op].arity }, () => rng.pick(choices));
  return { op, args };
}

/**
 * A random valid graph of the space: between minNodes and maxNodes random nodes, output the
 * last node, which depends on x. Every draw comes from `rng`.
 */
export function randomGraph(rng: Rng, space: SearchSpace): LayerGraph {
  let graph: LayerGraph | undefined;
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    const n = space.minNodes + rng.int(space.maxNodes - space.minNodes + 1);
    const nodes = Array.from({ length: n }, (_, k) => randomNode(rng, space, k));
    graph = { nodes, output: INPUT_COUNT + n - 1 };
    if (validateGraph(graph, { maxNodes: space.maxNodes }).length === 0) return graph;
  }
  // Reachable only with an adversarial space; rewiring the output's first arg to x makes it
  // depend on x and keeps every other rule (x is always an allowed input).
  const last = graph!.nodes[graph!.nodes.length - 1];
  const nodes = [...graph!.nodes.slice(0, -1), { op: last.op, args: [INPUT_INDEX.x, ...last.args.slice(1)] }];
  return { nodes, output: graph!.output };
}
