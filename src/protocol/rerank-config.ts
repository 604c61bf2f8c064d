/**
 * The rerank config (`evonorm rerank --config rerank.json`): how the search's best layers are
 * retrained for the paper's re-ranking on held-out data. Every field is optional; what is not
 * given comes from the run's own evaluation config, with a longer schedule (2× the steps).
 * The zod schema is the single source of truth (STYLE.md 2).
 */
import { z } from 'zod';
import { DatasetConfigSchema } from '../data/config.js';
import { ModelConfigSchema } from '../models/config.js';
import { BACKENDS } from '../tensor/backends.js';
import { LR_SCALINGS } from './batch-scaling.js';

export const DEFAULT_BASELINES = ['bn-relu', 'gn-relu', 'evonorm-b0', 'evonorm-s0'] as const;

export const RerankConfigSchema = z.strictObject({
  top: z.number().int().min(1).default(10).describe('How many of the search\'s layers to retrain: the first k by Pareto rank (front first), ties by `by`. Default 10 (the paper).'),
  by: z.string().default('front').describe('Order within a Pareto rank: "front" (the front\'s own order: first objective), "mean" (mean objective), or an objective (architecture) name. With promotion levels the ranks compare two layers at the highest level both were measured at (as the search\'s selection and front do), and within a rank layers measured at a higher level come first, then this rule on their scores at that level; layers whose promotion was rejected come last (src/protocol/rerank-order.ts). Default "front".'),
  baselines: z.array(z.string()).min(1).default([...DEFAULT_BASELINES]).describe('Known layers retrained alongside (zoo names or expressions); the first is the baseline of the differences. Default bn-relu, gn-relu, evonorm-b0, evonorm-s0.'),
  seeds: z.number().int().min(1).default(5).describe('Seeds per layer, architecture and batch size. Default 5.'),
  batchSizes: z.array(z.number().int().min(1)).min(1).optional().describe('Batch sizes (steps and lr scaled, same images). Default: the training batch size only.'),
  lrScaling: z.enum(LR_SCALINGS as [string, ...string[]]).default('linear').describe('Learning rate vs batch size: linear, sqrt or none. Default "linear".'),
  stepsFactor: z.number().positive().default(2).describe('Longer schedule: the run\'s training steps and warm-up × this, unless `training.steps` is given. Default 2.'),
  training: z.record(z.string(), z.unknown()).optional().describe('Overrides of the run\'s training settings (steps, batchSize, lr, … as in evaluation.training; checked against that schema).'),
  imageSize: z.number().int().positive().optional().describe('Image side length for the rerank (pixels); default the run\'s.'),
  data: DatasetConfigSchema.optional().describe('Another data set (replaces the run\'s; it must have a held-out test split). Default: the run\'s data, scored on its held-out test split.'),
  architectures: z.array(ModelConfigSchema).min(1).optional().describe('Architectures to retrain on; default the run\'s.'),
  transferArchitectures: z.array(ModelConfigSchema).default([]).describe('Extra architectures, not used by the search, to test transfer. Default none.'),
  layer: z.record(z.string(), z.unknown()).optional().describe('Overrides of the layer options (epsilon, groups, groupSize, momentum; checked against evaluation.layer).'),
  backend: z.enum(BACKENDS).optional().describe('tfjs backend; default the run\'s.'),
});

export type RerankConfig = z.infer<typeof RerankConfigSchema>;
export type RerankConfigInput = z.input<typeof RerankConfigSchema>;
