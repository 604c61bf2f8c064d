import type * as tf from '@tensorflow/tfjs';

/**
 * One normalization-activation site of a proxy network (where BN-ReLU would stand).
 * A candidate layer is turned into a NormActFactory; the network calls it once per site.
 */
export interface NormActSite {
  /** Applies the layer to an NHWC tensor; `training` picks batch statistics vs moving averages. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
  /** The trainable variables (v0, v1, γ, β, …) to optimise with the network's weights. */
  trainableVariables(): tf.Variable[];
  /** Frees every tensor the site owns (variables and moving statistics). */
  dispose(): void;
}

/**
 * Makes the site for a layer with `channels` channels. `name` is unique within the network
 * (e.g. "block2/expand"), for reading and setting weights by name.
 */
export type NormActFactory = (channels: number, name: string) => NormActSite;
