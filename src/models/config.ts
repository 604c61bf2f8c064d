/**
 * The proxy-network config: the zod schema is the single source of truth (STYLE.md 2); strict
 * objects, discriminated on `arch`, every field with its meaning and default.
 */
import { z } from 'zod';
// The defaults, not the builders: the builders load tfjs (src/models/defaults.ts).
import { EFFICIENTNET_DEFAULTS, MOBILENETV2_DEFAULTS, RESNET_DEFAULTS } from './defaults.js';

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

export const MobileNetV2ConfigSchema = z.strictObject({
  arch: z.literal('mobilenetv2').describe('Scaled-down MobileNetV2.'),
  width,
  depth,
  expansion: expansion(MOBILENETV2_DEFAULTS.expansion),
  stemChannels: channels('Channels of the stem convolution', MOBILENETV2_DEFAULTS.stemChannels),
  headChannels: channels('Channels of the final 1×1 convolution', MOBILENETV2_DEFAULTS.headChannels),
});

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

/** One proxy architecture and its size; `arch` selects the rest of the fields. */
export const ModelConfigSchema = z
  .discriminatedUnion('arch', [ResNetConfigSchema, MobileNetV2ConfigSchema, EfficientNetConfigSchema])
  .describe('A proxy network on which candidate layers are trained.');

/** A validated model config (defaults filled in). */
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
/** A model config as written by a person (defaults optional). */
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
