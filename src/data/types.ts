/**
 * An in-memory image classification data set, images in NHWC float32 (already scaled, before
 * per-channel normalisation) and integer labels. Every loader returns this shape.
 */
export interface ImageSplit {
  /** count × height × width × channels values, NHWC order. */
  readonly images: Float32Array;
  /** count labels in [0, numClasses). */
  readonly labels: Int32Array;
  readonly count: number;
}

export interface ImageDataset {
  /** e.g. "mnist", "fashion-mnist", "cifar10", "synthetic". */
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
  /**
   * The held-out test split, never seen by a search (MNIST, Fashion-MNIST: the official test
   * files; CIFAR-10: test_batch.bin). Present only when a loader was asked for it.
   */
  readonly test?: ImageSplit;
}
