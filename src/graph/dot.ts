/** Graphviz rendering of a layer graph, for reports and `dot -Tsvg`. */
import { INPUT_COUNT, OPS } from './ops.js';
import { nodeName } from './names.js';
import type { LayerGraph } from './types.js';
import { liveNodes } from './live.js';

/**
 * The graph in Graphviz DOT: the initial nodes it uses as boxes, live intermediate nodes as
 * ellipses labelled with their op (aggregations shaded), edges labelled with the argument
 * position for non-commutative binary ops, and the output followed by the affine (and the
 * post-affine activation, when present). Dead nodes are drawn dashed.
 */
export function toDot(graph: LayerGraph, name = 'layer'): string {
  const live = liveNodes(graph);
  const lines = [`digraph ${quote(name)} {`, '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  const used = new Set<number>();
  graph.nodes.forEach((node) => node.args.forEach((a) => a < INPUT_COUNT && used.add(a)));
  if (graph.output < INPUT_COUNT) used.add(graph.output);
  for (const index of [...used].sort((a, b) => a - b)) {
    lines.push(`  ${quote(nodeName(index))} [shape=box, style=rounded];`);
  }
  graph.nodes.forEach((node, k) => {
    const index = INPUT_COUNT + k;
    const styles = [OPS[node.op]?.kind === 'aggregation' ? 'filled' : '', live.has(index) ? '' : 'dashed'].filter(Boolean);
    const style = styles.length > 0 ? `, style="${styles.join(',')}", fillcolor="#dde8f5"` : '';
    lines.push(`  ${quote(nodeName(index))} [label=${quote(`${nodeName(index)}: ${node.op}`)}${style}];`);
    const ordered = node.args.length === 2 && !OPS[node.op]?.commutative;
    node.args.forEach((arg, position) => {
      lines.push(`  ${quote(nodeName(arg))} -> ${quote(nodeName(index))}${ordered ? ` [label="${position}"]` : ''};`);
    });
  });
  const affine = graph.activation ? `affine → ${graph.activation}` : 'affine';
  lines.push(`  "output" [shape=doubleoctagon, label=${quote(affine)}];`);
  lines.push(`  ${quote(nodeName(graph.output))} -> "output";`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}
