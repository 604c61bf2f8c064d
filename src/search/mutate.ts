/**
 * Mutation of a layer graph (PAPER.md §3, recalled): pick an intermediate node uniformly at
 * random; give it a random new primitive and/or re-sample its inputs among earlier nodes. Only
 * mutation, no crossover. Node insertion and deletion are extensions, off by default.
 *
 *   repeat up to maxAttempts times:
 *     kind ~ weights (op | args | both | insert | delete | wrap, among those possible)
 *     child = apply kind at a uniformly chosen node
 *     if child is valid and canonicalHash(child) ≠ canonicalHash(parent): return child
 *   return a fresh random graph (counted as a fallback)
 *
 * The child keeps the parent's node numbering, dead nodes and post-affine activation; the
 * hash check makes sure the computed expression actually changed. The node is drawn among the
 * LIVE nodes (those the output reads): a change to a dead node never changes the expression and
 * would be retried anyway, so this is the same distribution as "uniform over all nodes, retried
 * until the structure changes", without the wasted attempts (random graphs are ~2/3 dead).
 */
import { canonicalHash } from '../graph/canonical.js';
import { validateGraph } from '../graph/validate.js';
import { INPUT_COUNT, OPS } from '../graph/ops.js';
import { liveNodes as liveIndices } from '../graph/live.js';
import type { GraphNode, LayerGraph } from '../graph/types.js';
import type { Rng } from '../util/rng.js';
import { randomGraph, randomNode } from './random-graph.js';
import { argChoices, type SearchSpace } from './space.js';
import type { MutationInfo, MutationOptions } from './state-schema.js';

export type MutationKind = 'op' | 'args' | 'both' | 'insert' | 'delete' | 'wrap';
export const MUTATION_KINDS: readonly MutationKind[] = ['op', 'args', 'both', 'insert', 'delete', 'wrap'];

/**
 * Mutation options (their schema: src/search/state-schema.ts): `maxAttempts`, tries before
 * falling back to a fresh random graph (default 50); `weights`, the relative weight of each
 * mutation kind, 0 switching a kind off (defaults: op 1, args 1, both 1, the paper's "new
 * primitive and/or new inputs"; insert 0, delete 0, wrap 0); `drift`, the chance per child that
 * one of its dead nodes is also re-drawn at random (hidden variation, as in AutoML-Zero: dead
 * nodes do not change the function, but args and wrap mutations may read them, so a drifting
 * reservoir of sub-expressions lets one mutation wire in a whole piece), 0 by default, in [0, 1].
 * MutationInfo: what a mutation did, kept with the child for the journal.
 */
export type { MutationInfo, MutationOptions } from './state-schema.js';

export const DEFAULT_MUTATION_OPTIONS: MutationOptions = {
  maxAttempts: 50,
  weights: { op: 1, args: 1, both: 1, insert: 0, delete: 0, wrap: 0 },
  drift: 0,
};

/** Complete mutation options from partial ones (weights merge with the defaults). */
export function mutationOptions(settings: Partial<{ maxAttempts: number; weights: Partial<Record<MutationKind, number>>; drift: number }> = {}): MutationOptions {
  const maxAttempts = settings.maxAttempts ?? DEFAULT_MUTATION_OPTIONS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  const weights = { ...DEFAULT_MUTATION_OPTIONS.weights, ...settings.weights };
  for (const kind of MUTATION_KINDS) {
    if (!(weights[kind] >= 0) || !Number.isFinite(weights[kind])) throw new RangeError(`mutation weight ${kind} must be a finite number ≥ 0`);
  }
  const drift = settings.drift ?? DEFAULT_MUTATION_OPTIONS.drift;
  if (!(drift >= 0 && drift <= 1)) throw new RangeError(`drift must be a number in [0, 1], got ${drift}`);
  return { maxAttempts, weights, drift };
}

export interface Mutation {
  readonly graph: LayerGraph;
  readonly info: MutationInfo;
}

/**
 * Mutates `graph` within `space`: always returns a graph that validates with
 * `maxNodes: space.maxNodes` and (unless the fallback random graph happens to equal the
 * parent, practically never) has a different canonical hash. Every draw comes from `rng`.
 */
