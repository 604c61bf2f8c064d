/**
 * Proxy evaluation of one candidate layer (PAPER.md §3–4): the rejection chain, then a short
 * training of each of the K proxy networks with the layer at every norm-activation site.
 *
 *   static  : valid, depends on x, finite and non-constant on the probes, finite at init
 *   stability: adversarial gradient-norm ascent on each network (stability.ts)
 *   quality : Q training steps on each network; reject below minAccuracy on any of them
 *   proxy   : full training on each network → objectives = K validation accuracies
 *
 * Every random choice (initialisers, batches) comes from the run seed and the candidate's
 * functional fingerprint, so the same function always gets the same score on one backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types.js';
import { augmentBatch, loadDataset } from '../data/index.js';
import { buildModel } from '../models/registry.js';
import type { ProxyModel } from '../models/proxy-model.js';
import { graphNormAct, type GraphNormAct } from '../tensor/norm-act.js';
import { selectBackend } from '../tensor/backend.js';
import { trainModel, makeBatch, crossEntropy, channelStats } from '../train/index.js';
import { Rng } from '../util/rng.js';
import type { LayerGraph } from '../graph/types.js';
import { validateWith } from '../config/load.js';
import { architectureNames, ProxyConfigSchema, type ProxyConfig, type ProxyConfigInput } from './config.js';
import { staticCheck } from './static-check.js';
import { stabilityProbe } from './stability.js';
import type { ArchResult, Evaluation, EvaluationRequest, Evaluator, RejectionStage, StageRecord } from './types.js';

/** Progress of an evaluation, for `--progress` lines. */
export interface ProxyProgress {
  readonly stage: RejectionStage | 'proxy';
  readonly arch: string;
  readonly step?: number;
  readonly of?: number;
}

export interface ProxyEvaluatorOptions {
  readonly onProgress?: (p: ProxyProgress) => void;
  /** Log lines (backend choice). */
  readonly log?: (message: string) => void;
}

/** Builds the evaluator: selects the backend and loads the data once. */
export async function createProxyEvaluator(input: ProxyConfigInput | ProxyConfig | unknown, options: ProxyEvaluatorOptions = {}): Promise<Evaluator & { readonly config: ProxyConfig; readonly backend: string }> {
  const config = validateWith(ProxyConfigSchema, input, 'evaluation');
  const backend = await selectBackend(config.backend, options.log);
  const dataset = loadDataset(config.data, Rng.fromSeed('data'));
  const names = architectureNames(config);
  return {
    config,
    backend: backend.name,
    objectiveCount: config.architectures.length,
    objectiveNames: names,
    evaluate: (request, signal) => evaluateCandidate(request, config, dataset, names, options, signal),
    dispose: () => undefined,
  };
}

