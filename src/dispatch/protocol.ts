/** Messages between a thread pool and its workers (structured-clone plain data only). */
import type { EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, EvaluationProgress, EvaluationRequest } from '../evaluate/types.js';

/** What a worker is started with (`workerData`). */
export interface WorkerInit {
  readonly spec: EvaluatorSpec;
}

/** Pool → worker: evaluate one request. */
export interface JobMessage {
  readonly type: 'job';
  readonly jobId: number;
  readonly request: EvaluationRequest;
}

/** Worker → pool. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly backend?: string }
  | { readonly type: 'init-error'; readonly message: string; readonly code?: string }
  | { readonly type: 'progress'; readonly jobId: number; readonly progress: EvaluationProgress }
  | { readonly type: 'result'; readonly jobId: number; readonly evaluation: Evaluation };
