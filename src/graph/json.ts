/**
 * The JSON file format of a layer graph (version 1), its zod schema, and conversion to and
 * from LayerGraph. Example:
 *
 *   { "format": "evonorm.layer", "version": 1, "name": "evonorm-s1",
 *     "nodes": [ { "id": "n0", "op": "sigmoid", "args": ["x"] },
 *                { "id": "n1", "op": "mul", "args": ["x", "n0"] }, ... ],
 *     "output": "n4", "expression": "x * sigmoid(x) / sqrt(var_group(x))" }
 *
 * Nodes refer to each other by id, so a file may list them in any order (they are sorted
 * topologically on load) and may even contain a real cycle, which is reported by node ids.
 */
import { z } from 'zod';
import { EvonormError } from '../util/errors.js';
import { INPUT_COUNT, INPUT_INDEX, INPUT_NAMES, OPS, OP_NAMES, isInputName, isOpName } from './ops.js';
import { canonicalHash } from './canonical.js';
import { closest, nodeName } from './names.js';
import { parseExpression } from './parse.js';
import { printExpression } from './print.js';
import { POST_AFFINE_ACTIVATIONS, type GraphNode, type LayerGraph, type PostAffineActivation } from './types.js';
import { validateGraph, type ValidateOptions } from './validate.js';

export const LAYER_FORMAT = 'evonorm.layer';
export const LAYER_FORMAT_VERSION = 1;
/** Most nodes a layer file may list: far above any search space (≤ 50), low enough that checks never overflow the stack. */
export const MAX_JSON_NODES = 1000;

const NodeIdSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a node id is a name: letters, digits, _ . - (not starting with a digit)')
  .describe('Unique id of this node, referred to by later args and by "output"; not an initial-node name.');

/** One intermediate node of the file format. */
export const LayerJsonNodeSchema = z.strictObject({
  id: NodeIdSchema,
  op: z.string().describe('An op of the DSL (src/graph/ops.ts), e.g. "mul", "sigmoid", "var_group".'),
  args: z
    .array(z.string())
    .describe('Arguments, in order: initial-node names (x, zero, one, v0, v1) or ids of other nodes.'),
});

const LayerJsonObject = z.strictObject({
  format: z.literal(LAYER_FORMAT, { error: `not an evonorm layer file: "format" must be "${LAYER_FORMAT}"` }).describe('Always "evonorm.layer".'),
  version: z
    .literal(LAYER_FORMAT_VERSION, { error: `unsupported version: this reader knows version ${LAYER_FORMAT_VERSION}` })
    .describe('Format version; this reader knows 1.'),
  name: z.string().optional().describe('A name for people, e.g. "evonorm-s0".'),
  nodes: z.array(LayerJsonNodeSchema).max(MAX_JSON_NODES).describe('The intermediate nodes, in any acyclic order.'),
  output: z.string().describe('Id of the node the layer outputs (before the affine), or "x".'),
  activation: z
    .enum(POST_AFFINE_ACTIVATIONS as [PostAffineActivation, ...PostAffineActivation[]])
    .optional()
    .describe('Activation after the per-channel affine (relu: max(z,0); swish: z·sigmoid(z)). Absent: none.'),
  expression: z
    .string()
    .optional()
    .describe('The same graph in the expression syntax; when present it must match the nodes.'),
  metadata: z.record(z.string(), z.unknown()).optional().describe('Free-form facts: run, objectives, fingerprint.'),
});

/** zod schema of the layer file format, including reference, arity and cycle checks. */
export const LayerJsonSchema = LayerJsonObject.superRefine((doc, ctx) => {
  for (const issue of referenceIssues(doc)) ctx.addIssue({ code: 'custom', ...issue });
});

export type LayerJson = z.infer<typeof LayerJsonSchema>;

export interface GraphToJsonExtras {
  readonly name?: string;
  readonly metadata?: Record<string, unknown>;
  /** Include the printed expression (default true). */
  readonly expression?: boolean;
}

/** The file-format document of a graph; nodes are named n0, n1, … in graph order. */
export function graphToJson(graph: LayerGraph, extras: GraphToJsonExtras = {}): LayerJson {
  const doc: LayerJson = {
    format: LAYER_FORMAT,
    version: LAYER_FORMAT_VERSION,
    ...(extras.name !== undefined ? { name: extras.name } : {}),
    nodes: graph.nodes.map((node, k) => ({ id: nodeName(INPUT_COUNT + k), op: node.op, args: node.args.map(nodeName) })),
    output: nodeName(graph.output),
    ...(graph.activation !== undefined ? { activation: graph.activation } : {}),
    ...(extras.expression === false ? {} : { expression: printExpression(graph) }),
    ...(extras.metadata !== undefined ? { metadata: extras.metadata } : {}),
  };
  return doc;
}

/**
 * Reads a file-format document (already JSON-parsed) into a valid LayerGraph. Nodes are sorted
 * topologically (file order kept where possible). Throws EvonormError('BAD_GRAPH') with a
 * message for people (z.prettifyError) naming the offending nodes: schema errors, unknown ops,
 * wrong arity, missing nodes, cycles, an output that ignores x, too many nodes
 * (options.maxNodes, default 10), or an "expression" field that disagrees with the nodes.
 */
