/**
 * The tiny proxy search with two promotion levels that test/run/loop/promotion-search.test.ts
 * checks and test/dispatch/redis-levels.test.ts runs through a Redis worker: two batches,
 * k = 1 (closing rounds to level 1 and 2).
 */
import type { RunConfigInput } from '../../src/config/run-config.js';

const backend = (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu';

export const TINY_PROMOTION_SEARCH: RunConfigInput = {
  seed: 6,
  objective: 'proxy',
  evaluation: {
    backend,
    data: { name: 'synthetic', count: 200, size: 8, numClasses: 4, noise: 0.3 },
    architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }, { arch: 'resnet', baseChannels: 2, stageBlocks: [1] }],
    // 4 steps (level 2: 8): the run's plumbing, not its accuracy, is under test; with this seed it
    // still promotes to both levels in the batches and in two closing rounds.
    training: { steps: 4, batchSize: 16, lr: 0.05, warmupSteps: 2, evalBatchSize: 100 },
    rejection: { stability: { enabled: false }, quality: { steps: 3, minAccuracy: 0 } },
  },
  search: {
    // Two batches, k = 1: the last batch leaves a candidate to promote in two closing rounds (to level 1, then 2).
    populationSize: 6, tournamentSize: 3, batchSize: 7, maxCandidates: 14,
    seedLayers: ['bn-relu', 'evonorm-s0', 'gn-relu', 'evonorm-b0', 'x * sigmoid(x)'],
    levels: [{ seeds: 2 }, { seeds: 2, training: { steps: 8 } }],
    promotionsPerBatch: 1,
  },
  dispatch: { mode: 'inline' },
};
