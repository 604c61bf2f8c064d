/**
 * Known zoo layers that have a fused kernel (src/tensor/wasm-kernels), recognised by canonical
 * structure so that any spelling of the same expression (argument order, node numbering, dead
 * nodes) takes the fast path.
 */
import { structuralKey } from '../../graph/canonical.js';
import type { LayerGraph } from '../../graph/types.js';
import { zooLayer } from '../../graph/zoo.js';

/** Names of the layers with a fused kernel (bn-relu: training mode only). */
export type FusedLayer = 'evonorm-s0' | 'bn-relu';

/** Backends the fused kernels are registered for. */
export const FUSED_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/**
 * Largest input (elements) for which the fused EvoNorm-S0 kernel is used. Its JS passes beat the op-by-op
 * path (few kernels, XNNPACK reductions) only on small tensors, where per-kernel overhead
 * dominates; measured on wasm, training step of one EvoNorm-S0 site (fused vs ops, ms):
 * [64,4,4,32] 1.3 vs 2.7, [64,2,2,64] 1.2 vs 2.7, [64,7,7,32] 5.5 vs 4.0, [64,28,28,16] 35 vs 25.
 */
export const FUSED_MAX_SIZE = 65536;

/**
 * Largest input (elements) for which the fused BN-ReLU training kernel is used. Its JS passes
 * (~1 ms per 10⁵ elements each way) beat the op-by-op layer only where per-kernel overhead
 * dominates. Whole proxy trainings, tfjs img per CPU-second, fused vs op by op, 5 interleaved
 * repetitions (scripts/bench-proxies.ts --layer bn-relu,bn-relu/ops, load ≈ 14 on 2 cores):
 * resnet 14×14 (sites ≤ 25k elements) 2884 vs 2218; resnet 28×28 (≤ 100k) 1081 vs 1045;
 * mobilenetv2 14×14 (up to 150k) 1849 vs 2194, 28×28 694 vs 946; efficientnet 28×28 602 vs 760.
 */
export const BN_RELU_MAX_SIZE = 32768;

let keys: Map<string, FusedLayer> | undefined;

/** The fused layer `graph` computes exactly, or undefined when it has none. */
export function fusedLayerOf(graph: LayerGraph): FusedLayer | undefined {
  keys ??= new Map<string, FusedLayer>([
    [structuralKey(zooLayer('evonorm-s0')), 'evonorm-s0'],
    [structuralKey(zooLayer('bn-relu')), 'bn-relu'],
  ]);
  let key: string;
  try {
    key = structuralKey(graph);
  } catch {
    return undefined; // not canonicalizable: certainly not a zoo layer
  }
  return keys.get(key);
}
