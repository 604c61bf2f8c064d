/**
 * fast-check arbitraries for layer graphs, shared by property tests (graph, search, tensor).
 * `arbitraryGraph()` yields valid graphs: random ops from OPS, args among earlier nodes, at most
 * `maxNodes` intermediate nodes, an output that depends on x, sometimes dead nodes, sometimes a
 * post-affine activation.
 */
import fc from 'fast-check';
import { INPUT_COUNT, INPUT_INDEX, OPS, OP_NAMES, type OpName } from '../../src/graph/ops.js';
import type { GraphNode, LayerGraph, PostAffineActivation } from '../../src/graph/types.js';

export interface ArbitraryGraphOptions {
  /** Most intermediate nodes (default 10). */
  readonly maxNodes?: number;
  /** Ops to draw from (default: all of OPS). */
  readonly ops?: readonly OpName[];
}

/** Random valid layer graphs. */
export function arbitraryGraph(options: ArbitraryGraphOptions = {}): fc.Arbitrary<LayerGraph> {
  const ops = options.ops ?? OP_NAMES;
  const maxNodes = options.maxNodes ?? 10;
  const rawNode = fc.record({
    op: fc.constantFrom(...ops),
    // Raw draws, reduced modulo the number of earlier nodes once the position is known.
    a: fc.nat(),
    b: fc.nat(),
  });
  return fc
    .record({
      raw: fc.array(rawNode, { minLength: 1, maxLength: maxNodes }),
      outputFromEnd: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat() }),
      activation: fc.constantFrom<PostAffineActivation | undefined>(undefined, undefined, 'relu', 'swish'),
    })
    .map(({ raw, outputFromEnd, activation }) => {
      const nodes: GraphNode[] = raw.map(({ op, a, b }, k) => {
        const earlier = INPUT_COUNT + k;
        const args = OPS[op].arity === 2 ? [a % earlier, b % earlier] : [a % earlier];
        return { op, args };
      });
      const output = INPUT_COUNT + nodes.length - 1 - (outputFromEnd % nodes.length);
      // Ensure x dependence: if the output ignores x, make its first argument x.
      if (!dependsOnX(nodes, output)) {
        const k = output - INPUT_COUNT;
        nodes[k] = { op: nodes[k].op, args: [INPUT_INDEX.x, ...nodes[k].args.slice(1)] };
      }
      return activation === undefined ? { nodes, output } : { nodes, output, activation };
    });
}

/** True when node `index` of a well-formed node list reads x. */
export function dependsOnX(nodes: readonly GraphNode[], index: number): boolean {
  if (index === INPUT_INDEX.x) return true;
  if (index < INPUT_COUNT) return false;
  return nodes[index - INPUT_COUNT].args.some((a) => dependsOnX(nodes, a));
}

/** Graph indices of the nodes the output reads (itself included), intermediate only. */
export function liveIntermediate(graph: LayerGraph): number[] {
  const live = new Set<number>();
  const visit = (i: number): void => {
    if (i < INPUT_COUNT || live.has(i)) return;
    live.add(i);
    graph.nodes[i - INPUT_COUNT].args.forEach(visit);
  };
  visit(graph.output);
  return [...live].sort((a, b) => a - b);
}
