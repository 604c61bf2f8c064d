/**
 * The JSON file format of a layer graph (version 2), its zod schema, the upgrade of version-1
 * files, and conversion to and from LayerGraph. Example:
 *
 *   { "format": "evonorm.layer", "version": 2, "name": "evonorm-s1",
 *     "nodes": [ { "id": "n0", "op": "sigmoid", "args": ["x"] },
 *                { "id": "n1", "op": "mul", "args": ["x", "n0"] }, ... ],
 *     "output": "n4", "expression": "x * sigmoid(x) / sqrt(var_group(x))",
 *     "options": { "epsilon": 1e-5, "groups": 32, "momentum": 0.9 } }
 *
 * Nodes refer to each other by id, so a file may list them in any order (they are sorted
 * topologically on load) and may even contain a real cycle, which is reported by node ids.
 *
 * Versions: 1 had no "options"; 2 adds "options", the layer options the graph was scored with
 * (ε, groups or group size, moving-average momentum). Every reader accepts both: a version-1
 * file reads as version 2 with the default options (upgradeLayerJson). A version-2 document
 * may omit "options" (graphs embedded in a run's journal do: the run config holds them); a
 * reader then uses the defaults too. An unknown (newer) version is refused with a message.
 */
import { z } from 'zod';
import { EvonormError } from '../util/errors.js';
import { DEFAULT_EPSILON, DEFAULT_GROUPS, INPUT_COUNT, INPUT_INDEX, INPUT_NAMES, OPS, OP_NAMES, isInputName, isOpName } from './ops.js';
import { canonicalHash } from './canonical.js';
import { closest, nodeName } from './names.js';
import { parseExpression } from './parse.js';
import { printExpression } from './print.js';
import { POST_AFFINE_ACTIVATIONS, type GraphNode, type LayerGraph, type PostAffineActivation } from './types.js';
import { validateGraph, type ValidateOptions } from './validate.js';

export const LAYER_FORMAT = 'evonorm.layer';
/** Most nodes a layer file may list: far above any search space (≤ 50), low enough that checks never overflow the stack. */
export const MAX_JSON_NODES = 1000;
/** The version this code writes. */
export const LAYER_FORMAT_VERSION = 2;
/** Every version this code reads. */
export const LAYER_FORMAT_VERSIONS: readonly number[] = [1, 2];

const NOT_A_LAYER_FILE = `not an evonorm layer file: "format" must be "${LAYER_FORMAT}"`;

/** The layer options stored with a graph (the same fields as the tensor module's LayerOptions). */
export const LayerJsonOptionsSchema = z.strictObject({
  epsilon: z.number().positive().max(1).describe('ε inside every square root and logarithm, e.g. 1e-5.'),
  groups: z.number().int().min(1).describe('Groups of group aggregations (lowered to a divisor of C), e.g. 32.'),
  groupSize: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Channels per group; when present it overrides "groups" (groups = C / groupSize).'),
  momentum: z.number().min(0).max(1).describe('Moving-average momentum of batch statistics: m ← momentum·m + (1−momentum)·batch.'),
});

export type LayerJsonOptions = z.infer<typeof LayerJsonOptionsSchema>;

/** The options a graph without stored options was scored with (equal to DEFAULT_LAYER_OPTIONS). */
export const DEFAULT_LAYER_JSON_OPTIONS: LayerJsonOptions = Object.freeze({
  epsilon: DEFAULT_EPSILON,
  groups: DEFAULT_GROUPS,
  momentum: 0.9,
});

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

const FormatSchema = z
  .literal(LAYER_FORMAT, { error: () => NOT_A_LAYER_FILE })
  .describe('Always "evonorm.layer".');

/** The fields versions 1 and 2 share. */
const commonFields = {
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
};

const LayerJsonV1Object = z.strictObject({
  format: FormatSchema,
  version: z.literal(1).describe('Format version 1 (no options).'),
  ...commonFields,
});

