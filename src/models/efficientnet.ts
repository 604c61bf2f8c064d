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
import { invertedResidualBody } from './inverted-residual.js';
import { buildProxyModel, type ModelOptions, type ProxyModel } from './proxy-model.js';
import { withDefaults } from './scale.js';
import { EFFICIENTNET_DEFAULTS, type EfficientNetExtras } from './networks.js';

export { EFFICIENTNET_DEFAULTS, type EfficientNetExtras };

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
  return buildProxyModel('efficientnet', options, (b, input) =>
    invertedResidualBody(b, input, {
      stemChannels: o.stemChannels, headChannels: o.headChannels, expansion: o.expansion,
      width: o.width, depth: o.depth, stages: STAGES, se: (c) => ({ reduced: Math.max(1, Math.floor(c * o.seRatio)), act: o.seActivation }),
    }),
  );
}
