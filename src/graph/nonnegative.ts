import type { LayerGraph } from './types.js';
import { INPUT_COUNT, INPUT_INDEX, OPS } from './ops.js';

/**
 * For each node index, whether its value is provably ≥ 0 (so sqrt/log may skip the sign), by
 * each op's `nonNegative` rule in the registry. Used only to save work: sqrt(a) = √(a + ε)
 * exactly when a ≥ 0. zero and one are ≥ 0; x, v0 and v1 are not known to be.
 */
export function nonNegativeNodes(graph: LayerGraph): boolean[] {
  const known: boolean[] = [];
  known[INPUT_INDEX.x] = false;
  known[INPUT_INDEX.zero] = true;
  known[INPUT_INDEX.one] = true;
  known[INPUT_INDEX.v0] = false;
  known[INPUT_INDEX.v1] = false;
  graph.nodes.forEach((node, k) => {
    const [a, b] = node.args.map((i) => known[i] === true);
    const rule = OPS[node.op].nonNegative;
    known[INPUT_COUNT + k] = rule === 'always' || (rule === 'first' && a) || (rule === 'both' && a && b) || (rule === 'either' && (a || b));
  });
  return known;
}
