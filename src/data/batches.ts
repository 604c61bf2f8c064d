/**
 * Mini-batches from a split in a seeded order: `batches()` for one epoch, `BatchStream` for an
 * endless epoch-after-epoch stream whose position can be saved in a checkpoint and restored.
 */
import { EvonormError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import { gather, pixelsPerImage } from './subset.js';
import type { ImageSplit } from './types.js';

/** One mini-batch: `count` images (NHWC) and their labels. */
export type Batch = ImageSplit;

export interface BatchOptions {
  /** Examples per batch (the last one of an epoch may be smaller unless dropLast). */
  readonly batchSize: number;
  /** Draws the order when shuffle is set. */
  readonly rng: Rng;
  /** Visit the examples in a seeded random order (true) or in stored order (false). */
  readonly shuffle: boolean;
  /** Skip an epoch's final batch when it is smaller than batchSize; default false. */
  readonly dropLast?: boolean;
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EvonormError('BAD_INPUT', `batch size must be a positive integer, got ${batchSize}`);
  }
}

/** Slices an ordering into batches of the split. */
function* batchesInOrder(split: ImageSplit, order: readonly number[], batchSize: number, dropLast: boolean): Generator<Batch> {
  const pixels = pixelsPerImage(split);
  for (let start = 0; start < order.length; start += batchSize) {
    const end = Math.min(order.length, start + batchSize);
    if (dropLast && end - start < batchSize) return;
    yield gather(split.images, split.labels, order.slice(start, end), pixels);
  }
}

/**
 * One epoch over `split` in batches: every example exactly once (or all but the tail with
 * dropLast), in a seeded random order if shuffle is set. The order is drawn when iteration starts.
 */
export function* batches(split: ImageSplit, options: BatchOptions): Generator<Batch> {
  checkBatchSize(options.batchSize);
  const identity = Array.from({ length: split.count }, (_, i) => i);
  const order = options.shuffle ? options.rng.shuffled(identity) : identity;
  yield* batchesInOrder(split, order, options.batchSize, options.dropLast ?? false);
}

/** Where a BatchStream is: the epoch, and how many examples of it were already served. */
export interface BatchStreamPosition {
  readonly epoch: number;
  readonly offset: number;
}

/** A batch from a BatchStream, tagged with the epoch it belongs to. */
export interface StreamBatch extends Batch {
  readonly epoch: number;
}

/**
 * An endless stream of batches, epoch after epoch, never mixing two epochs in one batch.
 * Epoch e is ordered by a shuffle drawn from `rng.child("epoch-e")`, so the order depends only
 * on the rng's seed path and e: `position()` ({ epoch, offset }) is all a checkpoint needs, and
 * `new BatchStream(split, options, position)` continues exactly there.
 */
export class BatchStream {
  private readonly dropLast: boolean;
  private epoch: number;
  private offset: number;
  private order: number[] | undefined;
  private readonly pixels: number;

  constructor(
    private readonly split: ImageSplit,
    private readonly options: BatchOptions,
    start: BatchStreamPosition = { epoch: 0, offset: 0 },
  ) {
    checkBatchSize(options.batchSize);
    this.dropLast = options.dropLast ?? false;
    const perEpoch = this.dropLast ? split.count - (split.count % options.batchSize) : split.count;
    if (perEpoch === 0) {
      throw new EvonormError(
        'BAD_INPUT',
        `a batch stream needs at least ${this.dropLast ? options.batchSize : 1} examples, the split has ${split.count}`,
      );
    }
    this.epoch = start.epoch;
    this.offset = start.offset;
    this.pixels = pixelsPerImage(split);
  }

  /** The current position, to save and pass back to the constructor later. */
  position(): BatchStreamPosition {
    return { epoch: this.epoch, offset: this.offset };
  }

  /** The next batch; moves to the next epoch after the last (full, if dropLast) batch. */
  next(): StreamBatch {
    const { batchSize } = this.options;
    const remaining = this.split.count - this.offset;
    if (remaining <= 0 || (this.dropLast && remaining < batchSize)) this.startEpoch(this.epoch + 1);
    const order = this.epochOrder();
    const end = Math.min(this.split.count, this.offset + batchSize);
    const batch = gather(this.split.images, this.split.labels, order.slice(this.offset, end), this.pixels);
    const epoch = this.epoch;
    this.offset = end;
    return { ...batch, epoch };
  }

  private startEpoch(epoch: number): void {
    this.epoch = epoch;
    this.offset = 0;
    this.order = undefined;
  }

  /** This epoch's visiting order, computed on first use. */
  private epochOrder(): number[] {
    if (!this.order) {
      const identity = Array.from({ length: this.split.count }, (_, i) => i);
      this.order = this.options.shuffle ? this.options.rng.child(`epoch-${this.epoch}`).shuffled(identity) : identity;
    }
    return this.order;
  }
}
