/** Evaluations that stand for a failure of the machinery rather than of the candidate. */
import type { Evaluation } from '../evaluate/types.js';
import type { RejectionCode } from '../evaluate/rejection.js';

/**
 * A rejection at stage 'error' or 'timeout' with a reason and the time spent. `code` defaults
 * to 'timeout' for a time-out and 'evaluation-failed' for an error.
 */
export function failedEvaluation(stage: 'error' | 'timeout', reason: string, costMs: number, code?: RejectionCode): Evaluation {
  return { status: 'rejected', stage, code: code ?? (stage === 'timeout' ? 'timeout' : 'evaluation-failed'), reason, costMs };
}

/** The first line of an error's message (or the value as text). */
export function errorText(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
}
