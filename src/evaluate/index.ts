/**
 * Evaluation of candidate layers: evaluators by spec (fast objective, proxy trainings, a module),
 * the proxy evaluator and its config, the fast objective, and scoring one graph.
 */
export { createEvaluator, specBackend, EvaluatorSpecSchema, parseEvaluatorSpec, type EvaluatorSpec } from './registry.js';
export { createProxyEvaluator, type ProxyEvaluatorOptions, type ProxyProgress } from './proxy.js';
export { createFastObjective, fastProbeSets, type FastObjectiveConfig, type FastVariants, type ProbeSet } from './fast-objective.js';
export { evaluateGraph, type EvaluateGraphOptions, type GraphEvaluation } from './evaluate-graph.js';
export { ProxyConfigSchema, LayerOptionsSchema, architectureNames, type ProxyConfig, type ProxyConfigInput } from './config.js';
export type { Evaluation, Evaluator, EvaluationRequest, RejectionStage, ArchResult, StageRecord } from './types.js';
