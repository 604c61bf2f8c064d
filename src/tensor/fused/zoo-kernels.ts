/**
 * Known zoo layers that have a fused kernel (src/tensor/wasm-kernels), recognised by canonical
 * structure so that any spelling of the same expression (argument order, node numbering, dead
 * nodes) takes the fast path.
 */
import { structuralKey } from '../../graph/canonical.js';
import type { LayerGraph } from '../../graph/types.js';
import { zooLayer } from '../../graph/zoo.js';

/** Names of the layers with a fused kernel. */
export type FusedLayer = 'evonorm-s0';

/** Backends the fused kernels are registered for. */
export const FUSED_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

let keys: Map<string, FusedLayer> | undefined;

/** The fused layer `graph` computes exactly, or undefined when it has none. */
export function fusedLayerOf(graph: LayerGraph): FusedLayer | undefined {
  keys ??= new Map([[structuralKey(zooLayer('evonorm-s0')), 'evonorm-s0']]);
  let key: string;
  try {
    key = structuralKey(graph);
  } catch {
    return undefined; // not canonicalizable: certainly not a zoo layer
  }
  return keys.get(key);
}
