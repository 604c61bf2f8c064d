/**
 * A scaled-down EfficientNet-B0 (Tan & Le 2019), one of the paper's three proxies:
 *
 *   stem: conv3×3/2 → site
 *   stages of MBConv blocks: inverted residual blocks with squeeze-and-excitation (SE reduces
 *   to seRatio × the block's input channels), kernels 3 and 5 as in B0
 *   head: conv1×1 → site → global average pool → dense
 *
 * Tiny default widths (8, 16, 24; head 64) suit 28×28 MNIST and 32×32 CIFAR-10.
 */
import type { SeActivation } from './builder.js';
import { invertedResidual } from './inverted-residual.js';
import { chain, type Op } from './op.js';
import { buildProxyModel, type ModelOptions, type ProxyModel } from './proxy-model.js';
import { scaleChannels, scaleDepth, withDefaults } from './scale.js';

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

/** Stages at width = depth = 1; `expand: null` takes the configured expansion. */
const STAGES = [
  { expand: 1, kernel: 3, channels: 8, blocks: 1, stride: 1 },
  { expand: null, kernel: 3, channels: 16, blocks: 2, stride: 2 },
  { expand: null, kernel: 5, channels: 24, blocks: 2, stride: 2 },
] as const;

export type EfficientNetOptions = ModelOptions & Partial<EfficientNetExtras>;

/** Builds the scaled-down EfficientNet described above. */
export function efficientnet(options: EfficientNetOptions): ProxyModel {
  const o = withDefaults(EFFICIENTNET_DEFAULTS, options);
  return buildProxyModel('efficientnet', options, (b, input) => {
    const stem = b.conv(input, scaleChannels(o.stemChannels, o.width), 3, 2);
    const ops: Op[] = [stem, b.site(stem.out, 'stem')];
    let shape = stem.out;
    STAGES.forEach((stage, i) => {
      for (let j = 0; j < scaleDepth(stage.blocks, o.depth); j++) {
        const block = invertedResidual(
          b,
          shape,
          {
            expansion: stage.expand ?? o.expansion,
            outChannels: scaleChannels(stage.channels, o.width),
            kernel: stage.kernel,
            stride: j === 0 ? stage.stride : 1,
            se: { reduced: Math.max(1, Math.floor(shape.c * o.seRatio)), act: o.seActivation },
          },
          `stage${i + 1}/block${j + 1}`,
        );
        ops.push(block);
        shape = block.out;
      }
    });
    const head = b.conv(shape, scaleChannels(o.headChannels, o.width), 1, 1);
    ops.push(head, b.site(head.out, 'head'));
    return chain(input, ops);
  });
}
