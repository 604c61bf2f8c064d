/**
 * The proxy training loop: SGD with momentum on seeded mini-batches, a warm-up + cosine
 * learning rate, label smoothing, then validation in inference mode.
 *
 *   for step in 0..steps-1:
 *     stop if aborted
 *     batch ← next Rng-drawn indices;  lr ← schedule(step)
 *     loss, grads ← variableGrads(crossEntropy(model(batch, training)))   (all inside tf.tidy)
 *     sgd.apply(grads, lr);  keep the scalar loss on the device
 *     every `checkEvery` steps: read the kept losses in one device read; a NaN/Inf stops the run
 *   validation (moving statistics) unless stopped
 *
 * Reading the loss every few steps instead of every step avoids a device sync per step; a
 * non-finite loss is still caught within `checkEvery` steps and pinned to its exact step.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types.js';
import type { ProxyModel } from '../models/proxy-model.js';
import type { Rng } from '../util/rng.js';
import { BatchSampler, type ChannelStats, channelStats, makeBatch } from './batches.js';
import { evaluateModel } from './evaluate.js';
import { crossEntropy } from './loss.js';
import { learningRateAt, type ScheduleOptions } from './schedule.js';
import { MomentumSgd, type SgdOptions } from './sgd.js';

export interface OptimizerOptions extends SgdOptions {
  /** Base (peak) learning rate. */
  readonly lr: number;
}

/** Progress of one step, reported after its loss has been read (in bursts of `checkEvery`). */
export interface StepInfo {
  /** 0-based step index. */
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
}

export interface TrainOptions {
  /** The network to train in place; the caller keeps ownership and disposes it. */
  readonly model: ProxyModel;
  readonly dataset: ImageDataset;
  /** Number of optimisation steps. */
  readonly steps: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerOptions;
  readonly schedule: ScheduleOptions;
  /** Label smoothing s in [0, 1): targets (1 − s)·onehot + s/K. */
  readonly labelSmoothing: number;
  /** Draws the batches (epoch-wise permutations). */
  readonly rng: Rng;
  /** Batch size for validation. */
  readonly evalBatchSize: number;
  /** Aborting stops training before the next step → status 'aborted' (no validation). */
  readonly signal?: AbortSignal;
  readonly onStep?: (info: StepInfo) => void;
  /** Steps between reads of the loss (the non-finite check); default 10. */
  readonly checkEvery?: number;
  /** Normalise inputs per channel with the training split's statistics; default true. */
  readonly normalizeInputs?: boolean;
  /** Training-batch augmentation, applied after normalisation (validation is never augmented). */
  readonly augment?: (images: Float32Array, count: number) => Float32Array;
  /** Steps averaged into `trainLoss` (the last ones); default 10. */
  readonly trainLossWindow?: number;
}

export interface TrainResult {
  /** 'ok', 'nonfinite' (NaN/Inf training loss; training stopped) or 'aborted' (signal). */
  readonly status: 'ok' | 'nonfinite' | 'aborted';
  /** Steps actually run (after a non-finite loss, up to `checkEvery` − 1 past it). */
  readonly steps: number;
  /** Mean training loss of the last `trainLossWindow` steps run (NaN if none). */
  readonly trainLoss: number;
  /** Training loss of every step run, in order. */
  readonly losses: readonly number[];
  /** Validation top-1 accuracy in inference mode (NaN unless status is 'ok'). */
  readonly valAccuracy: number;
  /** Validation mean cross-entropy, no smoothing (NaN unless status is 'ok'; may be non-finite). */
  readonly valLoss: number;
  /** Training throughput, validation excluded. */
  readonly stepsPerSec: number;
  readonly imagesPerSec: number;
  /** Wall time of the whole call, validation included, in milliseconds. */
  readonly wallMs: number;
  /** 0-based step whose loss was first non-finite. */
  readonly nonfiniteAt?: number;
  /** The input normalisation used (pass it to evaluateModel to evaluate the model again). */
  readonly inputStats: ChannelStats | null;
}

/** Lets timers and abort handlers run between bursts of synchronous tfjs work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A training in progress that can be advanced in segments and validated between them: the
 * schedule, the batch order and the optimizer state run on as in one uninterrupted training, so
 * `advance(q); validate(); advance(steps)` trains exactly the weights `advance(steps)` would
 * (the quality check reuses the first Q steps of the proxy training this way; ISSUE 11).
 */
export interface Training {
  /** Steps run so far. */
  readonly step: number;
  /** Runs steps until `untilStep` (capped at `steps`), a non-finite loss or the signal. */
  advance(untilStep: number): Promise<TrainResult['status']>;
  /** Validation accuracy and loss now, in inference mode (changes no state). */
  validate(): Promise<{ readonly accuracy: number; readonly loss: number }>;
  /** The result so far; validates unless stopped (status not 'ok'). */
  finish(): Promise<TrainResult>;
  /** Frees the optimizer state (the model stays the caller's). */
  dispose(): void;
}

