/**
 * Builds a proxy network from a validated ModelConfig: BUILDERS holds one builder per network
 * descriptor (src/models/networks.ts); the type makes a descriptor without a builder a compile error.
 */
import type { Rng } from '../util/rng.js';
import type { ModelConfig } from './config.js';
import { efficientnet } from './efficientnet.js';
import { mobilenetv2 } from './mobilenetv2.js';
import type { Arch } from './networks.js';
import type { ModelOptions, ProxyModel } from './proxy-model.js';
import { resnet } from './resnet.js';
import type { NormActFactory } from './types.js';

/** Each network's builder: the common options plus that network's own (its config without `arch`). */
export const BUILDERS: { readonly [A in Arch]: (options: ModelOptions & Omit<Extract<ModelConfig, { arch: A }>, 'arch'>) => ProxyModel } = {
  resnet,
  mobilenetv2,
  efficientnet,
};

/**
 * Builds the network `config` describes for images of `inputShape` ([h, w, c]) and
 * `numClasses` classes, with a site from `normAct` wherever BN-ReLU would stand. Initialiser
 * seeds come from `rng`. The caller owns the model and must `dispose()` it.
 */
export function buildModel(
  config: ModelConfig,
  inputShape: readonly [number, number, number],
  numClasses: number,
  normAct: NormActFactory,
  rng: Rng,
): ProxyModel {
  const { arch, ...rest } = config;
  const build = BUILDERS[arch] as (options: ModelOptions & typeof rest) => ProxyModel;
  return build({ inputShape, numClasses, normAct, rng, ...rest });
}
