/**
 * Validation of an in-memory LayerGraph: every problem is reported as a GraphIssue with a
 * stable code, so the search can reject a candidate statically and a person can read why.
 */
import { EvonormError } from '../util/errors.js';
import { INPUT_COUNT, INPUT_INDEX, OPS, isOpName } from './ops.js';
import { nodeName } from './names.js';
import { POST_AFFINE_ACTIVATIONS, type LayerGraph } from './types.js';

/** Default cap on intermediate nodes (PAPER.md §1: up to 10 intermediate, 14 in all). */
export const DEFAULT_MAX_NODES = 10;

export type GraphIssueCode =
  | 'UNKNOWN_OP'
  | 'ARITY'
  | 'MISSING_NODE'
  | 'CYCLE'
  | 'FORWARD_REFERENCE'
  | 'NO_X_DEPENDENCE'
  | 'TOO_MANY_NODES'
  | 'BAD_OUTPUT';

/**
 * One problem in a graph. `node` is the position k in `graph.nodes` (intermediate node `n<k>`,
 * graph index INPUT_COUNT + k) when the issue belongs to one node.
 */
export interface GraphIssue {
  readonly code: GraphIssueCode;
  readonly node?: number;
  readonly message: string;
}

export interface ValidateOptions {
  /** Most intermediate nodes allowed (all of `graph.nodes`, dead ones included); default 10. */
  readonly maxNodes?: number;
}

/**
 * Checks a graph and returns its issues; an empty array means valid.
 * Checks: known ops, arity, args that exist, no forward or self references (a self or mutual
 * reference is reported as CYCLE, naming the nodes), an output that exists and depends on x,
 * a valid post-affine activation, and at most `maxNodes` intermediate nodes.
 */
export function validateGraph(graph: LayerGraph, options: ValidateOptions = {}): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const nodes = graph.nodes;
  const total = INPUT_COUNT + nodes.length;

  if (nodes.length > maxNodes) {
    issues.push({
      code: 'TOO_MANY_NODES',
      message: `graph has ${nodes.length} intermediate nodes, more than the limit of ${maxNodes}`,
    });
  }

  nodes.forEach((node, k) => {
    const self = INPUT_COUNT + k;
    const name = nodeName(self);
    if (!isOpName(node.op)) {
      issues.push({ code: 'UNKNOWN_OP', node: k, message: `${name}: unknown op "${String(node.op)}"` });
    } else if (node.args.length !== OPS[node.op].arity) {
      issues.push({
        code: 'ARITY',
        node: k,
        message: `${name}: ${node.op} takes ${OPS[node.op].arity} argument(s), got ${node.args.length}`,
      });
    }
    for (const arg of node.args) {
      if (!Number.isInteger(arg) || arg < 0 || arg >= total) {
        issues.push({ code: 'MISSING_NODE', node: k, message: `${name}: argument ${String(arg)} is not a node of the graph` });
      } else if (arg > self) {
        issues.push({
          code: 'FORWARD_REFERENCE',
          node: k,
          message: `${name}: argument ${nodeName(arg)} comes after it (args must refer to earlier nodes)`,
        });
      }
    }
  });

  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    issues.push({
      code: 'CYCLE',
      node: cycle[0] - INPUT_COUNT,
      message: `cycle: ${cycle.map(nodeName).join(' -> ')}`,
    });
  }

  const outputOk = Number.isInteger(graph.output) && graph.output >= 0 && graph.output < total;
  if (!outputOk) {
    issues.push({ code: 'BAD_OUTPUT', message: `output ${String(graph.output)} is not a node of the graph` });
  } else if (cycles.length === 0 && !dependsOnX(graph, graph.output)) {
    issues.push({ code: 'NO_X_DEPENDENCE', message: `output ${nodeName(graph.output)} does not depend on x` });
  }
  if (graph.activation !== undefined && !POST_AFFINE_ACTIVATIONS.includes(graph.activation)) {
    issues.push({
      code: 'BAD_OUTPUT',
      message: `activation "${String(graph.activation)}" is not one of ${POST_AFFINE_ACTIVATIONS.join(', ')}`,
    });
  }
  return issues;
}

/** Throws EvonormError('BAD_GRAPH') listing every issue when the graph is not valid. */
export function assertValidGraph(graph: LayerGraph, options: ValidateOptions = {}): void {
  const issues = validateGraph(graph, options);
  if (issues.length > 0) {
    throw new EvonormError('BAD_GRAPH', `invalid layer graph:\n${issues.map((i) => `  ${i.code}: ${i.message}`).join('\n')}`, {
      issues,
    });
  }
}

/**
 * The cycles through intermediate nodes (graph indices, first node repeated at the end), one
 * per back edge found by a depth-first search that follows arguments. Out-of-range args are
 * ignored here (they are MISSING_NODE).
 */
function findCycles(graph: LayerGraph): number[][] {
  const total = INPUT_COUNT + graph.nodes.length;
  const state = new Uint8Array(total); // 0 unvisited, 1 on the stack, 2 done
  const stack: number[] = [];
  const cycles: number[][] = [];
  const argsOf = (index: number): readonly number[] =>
    index < INPUT_COUNT ? [] : graph.nodes[index - INPUT_COUNT].args.filter((a) => Number.isInteger(a) && a >= 0 && a < total);

  const visit = (index: number): void => {
    state[index] = 1;
    stack.push(index);
    for (const arg of argsOf(index)) {
      if (state[arg] === 1) cycles.push([...stack.slice(stack.indexOf(arg)), arg]);
      else if (state[arg] === 0) visit(arg);
    }
    stack.pop();
    state[index] = 2;
  };
  for (let index = INPUT_COUNT; index < total; index++) if (state[index] === 0) visit(index);
  return cycles;
}

/** True when node `index` transitively reads x (assumes an acyclic graph). */
function dependsOnX(graph: LayerGraph, index: number): boolean {
  const memo = new Map<number, boolean>();
  const total = INPUT_COUNT + graph.nodes.length;
  const walk = (i: number): boolean => {
    if (i === INPUT_INDEX.x) return true;
    if (i < INPUT_COUNT || !Number.isInteger(i) || i >= total) return false;
    const known = memo.get(i);
    if (known !== undefined) return known;
    const result = graph.nodes[i - INPUT_COUNT].args.some(walk);
    memo.set(i, result);
    return result;
  };
  return walk(index);
}