/** Trains `model` as described in the module comment and validates it. */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const training = startTraining(options);
  try {
    await training.advance(options.steps);
    return await training.finish();
  } finally {
    training.dispose();
  }
}

/** Starts a training of `options.steps` steps that runs only when advanced (see Training). */
export function startTraining(options: TrainOptions): Training {
  const { model, dataset, steps, batchSize, optimizer, schedule, labelSmoothing, rng, signal, onStep } = options;
  const checkEvery = Math.max(1, Math.floor(options.checkEvery ?? 10));
  const window = Math.max(1, Math.floor(options.trainLossWindow ?? 10));
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`trainModel: steps must be an integer ≥ 0, got ${steps}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`trainModel: batchSize must be a positive integer, got ${batchSize}`);
  const started = performance.now();
  const stats = options.normalizeInputs === false ? null : channelStats(dataset.train, dataset.channels);
  const vars = model.trainableVariables();
  const sgd = new MomentumSgd(vars, model.kernels(), optimizer);
  const sampler = new BatchSampler(dataset.train.count, rng);
  const losses: number[] = [];
  const pending: { step: number; lr: number; loss: tf.Scalar }[] = [];
  let status: TrainResult['status'] = 'ok';
  let nonfiniteAt: number | undefined;
  let next = 0;
  let trainMs = 0;
  let disposed = false;

  /** Reads the kept losses in one device read; returns false on a non-finite one. */
  const flush = async (): Promise<boolean> => {
    if (pending.length === 0) return nonfiniteAt === undefined;
    const stacked = tf.stack(pending.map((p) => p.loss));
    const values = await stacked.data();
    tf.dispose([stacked, ...pending.map((p) => p.loss)]);
    const batch = pending.splice(0, pending.length);
    for (let i = 0; i < batch.length; i++) {
      losses.push(values[i]);
      onStep?.({ step: batch[i].step, loss: values[i], lr: batch[i].lr });
      if (!Number.isFinite(values[i]) && nonfiniteAt === undefined) nonfiniteAt = batch[i].step;
    }
    return nonfiniteAt === undefined;
  };

  const advance = async (untilStep: number): Promise<TrainResult['status']> => {
    const end = Math.min(steps, Math.max(0, Math.floor(untilStep)));
    const segmentStart = performance.now();
    try {
      for (; status === 'ok' && next < end; next++) {
        if (signal?.aborted) {
          status = 'aborted';
          break;
        }
        const step = next;
        const lr = learningRateAt(step, steps, optimizer.lr, schedule);
        const indices = sampler.next(batchSize);
        const loss = tf.tidy(() => {
          const batch = makeBatch(dataset.train, indices, model.inputShape, stats, options.augment);
          const { value, grads } = tf.variableGrads(
            () => crossEntropy(model.apply(batch.images, true), batch.labels, labelSmoothing),
            vars,
          );
          sgd.apply(grads, lr);
          return value as tf.Scalar;
        });
        pending.push({ step, lr, loss });
        if (pending.length >= checkEvery || step === end - 1) {
          if (!(await flush())) {
            status = 'nonfinite';
            next++;
            break;
          }
          await yieldToEventLoop();
        }
      }
      if (!(await flush()) && status === 'ok') status = 'nonfinite';
    } catch (err) {
      tf.dispose(pending.splice(0).map((p) => p.loss));
      throw err;
    }
    trainMs += performance.now() - segmentStart;
    return status;
  };

  const validate = async () => evaluateModel(model, dataset.validation, options.evalBatchSize, stats);

  return {
    get step() { return next; },
    advance,
    validate,
    async finish(): Promise<TrainResult> {
      let valAccuracy = NaN;
      let valLoss = NaN;
      if (status === 'ok') {
        const result = await validate();
        valAccuracy = result.accuracy;
        valLoss = result.loss;
      }
      const tail = losses.slice(-window);
      const run = losses.length;
      return {
        status,
        steps: run,
        trainLoss: tail.length === 0 ? NaN : tail.reduce((a, b) => a + b, 0) / tail.length,
        losses,
        valAccuracy,
        valLoss,
        stepsPerSec: trainMs > 0 ? (run * 1000) / trainMs : 0,
        imagesPerSec: trainMs > 0 ? (run * batchSize * 1000) / trainMs : 0,
        wallMs: performance.now() - started,
        ...(nonfiniteAt === undefined ? {} : { nonfiniteAt }),
        inputStats: stats,
      };
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      tf.dispose(pending.splice(0).map((p) => p.loss));
      sgd.dispose();
    },
  };
}
