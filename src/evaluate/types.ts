/**
 * The one interface between the pure search and the tfjs world (ARCHITECTURE.md): a candidate
 * goes in, an Evaluation (objectives, or a rejection with its reason, plus cost) comes out.
 * Failed evaluations are data, never exceptions (STYLE.md 9).
 */
import type { LayerGraph } from '../graph/types.js';

/** Where in the chain a candidate was rejected. */
export type RejectionStage = 'static' | 'stability' | 'quality' | 'training' | 'error' | 'timeout';

/** Per-architecture figures of one evaluation (absent for the fast objective). */
export interface ArchResult {
  readonly arch: string;
  readonly accuracy?: number;
  readonly loss?: number;
  readonly steps?: number;
  /** Trainable parameters of the network with this layer, and multiply-adds per example. */
  readonly params?: number;
  readonly multiplyAdds?: number;
  readonly ms: number;
  readonly note?: string;
}

/** One stage's verdict and cost, for reports. */
export interface StageRecord {
  readonly stage: RejectionStage | 'proxy';
  readonly passed: boolean;
  readonly ms: number;
  readonly reason?: string;
  /** The quality check's validation accuracy per architecture checked (in order; the journal keeps them for calibration). */
  readonly accuracies?: readonly number[];
}

export type Evaluation =
  | {
      readonly status: 'ok';
      /** K objectives to maximise (e.g. validation accuracy per architecture). */
      readonly objectives: readonly number[];
      readonly costMs: number;
      readonly archs?: readonly ArchResult[];
      readonly stages?: readonly StageRecord[];
    }
  | {
      readonly status: 'rejected';
      readonly stage: RejectionStage;
      readonly reason: string;
      readonly costMs: number;
      readonly archs?: readonly ArchResult[];
      readonly stages?: readonly StageRecord[];
    };

/** What an evaluator needs to know about a candidate besides its graph. */
export interface EvaluationRequest {
  readonly graph: LayerGraph;
  /** Functional fingerprint: evaluation seeds derive from it, so equal functions score equally. */
  readonly fingerprint: string;
  /** The run seed (number or string). */
  readonly seed: number | string;
}

/** Scores candidates. Implementations: the fast objective and the proxy evaluation. */
export interface Evaluator {
  /** Number of objectives K this evaluator produces. */
  readonly objectiveCount: number;
  readonly objectiveNames: readonly string[];
  evaluate(request: EvaluationRequest, signal?: AbortSignal): Promise<Evaluation>;
  dispose(): void;
}
