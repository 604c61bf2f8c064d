/**
 * An evaluation that comes back from an evaluator the search does not control (a worker thread,
 * a Redis worker on another machine, a plug-in module) is parsed with the Evaluation schema
 * before the search sees it: a malformed one becomes a rejection at stage 'error' with the
 * schema's reason, never a crash of the search or a bad journal line (issue 19 §2).
 */
import { EvaluationSchema } from '../evaluate/evaluation.js';
import type { Evaluation } from '../evaluate/types.js';
import { failedEvaluation } from './failure.js';

/** `value` when it is an Evaluation; otherwise a 'worker-failed' rejection saying what is wrong and where it came from. */
export function checkedEvaluation(value: unknown, from: string, elapsedMs: number): Evaluation {
  // The schema describes the JSON form, the one the journal stores (NaN and ±Infinity written as
  // null, e.g. the accuracy of a diverged training): check that form, pass on the value itself.
  let json: unknown;
  try {
    json = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  } catch {
    json = undefined;
  }
  const parsed = EvaluationSchema.safeParse(json);
  // The value itself, not parsed.data: what is journaled stays byte-for-byte what the evaluator said.
  if (parsed.success) return value as Evaluation;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the value';
  return failedEvaluation('error', `malformed evaluation from ${from}: ${where}: ${issue?.message ?? 'not an evaluation'}`, elapsedMs, 'worker-failed');
}
