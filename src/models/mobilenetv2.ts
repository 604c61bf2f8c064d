/**
 * A scaled-down MobileNetV2 (Sandler et al. 2018), one of the paper's three proxies:
 *
 *   stem: conv3×3/2 → site
 *   stages of inverted residual blocks (see inverted-residual.ts), the first block of a stage
 *   with the stage's stride
 *   head: conv1×1 → site → global average pool → dense
 *
 * Tiny default widths (8, 16, 24; head 64) suit 28×28 MNIST and 32×32 CIFAR-10.
 */
import { invertedResidualBody } from './inverted-residual.js';
import { buildProxyModel, type ModelOptions, type ProxyModel } from './proxy-model.js';
import { withDefaults } from './scale.js';
import { MOBILENETV2_DEFAULTS, type MobileNetV2Extras } from './networks.js';

export { MOBILENETV2_DEFAULTS, type MobileNetV2Extras };

/** Stages at width = depth = 1; `expand: null` takes the configured expansion. */
const STAGES = [
  { expand: 1, kernel: 3, channels: 8, blocks: 1, stride: 1 },
  { expand: null, kernel: 3, channels: 16, blocks: 2, stride: 2 },
  { expand: null, kernel: 3, channels: 24, blocks: 2, stride: 2 },
] as const;

export type MobileNetV2Options = ModelOptions & Partial<MobileNetV2Extras>;

/** Builds the scaled-down MobileNetV2 described above. */
export function mobilenetv2(options: MobileNetV2Options): ProxyModel {
  const o = withDefaults(MOBILENETV2_DEFAULTS, options);
  return buildProxyModel('mobilenetv2', options, (b, input) =>
    invertedResidualBody(b, input, {
      stemChannels: o.stemChannels, headChannels: o.headChannels, expansion: o.expansion,
      width: o.width, depth: o.depth, stages: STAGES,
    }),
  );
}
