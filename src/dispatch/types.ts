/** The interface every place an evaluation can run implements: inline, worker threads, (Redis). */
import type { Evaluation, EvaluationProgress, EvaluationRequest } from '../evaluate/types.js';

/** What the caller of one evaluation may watch while it runs. */
export interface EvaluationWatch {
  /** Where the evaluation is (throttled to about one call a second; not for remote Redis workers). */
  readonly onProgress?: (p: EvaluationProgress) => void;
}

/**
 * Runs evaluations somewhere. `evaluate` resolves with the request's own evaluation whatever
 * order evaluations finish in, and never rejects for a failed evaluation: throws, crashes and
 * time-outs become `{ status: 'rejected', stage: 'error' | 'timeout' }` (STYLE.md 9). It rejects
 * only when called after close().
 */
export interface EvaluationPool {
  evaluate(request: EvaluationRequest, watch?: EvaluationWatch): Promise<Evaluation>;
  /** Stops every worker; evaluations still queued or running resolve as stage 'error'. */
  close(): Promise<void>;
  /** How many evaluations can run at once. */
  readonly size: number;
  /**
   * The tfjs backend evaluations run on ("wasm", "cpu", "tensorflow"), when this process knows
   * it (inline, threads); undefined when no tfjs is used or the workers are remote (Redis: each
   * proxy evaluation then records its own `backend`).
   */
  readonly backend?: string;
}

/** Options shared by the pools. */
export interface PoolOptions {
  /**
   * Per-evaluation time limit in milliseconds (default: none). A thread pool terminates and
   * replaces the worker; the inline pool aborts the evaluator's signal and stops waiting (an
   * evaluator that never yields cannot be interrupted in this thread).
   */
  readonly timeoutMs?: number;
}
