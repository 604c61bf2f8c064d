/**
 * Each proxy network's options beyond the common ones, and their defaults: kept apart from the
 * builders (which load tfjs) because the config schema (src/models/config.ts) needs them, and
 * commands that only read configs or journals (status, runs) must not pay for tfjs at start-up
 * (issue 18, item 4). Each builder re-exports its own.
 */
import type { SeActivation } from './builder.js';

export interface ResNetExtras {
  /** 'basic' (two 3×3 convs) or 'bottleneck' (1×1, 3×3, 1×1 with 4× expansion, as ResNet-50). */
  readonly block: 'basic' | 'bottleneck';
  /** Channels of stage 1 at width 1 (bottleneck: the inner width); doubles every stage. */
  readonly baseChannels: number;
  /** Blocks per stage at depth 1; its length is the number of stages. */
  readonly stageBlocks: readonly number[];
  /** Applied after each residual add: 'relu' as ResNet v1, or 'none'. */
  readonly postAddActivation: 'relu' | 'none';
}

export const RESNET_DEFAULTS: ResNetExtras = {
  block: 'bottleneck',
  baseChannels: 8,
  stageBlocks: [1, 1, 1],
  postAddActivation: 'relu',
};

export interface MobileNetV2Extras {
  /** Expansion ratio of the inverted residual blocks after the first stage (6 in the paper). */
  readonly expansion: number;
  /** Channels of the stem at width 1. */
  readonly stemChannels: number;
  /** Channels of the final 1×1 convolution at width 1. */
  readonly headChannels: number;
}

export const MOBILENETV2_DEFAULTS: MobileNetV2Extras = { expansion: 6, stemChannels: 8, headChannels: 64 };

export interface EfficientNetExtras {
  /** Expansion ratio of the MBConv blocks after the first stage (6 in B0). */
  readonly expansion: number;
  /** SE bottleneck channels as a fraction of the block's input channels (0.25 in B0). */
  readonly seRatio: number;
  /** Activation inside SE: 'swish' as in EfficientNet, or 'relu'. */
  readonly seActivation: SeActivation;
  /** Channels of the stem at width 1. */
  readonly stemChannels: number;
  /** Channels of the final 1×1 convolution at width 1. */
  readonly headChannels: number;
}

export const EFFICIENTNET_DEFAULTS: EfficientNetExtras = {
  expansion: 6,
  seRatio: 0.25,
  seActivation: 'swish',
  stemChannels: 8,
  headChannels: 64,
};