export function mutate(rng: Rng, graph: LayerGraph, space: SearchSpace, options: MutationOptions = DEFAULT_MUTATION_OPTIONS): Mutation {
  const parentHash = safeHash(graph);
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const kinds = MUTATION_KINDS.filter((kind) => options.weights[kind] > 0 && possible(kind, graph, space));
    if (kinds.length === 0) break;
    const kind = weightedPick(rng, kinds, options.weights);
    const { child, node } = applyKind(rng, kind, graph, space);
    if (validateGraph(child, { maxNodes: space.maxNodes }).length > 0) continue;
    if (safeHash(child) === parentHash) continue;
    let drifted = options.drift > 0 && rng.next() < options.drift ? redrawDeadNode(rng, child, space) : child;
    if (drifted !== child && validateGraph(drifted, { maxNodes: space.maxNodes }).length > 0) drifted = child;
    return { graph: drifted, info: { kind, node, attempts: attempt, fallback: false } };
  }
  let child = randomGraph(rng, space);
  for (let again = 0; again < 100 && canonicalHash(child) === parentHash; again++) child = randomGraph(rng, space);
  return { graph: child, info: { kind: 'random', node: -1, attempts: options.maxAttempts, fallback: true } };
}

function possible(kind: MutationKind, graph: LayerGraph, space: SearchSpace): boolean {
  const n = graph.nodes.length;
  if (kind === 'insert' || kind === 'wrap') return n < space.maxNodes || unreadDeadNodes(graph).length > 0;
  if (kind === 'delete') return n > Math.max(1, space.minNodes);
  return n > 0;
}

function weightedPick(rng: Rng, kinds: readonly MutationKind[], weights: Readonly<Record<MutationKind, number>>): MutationKind {
  const total = kinds.reduce((sum, kind) => sum + weights[kind], 0);
  let r = rng.next() * total;
  for (const kind of kinds) {
    r -= weights[kind];
    if (r < 0) return kind;
  }
  return kinds[kinds.length - 1];
}

function applyKind(rng: Rng, kind: MutationKind, parent: LayerGraph, space: SearchSpace): { child: LayerGraph; node: number } {
  // A full graph makes room for a new node by dropping a dead one: random graphs are about
  // two-thirds dead nodes, and without this they could never grow again.
  const growing = kind === 'insert' || kind === 'wrap';
  const graph = growing && parent.nodes.length >= space.maxNodes ? dropDeadNode(rng, parent) : parent;
  const n = graph.nodes.length;
  if (kind === 'insert') {
    const node = rng.int(n + 1);
    return { child: insertNode(rng, graph, space, node), node };
  }
  if (kind === 'wrap') return wrapValue(rng, graph, space);
  const live = liveNodes(graph);
  const node = live.length > 0 ? rng.pick(live) : rng.int(n);
  if (kind === 'delete') return { child: deleteNode(rng, graph, node), node };
  const old = graph.nodes[node];
  const choices = argChoices(space, node);
  let replacement: GraphNode;
  if (kind === 'args') {
    replacement = { op: old.op, args: old.args.map(() => rng.pick(choices)) };
  } else if (kind === 'both') {
    replacement = randomNode(rng, space, node);
  } else {
    const others = space.ops.filter((op) => op !== old.op);
    const op = rng.pick(others.length > 0 ? others : space.ops);
    replacement = { op, args: adaptArgs(rng, old.args, OPS[op].arity, choices) };
  }
  const nodes = graph.nodes.map((g, k) => (k === node ? replacement : g));
  return { child: withNodes(graph, nodes, graph.output), node };
}

/** Positions k (increasing) of the intermediate nodes the output reads, itself included. */
function liveNodes(graph: LayerGraph): number[] {
  const n = graph.nodes.length;
  return [...liveIndices(graph)].map((i) => i - INPUT_COUNT).filter((k) => k >= 0 && k < n).sort((a, b) => a - b);
}

/** Positions of dead nodes (not read by the output's expression) that no other node reads. */
function unreadDeadNodes(graph: LayerGraph): number[] {
  const live = new Set(liveNodes(graph));
  const read = new Set(graph.nodes.flatMap((node) => node.args.map((a) => a - INPUT_COUNT)));
  return graph.nodes.map((_, k) => k).filter((k) => !live.has(k) && !read.has(k));
}

/** Removes one random unread dead node and renumbers the later ones; the function is unchanged. */
function dropDeadNode(rng: Rng, graph: LayerGraph): LayerGraph {
  const k = rng.pick(unreadDeadNodes(graph));
  const at = INPUT_COUNT + k;
  const nodes = graph.nodes.filter((_, j) => j !== k).map((g) => ({ op: g.op, args: g.args.map((a) => (a > at ? a - 1 : a)) }));
  return withNodes(graph, nodes, graph.output > at ? graph.output - 1 : graph.output);
}

/**
 * Re-draws one random dead node as a fresh random node at its position (the function is
 * unchanged). The new node reads only earlier values, so the graph stays acyclic; a dead node
 * cannot make the graph invalid.
 */
function redrawDeadNode(rng: Rng, graph: LayerGraph, space: SearchSpace): LayerGraph {
  const live = new Set(liveNodes(graph));
  const dead = graph.nodes.map((_, k) => k).filter((k) => !live.has(k));
  if (dead.length === 0) return graph;
  const k = rng.pick(dead);
  const nodes = graph.nodes.map((g, j) => (j === k ? randomNode(rng, space, k) : g));
  return withNodes(graph, nodes, graph.output);
}

