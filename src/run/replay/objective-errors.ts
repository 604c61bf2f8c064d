/**
 * The standard errors a scored evaluation carries with its objectives (evaluation.seeds S > 1:
 * sd/√S over the S trainings; src/evaluate/proxy.ts), and how status, export and the report
 * show them: "0.9612 ± 0.0021".
 */
import type { Evaluation } from '../../evaluate/types.js';

/** The standard error of each objective, when the evaluation is scored and has them (S > 1); else undefined. */
export function objectiveErrorsOf(evaluation: Evaluation | undefined): readonly number[] | undefined {
  return evaluation?.status === 'ok' && evaluation.objectiveErrors !== undefined ? evaluation.objectiveErrors : undefined;
}

/** `text` followed by " ± <error>" (4 decimals) when `error` is a finite number; `text` alone otherwise. */
export function withError(text: string, error: number | null | undefined): string {
  return typeof error === 'number' && Number.isFinite(error) ? `${text} ± ${error.toFixed(4)}` : text;
}
