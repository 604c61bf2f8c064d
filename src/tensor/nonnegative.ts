import type { LayerGraph } from '../graph/types.js';
import { INPUT_COUNT, INPUT_INDEX } from '../graph/ops.js';

/**
 * For each node index, whether its value is provably ≥ 0 (so sqrt/log may skip the sign).
 * Used only to save work: sqrt(a) = √(a + ε) exactly when a ≥ 0.
 */
export function nonNegativeNodes(graph: LayerGraph): boolean[] {
  const known: boolean[] = [];
  known[INPUT_INDEX.x] = false;
  known[INPUT_INDEX.zero] = true;
  known[INPUT_INDEX.one] = true;
  known[INPUT_INDEX.v0] = false;
  known[INPUT_INDEX.v1] = false;
  graph.nodes.forEach((node, k) => {
    const [a, b] = node.args.map((i) => known[i]);
    let nonNegative = false;
    switch (node.op) {
      case 'square': case 'abs': case 'exp': case 'sigmoid': case 'relu':
      case 'var_batch': case 'var_instance': case 'var_group': case 'var_layer':
        nonNegative = true; break;
      case 'sqrt': case 'mean_batch': case 'mean_instance': case 'mean_group':
      case 'mean_layer':
        nonNegative = a; break;
      case 'add': case 'mul': case 'div': case 'min':
        nonNegative = a && b; break;
      case 'max':
        nonNegative = a || b; break;
      default:
        nonNegative = false;
    }
    known[INPUT_COUNT + k] = nonNegative;
  });
  return known;
}