export function graphFromJson(value: unknown, options: ValidateOptions = {}): LayerGraph {
  checkJsonSize(value);
  const parsed = LayerJsonSchema.safeParse(value);
  if (!parsed.success) {
    throw new EvonormError('BAD_GRAPH', `invalid layer graph JSON:\n${z.prettifyError(parsed.error)}`, {
      issues: parsed.error.issues,
    });
  }
  const doc = parsed.data;
  const order = topologicalOrder(doc.nodes);
  const indexOf = new Map<string, number>(Object.entries(INPUT_INDEX));
  order.forEach((position, k) => indexOf.set(doc.nodes[position].id, INPUT_COUNT + k));
  const nodes: GraphNode[] = order.map((position) => {
    const node = doc.nodes[position];
    return { op: node.op as GraphNode['op'], args: node.args.map((a) => indexOf.get(a) as number) };
  });
  const output = indexOf.get(doc.output) as number;
  const graph: LayerGraph = doc.activation ? { nodes, output, activation: doc.activation } : { nodes, output };

  const issues = validateGraph(graph, options).map((issue) =>
    issue.code === 'NO_X_DEPENDENCE' ? `✖ output "${doc.output}" does not depend on x` : `✖ ${issue.message}`,
  );
  if (issues.length > 0) throw new EvonormError('BAD_GRAPH', `invalid layer graph JSON:\n${issues.join('\n')}`);

  if (doc.expression !== undefined) checkExpression(doc.expression, graph);
  return graph;
}

/** Refuses a document with more than MAX_JSON_NODES nodes before any check walks them. */
function checkJsonSize(value: unknown): void {
  const nodes = value !== null && typeof value === 'object' ? (value as { nodes?: unknown }).nodes : undefined;
  if (Array.isArray(nodes) && nodes.length > MAX_JSON_NODES) {
    throw new EvonormError('BAD_GRAPH', `invalid layer graph JSON: ${nodes.length} nodes, more than the ${MAX_JSON_NODES} a layer file may have`);
  }
}

/** Throws when the document's "expression" field does not describe the same graph. */
function checkExpression(expression: string, graph: LayerGraph): void {
  let fromText: LayerGraph;
  try {
    fromText = parseExpression(expression);
  } catch (err) {
    throw new EvonormError('BAD_GRAPH', `invalid layer graph JSON: the "expression" field does not parse: ${(err as Error).message}`);
  }
  if (canonicalHash(fromText) !== canonicalHash(graph)) {
    throw new EvonormError(
      'BAD_GRAPH',
      `invalid layer graph JSON: the "expression" field does not match the nodes, which compute ${printExpression(graph)}`,
    );
  }
}

interface RefIssue {
  readonly message: string;
  readonly path: (string | number)[];
}

/** Id, op, arity, reference and cycle problems of a schema-shaped document, naming nodes by id. */
function referenceIssues(doc: z.infer<typeof LayerJsonObject>): RefIssue[] {
  const issues: RefIssue[] = [];
  const position = new Map<string, number>();
  doc.nodes.forEach((node, i) => {
    if (isInputName(node.id)) {
      issues.push({ message: `node id "${node.id}" is an initial-node name`, path: ['nodes', i, 'id'] });
    } else if (position.has(node.id)) {
      issues.push({ message: `duplicate node id "${node.id}"`, path: ['nodes', i, 'id'] });
    } else {
      position.set(node.id, i);
    }
  });
  let missing = false;
  doc.nodes.forEach((node, i) => {
    if (!isOpName(node.op)) {
      const hint = closest(node.op, OP_NAMES);
      issues.push({
        message: `node "${node.id}": unknown op "${node.op}"${hint ? ` (did you mean ${hint}?)` : ''}`,
        path: ['nodes', i, 'op'],
      });
    } else if (node.args.length !== OPS[node.op].arity) {
      issues.push({
        message: `node "${node.id}": ${node.op} takes ${OPS[node.op].arity} argument(s), got ${node.args.length}`,
        path: ['nodes', i, 'args'],
      });
    }
    node.args.forEach((arg, j) => {
      if (!isInputName(arg) && !position.has(arg)) {
        missing = true;
        issues.push({
          message: `node "${node.id}": argument "${arg}" is neither an initial node (${INPUT_NAMES.join(', ')}) nor a node id`,
          path: ['nodes', i, 'args', j],
        });
      }
    });
  });
  if (!isInputName(doc.output) && !position.has(doc.output)) {
    issues.push({ message: `output "${doc.output}" is neither an initial node nor a node id`, path: ['output'] });
  }
  if (!missing) {
    for (const cycle of findCycles(doc.nodes, position)) {
      issues.push({ message: `cycle: ${cycle.join(' -> ')}`, path: ['nodes', position.get(cycle[0]) as number] });
    }
  }
  return issues;
}

/** Cycles among nodes (ids, first repeated last), one per back edge of a depth-first search. */
function findCycles(nodes: readonly { id: string; args: readonly string[] }[], position: ReadonlyMap<string, number>): string[][] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 1);
    stack.push(id);
    for (const arg of nodes[position.get(id) as number].args) {
      if (!position.has(arg)) continue;
      if (state.get(arg) === 1) cycles.push([...stack.slice(stack.indexOf(arg)), arg]);
      else if (state.get(arg) === undefined) visit(arg);
    }
    stack.pop();
    state.set(id, 2);
  };
  for (const id of position.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

/**
 * Positions of the nodes in a topological order (args before users), as close to file order
 * as possible: repeatedly take the first node in the file whose args are all placed. Assumes
 * the references were checked (no cycle, no missing id).
 */
function topologicalOrder(nodes: readonly { id: string; args: readonly string[] }[]): number[] {
  const placed = new Set<string>(INPUT_NAMES);
  const order: number[] = [];
  const remaining = nodes.map((_, i) => i);
  while (remaining.length > 0) {
    const at = remaining.findIndex((i) => nodes[i].args.every((a) => placed.has(a)));
    if (at < 0) throw new EvonormError('INTERNAL', 'topological sort of a cyclic graph');
    const [next] = remaining.splice(at, 1);
    placed.add(nodes[next].id);
    order.push(next);
  }
  return order;
}
