/**
 * The interface every proxy network exposes to the training loop, and the glue that turns a
 * NetBuilder's body and head into one.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';
import type { NormActFactory } from './types.js';
import { NetBuilder } from './builder.js';
import type { FeatureShape, Op } from './op.js';
import type { Arch } from './networks.js';

/** Names of the proxy architectures (one per network descriptor). */
export type { Arch };

/** A small image classifier with pluggable norm-activation sites, built from explicit variables. */
export interface ProxyModel {
  readonly arch: Arch;
  /** Input [h, w, c] the model was built for. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Number of norm-activation sites (calls made to the NormActFactory). */
  readonly sites: number;
  /** Logits [N, numClasses] for NHWC images; `training` picks batch vs moving statistics. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** Every trainable variable: the network's and those of its sites. */
  trainableVariables(): tf.Variable[];
  /** The convolution and dense kernels (the variables weight decay applies to). */
  kernels(): tf.Variable[];
  /** Number of trainable scalars (sum of the trainable variables' sizes). */
  paramCount(): number;
  /** Multiply-adds per example of convolutions and the dense head (see NetBuilder). */
  multiplyAdds(): number;
  /** Frees every variable and site; the model is unusable afterwards. */
  dispose(): void;
}

/** Options every architecture takes. */
export interface ModelOptions {
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Channel multiplier (1 = the tiny default widths). */
  readonly width: number;
  /** Block-count multiplier (1 = the default number of blocks per stage). */
  readonly depth: number;
  readonly normAct: NormActFactory;
  /** Source of the initialisers' seeds. */
  readonly rng: Rng;
}

/** What an architecture's body function returns: the feature extractor, before the head. */
export type BodyFn = (b: NetBuilder, input: FeatureShape) => Op;

/**
 * Builds a ProxyModel: runs `body` on a fresh NetBuilder, adds the pooled dense head, and frees
 * everything already built if construction throws.
 */
export function buildProxyModel(arch: Arch, opts: ModelOptions, body: BodyFn): ProxyModel {
  const [h, w, c] = opts.inputShape;
  if (![h, w, c, opts.numClasses].every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(`${arch}: input shape and class count must be positive integers`);
  }
  const b = new NetBuilder(opts.rng, opts.normAct);
  try {
    const features = body(b, { h, w, c });
    const head = b.head(features.out, opts.numClasses);
    const sites = b.sites().length;
    const madds = b.multiplyAdds();
    return {
      arch,
      inputShape: [h, w, c],
      numClasses: opts.numClasses,
      sites,
      apply: (x, training) => head(features.apply(x, training)),
      trainableVariables: () => b.trainableVariables(),
      kernels: () => b.kernels(),
      paramCount: () => b.trainableVariables().reduce((n, v) => n + v.size, 0),
      multiplyAdds: () => madds,
      dispose: () => b.dispose(),
    };
  } catch (err) {
    b.dispose();
    throw err;
  }
}