const LayerJsonV2Object = z.strictObject({
  format: FormatSchema,
  version: z.literal(2).describe('Format version 2 (adds "options").'),
  ...commonFields,
  options: LayerJsonOptionsSchema.optional().describe(
    'The layer options the graph was scored with. Absent: not recorded here (the defaults: ε 1e-5, 32 groups, momentum 0.9).',
  ),
});

/** Adds the reference, arity and cycle issues of a schema-shaped document to a zod context. */
function refineReferences(doc: LayerJsonShape, ctx: z.RefinementCtx): void {
  for (const issue of referenceIssues(doc)) ctx.addIssue({ code: 'custom', ...issue });
}

/** zod schema of a version-1 document (what evonorm wrote before options were stored). */
export const LayerJsonV1Schema = LayerJsonV1Object.superRefine(refineReferences);

/** zod schema of a version-2 document (what graphToJson writes). */
export const LayerJsonV2Schema = LayerJsonV2Object.superRefine(refineReferences);

/**
 * zod schema of the layer file format in any version this code reads (1 or 2), including
 * reference, arity and cycle checks. Its value is the document as written; upgradeLayerJson
 * turns it into version 2.
 */
export const LayerJsonSchema = z
  .discriminatedUnion('version', [LayerJsonV1Object, LayerJsonV2Object], {
    error: (issue) => (issue.code === 'invalid_union' ? documentMessage(issue.input) : undefined),
  })
  .superRefine(refineReferences);

export type LayerJsonV1 = z.infer<typeof LayerJsonV1Schema>;
export type LayerJsonV2 = z.infer<typeof LayerJsonV2Schema>;
/** A layer document of any version this code reads. */
export type LayerJson = z.infer<typeof LayerJsonSchema>;
type LayerJsonShape = LayerJsonV1 | LayerJsonV2;

/** Why an object matches no known version: not a layer file at all, or an unknown version. */
function documentMessage(input: unknown): string {
  const doc = input as { format?: unknown; version?: unknown } | null | undefined;
  return doc?.format === LAYER_FORMAT ? unknownVersionMessage(doc.version) : NOT_A_LAYER_FILE;
}

/** The message for a layer file whose version this code does not know. */
function unknownVersionMessage(version: unknown): string {
  const known = LAYER_FORMAT_VERSIONS.join(' and ');
  const newer = typeof version === 'number' && version > LAYER_FORMAT_VERSION;
  return `unsupported layer file version ${JSON.stringify(version) ?? '(missing)'}: this evonorm reads versions ${known}` +
    (newer ? ' (the file was written by a newer evonorm; upgrade evonorm to read it)' : '');
}

/**
 * The version-2 form of a document of any known version: a version-1 document gets the
 * default options (what it was scored with, since version 1 could not say otherwise); a
 * version-2 document is returned unchanged. The input must have passed LayerJsonSchema.
 */
