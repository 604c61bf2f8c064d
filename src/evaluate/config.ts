/**
 * The proxy-evaluation config (the `evaluation` section of a run config, or a config of its own
 * for `evonorm evaluate`): data, proxy architectures, training budget, rejection protocols.
 * The zod schema is the single source of truth (STYLE.md 2).
 */
import { z } from 'zod';
import { DatasetConfigSchema } from '../data/index.js';
import { ModelConfigSchema } from '../models/config.js';
import { DEFAULT_LAYER_JSON_OPTIONS } from '../graph/json.js';
import { HurdlesSchema } from './hurdles.js';

import { BACKEND_NAMES, BACKENDS } from '../tensor/backends.js';

export { BACKENDS };

export const BackendSchema = z
  .enum(BACKENDS)
  .default('auto')
  .describe(`tfjs backend: ${BACKENDS.join(', ')}; auto tries ${BACKEND_NAMES.join(', then ')}. Default "auto".`);

export const LayerOptionsSchema = z.strictObject({
  epsilon: z.number().positive().max(1).default(DEFAULT_LAYER_JSON_OPTIONS.epsilon).describe('ε inside every square root and log. Default 1e-5.'),
  groups: z.number().int().min(1).default(DEFAULT_LAYER_JSON_OPTIONS.groups).describe('Most groups of group aggregations, lowered to a divisor of C with at least 2 channels per group (never one channel per group unless groupSize is 1). Default 32.'),
  groupSize: z.number().int().min(1).optional().describe('Channels per group of group aggregations (groups = C / groupSize, lowered to a divisor of C); wins over groups. 1 = one channel per group (instance statistics). Default: unset (groups decides).'),
  momentum: z.number().min(0).max(1).default(DEFAULT_LAYER_JSON_OPTIONS.momentum).describe('Moving-average momentum of batch statistics. Default 0.9.'),
});

export const TrainingSchema = z.strictObject({
  steps: z.number().int().min(1).default(300).describe('SGD steps of each proxy training. Default 300.'),
  batchSize: z.number().int().min(1).default(64).describe('Training batch size. Default 64.'),
  lr: z.number().positive().default(0.1).describe('Peak learning rate. Default 0.1.'),
  momentum: z.number().min(0).max(1).default(0.9).describe('SGD momentum. Default 0.9.'),
  nesterov: z.boolean().default(true).describe('Nesterov momentum. Default true.'),
  weightDecay: z.number().min(0).default(5e-4).describe('Weight decay on conv/dense kernels. Default 5e-4.'),
  warmupSteps: z.number().int().min(0).default(20).describe('Linear warm-up steps before the cosine decay. Default 20.'),
  labelSmoothing: z.number().min(0).max(0.99).default(0.1).describe('Label smoothing. Default 0.1.'),
  evalBatchSize: z.number().int().min(1).default(250).describe('Validation batch size. Default 250.'),
});

export const StabilitySchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Run the adversarial gradient-norm test (PAPER.md §4). Default true.'),
  steps: z.number().int().min(1).default(100).describe('Ascent steps S, stopping early on rejection. Default 100.'),
  threshold: z.number().positive().default(1e8).describe('Reject when the gradient norm exceeds this. Default 1e8.'),
  stepSize: z.number().positive().default(1).describe('Length of each normalised ascent step in weight space. Default 1.'),
  fdStep: z.number().positive().default(1e-3).describe('Finite-difference step for the Hessian-vector product. Default 1e-3.'),
  batchSize: z.number().int().min(1).default(32).describe('Examples in the fixed batch the test uses. Default 32.'),
});

export const QualitySchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Run the short-training quality check (PAPER.md §4). Default true.'),
  steps: z.number().int().min(1).default(100).describe('Training steps Q. Default 100 (the paper).'),
  minAccuracy: z.number().min(0).max(1).default(0.2).describe('Reject below this validation accuracy on any architecture. Default 0.2 (the paper, CIFAR-10).'),
  continued: z.boolean().default(true).describe('The check is the first Q steps of each proxy training (same initialisation, batches and schedule), which then continues: survivors are not trained twice. false: a separate Q-step training with its own schedule, as the paper describes. Default true.'),
});

export const ProxyConfigSchema = z.strictObject({
  backend: BackendSchema,
  data: DatasetConfigSchema.describe('The data set the proxies train on.'),
  architectures: z.array(ModelConfigSchema).min(1).describe('The K proxy networks; each gives one objective (validation accuracy).'),
  layer: LayerOptionsSchema.prefault({}),
  training: TrainingSchema.prefault({}),
  seeds: z.number().int().min(1).default(1).describe('Trainings S of each network per candidate, with S different initialisations and batch orders that every candidate shares (common random numbers); each objective is the mean of the S validation accuracies and is journaled with its standard error. The quality check and hurdles compare the mean over the S trainings at their step. Costs S times the training. Default 1.'),
  rejection: z.strictObject({
    stability: StabilitySchema.prefault({}),
    quality: QualitySchema.prefault({}),
    hurdles: HurdlesSchema.prefault({}),
  }).prefault({}).describe('Cheap filters before the full proxy trainings (static checks always run).'),
}, { error: (issue) => (issue.input === undefined ? 'objective "proxy" needs an "evaluation" section' : undefined) });

export type ProxyConfig = z.infer<typeof ProxyConfigSchema>;
export type ProxyConfigInput = z.input<typeof ProxyConfigSchema>;

/** One name per proxy architecture (its arch, with #index when an arch repeats): the objectives. */
export function architectureNames(config: Pick<ProxyConfig, 'architectures'>): string[] {
  return config.architectures.map((a, i) => `${a.arch}${config.architectures.filter((b) => b.arch === a.arch).length > 1 ? `#${i}` : ''}`);
}
