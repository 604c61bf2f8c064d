/**
 * THE one path from "candidate + protocol" to a trained proxy network, used by the search
 * (proxy.ts), by compare/rerank/fidelity (src/evaluate/training-evaluator.ts) and by benchmarks:
 * build network k with the candidate at every site, start its training, advance it in segments
 * (the quality check looks at its first Q steps, hurdles look part-way; ISSUE 11), finish it.
 *
 *   streams (init, batches, augment) ← trainingStreams(root, k, batchSize)   (see below)
 *   model ← buildModel(architectures[k], data shape, candidate norm-act, streams.init)
 *   training ← startTraining(SGD lr/momentum/nesterov/weight decay of config.training,
 *                            warm-up min(warmupSteps, ⌊steps/5⌋) then cosine, label smoothing,
 *                            batches from streams.batches, crop/flip from streams.augment)
 *   steps, batch size, lr and warm-up may be overridden (compare/rerank jobs set them)
 *
 * Seed streams, one scheme for everyone: under a root R, training of network k at batch size b
 * draws its initialisers from R/init/<k>, its batch order from R/batches/<k>/<b> and its
 * augmentation from R/augment/<k>/<b>. The roots:
 *   compare/rerank/fidelity seed n    R = protocol/<n>
 *   search training s (of S)          R = <run seed>/<s>        (common random numbers: the
 *                                      same for every candidate, so candidates are paired)
 *   search's separate quality check   R = <run seed>/quality/<s> (rejection.quality.continued false)
 * So a search with run seed "protocol" trains its seed s exactly as compare's seed s.
 *
 * Each training records its CPU time (cpuMs): the calling thread's CPU clock (src/util/thread-cpu.ts)
 * summed over the build and every segment of this training, so interleaved trainings of one
 * evaluation, and other worker threads, are not counted in.
 */
import type { ImageDataset } from '../data/types.js';
import { augmentBatch } from '../data/index.js';
import { buildModel } from '../models/registry.js';
import type { ProxyModel } from '../models/proxy-model.js';
import { graphNormAct, type GraphNormAct } from '../tensor/norm-act.js';
import { startTraining, type Training, type TrainResult } from '../train/index.js';
import { Rng } from '../util/rng.js';
import { threadCpuMs } from '../util/thread-cpu.js';
import type { LayerGraph } from '../graph/types.js';
import { architectureNames, type ProxyConfig } from './config.js';
import type { ArchResult } from './types.js';
import type { RejectionCode } from './rejection.js';

/** The random streams of one training. */
export interface TrainingStreams {
  /** Seeds the network's initialisers. */
  readonly init: Rng;
  /** Draws the batch order (epoch permutations). */
  readonly batches: Rng;
  /** Draws crops and flips (used only when config.data.augment asks for them). */
  readonly augment: Rng;
}

/** The streams of network k's training at batch size `batchSize` under `root` (module comment). */
export function trainingStreams(root: Rng, k: number, batchSize: number): TrainingStreams {
  return { init: root.child(`init/${k}`), batches: root.child(`batches/${k}/${batchSize}`), augment: root.child(`augment/${k}/${batchSize}`) };
}

/** Root of the search's training s (0-based) under the run seed: `<run seed>/<s>`, the same for every candidate. */
export function searchTrainingRoot(runSeed: number | string, s: number): Rng {
  return Rng.fromSeed(`${runSeed}`).child(`${s}`);
}

/** Root of the search's separate quality training s (quality.continued false): `<run seed>/quality/<s>`. */
export function qualityTrainingRoot(runSeed: number | string, s: number): Rng {
  return Rng.fromSeed(`${runSeed}`).child(`quality/${s}`);
}

/** Root of compare/rerank/fidelity seed n: `protocol/<n>`. */
export function protocolTrainingRoot(seed: number | string): Rng {
  return Rng.fromSeed(`protocol/${seed}`);
}

/** What one training is: the candidate, the protocol, the network and its streams, and overrides. */
export interface ArchTrainingSpec {
  readonly graph: LayerGraph;
  /** The proxy protocol: architectures, training (optimizer, schedule, smoothing), augmentation, layer options. */
  readonly config: ProxyConfig;
  readonly dataset: ImageDataset;
  /** Index of the network in config.architectures. */
  readonly k: number;
  readonly streams: TrainingStreams;
  /** Name of the network in its ArchResult. Default: architectureNames(config)[k]. */
  readonly name?: string;
  /** SGD steps. Default config.training.steps. */
  readonly steps?: number;
  /** Batch size. Default config.training.batchSize. */
  readonly batchSize?: number;
  /** Peak learning rate. Default config.training.lr. */
  readonly lr?: number;
  /** Warm-up steps asked for (capped at ⌊steps/5⌋). Default config.training.warmupSteps. */
  readonly warmupSteps?: number;
  /** Aborting stops the training before its next step. */
  readonly signal?: AbortSignal;
  /** After each step's loss is read: the 1-based step and the training's length. */
  readonly onStep?: (step: number, of: number) => void;
}

