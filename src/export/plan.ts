/**
 * The export plan of a layer graph, shared by every code generator: the live nodes in
 * computation order, each structurally distinct subexpression once (same op, same arguments,
 * commutative arguments in either order), with the facts the generators need.
 *
 *   live   = liveNodes(graph)                   (dead nodes are never emitted)
 *   for each live node k in index order:
 *     key = op(ids of args)                     (sorted for commutative ops)
 *     key seen → alias k to the earlier step    (computed once)
 *     else     → new step "n<k> = op(args)"     (comment: its subexpression)
 *   batch aggregations get one moving buffer each: running_mean / running_var, suffixed by
 *   the node when the layer has several of a kind.
 */
import { INPUT_COUNT, INPUT_NAMES, OPS, isOpName, type CodeTarget, type InputName, type OpName } from '../graph/ops.js';
import { axisKind } from '../graph/axes.js';
import { liveNodes } from '../graph/live.js';
import { nodeName } from '../graph/names.js';
import { nonNegativeNodes } from '../graph/nonnegative.js';
import { printExpression } from '../graph/print.js';
import type { LayerGraph, PostAffineActivation } from '../graph/types.js';
import { EvonormError } from '../util/errors.js';

/** A moving batch statistic: its buffer and the step that computes the batch value. */
export interface BatchStat {
  /** Buffer name: running_mean / running_var, or running_<stat>_<node> when there are several. */
  readonly buffer: string;
  readonly statistic: 'mean' | 'var';
  /** Id of the step it belongs to. */
  readonly step: string;
}

/** One line of generated code: `id = op(args)`. */
export interface PlanStep {
  /** Variable name: the node's display name (n<k>). */
  readonly id: string;
  readonly op: OpName;
  /** Ids of the arguments: x, zero, one, v0, v1 or earlier steps. */
  readonly args: readonly string[];
  /** The first argument is provably ≥ 0 (sqrt/log skip sign⁺, as GraphLayer does). */
  readonly aNonNegative: boolean;
  /** The node's subexpression in the DSL syntax (shortened), for the comment. */
  readonly comment: string;
  /** For batch aggregations: the moving buffer. */
  readonly batchStat?: BatchStat;
}

export interface LayerPlan {
  readonly steps: readonly PlanStep[];
  /** Initial nodes the steps or the output read. */
  readonly inputs: ReadonlySet<InputName>;
  /** Trainable per-channel vectors used (v0 init 0, v1 init 1), in this order. */
  readonly vectors: readonly ('v0' | 'v1')[];
  readonly batchStats: readonly BatchStat[];
  /** Some step is a group aggregation. */
  readonly usesGroups: boolean;
  /** Some step is an element-wise op whose code uses sign⁺. */
  readonly usesSignPlus: boolean;
  /** Id of the graph's output value. */
  readonly output: string;
  /** The id computing each live graph index (a duplicate node maps to its first copy). */
  readonly ids: ReadonlyMap<number, string>;
  readonly activation?: PostAffineActivation;
  /** The whole layer in the expression syntax. */
  readonly formula: string;
}

const COMMENT_MAX = 72;

/**
 * Plans `graph` for `target`: throws EvonormError('BAD_GRAPH') naming the op when an op has no
 * code for the target.
 */
export function planLayer(graph: LayerGraph, target: CodeTarget): LayerPlan {
  const live = liveNodes(graph);
  graph.nodes.forEach((node, k) => {
    if (!isOpName(node.op)) throw new EvonormError('BAD_GRAPH', `${nodeName(INPUT_COUNT + k)}: op "${String(node.op)}" cannot be exported (not an op of this version)`);
  });
  const nonNegative = nonNegativeNodes(graph);
  const idOf = new Map<number, string>();
  INPUT_NAMES.forEach((name, i) => idOf.set(i, name));
  const byKey = new Map<string, string>();
  const steps: PlanStep[] = [];
  const inputs = new Set<InputName>();
  const use = (index: number): string => {
    if (index < INPUT_COUNT) inputs.add(INPUT_NAMES[index]);
    return idOf.get(index)!;
  };
  for (let k = 0; k < graph.nodes.length; k++) {
    const index = INPUT_COUNT + k;
    if (!live.has(index)) continue;
    const node = graph.nodes[k];
    const spec = OPS[node.op];
    if (spec.kind === 'elementwise' && spec.code?.[target] === undefined) {
      throw new EvonormError('BAD_GRAPH', `${nodeName(index)}: op "${node.op}" has no ${target} code, so this layer cannot be exported to ${target}`);
    }
    const args = node.args.map(use);
    const key = `${node.op}(${(spec.commutative ? [...args].sort() : args).join(',')})`;
    const known = byKey.get(key);
    if (known !== undefined) {
      idOf.set(index, known);
      continue;
    }
    const id = nodeName(index);
    idOf.set(index, id);
    byKey.set(key, id);
    steps.push({ id, op: node.op, args, aNonNegative: nonNegative[node.args[0]] === true, comment: shorten(printExpression({ nodes: graph.nodes, output: index })) });
  }
  const output = use(graph.output);

  const batchSteps = steps.filter((s) => axisKind(OPS[s.op].axes) === 'batch');
  const batchStats: BatchStat[] = [];
  const withStats = steps.map((s) => {
    if (axisKind(OPS[s.op].axes) !== 'batch') return s;
    const statistic = OPS[s.op].statistic!;
    const several = batchSteps.filter((b) => OPS[b.op].statistic === statistic).length > 1;
    const stat: BatchStat = { buffer: several ? `running_${statistic}_${s.id}` : `running_${statistic}`, statistic, step: s.id };
    batchStats.push(stat);
    return { ...s, batchStat: stat };
  });
  const vectors = (['v0', 'v1'] as const).filter((v) => inputs.has(v));
  const usesSignPlus = withStats.some((s) => {
    const spec = OPS[s.op];
    const code = s.aNonNegative && spec.codeNonNegative ? spec.codeNonNegative : spec.code;
    return code?.[target].includes('signPlus(') === true;
  });
  return {
    steps: withStats,
    inputs,
    vectors,
    batchStats,
    usesGroups: steps.some((s) => axisKind(OPS[s.op].axes) === 'group'),
    usesSignPlus,
    output,
    ids: new Map([...idOf].filter(([index]) => live.has(index))),
    activation: graph.activation,
    formula: printExpression(graph),
  };
}

/**
 * The code of element-wise step `step` for `target`: the registry's template with the argument
 * ids, `eps` and the target's sign⁺ helper substituted.
 */
export function elementwiseCode(step: PlanStep, target: CodeTarget, names: { eps: string; signPlus: string; id?: (id: string) => string }): string {
  const spec = OPS[step.op];
  const templates = step.aNonNegative && spec.codeNonNegative ? spec.codeNonNegative : spec.code!;
  const id = names.id ?? ((s: string) => s);
  return templates[target]
    .replaceAll('signPlus(', `${names.signPlus}(`)
    .replaceAll('$a', id(step.args[0]!))
    .replaceAll('$b', id(step.args[1] ?? step.args[0]!))
    .replaceAll('$eps', names.eps);
}

function shorten(text: string): string {
  return text.length <= COMMENT_MAX ? text : `${text.slice(0, COMMENT_MAX - 1)}…`;
}
