/**
 * The one interface between the pure search and the tfjs world (ARCHITECTURE.md): a candidate
 * goes in, an Evaluation (objectives, or a rejection with its reason, plus cost) comes out.
 * Failed evaluations are data, never exceptions (STYLE.md 9). The Evaluation type is inferred
 * from its zod schema (evaluation.ts).
 */
import type { LayerGraph } from '../graph/types.js';
import type { Hurdle } from './hurdles.js';

export type { RejectionStage, RejectionCode } from './rejection.js';
export type { ArchResult, Evaluation, RejectedEvaluation, StageRecord } from './evaluation.js';
import type { Evaluation } from './evaluation.js';

/** What an evaluator needs to know about a candidate besides its graph. */
export interface EvaluationRequest {
  readonly graph: LayerGraph;
  /** Functional fingerprint: evaluation seeds derive from it, so equal functions score equally. */
  readonly fingerprint: string;
  /** The run seed (number or string). */
  readonly seed: number | string;
  /** Hurdles to clear part-way through the proxy trainings (src/evaluate/hurdles.ts); none when absent. */
  readonly hurdles?: readonly Hurdle[];
  /**
   * The promotion level to evaluate at (search.levels, src/evaluate/leveled-evaluator.ts): 0 or
   * absent for the base protocol, ℓ ≥ 1 for the ℓ-th level above it.
   */
  readonly level?: number;
}

/** Where a running evaluation is (the proxy evaluator reports it), for progress displays. */
export interface EvaluationProgress {
  /** 'stability', 'quality', 'proxy' (the scored training), … */
  readonly stage: string;
  readonly arch: string;
  readonly step?: number;
  readonly of?: number;
  /** Which of the evaluation.seeds trainings (0-based); absent when there is one. */
  readonly seed?: number;
}

/** What an evaluator may report while it works, besides its result. */
export interface EvaluatorHooks {
  readonly onProgress?: (p: EvaluationProgress) => void;
}

/** Scores candidates. Implementations: the fast objective and the proxy evaluation. */
export interface Evaluator {
  /** Number of objectives K this evaluator produces. */
  readonly objectiveCount: number;
  readonly objectiveNames: readonly string[];
  evaluate(request: EvaluationRequest, signal?: AbortSignal): Promise<Evaluation>;
  dispose(): void;
}