/** Keeps a node's inputs across an arity change: drop one at random, or add a random one. */
function adaptArgs(rng: Rng, args: readonly number[], arity: number, choices: readonly number[]): number[] {
  if (args.length === arity) return [...args];
  if (args.length > arity) return [args[rng.int(args.length)]];
  return [...args, rng.pick(choices)];
}

/**
 * Inserts a random node at position p and makes it used: at the end it becomes the output;
 * otherwise one argument of a random later node is rewired to it.
 */
function insertNode(rng: Rng, graph: LayerGraph, space: SearchSpace, p: number): LayerGraph {
  const at = INPUT_COUNT + p;
  const shift = (a: number): number => (a >= at ? a + 1 : a);
  const fresh = randomNode(rng, space, p);
  const nodes: GraphNode[] = [
    ...graph.nodes.slice(0, p),
    fresh,
    ...graph.nodes.slice(p).map((g) => ({ op: g.op, args: g.args.map(shift) })),
  ];
  if (p < graph.nodes.length) {
    const reader = p + 1 + rng.int(nodes.length - p - 1);
    const args = [...nodes[reader].args];
    args[rng.int(args.length)] = at;
    nodes[reader] = { op: nodes[reader].op, args };
  }
  return withNodes(graph, nodes, INPUT_COUNT + nodes.length - 1);
}

/**
 * Wraps one value where it is read: a random read (an argument slot of a live node, or the
 * output itself) of value v becomes a read of a new node f(v), f(v, r) or f(r, v), with r a
 * random earlier value. `x*sigmoid(x)` → `x*sigmoid(v1*x)` or `y` → `y / sqrt(var_group(x))`…
 * take one wrap (plus the op choice) instead of several coordinated edits whose intermediate
 * graphs score worse. An extension (off by default), in the spirit of insert.
 */
function wrapValue(rng: Rng, graph: LayerGraph, space: SearchSpace): { child: LayerGraph; node: number } {
  const reads: { reader: number; slot: number }[] = [{ reader: -1, slot: 0 }];
  for (const k of liveNodes(graph)) graph.nodes[k].args.forEach((_, slot) => reads.push({ reader: k, slot }));
  const { reader, slot } = rng.pick(reads);
  const p = reader < 0 ? graph.nodes.length : reader; // the new node goes just before its reader
  const at = INPUT_COUNT + p;
  const wrapped = reader < 0 ? graph.output : graph.nodes[reader].args[slot];
  const op = rng.pick(space.ops);
  let fresh: GraphNode;
  if (OPS[op].arity === 1) fresh = { op, args: [wrapped] };
  else {
    const other = rng.pick(argChoices(space, p));
    fresh = { op, args: rng.next() < 0.5 ? [wrapped, other] : [other, wrapped] };
  }
  const shift = (a: number): number => (a >= at ? a + 1 : a);
  const nodes: GraphNode[] = [
    ...graph.nodes.slice(0, p),
    fresh,
    ...graph.nodes.slice(p).map((g) => ({ op: g.op, args: g.args.map(shift) })),
  ];
  if (reader < 0) return { child: withNodes(graph, nodes, at), node: p };
  const args = [...nodes[p + 1].args];
  args[slot] = at;
  nodes[p + 1] = { op: nodes[p + 1].op, args };
  return { child: withNodes(graph, nodes, shift(graph.output)), node: p };
}

/**
 * Deletes the node at position k; its readers read one of its arguments instead (chosen at
 * random), and later nodes are renumbered. The output stays the last node.
 */
function deleteNode(rng: Rng, graph: LayerGraph, k: number): LayerGraph {
  const at = INPUT_COUNT + k;
  const removed = graph.nodes[k];
  const bypass = removed.args[rng.int(removed.args.length)];
  const remap = (a: number): number => (a === at ? bypass : a > at ? a - 1 : a);
  const nodes = graph.nodes
    .filter((_, j) => j !== k)
    .map((g) => ({ op: g.op, args: g.args.map(remap) }));
  return withNodes(graph, nodes, INPUT_COUNT + nodes.length - 1);
}

/** A graph with new nodes and output that keeps the parent's post-affine activation. */
function withNodes(parent: LayerGraph, nodes: readonly GraphNode[], output: number): LayerGraph {
  return parent.activation === undefined ? { nodes, output } : { nodes, output, activation: parent.activation };
}

/** The canonical hash, or null for a graph too broken to canonicalize (never equal to a child's). */
function safeHash(graph: LayerGraph): string | null {
  try {
    return canonicalHash(graph);
  } catch {
    return null;
  }
}
