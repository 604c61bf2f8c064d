/**
 * The evaluator behind `evonorm compare` and `evonorm rerank`: ONE training of one layer on one
 * proxy architecture at one batch size and seed, scored on the validation or the held-out test
 * split. It is loaded by the evaluation pool as a built-in evaluator (EvaluatorSpec kind
 * 'protocol'), so compare and rerank run on the same threads or Redis workers as a search.
 *
 *   evaluate({ graph, seed: encodeJob(job) }):
 *     static check of the graph (a rejection is data, as in a search)
 *     rng ← Rng("protocol/<job.seed>")            — NOT the layer's fingerprint, so
 *     init ← rng/init/<arch>, batches ← rng/batches/<arch>/<batch size>
 *       every layer gets the same initial weights (where shapes allow) and the same batches
 *     train job.steps steps at job.batchSize, lr job.lr, warm-up job.warmupSteps, cosine
 *     → objectives [accuracy on the scored split], or a 'training' rejection (non-finite)
 */
import type { ImageDataset } from '../data/types.js';
import { augmentBatch, loadDataset, type ScoreSplit } from '../data/index.js';
import { ProxyConfigSchema, type ProxyConfig } from '../evaluate/config.js';
import { staticCheck } from '../evaluate/static-check.js';
import type { ArchResult, Evaluation, EvaluationRequest, Evaluator } from '../evaluate/types.js';
import { validateWith } from '../config/load.js';
import { buildModel } from '../models/registry.js';
import { selectBackend } from '../tensor/backend.js';
import { graphNormAct } from '../tensor/norm-act.js';
import { trainModel } from '../train/index.js';
import { Rng } from '../util/rng.js';
import { decodeJob } from './job.js';

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

  const rng = Rng.fromSeed(`protocol/${job.seed}`);
  const normAct = graphNormAct(request.graph, config.layer);
  let model;
  try {
    model = buildModel(archConfig, [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, rng.child(`init/${job.arch}`));
  } catch (err) {
    return reject('error', `could not build the network: ${(err as Error).message}`);
  }
  try {
    const tc = config.training;
    const { crop, flip } = config.data.augment;
    const augmentRng = rng.child(`augment/${job.arch}/${job.batchSize}`);
    const augment = crop > 0 || flip
      ? (images: Float32Array, count: number) => augmentBatch(images, count, dataset.height, dataset.width, dataset.channels, augmentRng, { crop, flip })
      : undefined;
    const result = await trainModel({
      augment, model, dataset, steps: job.steps, batchSize: job.batchSize,
      optimizer: { lr: job.lr, momentum: tc.momentum, nesterov: tc.nesterov, weightDecay: tc.weightDecay },
      schedule: { warmupSteps: Math.min(job.warmupSteps, Math.floor(job.steps / 5)), cosine: true },
      labelSmoothing: tc.labelSmoothing, rng: rng.child(`batches/${job.arch}/${job.batchSize}`), evalBatchSize: tc.evalBatchSize, signal,
    });
    const arch: ArchResult = { arch: archConfig.arch, accuracy: result.valAccuracy, loss: result.valLoss, steps: result.steps, params: model.paramCount(), multiplyAdds: model.multiplyAdds(), ms: result.wallMs };
    if (result.status === 'aborted') return reject('error', 'interrupted', [arch]);
    if (result.status === 'nonfinite') return reject('training', `non-finite training loss at step ${result.nonfiniteAt}`, [arch]);
    if (!Number.isFinite(result.valLoss) || !Number.isFinite(result.valAccuracy)) return reject('training', 'non-finite loss on the scored split', [arch]);
    return { status: 'ok', objectives: [result.valAccuracy], costMs: performance.now() - started, archs: [arch] };
  } catch (err) {
    return reject('error', `training failed: ${(err as Error).message}`);
  } finally {
    model.dispose();
  }
}
