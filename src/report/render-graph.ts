/**
 * Draws a layer graph as SVG: the graph's Graphviz DOT (src/graph/dot.ts) laid out by Graphviz
 * compiled to WebAssembly (@viz-js/viz), in process, with no `dot` binary needed.
 */
import { instance, type Viz } from '@viz-js/viz';
import { toDot } from '../graph/dot.js';
import type { LayerGraph } from '../graph/types.js';

let viz: Promise<Viz> | undefined;

/** The SVG drawing of `graph` (an `<svg>` element, without XML prolog). */
export async function graphToSvg(graph: LayerGraph, name = 'layer'): Promise<string> {
  viz ??= instance();
  const svg = (await viz).renderString(toDot(graph, name), { format: 'svg', graphAttributes: { bgcolor: 'transparent' } });
  return svg.slice(svg.indexOf('<svg'));
}
