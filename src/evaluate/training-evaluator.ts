/**
 * The evaluator behind `evonorm compare` and `evonorm rerank`: ONE training of one layer on one
 * proxy architecture at one batch size and seed, scored on the validation or the held-out test
 * split. It is loaded by the evaluation pool as a built-in evaluator (EvaluatorSpec kind
 * 'protocol'), so compare and rerank run on the same threads or Redis workers as a search.
 *
 *   evaluate({ graph, seed: encodeJob(job) }):
 *     static check of the graph (a rejection is data, as in a search)
 *     rng ← Rng("protocol/<job.seed>")            — NOT the layer's fingerprint, so
 *     init ← rng/init/<arch>, batches ← rng/batches/<arch>/<batch size>,
 *     augment ← rng/augment/<arch>/<batch size>
 *       every layer gets the same initial weights (where shapes allow) and the same batches
 *     train job.steps steps at job.batchSize, lr job.lr, warm-up job.warmupSteps, cosine
 *       — by the search's own training path (src/evaluate/arch-training.ts), so the two cannot drift
 *     → objectives [accuracy on the scored split], or a 'training' rejection (non-finite);
 *       archs [the training's figures, its CPU time (cpuMs) included]
 */
import type { ImageDataset } from '../data/types.js';
import { loadDataset, type ScoreSplit } from '../data/index.js';
import { ProxyConfigSchema, type ProxyConfig } from './config.js';
import { staticCheck } from './static-check.js';
import type { ArchResult, Evaluation, EvaluationRequest, Evaluator } from './types.js';
import { validateWith } from '../util/validate.js';
import { selectBackend } from '../tensor/backend.js';
import { finishArchTraining, protocolTrainingRoot, startArchTraining, trainingStreams } from './arch-training.js';
import { Rng } from '../util/rng.js';
import { decodeJob } from './training-job.js';

/** What the pool's workers build this evaluator from (plain JSON). */
export interface TrainingEvaluatorConfig {
  /** The proxy protocol (an `evaluation` section): data, architectures, training, layer options. */
  readonly proxy: unknown;
  /** The split trainings are scored on. */
  readonly score: ScoreSplit;
}

/** Entry point of the built-in evaluator kind 'protocol' (src/evaluate/registry.ts). */
export async function createEvaluator(input: TrainingEvaluatorConfig): Promise<Evaluator> {
  const config = validateWith(ProxyConfigSchema, input.proxy, 'evaluation');
  await selectBackend(config.backend);
  const dataset = loadDataset(config.data, Rng.fromSeed('data'), input.score);
  return {
    objectiveCount: 1,
    objectiveNames: ['accuracy'],
    evaluate: (request, signal) => trainOnce(request, config, dataset, signal),
    dispose: () => undefined,
  };
}

async function trainOnce(request: EvaluationRequest, config: ProxyConfig, dataset: ImageDataset, signal?: AbortSignal): Promise<Evaluation> {
  const started = performance.now();
  const job = decodeJob(request.seed);
  const archConfig = config.architectures[job.arch];
  const reject = (stage: 'static' | 'training' | 'error', reason: string, archs?: ArchResult[]): Evaluation =>
    ({ status: 'rejected', stage, reason, costMs: performance.now() - started, ...(archs ? { archs } : {}) });
  if (!archConfig) return reject('error', `architecture #${job.arch} is not in the config`);
  const verdict = staticCheck(request.graph, { groups: config.layer.groups, groupSize: config.layer.groupSize });
  if (!verdict.passed) return reject('static', verdict.reason ?? 'static check failed');

  let run;
  try {
    run = startArchTraining({
      graph: request.graph, config, dataset, k: job.arch, name: archConfig.arch,
      streams: trainingStreams(protocolTrainingRoot(job.seed), job.arch, job.batchSize),
      steps: job.steps, batchSize: job.batchSize, lr: job.lr, warmupSteps: job.warmupSteps, signal,
    });
  } catch (err) {
    return reject('error', `could not build the network: ${(err as Error).message}`);
  }
  try {
    const { accuracy, arch, aborted, noteCode, note } = await finishArchTraining(run);
    if (aborted) return reject('error', 'interrupted', [arch]);
    if (noteCode === 'non-finite-validation') return reject('training', 'non-finite loss on the scored split', [arch]);
    if (note) return reject('training', note, [arch]);
    return { status: 'ok', objectives: [accuracy], costMs: performance.now() - started, archs: [arch] };
  } catch (err) {
    return reject('error', `training failed: ${(err as Error).message}`);
  }
}
