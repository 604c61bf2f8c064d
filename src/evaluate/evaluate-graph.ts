/**
 * Scores one layer with an evaluator, as `evonorm evaluate` does: resolve the layer, compute its
 * functional fingerprint (evaluation seeds derive from it, so equal functions score equally),
 * then ask the evaluator.
 */
import type { LayerGraph } from '../graph/types.js';
import { resolveLayer } from '../graph/resolve.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';
import type { Evaluation, Evaluator } from './types.js';

export interface EvaluateGraphOptions {
  /** The seed of initialisers and batches (a run's seed). Default 0. */
  readonly seed?: number | string;
  /** Aborts the evaluation (the evaluator returns early). */
  readonly signal?: AbortSignal;
}

export interface GraphEvaluation {
  readonly graph: LayerGraph;
  readonly fingerprint: string;
  /** Objectives (larger is better) or a rejection with its stage and reason; never a throw. */
  readonly evaluation: Evaluation;
}

/**
 * Evaluates `layer` (a LayerGraph, or a zoo name, expression or .json file path) with
 * `evaluator`. A layer that does not parse or validate throws EvonormError (BAD_EXPRESSION,
 * BAD_GRAPH, MISSING_FILE); a layer that fails evaluation comes back as a rejection.
 */
export async function evaluateGraph(evaluator: Evaluator, layer: LayerGraph | string, options: EvaluateGraphOptions = {}): Promise<GraphEvaluation> {
  const graph = typeof layer === 'string' ? resolveLayer(layer, { maxNodes: Number.MAX_SAFE_INTEGER }).graph : layer;
  const fingerprint = functionalFingerprint(graph);
  const evaluation = await evaluator.evaluate({ graph, fingerprint, seed: options.seed ?? 0 }, options.signal);
  return { graph, fingerprint, evaluation };
}
