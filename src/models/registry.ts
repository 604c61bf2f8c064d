/** Builds a proxy network from a validated ModelConfig. */
import type { Rng } from '../util/rng.js';
import type { ModelConfig } from './config.js';
import { efficientnet } from './efficientnet.js';
import { mobilenetv2 } from './mobilenetv2.js';
import type { ProxyModel } from './proxy-model.js';
import { resnet } from './resnet.js';
import type { NormActFactory } from './types.js';

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
  const common = { inputShape, numClasses, normAct, rng };
  switch (config.arch) {
    case 'resnet': {
      const { arch: _, ...rest } = config;
      return resnet({ ...common, ...rest });
    }
    case 'mobilenetv2': {
      const { arch: _, ...rest } = config;
      return mobilenetv2({ ...common, ...rest });
    }
    case 'efficientnet': {
      const { arch: _, ...rest } = config;
      return efficientnet({ ...common, ...rest });
    }
  }
}
