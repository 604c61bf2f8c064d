/** Shared test values for the pools: requests for the fixture evaluator and for real layers. */
import { parseExpression, zooLayer } from '../../src/graph/index.js';
import type { EvaluatorSpec } from '../../src/evaluate/registry.js';
import type { Evaluation, EvaluationRequest } from '../../src/evaluate/types.js';

/** The misbehaving test evaluator (see fixtures/faulty-evaluator.ts). */
export const FAULTY: EvaluatorSpec = { kind: 'module', module: new URL('./fixtures/faulty-evaluator.ts', import.meta.url).href };

/** A request whose fingerprint tells the fixture what to do ('crash', 'sleep:30', ...). */
export function fixtureRequest(mode: string): EvaluationRequest {
  return { graph: zooLayer('evonorm-s0'), fingerprint: mode, seed: 1 };
}

/** Requests for real layers, including rejected ones, for the fast objective. */
export function layerRequests(): EvaluationRequest[] {
  const expressions = [
    'x * sigmoid(v1 * x) / sqrt(var_group(x))',
    'x / sqrt(var_batch(x))',
    'x / zero',
    'x * sigmoid(x) / sqrt(mean_group(square(x)))',
    'tanh(x) * v1 + v0',
    'x - x',
    'max(x, zero) / sqrt(var_instance(x))',
    'x / max(sqrt(var_batch(x)), v1 * x + sqrt(var_instance(x)))',
  ];
  return expressions.map((e, i) => ({ graph: parseExpression(e), fingerprint: `layer-${i}`, seed: 7 }));
}

/** The evaluation without its wall-clock cost, the one field that may differ between runs. */
export function withoutCost(evaluation: Evaluation): Omit<Evaluation, 'costMs'> {
  const { costMs: _cost, ...rest } = evaluation;
  return rest;
}
