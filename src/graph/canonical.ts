/**
 * The canonical form of a layer graph and its structural hash: two graphs that compute the same
 * expression tree (up to argument order of commutative ops, node numbering, dead nodes and
 * repeated subexpressions) get the same canonical graph, key and hash.
 *
 *   height(input) = 0; height(node) = 1 + max height(args)
 *   for h = 1, 2, …: key each live node of height h by (op, canonical ids of its args,
 *     sorted when the op is commutative); merge equal keys (hash-consing); number the distinct
 *     keys in sorted order after all lower heights.
 *
 * By induction on h a canonical id depends only on the subexpression, never on the input
 * numbering, so the result is deterministic and canonicalize is idempotent.
 */
import { createHash } from 'node:crypto';
import { EvonormError } from '../util/errors.js';
import { INPUT_COUNT, OPS, type OpName } from './ops.js';
import type { GraphNode, LayerGraph } from './types.js';
import { validateGraph } from './validate.js';

/** Issue codes that make a graph impossible to canonicalize (the others are harmless here). */
const BLOCKING = new Set(['UNKNOWN_OP', 'ARITY', 'MISSING_NODE', 'CYCLE', 'BAD_OUTPUT']);

/**
 * The canonical form of `graph`: dead nodes pruned, nodes renumbered in a deterministic
 * topological order, commutative arguments ordered, repeated subexpressions merged.
 * Throws EvonormError('BAD_GRAPH') for graphs that are not structurally sound (unknown op,
 * wrong arity, missing node, cycle, bad output); a graph without x dependence or with too many
 * nodes is still canonicalized.
 */
export function canonicalize(graph: LayerGraph): LayerGraph {
  const blocking = validateGraph(graph, { maxNodes: Infinity }).filter((i) => BLOCKING.has(i.code));
  if (blocking.length > 0) {
    throw new EvonormError('BAD_GRAPH', `cannot canonicalize: ${blocking.map((i) => i.message).join('; ')}`, {
      issues: blocking,
    });
  }

  // Heights of the live nodes (those the output reads), by graph index.
  const height = new Map<number, number>();
  const heightOf = (index: number): number => {
    if (index < INPUT_COUNT) return 0;
    const known = height.get(index);
    if (known !== undefined) return known;
    const h = 1 + Math.max(...graph.nodes[index - INPUT_COUNT].args.map(heightOf));
    height.set(index, h);
    return h;
  };
  heightOf(graph.output);

  const levels: number[][] = [];
  for (const [index, h] of height) (levels[h] ??= []).push(index);

  const canonicalId = new Map<number, number>();
  for (let i = 0; i < INPUT_COUNT; i++) canonicalId.set(i, i);
  const nodes: GraphNode[] = [];
  for (const level of levels) {
    if (!level) continue;
    const byKey = new Map<string, { node: GraphNode; members: number[] }>();
    for (const index of level) {
      const original = graph.nodes[index - INPUT_COUNT];
      const args = original.args.map((a) => canonicalId.get(a) as number);
      if (OPS[original.op].commutative) args.sort((a, b) => a - b);
      const key = nodeKey(original.op, args);
      const entry = byKey.get(key);
      if (entry) entry.members.push(index);
      else byKey.set(key, { node: { op: original.op, args }, members: [index] });
    }
    const distinct = [...byKey.values()].sort((a, b) => compareNodes(a.node, b.node));
    for (const { node, members } of distinct) {
      const id = INPUT_COUNT + nodes.length;
      nodes.push(node);
      for (const member of members) canonicalId.set(member, id);
    }
  }

  const output = canonicalId.get(graph.output) as number;
  return graph.activation === undefined ? { nodes, output } : { nodes, output, activation: graph.activation };
}

/**
 * The canonical string of a graph, e.g. `sigmoid(0);var_group(0);mul(0,5);sqrt(6);div(7,8)>9` for
 * `x * sigmoid(x) / sqrt(var_group(x))`
 * (args are canonical node indices, inputs 0..4 are x, zero, one, v0, v1; `>` the output,
 * then `|relu` or `|swish` when there is a post-affine activation).
 */
export function structuralKey(graph: LayerGraph): string {
  const canonical = canonicalize(graph);
  const body = canonical.nodes.map((n) => nodeKey(n.op, n.args)).join(';');
  return `${body}>${canonical.output}${canonical.activation ? `|${canonical.activation}` : ''}`;
}

/** A structural hash of the graph: sha256 hex of a versioned structuralKey, stable everywhere. */
export function canonicalHash(graph: LayerGraph): string {
  return createHash('sha256').update(`evonorm.layer/1\n${structuralKey(graph)}`).digest('hex');
}

function nodeKey(op: OpName, args: readonly number[]): string {
  return `${op}(${args.join(',')})`;
}

/** Total order on nodes: op name (code-unit order, locale-free), then args numerically. */
function compareNodes(a: GraphNode, b: GraphNode): number {
  if (a.op !== b.op) return a.op < b.op ? -1 : 1;
  for (let i = 0; i < Math.min(a.args.length, b.args.length); i++) {
    if (a.args[i] !== b.args[i]) return a.args[i] - b.args[i];
  }
  return a.args.length - b.args.length;
}
