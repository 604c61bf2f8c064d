/**
 * The inline pool: evaluations run in this thread, one at a time, in request order (a queue).
 * The simplest place to evaluate, and the reference the thread pool must agree with.
 */
import { createEvaluator, specBackend, type EvaluatorSpec } from '../evaluate/registry.js';
import type { Evaluation, EvaluationRequest } from '../evaluate/types.js';
import { EvonormError } from '../util/errors.js';
import { errorText, failedEvaluation } from './failure.js';
import { checkedEvaluation } from './checked-evaluation.js';
import type { EvaluationPool, EvaluationWatch, PoolOptions } from './types.js';
import { throttledProgress } from './progress-throttle.js';

/**
 * An inline pool for `spec`: builds the evaluator once (activating the spec's tfjs backend in
 * this thread first when it needs one). Rejects with the evaluator's construction error.
 */
export async function createInlinePool(spec: EvaluatorSpec, options: PoolOptions = {}): Promise<EvaluationPool> {
  const requested = specBackend(spec);
  let backend: string | undefined;
  if (requested !== null) {
    const { selectBackend } = await import('../tensor/backend.js');
    backend = (await selectBackend(requested)).name;
  }
  // Evaluations run one at a time, so progress belongs to the one running now.
  let watching: EvaluationWatch | undefined;
  const evaluator = await createEvaluator(spec, { onProgress: throttledProgress((p) => watching?.onProgress?.(p)) });
  const timeoutMs = options.timeoutMs;
  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const aborts = new Set<() => void>();

  /** Runs one evaluation; resolves early (stage 'timeout' or 'error') on a time-out or close. */
  const runOne = (request: EvaluationRequest, watch: EvaluationWatch | undefined): { result: Promise<Evaluation>; done: Promise<unknown> } => {
    const start = performance.now();
    const controller = new AbortController();
    watching = watch;
    const work = Promise.resolve()
      .then(() => evaluator.evaluate(request, controller.signal))
      .then((value) => checkedEvaluation(value, 'the evaluator', performance.now() - start))
      .catch((err: unknown) => failedEvaluation('error', `evaluator threw: ${errorText(err)}`, performance.now() - start));
    let timer: NodeJS.Timeout | undefined;
    let abort: () => void = () => {};
    const stopped = new Promise<Evaluation>((resolve) => {
      abort = () => {
        controller.abort();
        resolve(failedEvaluation('error', 'pool closed before the evaluation finished', performance.now() - start, 'worker-failed'));
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          controller.abort();
          resolve(failedEvaluation('timeout', `no result after ${timeoutMs} ms`, performance.now() - start));
        }, timeoutMs);
      }
    });
    aborts.add(abort);
    const result = Promise.race([work, stopped]).finally(() => {
      clearTimeout(timer);
      aborts.delete(abort);
    });
    // The queue waits for the evaluator itself, so at most one evaluation runs at a time.
    return { result, done: work };
  };

  return {
    size: 1,
    ...(backend !== undefined ? { backend } : {}),
    evaluate(request: EvaluationRequest, watch?: EvaluationWatch): Promise<Evaluation> {
      if (closed) return Promise.reject(new EvonormError('INTERNAL', 'evaluate on a closed pool'));
      const started = tail.then(() => (closed ? null : runOne(request, watch)));
      tail = started.then((run) => run?.done);
      return started.then((run) => run?.result ?? failedEvaluation('error', 'pool closed before the evaluation started', 0, 'worker-failed'));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const abort of [...aborts]) abort();
      // Dispose once the running evaluation (if any) has stopped using the evaluator.
      void tail.then(() => evaluator.dispose());
    },
  };
}
