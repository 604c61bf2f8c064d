/**
 * The stability stage on the proxy networks (PAPER.md §4): the adversarial probe of stability.ts
 * run on network k built with the candidate, on a fixed seeded training batch, with moving
 * statistics frozen. Shared by the proxy evaluation and the probe's calibration
 * (scripts/calibrate-stability.ts), which probes one candidate under other settings.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types.js';
import { loadDataset } from '../data/index.js';
import type { LayerGraph } from '../graph/types.js';
import { selectBackend } from '../tensor/backend.js';
import { channelStats, crossEntropy, makeBatch } from '../train/index.js';
import { Rng } from '../util/rng.js';
import { buildCandidateModel } from './arch-training.js';
import type { ProxyConfig } from './config.js';
import { stabilityProbe, type StabilityOptions, type StabilityResult } from './stability.js';

/** Settings of the probe as the config gives them (StabilityOptions plus the batch size). */
export type StabilitySettings = StabilityOptions & { readonly batchSize: number };

/**
 * Probes network k with the candidate. `rng` is the probe's own stream, from the run seed and
 * the candidate's fingerprint (the network's initialisers and the batch derive from it); the
 * proxy trainings draw from streams common to all candidates instead (arch-training.ts).
 */
export function probeNetwork(graph: LayerGraph, config: ProxyConfig, dataset: ImageDataset, k: number, rng: Rng, settings: StabilitySettings = config.rejection.stability): StabilityResult {
  const { model, layers } = buildCandidateModel(graph, config, dataset, k, rng.child(`init/${k}`));
  try {
    layers.forEach((l) => { l.freezeMovingStats = true; });
    const count = Math.min(settings.batchSize, dataset.train.count);
    const indices = rng.child(`stability/${k}`).sample(Array.from({ length: dataset.train.count }, (_, i) => i), count);
    const batch = makeBatch(dataset.train, indices, model.inputShape, channelStats(dataset.train, dataset.channels));
    try {
      return stabilityProbe({ variables: model.trainableVariables(), loss: () => crossEntropy(model.apply(batch.images, true), batch.labels, 0) }, settings);
    } finally {
      tf.dispose([batch.images, batch.labels]);
    }
  } finally {
    model.dispose();
  }
}

/** Probes candidates on every proxy network of a config, under any settings (for calibration). */
export interface StabilityProber {
  /** One result per network, in the config's order. */
  probe(graph: LayerGraph, fingerprint: string, seed: number | string, settings: StabilitySettings): StabilityResult[];
}

/** Selects the backend and loads the data once, as the proxy evaluator does. */
export async function createStabilityProber(config: ProxyConfig): Promise<StabilityProber> {
  await selectBackend(config.backend);
  const dataset = loadDataset(config.data, Rng.fromSeed('data'));
  return {
    probe: (graph, fingerprint, seed, settings) => {
      const rng = Rng.fromSeed(`${seed}`).child(`eval/${fingerprint}`);
      return config.architectures.map((_, k) => probeNetwork(graph, config, dataset, k, rng, settings));
    },
  };
}
