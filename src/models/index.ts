/** Proxy networks with pluggable norm-activation sites (PAPER.md §3: the K architectures). */
export type { NormActFactory, NormActSite } from './types.js';
export type { Arch, ModelOptions, ProxyModel } from './proxy-model.js';
export { buildProxyModel } from './proxy-model.js';
export { NetBuilder, type SeActivation } from './builder.js';
export { affineResidual, chain, residual, sameOutSize, type AffineOp, type FeatureShape, type Op } from './op.js';
export { scaleChannels, scaleDepth } from './scale.js';
export { heNormalVariable, constantVariable } from './init.js';
export { resnet, RESNET_DEFAULTS, type ResNetExtras, type ResNetOptions } from './resnet.js';
export { mobilenetv2, MOBILENETV2_DEFAULTS, type MobileNetV2Extras, type MobileNetV2Options } from './mobilenetv2.js';
export { efficientnet, EFFICIENTNET_DEFAULTS, type EfficientNetExtras, type EfficientNetOptions } from './efficientnet.js';
export {
  ModelConfigSchema,
  ResNetConfigSchema,
  MobileNetV2ConfigSchema,
  EfficientNetConfigSchema,
  type ModelConfig,
  type ModelConfigInput,
} from './config.js';
export { buildModel, BUILDERS } from './registry.js';
export { NETWORKS, ARCHS, type NetworkDescriptor } from './networks.js';
