/** A printable node table of a layer graph (index, name, op, args, note). */
import { INPUT_COUNT } from './ops.js';
import { liveNodes } from './live.js';
import { nodeName } from './names.js';
import type { LayerGraph } from './types.js';
import { formatTable } from '../util/table.js';

export const NODE_TABLE_HEADER = ['index', 'name', 'op', 'args', 'note'] as const;

/**
 * Rows of the node table, header first: one row per intermediate node with its graph index,
 * name (n0, n1, …), op, args by name, and a note: `output` (plus the affine and activation),
 * or `dead` when the output does not use it. An output that is an initial node gets its own row.
 */
export function nodeTable(graph: LayerGraph): string[][] {
  const live = liveNodes(graph);
  const outputNote = `output → affine${graph.activation ? ` → ${graph.activation}` : ''}`;
  const rows: string[][] = [[...NODE_TABLE_HEADER]];
  if (graph.output < INPUT_COUNT) rows.push([String(graph.output), nodeName(graph.output), 'input', '', outputNote]);
  graph.nodes.forEach((node, k) => {
    const index = INPUT_COUNT + k;
    const note = index === graph.output ? outputNote : live.has(index) ? '' : 'dead';
    rows.push([String(index), nodeName(index), node.op, node.args.map(nodeName).join(', '), note]);
  });
  return rows;
}

/** The node table as aligned text lines (no trailing spaces). */
export function formatNodeTable(graph: LayerGraph): string {
  const [header, ...rows] = nodeTable(graph);
  return formatTable(header, rows, { rule: false });
}
