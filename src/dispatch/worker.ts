/**
 * The worker-thread entry of the thread pool (an entry point: its side effects are the point).
 * Parses the spec in `workerData` (a malformed one is an 'init-error' with code BAD_CONFIG) and
 * builds its own evaluator from it once (activating the spec's tfjs
 * backend first when it needs one), says 'ready', then answers each job with its evaluation.
 * An evaluator that throws gives a stage 'error' rejection; a crash of the thread itself is
 * handled by the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEvaluator, parseEvaluatorSpec, specBackend } from '../evaluate/registry.js';
import type { Evaluation, Evaluator } from '../evaluate/types.js';
import { errorText, failedEvaluation } from './failure.js';
import type { JobMessage, WorkerInit, WorkerMessage } from './protocol.js';
import { throttledProgress } from './progress-throttle.js';

const port = parentPort;
if (port === null) throw new Error('src/dispatch/worker is a worker-thread entry; the thread pool starts it');
const send = (message: WorkerMessage): void => port.postMessage(message);

/** The tfjs backend this worker activated, if any (reported with 'ready'). */
let activeBackend: string | undefined;
/** The job being evaluated (a worker runs one at a time), whose progress the evaluator reports. */
let currentJob: number | null = null;
const reportProgress = throttledProgress((progress) => {
  if (currentJob !== null) send({ type: 'progress', jobId: currentJob, progress });
});

async function init(): Promise<Evaluator> {
  // Parsed, not cast: a malformed spec is an init-error with code BAD_CONFIG naming the field.
  const spec = parseEvaluatorSpec((workerData as Partial<WorkerInit> | null)?.spec, 'workerData');
  const backend = specBackend(spec);
  if (backend !== null) {
    // Imported only here, so evaluators without tfjs never load it.
    const { selectBackend } = await import('../tensor/backend.js');
    activeBackend = (await selectBackend(backend)).name;
  }
  return createEvaluator(spec, { onProgress: reportProgress });
}

async function run(evaluator: Evaluator, job: JobMessage): Promise<Evaluation> {
  const start = performance.now();
  currentJob = job.jobId;
  try {
    return await evaluator.evaluate(job.request);
  } catch (err) {
    return failedEvaluation('error', `evaluator threw: ${errorText(err)}`, performance.now() - start);
  } finally {
    currentJob = null;
  }
}

init().then(
  (evaluator) => {
    port.on('message', (job: JobMessage) => {
      void run(evaluator, job).then((evaluation) => send({ type: 'result', jobId: job.jobId, evaluation }));
    });
    send({ type: 'ready', ...(activeBackend !== undefined ? { backend: activeBackend } : {}) });
  },
  (err: unknown) => {
    const code = (err as { code?: unknown } | null)?.code;
    send({ type: 'init-error', message: errorText(err), ...(typeof code === 'string' ? { code } : {}) });
  },
);
