/**
 * What an evaluation returns, as zod schemas: the single source of truth for the Evaluation
 * type (inferred below) and for reading evaluations back from the journal or a worker.
 * Rejections carry a stable `code` beside their prose `reason` (src/evaluate/rejection.ts), so
 * reports group by the code and still show the real numbers of the reason.
 *
 * JSON has no NaN or Infinity: JSON.stringify writes them as null. An accuracy or loss that was
 * not finite reads back as NaN. Objects are strict in their types and loose when parsed
 * (`.loose()`): fields a later version adds are kept.
 */
import { z } from 'zod';
import { REJECTION_CODE_INFO, REJECTION_CODES, REJECTION_STAGES, type RejectionCode } from './rejection.js';

/** A number JSON may have written as null (it was NaN or ±Infinity); read back as NaN. */
const maybeFinite = z
  .number()
  .nullable()
  .transform((v) => (v === null ? Number.NaN : v));

/** Per-architecture figures of one evaluation (absent for the fast objective). */
export const ArchResultSchema = z.object({
  arch: z.string(),
  accuracy: maybeFinite.optional().describe('Validation accuracy in [0, 1].'),
  loss: maybeFinite.optional().describe('Validation loss.'),
  steps: z.number().optional().describe('Training steps run.'),
  params: z.number().optional().describe('Trainable parameters of the network with this layer.'),
  multiplyAdds: z.number().optional().describe('Multiply-adds per example.'),
  ms: z.number().describe('Wall time, in ms (a timing).'),
  cpuMs: z.number().optional().describe('CPU time of the thread that ran this training, in ms (a timing; /proc/thread-self/stat in steps of 10 ms, else the process clock). Absent before it was recorded.'),
  seed: z.number().int().min(0).optional().describe('Which of the evaluation.seeds trainings this is (0-based); absent when there is one.'),
  note: z.string().optional(),
});

/** One stage's verdict and cost, for reports. */
export const StageRecordSchema = z.object({
  stage: z.enum([...REJECTION_STAGES, 'proxy']),
  passed: z.boolean(),
  ms: z.number(),
  reason: z.string().optional(),
  accuracies: z.array(maybeFinite).optional().describe('Validation accuracy per architecture at a look (quality check, hurdle); with evaluation.seeds S > 1, the mean over the S trainings.'),
  step: z.number().int().optional().describe('The training step of a hurdle.'),
});

/** The validation accuracies of the K networks at one hurdle step of their proxy trainings (each the mean over the S seeds). */
export const TrainingCheckpointSchema = z.object({
  step: z.number().int(),
  accuracies: z.array(maybeFinite),
});

const details = {
  costMs: z.number().describe('Time the evaluation took, in ms (a timing).'),
  archs: z.array(ArchResultSchema.loose()).optional(),
  stages: z.array(StageRecordSchema.loose()).optional(),
  checkpoints: z.array(TrainingCheckpointSchema).optional().describe('Accuracies at each hurdle step reached (hurdles on).'),
  backend: z.string().optional().describe('The tfjs backend that computed it ("wasm", "cpu", "tensorflow"); absent when none did.'),
};

export const OkEvaluationSchema = z.object({
  status: z.literal('ok'),
  objectives: z.array(z.number()).min(1).describe('K objectives to maximise (e.g. validation accuracy per architecture; with evaluation.seeds S > 1, the mean over the S trainings).'),
  objectiveErrors: z.array(maybeFinite).optional().describe('Standard error of each objective, sd/√S over the S = evaluation.seeds trainings (sample sd); absent when S = 1 and in journals written before seeds existed.'),
  ...details,
});

export const RejectedEvaluationSchema = z.object({
  status: z.literal('rejected'),
  stage: z.enum(REJECTION_STAGES),
  code: z.enum(REJECTION_CODES).optional().describe('Stable code of the reason; absent in journals written before codes existed.'),
  reason: z.string().describe('The reason for people, with its real numbers.'),
  ...details,
});

/** zod schema of an Evaluation as it reads back from JSON (loose: later fields are kept). */
export const EvaluationSchema = z.discriminatedUnion('status', [OkEvaluationSchema.loose(), RejectedEvaluationSchema.loose()]);

export type ArchResult = z.output<typeof ArchResultSchema>;
export type StageRecord = z.output<typeof StageRecordSchema>;
export type TrainingCheckpoint = z.output<typeof TrainingCheckpointSchema>;
export type Evaluation = z.output<typeof OkEvaluationSchema> | z.output<typeof RejectedEvaluationSchema>;
export type RejectedEvaluation = z.output<typeof RejectedEvaluationSchema>;

/**
 * A rejection with `code` and the reason with its real numbers; its stage is the code's usual
 * one (REJECTION_CODE_INFO) unless `extra.stage` says otherwise (e.g. a non-finite loss during
 * the quality probe).
 */
export function rejected(code: RejectionCode, reason: string, costMs: number, extra: Partial<Pick<RejectedEvaluation, 'archs' | 'stages' | 'checkpoints' | 'backend' | 'stage'>> = {}): RejectedEvaluation {
  return { status: 'rejected', stage: REJECTION_CODE_INFO[code].stage, code, reason, costMs, ...extra };
}