/** What a look at, or the end of, a training found. */
export interface ArchTraining {
  readonly accuracy: number;
  readonly arch: ArchResult;
  readonly note?: string;
  /** Code of the note (why the training failed), when there is one. */
  readonly noteCode?: RejectionCode;
  readonly aborted?: boolean;
}

/** A started training of network k with the candidate (the caller disposes it, or finishes it). */
export interface ArchTrainingRun {
  readonly name: string;
  readonly model: ProxyModel;
  readonly training: Training;
  /** Steps of the whole training. */
  readonly steps: number;
  /** CPU time of this training so far, in ms (build and every segment; see the module comment). */
  cpuMs(): number;
  dispose(): void;
}

/** The warm-up a training of `steps` steps gets when `asked` are asked for: at most a fifth of it. */
export function warmupFor(asked: number, steps: number): number {
  return Math.min(asked, Math.floor(steps / 5));
}

/** Builds the network and starts (but does not run) its training; throws when the network cannot be built. */
export function startArchTraining(spec: ArchTrainingSpec): ArchTrainingRun {
  const { graph, config, dataset, k, streams, signal, onStep } = spec;
  const tc = config.training;
  const steps = spec.steps ?? tc.steps;
  const batchSize = spec.batchSize ?? tc.batchSize;
  const name = spec.name ?? architectureNames(config)[k];
  let cpu = 0;
  const timed = <T>(fn: () => T): T => {
    const t = threadCpuMs();
    try {
      return fn();
    } finally {
      cpu += threadCpuMs() - t;
    }
  };
  const timedAsync = async <T>(fn: () => Promise<T>): Promise<T> => {
    // The trainings of one evaluation are advanced one after another, so what runs on this
    // thread between the two readings is this training (plus whatever else the thread's event
    // loop does while a segment yields: little, and nothing in a worker thread).
    const t = threadCpuMs();
    try {
      return await fn();
    } finally {
      cpu += threadCpuMs() - t;
    }
  };
  const { model } = timed(() => buildCandidateModel(graph, config, dataset, k, streams.init));
  try {
    const { crop, flip } = config.data.augment;
    const augment = crop > 0 || flip
      ? (images: Float32Array, count: number) => augmentBatch(images, count, dataset.height, dataset.width, dataset.channels, streams.augment, { crop, flip })
      : undefined;
    const inner = timed(() => startTraining({
      augment,
      model, dataset, steps, batchSize,
      optimizer: { lr: spec.lr ?? tc.lr, momentum: tc.momentum, nesterov: tc.nesterov, weightDecay: tc.weightDecay },
      schedule: { warmupSteps: warmupFor(spec.warmupSteps ?? tc.warmupSteps, steps), cosine: true },
      labelSmoothing: tc.labelSmoothing, rng: streams.batches, evalBatchSize: tc.evalBatchSize, signal,
      onStep: onStep ? (s) => onStep(s.step + 1, steps) : undefined,
    }));
    const training: Training = {
      get step() { return inner.step; },
      advance: (untilStep) => timedAsync(() => inner.advance(untilStep)),
      validate: () => timedAsync(() => inner.validate()),
      finish: () => timedAsync(() => inner.finish()),
      dispose: () => inner.dispose(),
    };
    let disposed = false;
    return {
      name, model, training, steps,
      cpuMs: () => cpu,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        inner.dispose();
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
    const result: TrainResult = await run.training.finish();
    const arch: ArchResult = {
      arch: run.name, accuracy: result.valAccuracy, loss: result.valLoss, steps: result.steps,
      params: run.model.paramCount(), multiplyAdds: run.model.multiplyAdds(), ms: result.wallMs, cpuMs: run.cpuMs(),
    };
    if (result.status === 'aborted') return { accuracy: NaN, arch, aborted: true };
    if (result.status === 'nonfinite') return { accuracy: NaN, arch, note: `non-finite training loss at step ${result.nonfiniteAt}`, noteCode: 'non-finite-loss' };
    if (!Number.isFinite(result.valLoss) || !Number.isFinite(result.valAccuracy)) return { accuracy: NaN, arch, note: 'non-finite validation loss', noteCode: 'non-finite-validation' };
    return { accuracy: result.valAccuracy, arch };
  } finally {
    run.dispose();
  }
}

/** Builds network k with the candidate, trains it to its end and validates it (one shot). */
export async function trainArch(spec: ArchTrainingSpec): Promise<ArchTraining> {
  return finishArchTraining(startArchTraining(spec));
}

/** Network k of the config with the candidate at every site; `initRng` seeds its initialisers. */
export function buildCandidateModel(graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, initRng: Rng): { model: ProxyModel; layers: GraphNormAct['layers'] } {
  const normAct = graphNormAct(graph, config.layer);
  const model = buildModel(config.architectures[k], [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, initRng);
  return { model, layers: normAct.layers };
}
