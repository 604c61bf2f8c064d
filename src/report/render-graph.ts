/**
 * Draws a layer graph as SVG: the graph's Graphviz DOT (src/graph/dot.ts) laid out by Graphviz
 * compiled to WebAssembly (@viz-js/viz), in process, with no `dot` binary needed.
 */
import { instance, type Viz } from '@viz-js/viz';
import { toDot } from '../graph/dot.js';
import { liveNodes } from '../graph/live.js';
import { INPUT_COUNT } from '../graph/ops.js';
import type { LayerGraph } from '../graph/types.js';

let viz: Promise<Viz> | undefined;

/**
 * Loads Graphviz (compiling its wasm) ahead of use. Once loaded, a whole report renders in
 * microtasks only, so a refresh completes even inside a search loop that never yields to the
 * event loop's task queue (the inline pool on the fast objective).
 */
export async function loadGraphviz(): Promise<void> {
  viz ??= instance();
  await viz;
}

/**
 * The SVG drawing of `graph` (an `<svg>` element, without XML prolog). Dead nodes (those the
 * output does not read) are left out unless `dead` is true; node names keep the graph's numbering.
 */
export async function graphToSvg(graph: LayerGraph, name = 'layer', dead = false): Promise<string> {
  viz ??= instance();
  const svg = (await viz).renderString(toDot(graph, name, { dead }), { format: 'svg', graphAttributes: { bgcolor: 'transparent' } });
  return svg.slice(svg.indexOf('<svg'));
}

/** How many intermediate nodes of `graph` the output does not read. */
export function deadNodeCount(graph: LayerGraph): number {
  const live = liveNodes(graph);
  return graph.nodes.filter((_, k) => !live.has(INPUT_COUNT + k)).length;
}
