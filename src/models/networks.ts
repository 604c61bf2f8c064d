/**
 * The proxy networks, one descriptor each (STYLE.md 15, as ops are in src/graph/ops.ts): its
 * name (`arch`), its options beyond the common ones with their defaults, and its config schema.
 * Adding a network is an entry here plus its builder (a file of its own, e.g. resnet.ts) in the
 * BUILDERS table of registry.ts; the config schema (config.ts), the Arch type and every list
 * of networks derive from NETWORKS.
 *
 * This file does not load tfjs (the builders do): the config schema needs it, and commands that
 * only read configs or journals (status, runs) must not pay for tfjs at start-up (issue 18, item 4).
 */
import { z } from 'zod';
import type { SeActivation } from './builder.js';

const width = z
  .number()
  .positive()
  .max(16)
  .default(1)
  .describe('Channel multiplier applied to every layer width (rounded to multiples of 4). Default 1.');
const depth = z
  .number()
  .positive()
  .max(16)
  .default(1)
  .describe('Multiplier of the number of blocks per stage (rounded up). Default 1.');
const channels = (what: string, dflt: number) =>
  z.number().int().min(1).max(4096).default(dflt).describe(`${what} at width 1. Default ${dflt}.`);
const expansion = (dflt: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(16)
    .default(dflt)
    .describe(`Expansion ratio of the inverted residual blocks after the first stage. Default ${dflt}.`);

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

export const ResNetConfigSchema = z.strictObject({
  arch: z.literal('resnet').describe('Scaled-down ResNet (the paper\'s ResNet-50 proxy).'),
  width,
  depth,
  block: z
    .enum(['basic', 'bottleneck'])
    .default(RESNET_DEFAULTS.block)
    .describe(`Residual block: two 3×3 convs, or 1×1-3×3-1×1 with 4× expansion. Default "${RESNET_DEFAULTS.block}".`),
  baseChannels: channels('Channels of stage 1 (inner width for bottlenecks), doubling each stage,', RESNET_DEFAULTS.baseChannels),
  stageBlocks: z
    .array(z.number().int().min(1).max(64))
    .min(1)
    .max(6)
    .default([...RESNET_DEFAULTS.stageBlocks])
    .describe(`Blocks per stage at depth 1; the length is the number of stages. Default [${RESNET_DEFAULTS.stageBlocks.join(', ')}].`),
  postAddActivation: z
    .enum(['relu', 'none'])
    .default(RESNET_DEFAULTS.postAddActivation)
    .describe(`Fixed activation after each residual add (ResNet v1: relu). Default "${RESNET_DEFAULTS.postAddActivation}".`),
});


export interface MobileNetV2Extras {
  /** Expansion ratio of the inverted residual blocks after the first stage (6 in the paper). */
  readonly expansion: number;
  /** Channels of the stem at width 1. */
  readonly stemChannels: number;
  /** Channels of the final 1×1 convolution at width 1. */
  readonly headChannels: number;
}

export const MOBILENETV2_DEFAULTS: MobileNetV2Extras = { expansion: 6, stemChannels: 8, headChannels: 64 };

export const MobileNetV2ConfigSchema = z.strictObject({
  arch: z.literal('mobilenetv2').describe('Scaled-down MobileNetV2.'),
  width,
  depth,
  expansion: expansion(MOBILENETV2_DEFAULTS.expansion),
  stemChannels: channels('Channels of the stem convolution', MOBILENETV2_DEFAULTS.stemChannels),
  headChannels: channels('Channels of the final 1×1 convolution', MOBILENETV2_DEFAULTS.headChannels),
});


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

export const EfficientNetConfigSchema = z.strictObject({
  arch: z.literal('efficientnet').describe('Scaled-down EfficientNet-B0 (MBConv with squeeze-and-excitation).'),
  width,
  depth,
  expansion: expansion(EFFICIENTNET_DEFAULTS.expansion),
  seRatio: z
    .number()
    .gt(0)
    .max(1)
    .default(EFFICIENTNET_DEFAULTS.seRatio)
    .describe(`SE bottleneck channels as a fraction of the block's input channels. Default ${EFFICIENTNET_DEFAULTS.seRatio}.`),
  seActivation: z
    .enum(['swish', 'relu'])
    .default(EFFICIENTNET_DEFAULTS.seActivation)
    .describe(`Activation inside squeeze-and-excitation. Default "${EFFICIENTNET_DEFAULTS.seActivation}".`),
  stemChannels: channels('Channels of the stem convolution', EFFICIENTNET_DEFAULTS.stemChannels),
  headChannels: channels('Channels of the final 1×1 convolution', EFFICIENTNET_DEFAULTS.headChannels),
});

/** A proxy network: its name, its config schema (strict, `arch` a literal) and the defaults of its options. */
export interface NetworkDescriptor<A extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly arch: A;
  readonly schema: S;
  readonly defaults: object;
}

/** Every proxy network, in the order help texts list them. */
export const NETWORKS = [
  { arch: 'resnet', schema: ResNetConfigSchema, defaults: RESNET_DEFAULTS },
  { arch: 'mobilenetv2', schema: MobileNetV2ConfigSchema, defaults: MOBILENETV2_DEFAULTS },
  { arch: 'efficientnet', schema: EfficientNetConfigSchema, defaults: EFFICIENTNET_DEFAULTS },
] as const satisfies readonly NetworkDescriptor[];

/** Names of the proxy architectures. */
export type Arch = (typeof NETWORKS)[number]['arch'];

/** The names of the proxy networks, in NETWORKS' order. */
export const ARCHS: readonly Arch[] = NETWORKS.map((n) => n.arch);
