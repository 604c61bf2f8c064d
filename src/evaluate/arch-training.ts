/**
 * One proxy network's training with a candidate layer, advanced in segments: the quality check
 * looks at its first Q steps, hurdles look at it part-way, and it then runs on to its end, so a
 * survivor's network is trained once (ISSUE 11). Also the one-shot form for the separate check.
 */
import type { ImageDataset } from '../data/types.js';
import { augmentBatch } from '../data/index.js';
import { buildModel } from '../models/registry.js';
import type { ProxyModel } from '../models/proxy-model.js';
import { graphNormAct, type GraphNormAct } from '../tensor/norm-act.js';
import { startTraining, type Training } from '../train/index.js';
import type { Rng } from '../util/rng.js';
import type { LayerGraph } from '../graph/types.js';
import type { ProxyConfig } from './config.js';
import type { ArchResult } from './types.js';
import type { RejectionCode } from './rejection.js';
import type { ProxyEvaluatorOptions } from './proxy.js';

export interface ArchTraining {
  readonly accuracy: number;
  readonly arch: ArchResult;
  readonly note?: string;
  /** Code of the note (why the training failed), when there is one. */
  readonly noteCode?: RejectionCode;
  readonly aborted?: boolean;
}

/** Network k's training with the candidate, built and ready to advance (the caller disposes it). */
export interface ArchTrainingRun {
  readonly name: string;
  readonly model: ProxyModel;
  readonly training: Training;
  dispose(): void;
}

/**
 * Builds network k with the candidate and starts (but does not run) its `steps`-step training;
 * progress reports its first `qualitySteps` steps as the quality stage.
 */
export function startArchTraining(
  graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, name: string, steps: number,
  rng: Rng, options: ProxyEvaluatorOptions, signal: AbortSignal | undefined, qualitySteps: number,
): ArchTrainingRun {
  const { model } = buildCandidateModel(graph, config, dataset, k, rng.child('init'));
  try {
    const tc = config.training;
    const { crop, flip } = config.data.augment;
    const augmentRng = rng.child('augment');
    const augment = crop > 0 || flip
      ? (images: Float32Array, count: number) => augmentBatch(images, count, dataset.height, dataset.width, dataset.channels, augmentRng, { crop, flip })
      : undefined;
    const training = startTraining({
      augment,
      model, dataset, steps, batchSize: tc.batchSize,
      optimizer: { lr: tc.lr, momentum: tc.momentum, nesterov: tc.nesterov, weightDecay: tc.weightDecay },
      schedule: { warmupSteps: Math.min(tc.warmupSteps, Math.floor(steps / 5)), cosine: true },
      labelSmoothing: tc.labelSmoothing, rng: rng.child('batches'), evalBatchSize: tc.evalBatchSize, signal,
      onStep: options.onProgress ? (s) => options.onProgress!({ stage: s.step < qualitySteps ? 'quality' : 'proxy', arch: name, step: s.step + 1, of: steps }) : undefined,
    });
    let disposed = false;
    return {
      name, model, training,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        training.dispose();
        model.dispose();
      },
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** A look part-way: run the training to `step` and validate it there (the training goes on later). */
export async function checkAt(run: ArchTrainingRun, step: number): Promise<Omit<ArchTraining, 'arch'>> {
  const status = await run.training.advance(step);
  if (status === 'aborted') return { accuracy: NaN, aborted: true };
  if (status === 'nonfinite') return { accuracy: NaN, note: `non-finite training loss at step ${(await run.training.finish()).nonfiniteAt}`, noteCode: 'non-finite-loss' };
  const { accuracy, loss } = await run.training.validate();
  if (!Number.isFinite(loss) || !Number.isFinite(accuracy)) return { accuracy: NaN, note: 'non-finite validation loss', noteCode: 'non-finite-validation' };
  return { accuracy };
}

/** Runs a training to its end, validates it and frees it. */
export async function finishArchTraining(run: ArchTrainingRun): Promise<ArchTraining> {
  try {
    await run.training.advance(Number.POSITIVE_INFINITY);
    const result = await run.training.finish();
    const arch: ArchResult = { arch: run.name, accuracy: result.valAccuracy, loss: result.valLoss, steps: result.steps, params: run.model.paramCount(), multiplyAdds: run.model.multiplyAdds(), ms: result.wallMs };
    if (result.status === 'aborted') return { accuracy: NaN, arch, aborted: true };
    if (result.status === 'nonfinite') return { accuracy: NaN, arch, note: `non-finite training loss at step ${result.nonfiniteAt}`, noteCode: 'non-finite-loss' };
    if (!Number.isFinite(result.valLoss) || !Number.isFinite(result.valAccuracy)) return { accuracy: NaN, arch, note: 'non-finite validation loss', noteCode: 'non-finite-validation' };
    return { accuracy: result.valAccuracy, arch };
  } finally {
    run.dispose();
  }
}

/** Builds network k with the candidate, trains it `steps` steps and validates it. */
export async function trainArch(
  graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, name: string, steps: number,
  rng: Rng, stage: 'quality' | 'proxy', options: ProxyEvaluatorOptions, signal?: AbortSignal,
): Promise<ArchTraining> {
  return finishArchTraining(startArchTraining(graph, config, dataset, k, name, steps, rng, options, signal, stage === 'quality' ? steps : 0));
}

/** Network k of the config with the candidate at every site; `initRng` seeds its initialisers. */
export function buildCandidateModel(graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, initRng: Rng): { model: ProxyModel; layers: GraphNormAct['layers'] } {
  const normAct = graphNormAct(graph, config.layer);
  const model = buildModel(config.architectures[k], [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, initRng);
  return { model, layers: normAct.layers };
}