async function evaluateCandidate(
  request: EvaluationRequest,
  config: ProxyConfig,
  dataset: ImageDataset,
  names: readonly string[],
  options: ProxyEvaluatorOptions,
  signal?: AbortSignal,
): Promise<Evaluation> {
  const started = performance.now();
  const stages: StageRecord[] = [];
  const archs: ArchResult[] = [];
  const rng = Rng.fromSeed(`${request.seed}`).child(`eval/${request.fingerprint}`);
  const reject = (stage: RejectionStage, reason: string): Evaluation => ({ status: 'rejected', stage, reason, costMs: performance.now() - started, stages, archs });
  const timed = <T>(fn: () => T): [T, number] => { const t = performance.now(); const v = fn(); return [v, performance.now() - t]; };

  try {
    const [verdict, staticMs] = timed(() => staticCheck(request.graph, { groups: config.layer.groups, groupSize: config.layer.groupSize }));
    stages.push({ stage: 'static', passed: verdict.passed, ms: staticMs, reason: verdict.reason });
    if (!verdict.passed) return reject('static', verdict.reason!);

    if (config.rejection.stability.enabled) {
      const t = performance.now();
      for (let k = 0; k < names.length; k++) {
        options.onProgress?.({ stage: 'stability', arch: names[k] });
        const result = withModel(request.graph, config, dataset, k, rng, (model, layers) => {
          layers.forEach((l) => { l.freezeMovingStats = true; });
          return stabilityBatch(dataset, config, model, rng.child(`stability/${k}`), (lossFn) =>
            stabilityProbe({ variables: model.trainableVariables(), loss: lossFn }, config.rejection.stability));
        });
        if (!result.passed) {
          stages.push({ stage: 'stability', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${result.reason}` });
          return reject('stability', `${names[k]}: ${result.reason}`);
        }
      }
      stages.push({ stage: 'stability', passed: true, ms: performance.now() - t });
    }

    if (config.rejection.quality.enabled) {
      const t = performance.now();
      const q = config.rejection.quality;
      for (let k = 0; k < names.length; k++) {
        const result = await trainArch(request.graph, config, dataset, k, names[k], q.steps, rng.child(`quality/${k}`), 'quality', options, signal);
        if (result.aborted) return reject('error', 'interrupted');
        if (!(result.accuracy >= q.minAccuracy)) {
          const why = result.note ?? `validation accuracy ${fmt(result.accuracy)} < ${q.minAccuracy} after ${q.steps} steps`;
          stages.push({ stage: 'quality', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${why}` });
          return reject('quality', `${names[k]}: ${why}`);
        }
      }
      stages.push({ stage: 'quality', passed: true, ms: performance.now() - t });
    }

    const t = performance.now();
    for (let k = 0; k < names.length; k++) {
      const result = await trainArch(request.graph, config, dataset, k, names[k], config.training.steps, rng.child(`proxy/${k}`), 'proxy', options, signal);
      if (result.aborted) return reject('error', 'interrupted');
      archs.push(result.arch);
      if (result.note) {
        stages.push({ stage: 'training', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${result.note}` });
        return reject('training', `${names[k]}: ${result.note}`);
      }
    }
    stages.push({ stage: 'proxy', passed: true, ms: performance.now() - t });
    return { status: 'ok', objectives: archs.map((a) => a.accuracy ?? 0), costMs: performance.now() - started, stages, archs };
  } catch (err) {
    return reject('error', `evaluation failed: ${(err as Error).message}`);
  }
}

interface ArchTraining {
  readonly accuracy: number;
  readonly arch: ArchResult;
  readonly note?: string;
  readonly aborted?: boolean;
}

/** Builds network k with the candidate, trains it `steps` steps and validates it. */
async function trainArch(
  graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, name: string, steps: number,
  rng: Rng, stage: 'quality' | 'proxy', options: ProxyEvaluatorOptions, signal?: AbortSignal,
): Promise<ArchTraining> {
  const { model } = buildCandidateModel(graph, config, dataset, k, rng.child('init'));
  try {
    const tc = config.training;
    const { crop, flip } = config.data.augment;
    const augmentRng = rng.child('augment');
    const augment = crop > 0 || flip
      ? (images: Float32Array, count: number) => augmentBatch(images, count, dataset.height, dataset.width, dataset.channels, augmentRng, { crop, flip })
      : undefined;
    const result = await trainModel({
      augment,
      model, dataset, steps, batchSize: tc.batchSize,
      optimizer: { lr: tc.lr, momentum: tc.momentum, nesterov: tc.nesterov, weightDecay: tc.weightDecay },
      schedule: { warmupSteps: Math.min(tc.warmupSteps, Math.floor(steps / 5)), cosine: true },
      labelSmoothing: tc.labelSmoothing, rng: rng.child('batches'), evalBatchSize: tc.evalBatchSize, signal,
      onStep: options.onProgress ? (s) => options.onProgress!({ stage, arch: name, step: s.step + 1, of: steps }) : undefined,
    });
    const arch: ArchResult = { arch: name, accuracy: result.valAccuracy, loss: result.valLoss, steps: result.steps, params: model.paramCount(), multiplyAdds: model.multiplyAdds(), ms: result.wallMs };
    if (result.status === 'aborted') return { accuracy: NaN, arch, aborted: true };
    if (result.status === 'nonfinite') return { accuracy: NaN, arch, note: `non-finite training loss at step ${result.nonfiniteAt}` };
    if (!Number.isFinite(result.valLoss) || !Number.isFinite(result.valAccuracy)) return { accuracy: NaN, arch, note: 'non-finite validation loss' };
    return { accuracy: result.valAccuracy, arch };
  } finally {
    model.dispose();
  }
}

/** Network k of the config with the candidate at every site; `initRng` seeds its initialisers. */
function buildCandidateModel(graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, initRng: Rng): { model: ProxyModel; layers: GraphNormAct['layers'] } {
  const normAct = graphNormAct(graph, config.layer);
  const model = buildModel(config.architectures[k], [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, initRng);
  return { model, layers: normAct.layers };
}

/** Runs `fn` with network k built for the candidate, disposing it afterwards. */
function withModel<T>(graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, rng: Rng, fn: (model: ProxyModel, layers: GraphNormAct['layers']) => T): T {
  const { model, layers } = buildCandidateModel(graph, config, dataset, k, rng.child(`init/${k}`));
  try {
    return fn(model, layers);
  } finally {
    model.dispose();
  }
}

/** A fixed seeded training batch and the loss on it, for the stability probe. */
function stabilityBatch<T>(dataset: ImageDataset, config: ProxyConfig, model: ProxyModel, rng: Rng, fn: (loss: () => tf.Scalar) => T): T {
  const count = Math.min(config.rejection.stability.batchSize, dataset.train.count);
  const indices = rng.sample(Array.from({ length: dataset.train.count }, (_, i) => i), count);
  const batch = makeBatch(dataset.train, indices, model.inputShape, channelStats(dataset.train, dataset.channels));
  try {
    return fn(() => crossEntropy(model.apply(batch.images, true), batch.labels, 0));
  } finally {
    tf.dispose([batch.images, batch.labels]);
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}