export function upgradeLayerJson(doc: LayerJson): LayerJsonV2 {
  if (doc.version === 2) return doc;
  const { format, name, nodes, output, activation, expression, metadata } = doc;
  return {
    format,
    version: 2,
    ...(name !== undefined ? { name } : {}),
    nodes,
    output,
    ...(activation !== undefined ? { activation } : {}),
    ...(expression !== undefined ? { expression } : {}),
    options: { ...DEFAULT_LAYER_JSON_OPTIONS },
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

export interface GraphToJsonExtras {
  readonly name?: string;
  readonly metadata?: Record<string, unknown>;
  /** Include the printed expression (default true). */
  readonly expression?: boolean;
  /**
   * The layer options to record (missing fields take the defaults). Absent: the document has
   * no "options" (used for graphs inside a run's journal, whose options live in the config).
   */
  readonly options?: Partial<LayerJsonOptions>;
}

/** The version-2 document of a graph; nodes are named n0, n1, … in graph order. */
export function graphToJson(graph: LayerGraph, extras: GraphToJsonExtras = {}): LayerJsonV2 {
  const doc: LayerJsonV2 = {
    format: LAYER_FORMAT,
    version: 2,
    ...(extras.name !== undefined ? { name: extras.name } : {}),
    nodes: graph.nodes.map((node, k) => ({ id: nodeName(INPUT_COUNT + k), op: node.op, args: node.args.map(nodeName) })),
    output: nodeName(graph.output),
    ...(graph.activation !== undefined ? { activation: graph.activation } : {}),
    ...(extras.expression === false ? {} : { expression: printExpression(graph) }),
    ...(extras.options !== undefined ? { options: layerJsonOptions(extras.options) } : {}),
    ...(extras.metadata !== undefined ? { metadata: extras.metadata } : {}),
  };
  return doc;
}

/**
 * Complete layer options: the defaults overridden by the given fields (undefined fields are
 * skipped, and groupSize is kept only when set). Values are not validated here.
 */
export function layerJsonOptions(options: Partial<LayerJsonOptions> = {}): LayerJsonOptions {
  const out: { -readonly [K in keyof LayerJsonOptions]: LayerJsonOptions[K] } = { ...DEFAULT_LAYER_JSON_OPTIONS };
  if (options.epsilon !== undefined) out.epsilon = options.epsilon;
  if (options.groups !== undefined) out.groups = options.groups;
  if (options.momentum !== undefined) out.momentum = options.momentum;
  if (options.groupSize !== undefined) out.groupSize = options.groupSize;
  return out;
}

/** A layer file read into its parts (readLayerJson). */
export interface LayerFile {
  /** The valid graph. */
  readonly graph: LayerGraph;
  /** The options it was scored with: the file's, else the defaults. */
  readonly options: LayerJsonOptions;
  /** Whether the file stated its options (false for version 1 and for journal graphs). */
  readonly hasOptions: boolean;
  readonly name?: string;
  readonly metadata?: Record<string, unknown>;
  /** The version the file was written in (1 or 2). */
  readonly version: number;
  /** The document, upgraded to version 2. */
  readonly document: LayerJsonV2;
}

/**
 * Reads a file-format document of any known version (already JSON-parsed): the graph, the
 * options it was scored with and its name and metadata. Throws EvonormError('BAD_GRAPH') with a
 * message for people: an unknown version (naming the versions this code reads), schema errors
 * (z.prettifyError), unknown ops, wrong arity, missing nodes, cycles (by node id), an output
 * that ignores x, too many nodes (options.maxNodes, default 10), or an "expression" field that
 * disagrees with the nodes. Nodes are sorted topologically (file order kept where possible).
 */
export function readLayerJson(value: unknown, options: ValidateOptions = {}): LayerFile {
  checkJsonSize(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { format, version } = value as { format?: unknown; version?: unknown };
    if (format !== LAYER_FORMAT || !LAYER_FORMAT_VERSIONS.includes(version as number)) {
      throw new EvonormError('BAD_GRAPH', `invalid layer graph JSON: ${documentMessage(value)}`, { format, version });
    }
  }
  const parsed = LayerJsonSchema.safeParse(value);
  if (!parsed.success) {
    throw new EvonormError('BAD_GRAPH', `invalid layer graph JSON:\n${z.prettifyError(parsed.error)}`, {
      issues: parsed.error.issues,
    });
  }
  const doc = upgradeLayerJson(parsed.data);
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
  return {
    graph,
    options: layerJsonOptions(doc.options),
    hasOptions: parsed.data.version >= 2 && doc.options !== undefined,
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    ...(doc.metadata !== undefined ? { metadata: doc.metadata } : {}),
    version: parsed.data.version,
    document: doc,
  };
}

/**
 * Reads a file-format document of any known version into a valid LayerGraph (readLayerJson
 * without the options). Throws EvonormError('BAD_GRAPH') as readLayerJson does.
 */
export function graphFromJson(value: unknown, options: ValidateOptions = {}): LayerGraph {
  return readLayerJson(value, options).graph;
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
function referenceIssues(doc: LayerJsonShape): RefIssue[] {
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
