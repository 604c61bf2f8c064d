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
  /** e.g. "mnist", "cifar10", "synthetic". */
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
}
