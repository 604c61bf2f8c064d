/**
 * The structural family of a layer: the outermost op chain of its canonical graph, read from
 * the output inward through unary ops (element-wise and aggregations) up to and including the
 * first binary op. A post-affine activation comes first, as `relu∘affine` / `swish∘affine`.
 *
 *   chain ← [activation, 'affine'] when the layer has one, else []
 *   n ← output of canonicalize(graph)
 *   while n is an intermediate node:
 *     chain += op(n)
 *     if op(n) is binary: stop            (its arguments are not looked at)
 *     n ← the argument of n
 *   if n is an initial node: chain += its name (x, zero, one, v0, v1)
 *   family = chain joined by '∘'
 *
 * Examples: `tanh(x / max(var_batch(x), …))` → `tanh∘div`; `tanh((x + v0) / …)` → `tanh∘div`;
 * BN-ReLU `relu(affine((x − μ)/σ))` → `relu∘affine∘div`; every EvoNorm (B0–B2, S0–S2) → `div`;
 * `x` → `x`; `tanh(x)` → `tanh∘x`; `-sigmoid(mean_batch(x))` → `neg∘sigmoid∘mean_batch∘x`.
 *
 * Why this depth: it is the coarsest reading that still tells the layer kinds apart. Stopping at
 * the first binary op makes the collapse of results/discovery-1 one family (its front was four
 * `tanh(x / statistic)` layers with four different statistics: all `tanh∘div`), while the zoo
 * falls into four families (`relu∘affine∘div`, `swish∘affine∘div`, `div`, `x`). Reading into
 * the binary op's arguments would split that collapse by its statistic, so one family could
 * take over the population while the measure reported many.
 */
import { canonicalize } from './canonical.js';
import { INPUT_COUNT, INPUT_NAMES, OPS } from './ops.js';
import type { LayerGraph } from './types.js';

/** Joins the ops of a family chain. */
export const FAMILY_SEPARATOR = '∘';

/**
 * The structural family of `graph` (see the module comment), e.g. `tanh∘div`. Throws
 * EvonormError('BAD_GRAPH') for a graph canonicalize refuses (unknown op, cycle, …).
 */
export function structuralFamily(graph: LayerGraph): string {
  const canonical = canonicalize(graph);
  const chain: string[] = canonical.activation !== undefined ? [canonical.activation, 'affine'] : [];
  let index = canonical.output;
  while (index >= INPUT_COUNT) {
    const node = canonical.nodes[index - INPUT_COUNT];
    chain.push(node.op);
    if (OPS[node.op].arity === 2) return chain.join(FAMILY_SEPARATOR);
    index = node.args[0];
  }
  chain.push(INPUT_NAMES[index]);
  return chain.join(FAMILY_SEPARATOR);
}
